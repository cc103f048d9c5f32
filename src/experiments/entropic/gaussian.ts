// Entropic optimal transport and the Schrödinger bridge between Gaussians, in closed form.
//
// Static problem: among couplings pi of N(m0, A) and N(m1, B), minimise KL(pi | R) where R is the law of
// (W_0, W_1) of a Brownian motion with variance sigma^2 per unit time started from N(m0, A), i.e.
// E_pi|x - y|^2 / (2 sigma^2) - H(pi) (entropic OT with epsilon = 2 sigma^2). The optimum is Gaussian with
// cross-covariance (Janati et al. 2020, Theorem 1; Mallasto et al. 2021, Theorem 2)
//   C = 1/2 A^{1/2} (4 A^{1/2} B A^{1/2} + sigma^4 I)^{1/2} A^{-1/2} - sigma^2/2 I,
// in 1-D c = (sqrt(4ab + sigma^4) - sigma^2)/2 = 2ab / (sqrt(4ab + sigma^4) + sigma^2).
// Dynamic problem: the bridge is the mixture of Brownian bridges over that plan, so X_t given (x0, x1) is
// N((1-t) x0 + t x1, sigma^2 t(1-t) I) and its marginal is N(mu_t, V_t) with mu_t = (1-t) m0 + t m1 and
//   V_t = (1-t)^2 A + t^2 B + t(1-t)(C + C^T) + sigma^2 t(1-t) I.
// Its Markov drift is E[(X_1 - x)/(1 - t) | X_t = x] = (m1 - m0) + Beta_t (x - mu_t) with
//   Beta_t = (C^T - t(C + C^T) + t B - (1-t) A - sigma^2 t I) V_t^{-1}   (bounded on [0, 1]).
import { DomainError } from '../../core/errors.js';
import {
  combine,
  identity,
  matmul,
  solveRight,
  symmetricFunction,
  transpose,
  type Matrix,
} from '../flow/dense.js';

/** Two Gaussian end laws N(m0, A) and N(m1, B). */
export interface GaussianEnds {
  m0: number[];
  a: Matrix;
  m1: number[];
  b: Matrix;
}

/** The closed form of the claim, or the erratum with the sigma^4 term dropped from the root. */
export type PlanFormula = 'closed-form' | 'no-sigma4';

/** 1-D cross-covariance of the entropic plan, in the cancellation-free form 2ab / (sqrt(4ab + s^4) + s^2). */
export function entropicCrossCovariance1d(a: number, b: number, sigma: number): number {
  const s2 = sigma * sigma;
  return (2 * a * b) / (Math.sqrt(4 * a * b + s2 * s2) + s2);
}

function checkSpd(fn: string, name: string, m: Matrix): void {
  const d = m.length;
  if (!m.every((row) => row.length === d && row.every(Number.isFinite)))
    throw new DomainError(fn, name, m, `must be a finite ${d} x ${d} matrix`);
  if (m.some((row, i) => row.some((x, j) => Math.abs(x - m[j][i]) > 1e-12 * (1 + Math.abs(x)))))
    throw new DomainError(fn, name, m, 'must be symmetric');
}

/**
 * The plan's cross-covariance C = Cov(X0, X1) for the given formula (d-dimensional; for 1-D matrices the
 * closed form is evaluated without cancellation).
 */
export function entropicPlanCovariance(
  a: Matrix,
  b: Matrix,
  sigma: number,
  formula: PlanFormula = 'closed-form',
): Matrix {
  const fn = 'entropicPlanCovariance';
  checkSpd(fn, 'a', a);
  checkSpd(fn, 'b', b);
  if (a.length !== b.length) throw new DomainError(fn, 'b', b, `must be ${a.length} x ${a.length}`);
  if (!(sigma >= 0 && Number.isFinite(sigma))) throw new DomainError(fn, 'sigma', sigma, 'must be >= 0');
  const s2 = sigma * sigma;
  const s4 = formula === 'closed-form' ? s2 * s2 : 0;
  if (a.length === 1) {
    const [x, y] = [a[0][0], b[0][0]];
    return [[formula === 'closed-form' ? entropicCrossCovariance1d(x, y, sigma) : Math.sqrt(x * y) - s2 / 2]];
  }
  const d = a.length;
  const rootA = symmetricFunction(a, (w) => {
    if (!(w > 0)) throw new DomainError(fn, 'a', a, 'must be positive definite');
    return Math.sqrt(w);
  });
  const invRootA = symmetricFunction(a, (w) => 1 / Math.sqrt(w));
  const inner = combine([4, matmul(matmul(rootA, b), rootA)], [s4, identity(d)]);
  const root = symmetricFunction(symmetrize(inner), (w) => Math.sqrt(Math.max(w, 0)));
  return combine([0.5, matmul(matmul(rootA, root), invRootA)], [-s2 / 2, identity(d)]);
}

const symmetrize = (m: Matrix): Matrix => m.map((row, i) => row.map((x, j) => (x + m[j][i]) / 2));

/** The Monge map's matrix T = A^{-1/2} (A^{1/2} B A^{1/2})^{1/2} A^{-1/2}: y = m1 + T (x - m0) (sigma -> 0). */
export function mongeMatrix(a: Matrix, b: Matrix): Matrix {
  const rootA = symmetricFunction(a, Math.sqrt);
  const invRootA = symmetricFunction(a, (w) => 1 / Math.sqrt(w));
  const middle = symmetricFunction(symmetrize(matmul(matmul(rootA, b), rootA)), (w) =>
    Math.sqrt(Math.max(w, 0)),
  );
  return matmul(matmul(invRootA, middle), invRootA);
}

/** Squared 2-Wasserstein distance |m1 - m0|^2 + tr(A + B - 2 (A^{1/2} B A^{1/2})^{1/2}). */
export function wasserstein2Squared(e: GaussianEnds): number {
  const rootA = symmetricFunction(e.a, Math.sqrt);
  const middle = symmetricFunction(symmetrize(matmul(matmul(rootA, e.b), rootA)), (w) =>
    Math.sqrt(Math.max(w, 0)),
  );
  const meanPart = e.m0.reduce((s, x, i) => s + (e.m1[i] - x) ** 2, 0);
  return meanPart + e.a.reduce((s, row, i) => s + row[i] + e.b[i][i] - 2 * middle[i][i], 0);
}

/** Mean and covariance of the bridge's marginal at time t (plan cross-covariance c). */
export function bridgeMarginal(
  e: GaussianEnds,
  c: Matrix,
  sigma: number,
  t: number,
): { mean: number[]; cov: Matrix } {
  const u = 1 - t;
  const d = e.m0.length;
  return {
    mean: e.m0.map((x, i) => u * x + t * e.m1[i]),
    cov: combine(
      [u * u, e.a],
      [t * t, e.b],
      [t * u, c],
      [t * u, transpose(c)],
      [sigma * sigma * t * u, identity(d)],
    ),
  };
}

/**
 * The bridge's Markov drift at time t as (mean velocity, Beta_t): b_t(x) = (m1 - m0) + Beta_t (x - mu_t).
 * `scoreWeight` scales the sigma^2 t I term, which is the (sigma^2/2) grad log p_t correction: weight 2
 * doubles it (the "score without its 1/2" mistake); 1 is the bridge.
 */
export function bridgeDrift(
  e: GaussianEnds,
  c: Matrix,
  sigma: number,
  t: number,
  scoreWeight = 1,
): { velocity: number[]; beta: Matrix } {
  const { cov } = bridgeMarginal(e, c, sigma, t);
  const d = e.m0.length;
  const ct = transpose(c);
  // Beta_t V_t = C^T - t (C + C^T) + t B - (1-t) A - sigma^2 t I. In 1-D this is (V_t' - sigma^2)/2: the
  // marginal velocity V_t'/(2 V_t) plus the correction (sigma^2/2) grad log p_t = -(sigma^2/2)(x - mu_t)/V_t,
  // so a score weight w adds -(w - 1) sigma^2/2 I.
  const s2 = sigma * sigma;
  const numerator = combine(
    [1, ct],
    [-t, c],
    [-t, ct],
    [t, e.b],
    [-(1 - t), e.a],
    [-s2 * t - ((scoreWeight - 1) * s2) / 2, identity(d)],
  );
  return {
    velocity: e.m1.map((x, i) => x - e.m0[i]),
    beta: solveRight(numerator, cov, `Cov(X_t) of the bridge at t = ${t}`),
  };
}
