// Model functions for the samplers built from a target's exact fields, with the deliberate bugs of the
// mutation checks. The correct model is the engine's fused exact kernel (no function given); a mutated
// one is a batched JS function evaluating the exact fields point by point and then breaking them.
import { pathPoint, type PathPoint } from '../params/index.js';
import type { UserModel } from '../samplers/sample.js';
import type { AffinePath, DiscreteSchedule } from '../schedules/index.js';
import type { GaussianMixture, PointFields } from '../targets/index.js';
import type { Mutation } from './mutations.js';

type Output = UserModel['output'];

/** How each mutation turns the exact fields at (x_j, alpha, sigma) into a (wrong) model output. */
const BROKEN: Record<
  Exclude<Mutation, 'none'>,
  { output: Output; value: (f: PointFields, j: number, x: number, alpha: number, sigma: number) => number }
> = {
  // f x - g^2 (2 s) / 2 = f x - g^2 s: the PF-ODE drift without its 1/2.
  'pf-ode-no-half': { output: 'score', value: (f, j) => 2 * f.score[j] },
  'score-scale-1.05': { output: 'score', value: (f, j) => 1.05 * f.score[j] },
  // score = -(x - alpha data) / sigma^2 = -(x - sqrt(abar) data) / (1 - abar), with sigma in place of sigma^2.
  'sqrt-one-minus-abar': {
    output: 'score',
    value: (f, j, x, alpha, sigma) => -(x - alpha * f.data[j]) / sigma,
  },
  // a data prediction handed over as the noise prediction.
  'swap-data-noise': { output: 'eps', value: (f, j) => f.data[j] },
};

/** The path coefficients at the model's time t: a continuous path's, or a DDPM schedule's at tIndex t. */
export function coefficientsOf(clock: AffinePath | DiscreteSchedule): (t: number) => PathPoint {
  if ('betas' in clock)
    return (t) => ({ alpha: clock.alpha(t), sigma: clock.sigma(t), dAlpha: 0, dSigma: 0 });
  return (t) => pathPoint(clock, t);
}

/** The model for a run with `mutation` on a path or schedule (undefined: the engine's exact kernel). */
export function modelFor(
  law: GaussianMixture,
  clock: AffinePath | DiscreteSchedule,
  mutation: Mutation,
): UserModel | undefined {
  if (mutation === 'none') return undefined;
  const broken = BROKEN[mutation];
  const coefficients = coefficientsOf(clock);
  return {
    output: broken.output,
    fn: (x, n, d, t, out) => {
      const c = coefficients(t);
      for (let i = 0; i < n; i++) {
        const xi = x.subarray(i * d, (i + 1) * d);
        const fields = law.fieldsAt(xi, c);
        for (let j = 0; j < d; j++) out[i * d + j] = broken.value(fields, j, xi[j], c.alpha, c.sigma);
      }
    },
  };
}
