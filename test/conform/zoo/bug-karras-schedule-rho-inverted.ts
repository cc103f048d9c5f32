// Bug zoo, buggy: the same inverted Karras exponent in a continuous schedule, alpha = 1 and
// sigma(t) = (sigmaMax^(1/rho) + (1 - t)(sigmaMin^(1/rho) - sigmaMax^(1/rho)))^(1/rho), t = 1 the noise end,
// with an Euler step in its own time. Every identity holds (snr decreases, the ends have the right roles,
// sampler and schedule agree) and no path is declared: only the snr thresholds of the ends catch it.
// Expected: schedule:endpoints fails.
export const meta = { convention: 'diffusion', predictionType: 'eps', sampler: 'euler' };

const rho = 7;
const lo = 0.002 ** (1 / rho);
const hi = 80 ** (1 / rho);
export const alpha = (_t: number) => 1;
export const sigma = (t: number) => (hi + (1 - t) * (lo - hi)) ** (1 / rho);
export const dAlpha = (_t: number) => 0;
export const dSigma = (t: number) => ((hi - lo) / rho) * (hi + (1 - t) * (lo - hi)) ** (1 / rho - 1);

export function step(eps: number, t: number, tPrev: number, x: number): number {
  return x + (tPrev - t) * dSigma(t) * eps;
}
