// Bug zoo, buggy: the Euler-Maruyama noise is scaled by g |dt| instead of g sqrt(|dt|).
// Expected: step:euler-maruyama fails (the std is wrong, the mean right).
import { beta } from './em-vpsde.js';

export { meta, alpha, sigma, dAlpha, dSigma } from './em-vpsde.js';

export function step(
  score: number,
  t: number,
  tPrev: number,
  x: number,
  _p: string,
  randn: () => number,
): number {
  const dt = tPrev - t;
  const drift = -0.5 * beta(t) * x - beta(t) * score;
  return x + drift * dt + Math.sqrt(beta(t)) * -dt * randn();
}
