// z-tests of a Monte-Carlo mean against an exactly known value (the CLT justifies them at the sample
// sizes used here: every law involved has finite moments of all orders).
import { DomainError } from '../core/errors.js';
import { Moments } from './accumulators.js';
import { normalQuantile, twoSidedNormalP } from './distributions.js';
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
