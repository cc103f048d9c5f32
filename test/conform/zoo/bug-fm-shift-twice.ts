// Bug zoo, buggy: the Euler step shifts the (already shifted) time again when it recovers the noise
// level. Expected: step:euler fails.
import { eulerStep, shifted } from './fm-euler.js';

export { meta, alpha, sigma, dAlpha, dSigma } from './fm-euler.js';

export function step(data: number, t: number, tPrev: number, x: number): number {
  return eulerStep(data, t, tPrev, x, (u) => shifted(shifted(u)));
}
