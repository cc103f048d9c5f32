// Bug zoo, buggy: the DDPM step takes the previous timestep to be t - 1 even when the sampler skips
// timesteps (the tPrev argument is ignored). Expected: step:ddpm fails.
import { ddpmPosteriorStep } from './ddpm.js';
import type { Prediction } from './lib-discrete.js';

export { alphasCumprod, betas, meta } from './ddpm.js';

export function step(
  eps: number,
  t: number,
  _tPrev: number,
  x: number,
  p: Prediction,
  randn: () => number,
): number {
  return ddpmPosteriorStep(eps, t, t - 1, x, p, randn);
}
