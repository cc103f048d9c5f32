// Log-domain Sinkhorn for entropic OT between two uniform empirical measures (x_i, i < n; y_j, j < m in
// R^d), cost |x - y|^2 and epsilon = 2 sigma^2 (the Brownian reference of variance sigma^2):
//   pi_ij = exp((F_i + G_j - K_ij) / eps) / (n m),   K_ij = |x_i - y_j|^2,
// with the potentials F, G (in cost units) updated alternately so that the rows, then the columns, sum
// to 1/n and 1/m:  F_i = eps log m - eps LSE_j((G_j - K_ij)/eps),  G_j = eps log n - eps LSE_i((F_i - K_ij)/eps).
// Everything stays in the log domain (no exp(-K/eps) kernel, which underflows for small sigma), and eps is
// annealed geometrically from the cost scale down to its target with warm-started potentials
// (epsilon-scaling, Schmitzer 2019), so small sigma converges in tens rather than thousands of sweeps.
// The run stops when the row marginals (the columns are exact after each G update) are within `tolerance`
// in max relative error; it never returns an unconverged plan silently.
import { DomainError, NumericalError } from '../../core/errors.js';
import { expNonPositive } from '../../tensor/exp.js';

/** Newton takes over below this marginal error, or after this many sweeps, for problems up to this size. */
const NEWTON_START = 1e-3;
const NEWTON_AFTER = 200;
const NEWTON_MAX_SIZE = 2000;

export interface SinkhornOptions {
  /** Largest relative error of a row marginal, max_i |n sum_j pi_ij - 1|, at the target epsilon. */
  tolerance?: number;
  /** Sweeps (F then G update) at the target epsilon before giving up with a NumericalError. */
  maxIterations?: number;
}

export interface SinkhornResult {
  /** Potentials in cost units. */
  f: Float64Array;
  g: Float64Array;
  epsilon: number;
  /** Sweeps at the target epsilon, and in all (annealing included); Newton steps. */
  iterations: number;
  newtonSteps: number;
  totalIterations: number;
  /** max_i |n sum_j pi_ij - 1| at the end (the columns are exact up to rounding). */
  marginalError: number;
  /** sum_ij pi_ij (x_i - xbar)(y_j - ybar)^T, row-major d x d, with xbar, ybar the sample means. */
  crossCovariance: Float64Array;
  /** sum_ij pi_ij |x_i - y_j|^2. */
  transportCost: number;
}

/** Squared distances K[i * m + j] = |x_i - y_j|^2 for row-major samples. */
function costMatrix(x: Float64Array, y: Float64Array, d: number): Float64Array {
  const n = x.length / d;
  const m = y.length / d;
  const k = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += (x[i * d + c] - y[j * d + c]) ** 2;
      k[i * m + j] = s;
    }
  }
  return k;
}

/**
 * One half-sweep: out_i = eps log(cols) - eps LSE_j((other_j - K[i * cols + j]) / eps) for every row i of
 * K (n rows of `cols`), returning max_i |exp((old_i - out_i)/eps) - 1|, the marginal error of the rows
 * before the update (old = the current potential, so exp((old - new)/eps) = cols^-1 sum_j exp(...)).
 */
function halfSweep(
  k: Float64Array,
  rows: number,
  cols: number,
  other: Float64Array,
  out: Float64Array,
  eps: number,
): number {
  const logCols = Math.log(cols);
  let err = 0;
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let mx = -Infinity;
    for (let j = 0; j < cols; j++) {
      const v = other[j] - k[base + j];
      if (v > mx) mx = v;
    }
    let s = 0;
    for (let j = 0; j < cols; j++) s += expNonPositive((other[j] - k[base + j] - mx) / eps);
    const next = eps * logCols - mx - eps * Math.log(s);
    err = Math.max(err, Math.abs(Math.expm1((out[i] - next) / eps)));
    out[i] = next;
  }
  return err;
}

/** Entropic OT between the uniform empirical measures of x and y (row-major, dimension d). */
export function logSinkhorn(
  x: Float64Array,
  y: Float64Array,
  d: number,
  sigma: number,
  opts: SinkhornOptions = {},
): SinkhornResult {
  const fn = 'logSinkhorn';
  if (!(sigma > 0 && Number.isFinite(sigma))) throw new DomainError(fn, 'sigma', sigma, 'must be > 0');
  if (
    !(Number.isInteger(d) && d >= 1) ||
    x.length % d !== 0 ||
    y.length % d !== 0 ||
    x.length === 0 ||
    y.length === 0
  )
    throw new DomainError(fn, 'x, y', [x.length, y.length], `must hold whole points of dimension ${d}`);
  const tolerance = opts.tolerance ?? 1e-9;
  const maxIterations = opts.maxIterations ?? 20000;
  const n = x.length / d;
  const m = y.length / d;
  const k = costMatrix(x, y, d);
  const kt = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) kt[j * n + i] = k[i * m + j];
  let costScale = 0;
  for (const v of k) costScale = Math.max(costScale, v);
  const epsilon = 2 * sigma * sigma;
  const f = new Float64Array(n);
  const g = new Float64Array(m);
  let total = 0;
  // Annealing: eps halves from the largest cost down to the target, a few sweeps per stage.
  for (let eps = Math.max(costScale, epsilon); eps > epsilon; eps = Math.max(epsilon, eps / 2)) {
    for (let s = 0; s < 5; s++, total++) {
      halfSweep(k, n, m, g, f, eps);
      halfSweep(kt, m, n, f, g, eps);
    }
  }
  // Plain sweeps until the marginals are roughly right, then Newton steps on the dual (Brauer et al. 2017):
  // Sinkhorn's linear rate tends to 1 when sigma is small against the gaps between the samples (thousands
  // of sweeps), while Newton converges quadratically from there. Sweeps resume if Newton stalls.
  let iterations = 0;
  let marginalError = Infinity;
  let newtonSteps = 0;
  for (; iterations < maxIterations; iterations++, total++) {
    marginalError = halfSweep(k, n, m, g, f, epsilon);
    halfSweep(kt, m, n, f, g, epsilon);
    if (marginalError <= tolerance) break;
    if (
      newtonSteps === 0 &&
      (marginalError < NEWTON_START || iterations === NEWTON_AFTER) &&
      n + m <= NEWTON_MAX_SIZE
    ) {
      const polished = newtonPolish(k, n, m, f, g, epsilon, tolerance);
      newtonSteps = polished.steps;
      marginalError = polished.error;
      if (marginalError <= tolerance) break;
    }
  }
  if (!(marginalError <= tolerance)) {
    throw new NumericalError(
      `${fn}: no convergence at sigma = ${sigma} after ${maxIterations} sweeps (row marginal error ` +
        `${marginalError.toExponential(2)} > ${tolerance})`,
    );
  }
  // Plan statistics, one row at a time (the plan is never stored).
  const xbar = new Float64Array(d);
  const ybar = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) xbar[c] += x[i * d + c] / n;
  for (let j = 0; j < m; j++) for (let c = 0; c < d; c++) ybar[c] += y[j * d + c] / m;
  const cross = new Float64Array(d * d);
  const row = new Float64Array(d);
  let transportCost = 0;
  for (let i = 0; i < n; i++) {
    row.fill(0);
    for (let j = 0; j < m; j++) {
      const p = Math.exp((f[i] + g[j] - k[i * m + j]) / epsilon) / (n * m);
      transportCost += p * k[i * m + j];
      for (let c = 0; c < d; c++) row[c] += p * (y[j * d + c] - ybar[c]);
    }
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) cross[a * d + b] += (x[i * d + a] - xbar[a]) * row[b];
  }
  return {
    f,
    g,
    epsilon,
    iterations,
    newtonSteps,
    totalIterations: total,
    marginalError,
    crossCovariance: cross,
    transportCost,
  };
}

/** Row and column sums of the plan, scaled so that 1 is exact: n r_i and m c_j; and the plan itself. */
function planSums(
  k: Float64Array,
  n: number,
  m: number,
  f: Float64Array,
  g: Float64Array,
  eps: number,
  plan: Float64Array,
) {
  const rows = new Float64Array(n);
  const cols = new Float64Array(m);
  let error = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const p = Math.exp((f[i] + g[j] - k[i * m + j]) / eps) / (n * m);
      plan[i * m + j] = p;
      rows[i] += p;
      cols[j] += p;
    }
    error = Math.max(error, Math.abs(n * rows[i] - 1));
  }
  for (let j = 0; j < m; j++) error = Math.max(error, Math.abs(m * cols[j] - 1));
  return { rows, cols, error };
}

/**
 * Newton's method on the dual: linearising pi_ij(f + df, g + dg) = pi_ij (1 + (df_i + dg_j)/eps), the
 * marginal equations give [diag(r) P; P^T diag(c)] (df, dg) = eps (1/n - r, 1/m - c), solved with dg_{m-1} = 0
 * (potentials are defined up to a shift) by Cholesky; each step is halved until the marginal error drops.
 */
function newtonPolish(
  k: Float64Array,
  n: number,
  m: number,
  f: Float64Array,
  g: Float64Array,
  eps: number,
  tolerance: number,
): { steps: number; error: number } {
  const size = n + m - 1;
  const plan = new Float64Array(n * m);
  let sums = planSums(k, n, m, f, g, eps, plan);
  let steps = 0;
  const h = new Float64Array(size * size);
  const rhs = new Float64Array(size);
  const f0 = new Float64Array(n);
  const g0 = new Float64Array(m);
  for (; steps < 30 && sums.error > tolerance; steps++) {
    h.fill(0);
    for (let i = 0; i < n; i++) {
      h[i * size + i] = sums.rows[i];
      rhs[i] = eps * (1 / n - sums.rows[i]);
      for (let j = 0; j < m - 1; j++) {
        h[i * size + n + j] = plan[i * m + j];
        h[(n + j) * size + i] = plan[i * m + j];
      }
    }
    for (let j = 0; j < m - 1; j++) {
      h[(n + j) * size + n + j] = sums.cols[j];
      rhs[n + j] = eps * (1 / m - sums.cols[j]);
    }
    const step = choleskySolve(h, rhs, size);
    if (!step) break;
    f0.set(f);
    g0.set(g);
    let accepted = false;
    for (let scale = 1; scale >= 1 / 64; scale /= 2) {
      for (let i = 0; i < n; i++) f[i] = f0[i] + scale * step[i];
      for (let j = 0; j < m - 1; j++) g[j] = g0[j] + scale * step[n + j];
      const trial = planSums(k, n, m, f, g, eps, plan);
      if (trial.error < sums.error) {
        sums = trial;
        accepted = true;
        break;
      }
    }
    if (!accepted) {
      f.set(f0);
      g.set(g0);
      break;
    }
  }
  return { steps, error: sums.error };
}

/** Solves H x = b for symmetric positive definite H (row-major, size s); undefined if H is not. */
function choleskySolve(h: Float64Array, b: Float64Array, s: number): Float64Array | undefined {
  const l = h; // factor in place (h is rebuilt for every step)
  for (let j = 0; j < s; j++) {
    let d = l[j * s + j];
    for (let q = 0; q < j; q++) d -= l[j * s + q] * l[j * s + q];
    if (!(d > 0)) return undefined;
    const root = Math.sqrt(d);
    l[j * s + j] = root;
    for (let i = j + 1; i < s; i++) {
      let v = l[i * s + j];
      for (let q = 0; q < j; q++) v -= l[i * s + q] * l[j * s + q];
      l[i * s + j] = v / root;
    }
  }
  const y = new Float64Array(s);
  for (let i = 0; i < s; i++) {
    let v = b[i];
    for (let q = 0; q < i; q++) v -= l[i * s + q] * y[q];
    y[i] = v / l[i * s + i];
  }
  for (let i = s - 1; i >= 0; i--) {
    let v = y[i];
    for (let q = i + 1; q < s; q++) v -= l[q * s + i] * y[q];
    y[i] = v / l[i * s + i];
  }
  return y;
}
