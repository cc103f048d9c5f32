// Bug zoo, buggy: the DDIM noise variance uses eta * var instead of eta^2 * var. Expected: step:ddim fails.
import { abarAt, splitPrediction, type Prediction } from './lib-discrete.js';
import { ETA } from './ddim.js';

export * from './ddim.js';

export function step(
  modelOutput: number,
  t: number,
  tPrev: number,
  x: number,
  p: Prediction,
  randn: () => number,
): number {
  const abarT = abarAt(t);
  const abarPrev = abarAt(tPrev);
  const [x0, eps] = splitPrediction(modelOutput, abarT, x, p);
  const variance = ((1 - abarPrev) / (1 - abarT)) * (1 - abarT / abarPrev);
  const var2 = ETA * variance;
  return Math.sqrt(abarPrev) * x0 + Math.sqrt(1 - abarPrev - var2) * eps + Math.sqrt(var2) * randn();
}
