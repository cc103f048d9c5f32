// Bug zoo, wrong declaration: the posterior-variance (fixed_small) DDPM step declared as 'beta'
// (fixed_large). The code is right, the claim about it is not. Expected: step:ddpm fails (the mean
// right, the std smaller than declared). Twin of python/zoo/bug_declared_fixed_large.py.
import type { Prediction } from './lib-discrete.js';
import { meta as fixedLarge, posterior, previousTimestep, timesteps } from './ddpm-fixed-large.js';

export { alphasCumprod, betas } from './lib-discrete.js';
export { timesteps };

export const meta = { ...fixedLarge, schedule: undefined };

export function step(
  modelOutput: number,
  t: number,
  _tPrev: number,
  x: number,
  p: Prediction,
  randn: () => number,
): number {
  const prev = previousTimestep(timesteps, t);
  const { mean, smallVariance } = posterior(modelOutput, t, prev, x, p);
  return prev >= 0 ? mean + Math.sqrt(smallVariance) * randn() : mean;
}
