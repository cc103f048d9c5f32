// Bug zoo, buggy (huggingface/diffusers#12633): DDIM takes the previous timestep to be
// t - 1000 // 50 although its grid has linspace spacing (strides of 20.39). Expected: step:ddim fails.
// Twin of python/zoo/bug_ddim_linspace_prev_timestep.py.
import { ddimStep, type Prediction } from './lib-discrete.js';

export { alphasCumprod, betas } from './lib-discrete.js';

export const meta = {
  convention: 'diffusion',
  predictionType: 'eps',
  timestepIndexing: 'zero-based',
  sampler: 'ddim',
  eta: 0,
  grid: { name: 'linspace', numSteps: 50 },
  stepOnGrid: true,
};

/** round(linspace(0, 999, 50)) noisiest first (numpy rounds half to even; no halves occur here). */
export const timesteps = Array.from({ length: 50 }, (_, i) => Math.round(((49 - i) * 999) / 49));

export function step(modelOutput: number, t: number, _tPrev: number, x: number, p: Prediction): number {
  // eta = 0: no noise is drawn.
  return ddimStep(modelOutput, t, t - Math.floor(1000 / 50), x, p, () => 0, 0);
}
