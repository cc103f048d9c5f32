// Bug zoo, correct but unusual: the DDIM library computing in float32 (as on a GPU by default): every
// intermediate is rounded to single precision. Its rounding (~1e-7 relative) is below the default
// rtol = 1e-6, so it must pass at the default tolerance: precision is not a bug.
import { alphasCumprod as abar64, betas as betas64 } from './lib-discrete.js';

const f = Math.fround;

export const betas = betas64.map(f);
export const alphasCumprod = abar64.map(f);
export { meta } from './ddim.js';

const abarAt = (t: number) => (t < 0 ? 1 : alphasCumprod[t]);

export function step(
  eps: number,
  t: number,
  tPrev: number,
  x: number,
  _p: string,
  randn: () => number,
): number {
  const a = abarAt(t);
  const ap = abarAt(tPrev);
  const x0 = f(f(x - f(f(Math.sqrt(1 - a)) * f(eps))) / f(Math.sqrt(a)));
  const variance = f(f(f(1 - ap) / f(1 - a)) * f(1 - f(a / ap)));
  const std = f(0.5 * f(Math.sqrt(variance)));
  const direction = f(f(Math.sqrt(f(f(1 - ap) - f(std * std)))) * f(eps));
  return f(f(f(f(Math.sqrt(ap)) * x0) + direction) + f(std * f(randn())));
}
