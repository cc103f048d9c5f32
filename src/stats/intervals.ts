// Confidence intervals: normal (CLT) intervals for means, variances and covariances, the seeded
// percentile bootstrap where no normal approximation is justified, and exact binomial intervals.
import { DomainError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { Moments } from './accumulators.js';
import { betaQuantile, normalQuantile } from './distributions.js';

export type Interval = [number, number];

function checkLevel(fn: string, level: number): void {
  if (!(level > 0 && level < 1)) throw new DomainError(fn, 'level', level, 'must lie in (0, 1)');
}

function checkCount(fn: string, n: number, min: number): void {
  if (!(n >= min)) throw new DomainError(fn, 'n', n, `must be at least ${min}`);
}

/** Normal interval for a mean: mean +- z * s / sqrt(n). */
export function meanInterval(m: Moments, level = 0.95): Interval {
  checkLevel('meanInterval', level);
  checkCount('meanInterval', m.n, 2);
  const half = normalQuantile(0.5 + level / 2) * m.standardError;
  return [m.mean - half, m.mean + half];
}

/**
 * Standard error of the unbiased sample variance, from the fourth moment:
 * Var(s^2) = (mu4 - sigma^4 (n - 3) / (n - 1)) / n  (valid for any law with a finite 4th moment).
 */
export function varianceStandardError(m: Moments): number {
  checkCount('varianceStandardError', m.n, 4);
  const s2 = m.variance;
  return Math.sqrt(Math.max(0, m.centralMoment4 - (s2 * s2 * (m.n - 3)) / (m.n - 1)) / m.n);
}

/** Normal interval for a variance, using the fourth-moment standard error (not the chi-square one, which assumes normal data). */
export function varianceInterval(m: Moments, level = 0.95): Interval {
  checkLevel('varianceInterval', level);
  const half = normalQuantile(0.5 + level / 2) * varianceStandardError(m);
  return [m.variance - half, m.variance + half];
}

/**
 * Covariance of paired samples with a normal interval: the products (x - mx)(y - my) are averaged,
 * and their spread gives the standard error (delta method; the error from estimating mx, my is O(1/n)).
 */
export function covarianceInterval(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  level = 0.95,
): { estimate: number; standardError: number; ci: Interval } {
  checkLevel('covarianceInterval', level);
  const n = xs.length;
  if (ys.length !== n) throw new DomainError('covarianceInterval', 'ys.length', ys.length, `must equal ${n}`);
  checkCount('covarianceInterval', n, 3);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < n; i++) {
    const p = (xs[i] - mx) * (ys[i] - my);
    sum += p;
    sum2 += p * p;
  }
  const estimate = sum / (n - 1);
  const meanP = sum / n;
  const standardError = Math.sqrt(Math.max(0, sum2 / n - meanP * meanP) / n);
  const half = normalQuantile(0.5 + level / 2) * standardError;
  return { estimate, standardError, ci: [estimate - half, estimate + half] };
}

/**
 * Percentile bootstrap interval of `statistic` over resamples of indices 0..n-1 (drawn with
 * replacement from Rng(seed)). `statistic` receives the index array of each resample.
 */
export function bootstrapInterval(
  n: number,
  statistic: (indices: Uint32Array) => number,
  opts: { seed: number; resamples?: number; level?: number },
): { estimate: number; ci: Interval; resamples: number; seed: number } {
  const level = opts.level ?? 0.95;
  const resamples = opts.resamples ?? 1000;
  checkLevel('bootstrapInterval', level);
  checkCount('bootstrapInterval', n, 2);
  if (!(Number.isInteger(resamples) && resamples >= 100)) {
    throw new DomainError('bootstrapInterval', 'resamples', resamples, 'must be an integer >= 100');
  }
  const identity = Uint32Array.from({ length: n }, (_, i) => i);
  const estimate = statistic(identity);
  const rng = new Rng(opts.seed);
  const values = new Float64Array(resamples);
  const idx = new Uint32Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    values[b] = statistic(idx);
    if (!Number.isFinite(values[b])) {
      throw new DomainError('bootstrapInterval', 'statistic', values[b], 'must be finite on every resample');
    }
  }
  values.sort();
  const tail = (1 - level) / 2;
  return {
    estimate,
    ci: [quantileSorted(values, tail), quantileSorted(values, 1 - tail)],
    resamples,
    seed: opts.seed,
  };
}

/** Linear-interpolated quantile of sorted values (type 7). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Exact (Clopper-Pearson) interval for a binomial proportion k / n. */
export function binomialInterval(k: number, n: number, level = 0.95): Interval {
  checkLevel('binomialInterval', level);
  if (!(Number.isInteger(n) && n >= 1))
    throw new DomainError('binomialInterval', 'n', n, 'must be a positive integer');
  if (!(Number.isInteger(k) && k >= 0 && k <= n))
    throw new DomainError('binomialInterval', 'k', k, `must be in 0..${n}`);
  const tail = (1 - level) / 2;
  const lo = k === 0 ? 0 : betaQuantile(tail, k, n - k + 1);
  const hi = k === n ? 1 : betaQuantile(1 - tail, k + 1, n - k);
  return [lo, hi];
}
