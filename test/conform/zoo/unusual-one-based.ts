// Bug zoo, correct but unusual: the improved-DDPM cosine schedule in DDPM's own one-based indexing
// (alphasCumprod[0] = 1 is the data, timesteps 1..T), betas from the closed form clipped at 0.999,
// an x0-prediction model and DDIM with eta = 1.
import { cumprod, ddimStep, type Prediction } from './lib-discrete.js';

const T = 1000;
const f = (t: number) => Math.cos((((t / T + 0.008) / 1.008) * Math.PI) / 2) ** 2;

export const betas = [0, ...Array.from({ length: T }, (_, i) => Math.min(1 - f(i + 1) / f(i), 0.999))];
export const alphasCumprod = [1, ...cumprod(betas.slice(1).map((b) => 1 - b))];

export const meta = {
  convention: 'diffusion',
  predictionType: 'data',
  schedule: { name: 'ddpm-cosine', numSteps: T },
  timestepIndexing: 'one-based',
  sampler: 'ddim',
  eta: 1,
};

export function step(
  x0: number,
  t: number,
  tPrev: number,
  x: number,
  p: Prediction,
  randn: () => number,
): number {
  return ddimStep(x0, t, tPrev, x, p, randn, 1, (k) => alphasCumprod[k]);
}
