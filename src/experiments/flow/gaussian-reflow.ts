// Rectified flow of a jointly Gaussian coupling (noise X0, data X1), in closed form up to one linear
// matrix ODE. With D = X1 - X0 and X_t = (1 - t) X0 + t X1 (flow convention):
//   Sigma_t = (1-t)^2 S00 + t(1-t)(S01 + S10) + t^2 S11,   C_t = Cov(D, X_t) = (1-t)(S10 - S00) + t(S11 - S01)
//   v(x, t) = E[D | X_t = x] = muD + B_t (x - mu_t),       B_t = C_t Sigma_t^{-1}
// so the rectified flow is Z_t = mu_t + Phi_t (Z_0 - mu_0) with Phi' = B_t Phi, Phi_0 = I, and the new
// coupling is (X0, mu1 + Phi_1 (X0 - mu0)). Phi is integrated with RK4; integrals in t use Simpson.
import { DomainError } from '../../core/errors.js';
import { combine, identity, matmul, maxAbsDiff, solveRight, trace, transpose, type Matrix } from './dense.js';

export interface GaussianCoupling {
  noiseMean: number[];
  dataMean: number[];
  /** Cov(X0), Cov(X0, X1) = E[(X0 - mu0)(X1 - mu1)^T], Cov(X1). */
  s00: Matrix;
  s01: Matrix;
  s11: Matrix;
}

export interface RectificationRound {
  /** S(Z) = int_0^1 E||(Z1 - Z0) - dZ_t/dt||^2 dt of the rectified flow, from its definition. */
  straightness: number;
  /** E||X1 - X0||^2 of the coupling rectified, and of the new coupling. */
  transportCostBefore: number;
  transportCostAfter: number;
  /** int_0^1 E||v(X_t, t)||^2 dt. */
  velocityEnergy: number;
  /** int_0^1 E Var(D | X_t) dt = E||D||^2 - int E||v||^2: the slack of the per-round bound. */
  conditionalVariance: number;
  /** max |Cov(Z1) - Cov(X1)| entry: marginal preservation (0 up to ODE error). */
  marginalError: number;
  next: GaussianCoupling;
}

const sub = (a: number[], b: number[]) => a.map((x, i) => x - b[i]);
const norm2 = (a: number[]) => a.reduce((s, x) => s + x * x, 0);

/** E||X1 - X0||^2 = ||muD||^2 + tr Cov(D). */
export function transportCost(c: GaussianCoupling): number {
  const covD = combine([1, c.s11], [-1, c.s01], [-1, transpose(c.s01)], [1, c.s00]);
  return norm2(sub(c.dataMean, c.noiseMean)) + trace(covD);
}

/**
 * Noise N(0, I) and data X1 = dataMean + A (rho R X0 + sqrt(1 - rho^2) xi), A = diag(sqrt(dataVar)), with
 * R the rotation by `rotation` radians in the first two coordinates and xi independent N(0, I): so
 * Cov(X1) = A^2 and Cov(X0, X1) = rho R^T A. rho = 0 is the independent coupling the lecture starts from.
 */
export function gaussianCoupling(
  dataMean: number[],
  dataVar: number[],
  correlation = 0,
  rotation = 0,
): GaussianCoupling {
  const fn = 'gaussianCoupling';
  const d = dataMean.length;
  if (d === 0 || dataVar.length !== d)
    throw new DomainError(fn, 'dataVar', dataVar, `must have ${d} entries`);
  dataVar.forEach((v, i) => {
    if (!(v > 0 && Number.isFinite(v))) throw new DomainError(fn, `dataVar[${i}]`, v, 'must be > 0');
  });
  if (!(Math.abs(correlation) < 1))
    throw new DomainError(fn, 'correlation', correlation, 'must lie in (-1, 1)');
  if (rotation !== 0 && d < 2) throw new DomainError(fn, 'rotation', rotation, 'needs dimension >= 2');
  const r = identity(d);
  if (d >= 2) {
    [r[0][0], r[0][1], r[1][0], r[1][1]] = [
      Math.cos(rotation),
      -Math.sin(rotation),
      Math.sin(rotation),
      Math.cos(rotation),
    ];
  }
  const a = identity(d).map((row, i) => row.map((x) => x * Math.sqrt(dataVar[i])));
  return {
    noiseMean: new Array<number>(d).fill(0),
    dataMean: [...dataMean],
    s00: identity(d),
    s01: combine([correlation, matmul(transpose(r), a)]),
    s11: matmul(a, a),
  };
}

/** One rectification of a Gaussian coupling with `steps` RK4 steps (even, for Simpson). */
export function rectifyGaussian(c: GaussianCoupling, steps: number): RectificationRound {
  if (!Number.isInteger(steps) || steps < 2 || steps % 2 !== 0) {
    throw new DomainError('rectifyGaussian', 'steps', steps, 'must be an even integer >= 2');
  }
  const d = c.noiseMean.length;
  const s10 = transpose(c.s01);
  const muD = sub(c.dataMean, c.noiseMean);
  const covD = combine([1, c.s11], [-1, c.s01], [-1, s10], [1, c.s00]);
  const drift = (t: number): { b: Matrix; energy: number } => {
    const sigma = combine([(1 - t) ** 2, c.s00], [t * (1 - t), c.s01], [t * (1 - t), s10], [t * t, c.s11]);
    const cov = combine([1 - t, s10], [-(1 - t), c.s00], [t, c.s11], [-t, c.s01]);
    const b = solveRight(cov, sigma, `Cov(X_t) at t = ${t}`);
    // E||v(X_t)||^2 = ||muD||^2 + tr(B Sigma B^T) = ||muD||^2 + tr(B C^T).
    return { b, energy: norm2(muD) + trace(matmul(b, transpose(cov))) };
  };
  const h = 1 / steps;
  const phis: Matrix[] = [identity(d)];
  const bs: Matrix[] = [];
  const energies: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = i * h;
    const start = drift(t);
    const mid = drift(t + h / 2).b;
    const end = drift(t + h);
    bs.push(start.b);
    energies.push(start.energy);
    if (i === steps - 1) {
      bs.push(end.b);
      energies.push(end.energy);
    }
    const phi = phis[i];
    const k1 = matmul(start.b, phi);
    const k2 = matmul(mid, combine([1, phi], [h / 2, k1]));
    const k3 = matmul(mid, combine([1, phi], [h / 2, k2]));
    const k4 = matmul(end.b, combine([1, phi], [h, k3]));
    phis.push(combine([1, phi], [h / 6, k1], [h / 3, k2], [h / 3, k3], [h / 6, k4]));
  }
  const simpson = (f: (i: number) => number) => {
    let s = f(0) + f(steps);
    for (let i = 1; i < steps; i++) s += (i % 2 ? 4 : 2) * f(i);
    return (s * h) / 3;
  };
  const phi1 = phis[steps];
  const displacement = combine([1, phi1], [-1, identity(d)]);
  // Definition of S: dZ/dt - (Z1 - Z0) = (B_t Phi_t - (Phi_1 - I)) (Z0 - mu0), so its mean square is
  // tr(M S00 M^T).
  const straightness = simpson((i) => {
    const m = combine([1, matmul(bs[i], phis[i])], [-1, displacement]);
    return trace(matmul(matmul(m, c.s00), transpose(m)));
  });
  const velocityEnergy = simpson((i) => energies[i]);
  const next: GaussianCoupling = {
    noiseMean: [...c.noiseMean],
    dataMean: [...c.dataMean],
    s00: c.s00,
    s01: matmul(c.s00, transpose(phi1)),
    s11: matmul(matmul(phi1, c.s00), transpose(phi1)),
  };
  return {
    straightness,
    transportCostBefore: transportCost(c),
    transportCostAfter: transportCost(next),
    velocityEnergy,
    conditionalVariance: norm2(muD) + trace(covD) - velocityEnergy,
    marginalError: maxAbsDiff(next.s11, c.s11),
    next,
  };
}

/** Rounds 1..rounds of reflow starting from `c` (round k rectifies the coupling of round k - 1). */
export function gaussianReflow(c: GaussianCoupling, rounds: number, steps: number): RectificationRound[] {
  const out: RectificationRound[] = [];
  let current = c;
  for (let k = 0; k < rounds; k++) {
    const round = rectifyGaussian(current, steps);
    out.push(round);
    current = round.next;
  }
  return out;
}
