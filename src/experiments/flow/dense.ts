// Small dense matrices (row-major number[][]) for the closed-form Gaussian reflow: d is 1-4, so clarity
// wins over speed. Symmetric positive definite solves go through Cholesky, which also detects degeneracy.
import { NumericalError } from '../../core/errors.js';

export type Matrix = number[][];

export const identity = (d: number): Matrix =>
  Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));

export const transpose = (a: Matrix): Matrix => a[0].map((_, j) => a.map((row) => row[j]));

export function matmul(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, x, k) => s + x * b[k][j], 0)));
}

/** sum_i c_i A_i for matrices of one shape. */
export function combine(...terms: [number, Matrix][]): Matrix {
  const [, first] = terms[0];
  return first.map((row, i) => row.map((_, j) => terms.reduce((s, [c, m]) => s + c * m[i][j], 0)));
}

export const trace = (a: Matrix): number => a.reduce((s, row, i) => s + row[i], 0);

/** Lower-triangular L with A = L L^T; a NumericalError when A is not (numerically) positive definite. */
export function cholesky(a: Matrix, what: string): Matrix {
  const d = a.length;
  const l: Matrix = a.map(() => new Array<number>(d).fill(0));
  const scale = Math.max(...a.map((row, i) => Math.abs(row[i])));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(s > 1e-13 * scale)) throw new NumericalError(`${what} is not positive definite (pivot ${s})`);
        l[i][i] = Math.sqrt(s);
      } else {
        l[i][j] = s / l[j][j];
      }
    }
  }
  return l;
}

/** X with X A = B for symmetric positive definite A (B's rows solved against A). */
export function solveRight(b: Matrix, a: Matrix, what: string): Matrix {
  const l = cholesky(a, what);
  const d = a.length;
  return b.map((row) => {
    // A x = row (A symmetric): forward then backward substitution.
    const y = new Array<number>(d);
    for (let i = 0; i < d; i++) {
      let s = row[i];
      for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
      y[i] = s / l[i][i];
    }
    const x = new Array<number>(d);
    for (let i = d - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < d; k++) s -= l[k][i] * x[k];
      x[i] = s / l[i][i];
    }
    return x;
  });
}

/** Largest absolute entry of A - B. */
export const maxAbsDiff = (a: Matrix, b: Matrix): number =>
  Math.max(...a.map((row, i) => Math.max(...row.map((x, j) => Math.abs(x - b[i][j])))));

/**
 * Eigen-decomposition A = V diag(w) V^T of a symmetric matrix by cyclic Jacobi rotations (d is small;
 * converges quadratically, to rounding level in a handful of sweeps).
 */
export function symmetricEigen(a: Matrix): { values: number[]; vectors: Matrix } {
  const d = a.length;
  const m = a.map((row) => [...row]);
  const v = identity(d);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += m[p][q] ** 2;
    if (off <= 1e-300) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        if (m[p][q] === 0) continue;
        // The rotation angle that zeroes m[p][q] (Golub & Van Loan, algorithm 8.4.1).
        const theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const [mkp, mkq] = [m[k][p], m[k][q]];
          m[k][p] = c * mkp - s * mkq;
          m[k][q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < d; k++) {
          const [mpk, mqk] = [m[p][k], m[q][k]];
          m[p][k] = c * mpk - s * mqk;
          m[q][k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < d; k++) {
          const [vkp, vkq] = [v[k][p], v[k][q]];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: m.map((row, i) => row[i]), vectors: v };
}

/** f(A) = V diag(f(w)) V^T for symmetric A, e.g. the square root of a positive semi-definite matrix. */
export function symmetricFunction(a: Matrix, f: (w: number) => number): Matrix {
  const { values, vectors } = symmetricEigen(a);
  return a.map((_, i) =>
    a.map((__, j) => values.reduce((s, w, k) => s + vectors[i][k] * f(w) * vectors[j][k], 0)),
  );
}
