// Bug zoo, correct (a declared design choice): DDPM with the reverse variance beta_t ("fixed_large",
// Ho et al. 2020, sec. 3.2), over the 50 leading timesteps of a diffusers-style scheduler: the step
// finds its previous timestep on its own grid. Twin of python/zoo/ddpm_fixed_large.py.
import { abarAt, splitPrediction, type Prediction } from './lib-discrete.js';

export { alphasCumprod, betas } from './lib-discrete.js';

export const meta = {
  convention: 'diffusion',
  predictionType: 'eps',
  schedule: { name: 'ddpm-linear', numSteps: 1000 },
  timestepIndexing: 'zero-based',
  sampler: 'ddpm',
  variance: 'beta',
  grid: { name: 'leading', numSteps: 50 },
  stepOnGrid: true,
};

/** diffusers' leading spacing: (0..n-1) * (1000 // n), noisiest first. */
export const leading = (n: number): number[] =>
  Array.from({ length: n }, (_, i) => (n - 1 - i) * Math.floor(1000 / n));
export const timesteps = leading(50);

/** The next entry of the grid, -1 (the data) after the last. */
export const previousTimestep = (grid: number[], t: number): number => grid[grid.indexOf(t) + 1] ?? -1;

/** The posterior mean and the one-step beta of the skipped step t -> tPrev. */
export function posterior(modelOutput: number, t: number, tPrev: number, x: number, p: Prediction) {
  const alphaProdT = abarAt(t);
  const alphaProdPrev = abarAt(tPrev);
  const currentBetaT = 1 - alphaProdT / alphaProdPrev;
  const [x0] = splitPrediction(modelOutput, alphaProdT, x, p);
  const coefX0 = (Math.sqrt(alphaProdPrev) * currentBetaT) / (1 - alphaProdT);
  const coefXt = (Math.sqrt(1 - currentBetaT) * (1 - alphaProdPrev)) / (1 - alphaProdT);
  const smallVariance = Math.max(((1 - alphaProdPrev) / (1 - alphaProdT)) * currentBetaT, 1e-20);
  return { mean: coefX0 * x0 + coefXt * x, currentBetaT, smallVariance };
}

export function step(
  modelOutput: number,
  t: number,
  _tPrev: number,
  x: number,
  p: Prediction,
  randn: () => number,
): number {
  const prev = previousTimestep(timesteps, t);
  const { mean, currentBetaT } = posterior(modelOutput, t, prev, x, p);
  return prev >= 0 ? mean + Math.sqrt(currentBetaT) * randn() : mean;
}
