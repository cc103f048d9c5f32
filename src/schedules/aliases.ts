// The names users know from other libraries, mapped to flowproof's schedules and time conventions
// (docs/conventions.md explains each). Data only: `flowproof schedules --aliases` prints it, and
// `--path LIBRARY:NAME` resolves an entry to the schedule it names, in the library's own convention.
import type { Convention } from '../core/convention.js';
import type { TimestepIndexing } from './discrete.js';

export interface LibraryConventions {
  /** Which end of time is data, and how time is counted. */
  time: string;
  /** What its x0 / x1 / sample names are, in data and noise. */
  roles: string;
  /** What it calls snr (flowproof: snr = alpha^2 / sigma^2). */
  snr: string;
}

export const LIBRARIES: Record<string, LibraryConventions> = {
  flow_matching: {
    time: 'flow convention: t = 0 noise, t = 1 data, t in [0, 1]',
    roles:
      'x_t = alpha_t x_1 + sigma_t x_0 with x_1 = data (target), x_0 = noise (source); velocity = d_alpha_t x_1 + d_sigma_t x_0',
    snr: "alpha_t / sigma_t, unsquared (flowproof's alphaOverSigma; flowproof's snr is its square)",
  },
  diffusers: {
    time: 'diffusion convention in integer timesteps, zero-based: timestep 0 nearest the data, T - 1 the noisiest; FlowMatch* schedulers use sigma in [0, 1] (0 data, 1 noise)',
    roles:
      'x_0 = original sample (data), noise = epsilon; alphas_cumprod[k] is flowproof abar[k + 1]; prediction_type epsilon | sample | v_prediction is eps | data | vPred',
    snr: 'alphas_cumprod / (1 - alphas_cumprod) = alpha^2 / sigma^2 (training_utils.compute_snr), as flowproof',
  },
  'k-diffusion': {
    time: 'diffusion convention with sigma as time: x = data + sigma noise, sigma = 0 is data',
    roles: 'denoised = data prediction; the ODE derivative (x - denoised) / sigma = eps = dx/dsigma',
    snr: '1 / sigma^2 (sigma is the VE noise level; a VP model at abar has sigma = sqrt((1 - abar) / abar))',
  },
  score_sde: {
    time: 'diffusion convention: t = 0 data, t = 1 noise, sampled down to t = eps (1e-3 VP, 1e-5 VE)',
    roles: 'x(0) = data; the model outputs the score (VP: -eps / std)',
    snr: 'not used; marginal mean coefficient exp(-1/4 t^2 (b1 - b0) - 1/2 t b0) and std, as vp-sde alpha and sigma',
  },
};

export interface LibraryAlias {
  library: keyof typeof LIBRARIES;
  /** The name as `--path` takes it after `library:`, case-insensitive. */
  name: string;
  /** The library's own spelling (class, function or option). */
  spelledThere: string;
  /** What it resolves to. A `recipe` cannot be resolved by name (it needs the user's parameter). */
  kind: 'path' | 'discrete' | 'karras' | 'custom' | 'recipe';
  /** A flowproof path or discrete schedule name ('path' / 'discrete'), else unset. */
  schedule?: string;
  /** The library's time convention: the default of --convention for this alias. */
  convention: Convention;
  indexing?: TimestepIndexing;
  /** For 'custom': alpha and sigma in the plain syntax, in `convention`. */
  custom?: { alpha: string; sigma: string };
  /** How to say it with flowproof's flags. */
  flags: string;
  note: string;
}

export const ALIASES: LibraryAlias[] = [
  {
    library: 'flow_matching',
    name: 'CondOT',
    spelledThere: 'CondOTScheduler, CondOTProbPath',
    kind: 'path',
    schedule: 'rectified-flow',
    convention: 'flow',
    flags: '--path rectified-flow',
    note: 'alpha = t, sigma = 1 - t',
  },
  {
    library: 'flow_matching',
    name: 'Polynomial',
    spelledThere: 'PolynomialConvexScheduler(n)',
    kind: 'recipe',
    convention: 'flow',
    flags: "--alpha 't^n' --sigma '1 - t^n' --convention flow (with your n)",
    note: 'alpha = t^n, sigma = 1 - t^n; not a built-in path',
  },
  {
    library: 'flow_matching',
    name: 'VP',
    spelledThere: 'VPScheduler(beta_min=0.1, beta_max=20)',
    kind: 'path',
    schedule: 'vp-sde',
    convention: 'flow',
    flags: '--path vp-sde --convention flow [--beta-min B --beta-max B]',
    note: "the VP-SDE with time flipped: flow_matching's t is 1 - t of vp-sde",
  },
  {
    library: 'flow_matching',
    name: 'LinearVP',
    spelledThere: 'LinearVPScheduler',
    kind: 'custom',
    convention: 'flow',
    custom: { alpha: 't', sigma: 'sqrt(1 - t^2)' },
    flags: "--alpha 't' --sigma 'sqrt(1 - t^2)' --convention flow",
    note: 'alpha = t, sigma = sqrt(1 - t^2); not a built-in path',
  },
  {
    library: 'flow_matching',
    name: 'Cosine',
    spelledThere: 'CosineScheduler',
    kind: 'path',
    schedule: 'trig',
    convention: 'flow',
    flags: '--path trig --convention flow',
    note: "alpha = sin(pi t/2), sigma = cos(pi t/2): flowproof's trig with time flipped, NOT flowproof's cosine (improved DDPM, s = 0.008)",
  },
  {
    library: 'diffusers',
    name: 'DDPM',
    spelledThere: 'DDPMScheduler (beta_schedule="linear", the default)',
    kind: 'discrete',
    schedule: 'ddpm-linear',
    convention: 'diffusion',
    indexing: 'zero-based',
    flags: '--schedule ddpm-linear --indexing zero-based --timestep K',
    note: 'beta_start 1e-4 = --beta-min, beta_end 0.02 = --beta-max, num_train_timesteps = --num-steps',
  },
  {
    library: 'diffusers',
    name: 'DDIM',
    spelledThere: 'DDIMScheduler (beta_schedule="linear", the default)',
    kind: 'discrete',
    schedule: 'ddpm-linear',
    convention: 'diffusion',
    indexing: 'zero-based',
    flags: '--schedule ddpm-linear --indexing zero-based --timestep K',
    note: 'the same alphas_cumprod as DDPM; set_alpha_to_one makes the final step go to abar = 1',
  },
  {
    library: 'diffusers',
    name: 'squaredcos_cap_v2',
    spelledThere: 'beta_schedule="squaredcos_cap_v2"',
    kind: 'discrete',
    schedule: 'ddpm-cosine',
    convention: 'diffusion',
    indexing: 'zero-based',
    flags: '--schedule ddpm-cosine --indexing zero-based --timestep K',
    note: 'improved-DDPM cosine, betas clipped at 0.999 (any scheduler class with this beta_schedule)',
  },
  {
    library: 'diffusers',
    name: 'scaled_linear',
    spelledThere: 'beta_schedule="scaled_linear" (Stable Diffusion)',
    kind: 'recipe',
    convention: 'diffusion',
    flags: 'not built in: betas = linspace(sqrt(0.00085), sqrt(0.012), T)^2; check it with flowproof conform',
    note: 'zero-based like every diffusers schedule',
  },
  {
    library: 'diffusers',
    name: 'Euler',
    spelledThere: 'EulerDiscreteScheduler',
    kind: 'discrete',
    schedule: 'ddpm-linear',
    convention: 'diffusion',
    indexing: 'zero-based',
    flags: '--schedule ddpm-linear --indexing zero-based --timestep K (its sigma is sigmaOverAlpha)',
    note: 'k-diffusion form: sigma = sqrt((1 - abar)/abar), its x is flowproof x / alpha (scale_model_input divides by sqrt(sigma^2 + 1))',
  },
  {
    library: 'diffusers',
    name: 'FlowMatchEuler',
    spelledThere: 'FlowMatchEulerDiscreteScheduler',
    kind: 'path',
    schedule: 'rectified-flow',
    convention: 'diffusion',
    flags: '--path rectified-flow --convention diffusion (t = sigma = timestep / 1000)',
    note: 'x = (1 - sigma) data + sigma noise; the model predicts noise - data = dx/dsigma, the velocity in the diffusion convention; with shift s, sigma -> s sigma / (1 + (s - 1) sigma)',
  },
  {
    library: 'k-diffusion',
    name: 'karras',
    spelledThere: 'get_sigmas_karras(n, sigma_min, sigma_max, rho=7.)',
    kind: 'karras',
    convention: 'diffusion',
    flags: '--schedule karras --num-steps n --sigma-min A --sigma-max B --rho R --timestep i',
    note: 'index i = 0 is sigma_max; a final 0 is appended (index n); the path is edm (alpha = 1, sigma = t)',
  },
  {
    library: 'k-diffusion',
    name: 'Denoiser',
    spelledThere: 'Denoiser: model(x, sigma) on x = data + sigma noise; sample_euler, sample_heun',
    kind: 'path',
    schedule: 'edm',
    convention: 'diffusion',
    flags: '--path edm (t = sigma) [--sigma-min A --sigma-max B]',
    note: 'alpha = 1, sigma = t on [0.002, 80]',
  },
  {
    library: 'score_sde',
    name: 'VPSDE',
    spelledThere: 'VPSDE(beta_min=0.1, beta_max=20)',
    kind: 'path',
    schedule: 'vp-sde',
    convention: 'diffusion',
    flags: '--path vp-sde [--beta-min B --beta-max B]',
    note: 'its discrete DDPM form uses betas linspace(beta_min/N, beta_max/N, N)',
  },
  {
    library: 'score_sde',
    name: 'subVPSDE',
    spelledThere: 'subVPSDE(beta_min=0.1, beta_max=20)',
    kind: 'path',
    schedule: 'sub-vp',
    convention: 'diffusion',
    flags: '--path sub-vp [--beta-min B --beta-max B]',
    note: 'the VP mean with std = 1 - alpha^2',
  },
  {
    library: 'score_sde',
    name: 'VESDE',
    spelledThere: 'VESDE(sigma_min=0.01, sigma_max=50)',
    kind: 'path',
    schedule: 've-sde',
    convention: 'diffusion',
    flags: '--path ve-sde [--sigma-min A --sigma-max B]',
    note: 'alpha = 1, sigma = sigma_min (sigma_max / sigma_min)^t',
  },
];

export const aliasName = (a: LibraryAlias): string => `${a.library}:${a.name}`;

/** The alias `library:name` (case-insensitive), or undefined. */
export function findAlias(name: string): LibraryAlias | undefined {
  const lower = name.toLowerCase();
  return ALIASES.find((a) => aliasName(a).toLowerCase() === lower);
}
