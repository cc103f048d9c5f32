// Bug zoo, correct: DDPM ancestral sampling with the posterior q(x_prev | x_t, x0) written with the
// usual coefficients, valid when steps are skipped (alpha_t is abar_t / abar_prev, not 1 - beta_t).
import { abarAt, splitPrediction, type Prediction } from './lib-discrete.js';

export { alphasCumprod, betas } from './lib-discrete.js';

export const meta = {
  convention: 'diffusion',
  predictionType: 'eps',
  schedule: { name: 'ddpm-linear', numSteps: 1000 },
  timestepIndexing: 'zero-based',
  sampler: 'ddpm',
};

export function ddpmPosteriorStep(
  modelOutput: number,
  t: number,
  tPrev: number,
  x: number,
  predictionType: Prediction,
  randn: () => number,
): number {
  const alphaProdT = abarAt(t);
  const alphaProdPrev = abarAt(tPrev);
  const currentAlphaT = alphaProdT / alphaProdPrev;
  const currentBetaT = 1 - currentAlphaT;
  const [x0] = splitPrediction(modelOutput, alphaProdT, x, predictionType);
  const coef1 = (Math.sqrt(alphaProdPrev) * currentBetaT) / (1 - alphaProdT);
  const coef2 = (Math.sqrt(currentAlphaT) * (1 - alphaProdPrev)) / (1 - alphaProdT);
  const mean = coef1 * x0 + coef2 * x;
  if (tPrev < 0) return mean;
  const variance = ((1 - alphaProdPrev) / (1 - alphaProdT)) * currentBetaT;
  return mean + Math.sqrt(variance) * randn();
}

export const step = ddpmPosteriorStep;
