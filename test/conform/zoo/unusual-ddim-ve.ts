// Bug zoo, correct but unusual: DDIM (eta = 0) computed in variance-exploding coordinates as
// k-diffusion does: the state is scaled to x / sqrt(abar) (the model input scaling is accounted for),
// stepped by Euler in sigma_ve = sqrt((1 - abar) / abar), and scaled back. From a v-prediction model.
import { abarAt } from './lib-discrete.js';

export { alphasCumprod } from './lib-discrete.js';

export const meta = {
  convention: 'diffusion',
  predictionType: 'vPred',
  schedule: { name: 'ddpm-linear', numSteps: 1000 },
  timestepIndexing: 'zero-based',
  sampler: 'ddim',
  eta: 0,
};

const sigmaVe = (abar: number) => Math.sqrt((1 - abar) / abar);

export function step(v: number, t: number, tPrev: number, x: number): number {
  const abar = abarAt(t);
  const abarPrev = abarAt(tPrev);
  const scaled = x / Math.sqrt(abar);
  const denoised = Math.sqrt(abar) * x - Math.sqrt(1 - abar) * v;
  const d = (scaled - denoised) / sigmaVe(abar);
  const next = scaled + d * (sigmaVe(abarPrev) - sigmaVe(abar));
  return next * Math.sqrt(abarPrev);
}
