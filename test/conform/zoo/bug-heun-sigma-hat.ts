// Bug zoo, buggy: Heun's second stage divides by sigma_hat (the current sigma) instead of sigma_next.
// Expected: step:heun fails.
import { derivative } from './heun-edm.js';

export { alpha, sigma, meta, dataToEps, epsToData } from './heun-edm.js';

type Model = (x: number, t: number) => number;

export function stepWithModel(model: Model, t: number, tPrev: number, x: number): number {
  const sigmaHat = t;
  const d = derivative(model, x, sigmaHat);
  const dt = tPrev - sigmaHat;
  const x2 = x + d * dt;
  const d2 = (x2 - model(x2, tPrev)) / sigmaHat;
  return x + ((d + d2) / 2) * dt;
}
