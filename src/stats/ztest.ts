// z-tests of a Monte-Carlo mean against an exactly known value (the CLT justifies them at the sample
// sizes used here: every law involved has finite moments of all orders).
import { DomainError } from '../core/errors.js';
import { Moments } from './accumulators.js';
import { betaInc, normalQuantile, studentTQuantile, twoSidedNormalP } from './distributions.js';
import { DEFAULT_POWER, type TestOutcome } from './outcome.js';

/** MDE of a two-sided level-alpha z-test: (z_{1-alpha/2} + z_{power}) * se. */
export function minDetectableEffectZ(standardError: number, alpha: number, power = DEFAULT_POWER): number {
  return (normalQuantile(1 - alpha / 2) + normalQuantile(power)) * standardError;
}

/** Two-sided z-test of H0: E[estimate] = expected, given the estimate's standard error. */
export function zTest(
  test: string,
  estimate: number,
  expected: number,
  standardError: number,
  alpha: number,
  samples: number,
): TestOutcome {
  for (const [name, v] of [
    ['estimate', estimate],
    ['expected', expected],
  ] as const) {
    if (!Number.isFinite(v)) throw new DomainError('zTest', name, v, `must be finite (${test})`);
  }
  if (!(standardError > 0))
    throw new DomainError('zTest', 'standardError', standardError, `must be > 0 (${test})`);
  const effect = estimate - expected;
  const half = normalQuantile(1 - alpha / 2) * standardError;
  return {
    test,
    estimate: effect,
    ci: [effect - half, effect + half],
    pValue: twoSidedNormalP(effect / standardError),
    alpha,
    minDetectableEffect: minDetectableEffectZ(standardError, alpha),
    samples,
  };
}

/**
 * Tests E[g(X)] = expected for a batch of values g(x_i): the sample mean, with its standard error
 * from the sample variance.
 */
export function meanTest(
  test: string,
  values: ArrayLike<number>,
  expected: number,
  alpha: number,
): TestOutcome {
  const m = Moments.of(values);
  if (m.n < 30) throw new DomainError('meanTest', 'values.length', m.n, 'must be at least 30 for a z-test');
  return zTest(test, m.mean, expected, m.standardError, alpha, m.n);
}

/**
 * Two-sided Student t-test of H0: E[value] = expected from a few i.i.d. values (e.g. independent
 * replications of an estimator): with tens of values the z-test's normal tails are too thin at small alpha
 * (at n = 30 and alpha = 1e-4, t_29 = 4.5 against z = 3.9), so the CI, p-value and MDE use t_{n-1}.
 */
export function meanTTest(
  test: string,
  values: ArrayLike<number>,
  expected: number,
  alpha: number,
): TestOutcome {
  const m = Moments.of(values);
  if (m.n < 2) throw new DomainError('meanTTest', 'values.length', m.n, 'must be at least 2');
  if (!Number.isFinite(m.mean) || !Number.isFinite(expected))
    throw new DomainError('meanTTest', 'mean', m.mean, `must be finite (${test})`);
  const se = m.standardError;
  if (!(se > 0)) throw new DomainError('meanTTest', 'standardError', se, `must be > 0 (${test})`);
  const nu = m.n - 1;
  const effect = m.mean - expected;
  const t = effect / se;
  const q = studentTQuantile(1 - alpha / 2, nu);
  return {
    test,
    estimate: effect,
    ci: [effect - q * se, effect + q * se],
    pValue: Math.min(1, betaInc(nu / (nu + t * t), nu / 2, 0.5)),
    alpha,
    minDetectableEffect: (q + studentTQuantile(DEFAULT_POWER, nu)) * se,
    samples: m.n,
  };
}
