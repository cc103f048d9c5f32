// Bug zoo, buggy: the reverse-SDE drift adds g^2 score instead of subtracting it.
// Expected: step:euler-maruyama fails (and the full run drifts away).
import { beta } from './em-vpsde.js';

export { meta, alpha, sigma, dAlpha, dSigma, scoreToEps, epsToScore } from './em-vpsde.js';

export function step(
  score: number,
  t: number,
  tPrev: number,
  x: number,
  _p: string,
  randn: () => number,
): number {
  const dt = tPrev - t;
  const drift = -0.5 * beta(t) * x + beta(t) * score;
  return x + drift * dt + Math.sqrt(beta(t) * -dt) * randn();
}
