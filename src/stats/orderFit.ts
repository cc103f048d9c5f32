// Least-squares fit of an empirical convergence order: log|error| = c + order * log(h).
// With Monte-Carlo standard errors of the errors, points are weighted by 1 / Var(log|error|)
// ~ (error / se)^2 (delta method), and the slope's variance is inflated by the reduced chi-square when
// the points scatter more than their errors explain (lack of fit), so the CI is never narrower than the
// data support.
import { DomainError } from '../core/errors.js';
import { normalQuantile, studentTQuantile } from './distributions.js';

export interface OrderFit {
  order: number;
  ci: [number, number];
  intercept: number;
  /** Reduced chi-square (weighted) or residual variance (unweighted) of the fit. */
  residualScale: number;
  points: number;
}

export function fitConvergenceOrder(
  h: readonly number[],
  error: readonly number[],
  opts: { standardError?: readonly number[]; level?: number } = {},
): OrderFit {
  const k = h.length;
  const level = opts.level ?? 0.95;
  if (k < 3) throw new DomainError('fitConvergenceOrder', 'h.length', k, 'must be at least 3');
  if (error.length !== k)
    throw new DomainError('fitConvergenceOrder', 'error.length', error.length, `must equal ${k}`);
  const se = opts.standardError;
  if (se && se.length !== k)
    throw new DomainError('fitConvergenceOrder', 'standardError.length', se.length, `must equal ${k}`);
  const x: number[] = [];
  const y: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < k; i++) {
    if (!(h[i] > 0 && Number.isFinite(h[i])))
      throw new DomainError('fitConvergenceOrder', `h[${i}]`, h[i], 'must be positive');
    const e = Math.abs(error[i]);
    if (!(e > 0 && Number.isFinite(e))) {
      throw new DomainError('fitConvergenceOrder', `error[${i}]`, error[i], 'must be finite and non-zero');
    }
    x.push(Math.log(h[i]));
    y.push(Math.log(e));
    if (se) {
      if (!(se[i] > 0))
        throw new DomainError('fitConvergenceOrder', `standardError[${i}]`, se[i], 'must be positive');
      w.push((e / se[i]) ** 2);
    } else w.push(1);
  }
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < k; i++) {
    sw += w[i];
    sx += w[i] * x[i];
    sy += w[i] * y[i];
  }
  const mx = sx / sw;
  const my = sy / sw;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < k; i++) {
    sxx += w[i] * (x[i] - mx) ** 2;
    sxy += w[i] * (x[i] - mx) * (y[i] - my);
  }
  if (!(sxx > 0)) throw new DomainError('fitConvergenceOrder', 'h', h, 'needs at least two distinct values');
  const order = sxy / sxx;
  const intercept = my - order * mx;
  let rss = 0;
  for (let i = 0; i < k; i++) rss += w[i] * (y[i] - intercept - order * x[i]) ** 2;
  const residualScale = rss / (k - 2);
  const tail = 0.5 + level / 2;
  // Known weights: variance 1/sxx, normal quantile, unless the residuals demand more (then t, k-2 dof).
  const useResiduals = !se || residualScale > 1;
  const variance = (useResiduals ? residualScale : 1) / sxx;
  const q = useResiduals ? studentTQuantile(tail, k - 2) : normalQuantile(tail);
  const half = q * Math.sqrt(variance);
  return { order, ci: [order - half, order + half], intercept, residualScale, points: k };
}
