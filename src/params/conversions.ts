// Conversions among the parameterizations of a model's output, for any affine path
// x = alpha data + sigma noise at one time t, with coefficients alpha, sigma, dAlpha, dSigma:
//   eps      = noise prediction             E[noise | x]
//   data     = x0-prediction                E[data | x]
//   vPred    = alpha eps - sigma data        (the v-parameterization)
//   score    = grad log p_t(x) = -eps / sigma
//   velocity = dAlpha data + dSigma eps      (the ODE drift dx/dt; equals f x - g^2 score / 2)
// Every conversion goes through the pair (data, eps), recovered from (x, value) exactly once here.
import { DomainError, InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import type { AffinePath } from '../schedules/types.js';

export type Parameterization = 'eps' | 'data' | 'vPred' | 'score' | 'velocity';
export const PARAMETERIZATIONS: readonly Parameterization[] = ['eps', 'data', 'vPred', 'score', 'velocity'];

/** The names libraries use for the same parameterizations (diffusers' prediction_type, k-diffusion's). */
export const PARAMETERIZATION_ALIASES: Readonly<Record<string, Parameterization>> = {
  v: 'vPred',
  v_prediction: 'vPred',
  'v-prediction': 'vPred',
  epsilon: 'eps',
  noise: 'eps',
  sample: 'data',
  denoised: 'data',
  x_start: 'data',
};

/** Names that mean data in one convention and noise (or something else) in the other. */
const AMBIGUOUS: Readonly<Record<string, string>> = {
  x0: "'x0' is the data in the diffusion convention (DDPM's x_0) but the noise in flow_matching's (x_0 = source)",
  x1: "'x1' is the data in flow_matching's convention but the first noisy step in DDPM's",
  target: "'target' is x_1 = data in flow_matching but means whatever is regressed elsewhere",
};

/** The parameterization a user's name means (`v` is vPred); an unknown or ambiguous name is an InputError. */
export function parameterizationOf(name: string, flag = 'parameterization'): Parameterization {
  if ((PARAMETERIZATIONS as readonly string[]).includes(name)) return name as Parameterization;
  if (Object.hasOwn(PARAMETERIZATION_ALIASES, name)) return PARAMETERIZATION_ALIASES[name];
  const known = `${PARAMETERIZATIONS.join(', ')} (or ${Object.keys(PARAMETERIZATION_ALIASES).join(', ')})`;
  if (Object.hasOwn(AMBIGUOUS, name))
    throw new InputError(`--${flag}: ${AMBIGUOUS[name]}; say data or eps`, {}, name);
  const names = [...PARAMETERIZATIONS, ...Object.keys(PARAMETERIZATION_ALIASES)];
  throw new InputError(`--${flag} must be one of ${known}${didYouMean(name, names)}`, {}, name);
}

/** The path's coefficients at one time. */
export interface PathPoint {
  alpha: number;
  sigma: number;
  dAlpha: number;
  dSigma: number;
}

/** Only the velocity (dAlpha data + dSigma eps) involves the path's time derivatives. */
export function needsDerivatives(from: Parameterization, to: Parameterization): boolean {
  return from === 'velocity' || to === 'velocity';
}

/**
 * The coefficients at time t. With `derivatives = false`, dAlpha and dSigma are NaN (not evaluated):
 * at an end of the domain they can be infinite (vp-sde's dSigma at t = 0) where alpha and sigma are fine.
 */
export function pathPoint(path: AffinePath, t: number, derivatives = true): PathPoint {
  const [dAlpha, dSigma] = derivatives ? [path.dAlpha(t), path.dSigma(t)] : [NaN, NaN];
  return { alpha: path.alpha(t), sigma: path.sigma(t), dAlpha, dSigma };
}

function nonZero(fn: string, argument: string, v: number): number {
  if (v === 0 || !Number.isFinite(v))
    throw new DomainError(fn, argument, v, 'must be finite and non-zero here');
  return v;
}

/** (data, eps) from a model output `value` of parameterization `from` at state x. */
function toDataEps(
  from: Parameterization,
  value: number,
  x: number,
  c: PathPoint,
  fn: string,
): [number, number] {
  const { alpha, sigma, dAlpha, dSigma } = c;
  switch (from) {
    case 'eps':
      return [(x - sigma * value) / nonZero(fn, 'alpha', alpha), value];
    case 'data':
      return [value, (x - alpha * value) / nonZero(fn, 'sigma', sigma)];
    case 'vPred': {
      // alpha v + sigma x = (alpha^2 + sigma^2) eps,  alpha x - sigma v = (alpha^2 + sigma^2) data
      const n = nonZero(fn, 'alpha^2 + sigma^2', alpha * alpha + sigma * sigma);
      return [(alpha * x - sigma * value) / n, (alpha * value + sigma * x) / n];
    }
    case 'score': {
      const eps = -nonZero(fn, 'sigma', sigma) * value;
      return [(x - sigma * eps) / nonZero(fn, 'alpha', alpha), eps];
    }
    case 'velocity': {
      // u = dAlpha data + dSigma (x - alpha data)/sigma  =>  data = (sigma u - dSigma x)/(sigma dAlpha - alpha dSigma)
      const det = nonZero(fn, 'sigma*dAlpha - alpha*dSigma', sigma * dAlpha - alpha * dSigma);
      const data = (sigma * value - dSigma * x) / det;
      const eps = (dAlpha * x - alpha * value) / det;
      return [data, eps];
    }
  }
}

function fromDataEps(to: Parameterization, data: number, eps: number, c: PathPoint, fn: string): number {
  switch (to) {
    case 'eps':
      return eps;
    case 'data':
      return data;
    case 'vPred':
      return c.alpha * eps - c.sigma * data;
    case 'score':
      return -eps / nonZero(fn, 'sigma', c.sigma);
    case 'velocity':
      return c.dAlpha * data + c.dSigma * eps;
  }
}

/** Convert one coordinate of a model output between parameterizations (coordinate-wise, isotropic). */
export function convert(
  from: Parameterization,
  to: Parameterization,
  value: number,
  x: number,
  c: PathPoint,
): number {
  const fn = `${from}To${to[0].toUpperCase()}${to.slice(1)}`;
  const checked: [string, number][] = [
    ['value', value],
    ['x', x],
    ['alpha', c.alpha],
    ['sigma', c.sigma],
  ];
  if (needsDerivatives(from, to)) checked.push(['dAlpha', c.dAlpha], ['dSigma', c.dSigma]);
  for (const [name, v] of checked) {
    if (!Number.isFinite(v)) throw new DomainError(fn, name, v, 'must be a finite number');
  }
  if (from === to) return value;
  const [data, eps] = toDataEps(from, value, x, c, fn);
  const result = fromDataEps(to, data, eps, c, fn);
  // Finite inputs can still overflow (value = 1e308 divided by alpha < 1): never return +-Infinity or NaN.
  if (!Number.isFinite(result))
    throw new DomainError(fn, 'value', value, `gives a non-finite result (${result}) at x = ${x}`);
  return result;
}

export type Conversion = (value: number, x: number, c: PathPoint) => number;
const conversion =
  (from: Parameterization, to: Parameterization): Conversion =>
  (value, x, c) =>
    convert(from, to, value, x, c);

export const epsToData = conversion('eps', 'data');
export const epsToVPred = conversion('eps', 'vPred');
export const epsToScore = conversion('eps', 'score');
export const epsToVelocity = conversion('eps', 'velocity');
export const dataToEps = conversion('data', 'eps');
export const dataToVPred = conversion('data', 'vPred');
export const dataToScore = conversion('data', 'score');
export const dataToVelocity = conversion('data', 'velocity');
export const vPredToEps = conversion('vPred', 'eps');
export const vPredToData = conversion('vPred', 'data');
export const vPredToScore = conversion('vPred', 'score');
export const vPredToVelocity = conversion('vPred', 'velocity');
export const scoreToEps = conversion('score', 'eps');
export const scoreToData = conversion('score', 'data');
export const scoreToVPred = conversion('score', 'vPred');
export const scoreToVelocity = conversion('score', 'velocity');
export const velocityToEps = conversion('velocity', 'eps');
export const velocityToData = conversion('velocity', 'data');
export const velocityToVPred = conversion('velocity', 'vPred');
export const velocityToScore = conversion('velocity', 'score');
