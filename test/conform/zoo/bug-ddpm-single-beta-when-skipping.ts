// Bug zoo, buggy: the DDPM posterior uses the single-step beta_t (alpha_t = 1 - beta_t) where, with
// skipped timesteps, the ratio abar_t / abar_prev is meant. Expected: step:ddpm fails.
import { abarAt, betas, splitPrediction, type Prediction } from './lib-discrete.js';

export { alphasCumprod, betas, meta } from './ddpm.js';

export function step(
  eps: number,
  t: number,
  tPrev: number,
  x: number,
  p: Prediction,
  randn: () => number,
): number {
  const alphaProdT = abarAt(t);
  const alphaProdPrev = abarAt(tPrev);
  const currentBetaT = betas[t];
  const currentAlphaT = 1 - currentBetaT;
  const [x0] = splitPrediction(eps, alphaProdT, x, p);
  const mean =
    ((Math.sqrt(alphaProdPrev) * currentBetaT) / (1 - alphaProdT)) * x0 +
    ((Math.sqrt(currentAlphaT) * (1 - alphaProdPrev)) / (1 - alphaProdT)) * x;
  if (tPrev < 0) return mean;
  return mean + Math.sqrt(((1 - alphaProdPrev) / (1 - alphaProdT)) * currentBetaT) * randn();
}
