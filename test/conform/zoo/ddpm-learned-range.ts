// Bug zoo, correct (a declared design choice): DDPM with the learned-range reverse variance of improved
// DDPM (Nichol & Dhariwal 2021, eq. 15): the model's extra output v in [0, 1] interpolates log beta and
// log beta-tilde. A v-prediction model, 25 trailing timesteps. Twin of python/zoo/ddpm_learned_range.py
// (diffusers passes v as a second channel in [-1, 1]; the bridge maps it).
import type { Prediction } from './lib-discrete.js';
import { posterior, previousTimestep } from './ddpm-fixed-large.js';

export { alphasCumprod, betas } from './lib-discrete.js';

export const meta = {
  convention: 'diffusion',
  predictionType: 'vPred',
  schedule: { name: 'ddpm-linear', numSteps: 1000 },
  timestepIndexing: 'zero-based',
  sampler: 'ddpm',
  variance: 'learned-range',
  grid: { name: 'trailing', numSteps: 25 },
  stepOnGrid: true,
};

/** diffusers' trailing spacing: round(arange(1000, 0, -1000/n)) - 1. */
export const timesteps = Array.from({ length: 25 }, (_, i) => Math.round(1000 - i * 40) - 1);

export function step(
  modelOutput: number,
  t: number,
  _tPrev: number,
  x: number,
  p: Prediction,
  randn: () => number,
  v = 0,
): number {
  const prev = previousTimestep(timesteps, t);
  const { mean, currentBetaT, smallVariance } = posterior(modelOutput, t, prev, x, p);
  const logVariance = v * Math.log(currentBetaT) + (1 - v) * Math.log(smallVariance);
  return prev >= 0 ? mean + Math.exp(0.5 * logVariance) * randn() : mean;
}
