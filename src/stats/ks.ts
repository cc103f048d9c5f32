// Kolmogorov-Smirnov tests: one sample against an exact CDF, and two samples. p-values from the
// Kolmogorov limit with Stephens' (1970) finite-n correction, lambda = (sqrt(ne) + 0.12 + 0.11/sqrt(ne)) D.
// CIs for the true sup-distance come from the DKW inequality (Massart's constant), so they are exact
// bounds, not asymptotic ones.
import { DomainError } from '../core/errors.js';
import { kolmogorovQuantile, kolmogorovSf, normalQuantile } from './distributions.js';
import { DEFAULT_POWER, type TestOutcome } from './outcome.js';

function stephensP(d: number, ne: number): number {
  const s = Math.sqrt(ne);
  return kolmogorovSf((s + 0.12 + 0.11 / s) * d);
}

/** DKW: P(sup |F_n - F| > eps) <= 2 exp(-2 n eps^2), so eps = sqrt(log(2/alpha) / (2n)). */
function dkwRadius(n: number, alpha: number): number {
  return Math.sqrt(Math.log(2 / alpha) / (2 * n));
}

/**
 * MDE in sup-distance: with true distance delta, the empirical difference at the worst point has
 * standard deviation <= 1/(2 sqrt(ne)), so delta >= (k_alpha + z_power / 2) / sqrt(ne) is detected
 * with probability >= power (a conservative bound).
 */
function ksMde(ne: number, alpha: number): number {
  return (kolmogorovQuantile(alpha) + normalQuantile(DEFAULT_POWER) / 2) / Math.sqrt(ne);
}

function sortedCopy(fn: string, xs: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(xs);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new DomainError(fn, `xs[${i}]`, out[i], 'must be finite');
  }
  return out.sort();
}

/** One-sample KS statistic and test of H0: xs ~ cdf. */
export function ksOneSample(xs: ArrayLike<number>, cdf: (x: number) => number, alpha: number): TestOutcome {
  const sorted = sortedCopy('ksOneSample', xs);
  const n = sorted.length;
  if (n < 10) throw new DomainError('ksOneSample', 'xs.length', n, 'must be at least 10');
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]);
    if (!(f >= 0 && f <= 1))
      throw new DomainError('ksOneSample', 'cdf(x)', f, `must lie in [0, 1] (x = ${sorted[i]})`);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  const r = dkwRadius(n, alpha);
  return {
    test: 'ks-1s',
    estimate: d,
    ci: [Math.max(0, d - r), Math.min(1, d + r)],
    pValue: stephensP(d, n),
    alpha,
    minDetectableEffect: ksMde(n, alpha),
    samples: n,
  };
}

/** Two-sample KS statistic and test of H0: xs and ys have the same law. */
export function ksTwoSample(xs: ArrayLike<number>, ys: ArrayLike<number>, alpha: number): TestOutcome {
  const a = sortedCopy('ksTwoSample', xs);
  const b = sortedCopy('ksTwoSample', ys);
  const n = a.length;
  const m = b.length;
  if (n < 10 || m < 10)
    throw new DomainError('ksTwoSample', 'sample sizes', [n, m], 'must be at least 10 each');
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const x = Math.min(a[i], b[j]);
    while (i < n && a[i] <= x) i++;
    while (j < m && b[j] <= x) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  const ne = (n * m) / (n + m);
  // Each empirical CDF is within its DKW radius (alpha/2 each) of its law.
  const r = dkwRadius(n, alpha / 2) + dkwRadius(m, alpha / 2);
  return {
    test: 'ks-2s',
    estimate: d,
    ci: [Math.max(0, d - r), Math.min(1, d + r)],
    pValue: stephensP(d, ne),
    alpha,
    minDetectableEffect: ksMde(ne, alpha),
    samples: n + m,
  };
}
