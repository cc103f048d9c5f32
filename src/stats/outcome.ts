// What every statistical test here returns. "Effect" is always the discrepancy the test looks for,
// in the units of `estimate` (0 under the null), so `minDetectableEffect` is comparable to it.
export interface TestOutcome {
  /** Name of the test, e.g. 'z-test mean[0]', 'ks-1s', 'energy-permutation'. */
  test: string;
  /** The observed effect (e.g. sample mean minus exact mean, or a distance). */
  estimate: number;
  /** Confidence interval for the effect at level 1 - alpha. */
  ci: [number, number];
  pValue: number;
  alpha: number;
  /** Smallest true effect this test detects with probability >= power (0.8 unless stated). */
  minDetectableEffect: number;
  samples: number;
}

export const DEFAULT_POWER = 0.8;
