// The reference law of one sampler step from time t to tPrev (the next time in sampling order): every
// step checked here is Gaussian given (x, model output), so its law is a mean and a standard deviation.
//   ddim(eta):  mean = alpha' data + sqrt(sigma'^2 - s^2) eps, std = s,
//               s^2 = eta^2 sigma'^2 (1 - snr / snr')   (Song et al. 2021, eq. 16, for any affine path;
//               for VP it is eta^2 (1 - abar')/(1 - abar) (1 - abar/abar'))
//   ddpm:       the posterior q(x_tPrev | x_t, data) with skipped steps: ddim's mean with eta = 1, and the
//               declared reverse variance (Ho et al. 2020, sec. 3.2; Nichol & Dhariwal 2021, eq. 15):
//                 posterior (beta-tilde, 'fixed_small'): s^2 above with eta = 1;
//                 beta ('fixed_large'): the forward kernel's variance sigma^2 (1 - snr / snr'), which is
//                   beta_t = 1 - abar/abar' for VP and sigma^2 - sigma'^2 for VE;
//                 learned-range: exp(v log beta + (1 - v) log beta-tilde), v the model's extra output;
//               no noise on a last step to the data (sigma' = 0), whatever the choice
//   euler:      mean = x + (tPrev - t) velocity, std = 0  (the probability-flow ODE dx/dt = velocity)
//   heun:       Heun's method on that ODE; Euler on the last step, where sigma(tPrev) = 0
//   euler-maruyama (reverse SDE, diffusion convention, h = t - tPrev > 0):
//               mean = x - h (f x - g^2 score), std = sqrt(g^2 h), f = dAlpha/alpha, g^2 = 2 sigma dSigma - 2 f sigma^2
// The primed quantities are at tPrev; the model output is converted to (data, eps, ...) by src/params.
import { convert, type Parameterization } from '../params/conversions.js';
import type { Axis } from './axis.js';
import type { ModelFn, SamplerKind } from './module.js';

export interface StepLaw {
  mean: number;
  std: number;
}

export const VARIANCE_CHOICES = ['posterior', 'beta', 'learned-range'] as const;
export type VarianceChoice = (typeof VARIANCE_CHOICES)[number];

export interface StepSpec {
  sampler: SamplerKind;
  eta: number;
  predictionType: Parameterization;
  /** ddpm's reverse variance (default posterior). */
  variance?: VarianceChoice;
}

/** The reference law of a single-evaluation step given the model output at (x, t). */
export function referenceStep(
  axis: Axis,
  spec: StepSpec,
  modelOutput: number,
  t: number,
  tPrev: number,
  x: number,
  /** learned-range: the model's interpolation output v (0: posterior, 1: beta). */
  varianceOutput = 0,
): StepLaw {
  const c = axis.point(t);
  const to = (kind: Parameterization) => convert(spec.predictionType, kind, modelOutput, x, c);
  switch (spec.sampler) {
    case 'ddpm':
    case 'ddim': {
      const p = axis.point(tPrev);
      const eta = spec.sampler === 'ddpm' ? 1 : spec.eta;
      // snr / snr' = (alpha sigma')^2 / (alpha' sigma)^2; sigma' = 0 (the data) gives s = 0.
      const ratio = p.sigma === 0 ? 0 : (c.alpha * p.sigma) ** 2 / (p.alpha * c.sigma) ** 2;
      const s2 = eta * eta * p.sigma * p.sigma * (1 - ratio);
      const mean = p.alpha * to('data') + Math.sqrt(Math.max(p.sigma * p.sigma - s2, 0)) * to('eps');
      const variance = spec.sampler === 'ddpm' ? (spec.variance ?? 'posterior') : 'posterior';
      if (variance === 'posterior' || p.sigma === 0) return { mean, std: Math.sqrt(s2) };
      const beta = c.sigma * c.sigma * (1 - ratio);
      if (variance === 'beta') return { mean, std: Math.sqrt(beta) };
      const v = varianceOutput;
      return { mean, std: Math.sqrt(Math.exp(v * Math.log(beta) + (1 - v) * Math.log(s2))) };
    }
    case 'euler':
      return { mean: x + (tPrev - t) * to('velocity'), std: 0 };
    case 'euler-maruyama': {
      const h = t - tPrev;
      const f = c.dAlpha / c.alpha;
      const g2 = 2 * c.sigma * c.dSigma - 2 * f * c.sigma * c.sigma;
      return { mean: x - h * (f * x - g2 * to('score')), std: Math.sqrt(g2 * h) };
    }
    case 'heun':
      throw new RangeError('heun evaluates the model twice: use referenceStepWithModel');
  }
}

/** The reference law of a step that may evaluate the model several times (any sampler kind). */
export function referenceStepWithModel(
  axis: Axis,
  spec: StepSpec,
  model: ModelFn,
  t: number,
  tPrev: number,
  x: number,
): StepLaw {
  if (spec.sampler !== 'heun') return referenceStep(axis, spec, model(x, t), t, tPrev, x);
  const velocity = (y: number, s: number) =>
    convert(spec.predictionType, 'velocity', model(y, s), y, axis.point(s));
  const h = tPrev - t;
  const v1 = velocity(x, t);
  const euler = x + h * v1;
  if (axis.point(tPrev).sigma === 0) return { mean: euler, std: 0 };
  return { mean: x + (h / 2) * (v1 + velocity(euler, tPrev)), std: 0 };
}
