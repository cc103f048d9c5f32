// Straightness of simulated trajectories, and the one-sided test of a reflow bound.
// For a trajectory z_0, ..., z_N on times t_0 < ... < t_N (flow convention), read as the piecewise-linear
// path through its states (velocity Delta_j / h_j on step j):
//   S = sum_j h_j || (z_N - z_0) - Delta_j / h_j ||^2 = sum_j ||Delta_j||^2 / h_j - ||z_N - z_0||^2  >= 0,
// the lecture's S(Z) = int_0^1 E||(Z1 - Z0) - dZ_t/dt||^2 dt for that path; it tends to S of the ODE as
// the steps shrink. "Kinetic energy" K = sum_j ||Delta_j||^2 / h_j = S + ||z_N - z_0||^2.
import { DomainError } from '../../core/errors.js';
import { Moments, normalCdf, normalQuantile, DEFAULT_POWER, type TestOutcome } from '../../stats/index.js';

export interface PathStatistics {
  /** Per particle: S_i, ||z_N - z_0||^2 and the kinetic energy K_i. */
  straightness: Float64Array;
  transportCost: Float64Array;
  kinetic: Float64Array;
  /** z_0 and z_N, [n x d]. */
  start: Float64Array;
  end: Float64Array;
}

/** Statistics of particles [begin, end) of trajectories laid out [times.length][n][d]. */
export function pathStatistics(
  trajectories: Float64Array,
  times: Float64Array,
  n: number,
  d: number,
  begin = 0,
  end = n,
): PathStatistics {
  const N = times.length - 1;
  if (trajectories.length !== (N + 1) * n * d) {
    throw new DomainError(
      'pathStatistics',
      'trajectories.length',
      trajectories.length,
      `must be ${(N + 1) * n * d}`,
    );
  }
  const m = end - begin;
  const out: PathStatistics = {
    straightness: new Float64Array(m),
    transportCost: new Float64Array(m),
    kinetic: new Float64Array(m),
    start: trajectories.slice(begin * d, end * d),
    end: trajectories.slice((N * n + begin) * d, (N * n + end) * d),
  };
  for (let i = 0; i < m; i++) {
    let kinetic = 0;
    for (let j = 0; j < N; j++) {
      const h = times[j + 1] - times[j];
      const a = (j * n + begin + i) * d;
      const b = a + n * d;
      let sq = 0;
      for (let c = 0; c < d; c++) sq += (trajectories[b + c] - trajectories[a + c]) ** 2;
      kinetic += sq / h;
    }
    let cost = 0;
    for (let c = 0; c < d; c++) cost += (out.end[i * d + c] - out.start[i * d + c]) ** 2;
    out.kinetic[i] = kinetic;
    out.transportCost[i] = cost;
    out.straightness[i] = kinetic - cost;
  }
  return out;
}

/**
 * One-sided z-test of H0: E[g] >= -allowance (a bound holds, up to an allowance) from values g_i. The
 * effect is mean(g) + allowance (>= 0 under H0); p = Phi(effect / se) is small only when the bound is
 * clearly violated. The CI is the two-sided interval at level 1 - 2 alpha (its lower end is the one-sided
 * bound at level alpha).
 */
export function boundTest(test: string, g: ArrayLike<number>, allowance: number, alpha: number): TestOutcome {
  const m = Moments.of(g);
  if (m.n < 30) throw new DomainError('boundTest', 'values.length', m.n, 'must be at least 30');
  if (!Number.isFinite(m.mean))
    throw new DomainError('boundTest', 'mean', m.mean, `must be finite (${test})`);
  const se = m.standardError;
  const effect = m.mean + allowance;
  const z = normalQuantile(1 - alpha);
  return {
    test,
    estimate: effect,
    ci: [effect - z * se, effect + z * se],
    pValue: se > 0 ? normalCdf(effect / se) : effect < 0 ? 0 : 1,
    alpha,
    minDetectableEffect: (z + normalQuantile(DEFAULT_POWER)) * se,
    samples: m.n,
  };
}
