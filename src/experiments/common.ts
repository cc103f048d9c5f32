// What every sampling experiment shares: checking a sample against an exact Gaussian-mixture law
// (moment z-tests, per-coordinate KS against the exact CDF, an energy-distance test against an exact
// sample), turning test outcomes into evidence, and Holm's correction within the experiment.
import { NumericalError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { ExactEvidence, MonteCarloEvidence } from '../core/verdict.js';
import {
  energyTest,
  holm,
  ksOneSample,
  meanTest,
  normalMixtureCdf,
  slicedWasserstein,
  type TestOutcome,
} from '../stats/index.js';
import { PATHS } from '../schedules/index.js';
import { TARGETS, type GaussianMixture } from '../targets/index.js';
import { mutationParam, type Mutation } from './mutations.js';
import type { ExperimentResult } from './types.js';

/** The family-wise level of one experiment's tests (Holm within it), unless a run sets `alpha`. */
export const ALPHA = 0.001;

export const refineParam = {
  kind: 'choice' as const,
  choices: ['on', 'off'],
  default: 'on',
  doc: 'on a rejection, rerun with 4x the steps and refute only if the rejection persists (else a numerical error)',
};

export const alphaParam = {
  kind: 'number' as const,
  min: 1e-6,
  max: 0.2,
  default: ALPHA,
  doc: 'family-wise significance level of the experiment (Holm across its tests)',
};

// Parameters several experiments declare alike: one declaration each, so their names, ranges and docs
// cannot drift apart between experiments.

/** `target`: one data law by name. */
export const targetParam = (defaultTarget: string) => ({
  kind: 'choice' as const,
  choices: Object.keys(TARGETS),
  default: defaultTarget,
  doc: 'data law',
});

/** `targets`: the data laws to run on, a 1-D and a 2-D mixture by default. */
export const targetsParam = {
  kind: 'list' as const,
  choices: Object.keys(TARGETS),
  default: ['gmm-1d-2', 'gmm-2d-8'],
  doc: 'data laws',
};

/** `path`: an affine path by name, vp-sde by default. */
export const pathParam = (doc = 'diffusion path') => ({
  kind: 'choice' as const,
  choices: Object.keys(PATHS),
  default: 'vp-sde',
  doc,
});

/** `energyPoints` of the energy tests in marginalChecks. */
const energyPointsParam = {
  kind: 'integer' as const,
  min: 50,
  max: 5000,
  default: 200,
  doc: 'points per side of each energy test',
};

/**
 * The closing parameters of an experiment that runs samplers and tests their states with marginalChecks:
 * energy-test size, family-wise level, refinement on a rejection, and the mutations it supports.
 */
export const samplerCheckParams = (mutations: readonly Mutation[]) => ({
  energyPoints: energyPointsParam,
  alpha: alphaParam,
  refine: refineParam,
  mutation: mutationParam(mutations),
});

/** `width` and `depth` of a tfjs VelocityMlp. */
export const mlpShapeParams = (width: { min: number; default: number }) => ({
  width: {
    kind: 'integer' as const,
    min: width.min,
    max: 512,
    default: width.default,
    doc: 'hidden width of the MLP',
  },
  depth: { kind: 'integer' as const, min: 1, max: 6, default: 2, doc: 'hidden layers of the MLP' },
});

/** A CFM regression target: `correct` is the claim's, data-minus-xt the deliberate mistake. */
export function cfmTargetParam<C extends string>(correct: C) {
  const choices: readonly (C | 'data-minus-xt')[] = [correct, 'data-minus-xt'];
  return {
    kind: 'choice' as const,
    choices,
    default: correct,
    doc: 'CFM target (data-minus-xt is the deliberate mistake x1 - x)',
  };
}

export interface MarginalCheckOptions {
  /** Prefix of every test name, e.g. 'pf-ode-heun t=0'. */
  label: string;
  alpha: number;
  /** Seeds the exact reference sample and the permutations. */
  seed: number;
  /** Points per side of the energy test (a subsample of the first rows; O(N^2) per permutation). */
  energyPoints: number;
}

/** The exact 1-D CDF of coordinate j of a diagonal Gaussian mixture. */
export function coordinateCdf(law: GaussianMixture, j: number): (x: number) => number {
  const K = law.numComponents;
  const means = Float64Array.from({ length: K }, (_, k) => law.means[k * law.d + j]);
  const sds = Float64Array.from({ length: K }, (_, k) => Math.sqrt(law.variances[k * law.d + j]));
  return normalMixtureCdf(law.weights, means, sds);
}

/**
 * Tests that rows (row-major n x d) are a sample of `law`: E[x_j] and E[(x_i - m_i)(x_j - m_j)]
 * (with the exact mean m, so each is a plain mean with a CLT standard error) by z-tests, each
 * coordinate's law by KS against the exact CDF, and the joint law by an energy-distance permutation
 * test against an exact sample (d > 1 only: in 1-D the KS test already sees the whole law).
 */
export function marginalChecks(
  rows: Float64Array,
  law: GaussianMixture,
  opts: MarginalCheckOptions,
): TestOutcome[] {
  const { d } = law;
  const n = rows.length / d;
  const mean = law.mean();
  const cov = law.covariance();
  const out: TestOutcome[] = [];
  const col = new Float64Array(n);
  const named = (o: TestOutcome, what: string): TestOutcome => ({ ...o, test: `${opts.label}: ${what}` });
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) col[i] = rows[i * d + j];
    out.push(named(meanTest('', col, mean[j], opts.alpha), `mean[${j}]`));
    out.push(named(ksOneSample(col, coordinateCdf(law, j), opts.alpha), `ks[${j}]`));
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      for (let i = 0; i < n; i++) col[i] = (rows[i * d + a] - mean[a]) * (rows[i * d + b] - mean[b]);
      out.push(named(meanTest('', col, cov[a * d + b], opts.alpha), `cov[${a}][${b}]`));
    }
  }
  if (d > 1) {
    const m = Math.min(n, opts.energyPoints);
    const reference = law.sample(m, new Rng(opts.seed, 1));
    const energy = energyTest(rows.subarray(0, m * d), reference, d, { seed: opts.seed, alpha: opts.alpha });
    out.push(named(energy, 'energy distance'));
  }
  return out;
}

/** The sliced W2 distance between rows and an exact sample of law of the same size (a reported number). */
export function slicedDistance(rows: Float64Array, law: GaussianMixture, seed: number): number {
  const n = rows.length / law.d;
  return slicedWasserstein(rows, law.sample(n, new Rng(seed, 2)), law.d, { seed });
}

export interface RunMeta {
  experiment: string;
  seed: number;
  backend: string;
  ms: number;
}

/**
 * A deterministic check (see ExactEvidence): `value` against `tolerance`, passing iff value <= tolerance,
 * computed over `size` `unit` (e.g. 500 "trajectories"). `seeded: false` when no input was drawn at random.
 */
export interface ExactOutcome {
  kind: 'exact';
  test: string;
  value: number;
  tolerance: number;
  size: number;
  unit: string;
  seeded?: boolean;
}

/** A test or exact check that is reported but does not count toward the verdict, with the reason. */
export interface DiagnosticOutcome {
  kind: 'diagnostic';
  check: TestOutcome | ExactOutcome;
  whyNotCounted: string;
}

/**
 * What an experiment hands to `finish`, each declared by its kind: a statistical test (a TestOutcome from
 * src/stats, Holm-corrected with the others), an exact check (`exactCheck`), or a diagnostic
 * (`diagnostic(check, why)`), which is shown with its reason and never decides the result.
 */
export type Check = TestOutcome | ExactOutcome | DiagnosticOutcome;

const kindOf = (c: Check): 'test' | 'exact' | 'diagnostic' => ('kind' in c ? c.kind : 'test');

/** A deterministic check; a NaN value is a NumericalError, never a verdict. */
export function exactCheck(
  test: string,
  value: number,
  tolerance: number,
  over: { size: number; unit: string; seeded?: boolean },
): ExactOutcome {
  if (Number.isNaN(value)) throw new NumericalError(`${test}: the computed value is NaN`);
  return { kind: 'exact', test, value, tolerance, ...over };
}

export const exactPasses = (c: Pick<ExactOutcome, 'value' | 'tolerance'>): boolean => c.value <= c.tolerance;

/** Marks a check as reported only: `whyNotCounted` says why it cannot bear on the claim. */
export function diagnostic(check: TestOutcome | ExactOutcome, whyNotCounted: string): DiagnosticOutcome {
  return { kind: 'diagnostic', check, whyNotCounted };
}

export function toEvidence(o: TestOutcome, meta: RunMeta): MonteCarloEvidence {
  return {
    kind: 'monte-carlo',
    experiment: meta.experiment,
    estimate: o.estimate,
    ci: o.ci,
    test: o.test,
    pValue: o.pValue,
    alpha: o.alpha,
    minDetectableEffect: o.minDetectableEffect,
    seed: meta.seed,
    backend: meta.backend,
    samples: o.samples,
    ms: meta.ms,
  };
}

export function toExactEvidence(o: ExactOutcome, meta: RunMeta): ExactEvidence {
  return {
    kind: 'exact',
    experiment: meta.experiment,
    test: o.test,
    value: o.value,
    tolerance: o.tolerance,
    size: o.size,
    unit: o.unit,
    backend: meta.backend,
    ...(o.seeded === false ? {} : { seed: meta.seed }),
    ms: meta.ms,
  };
}

const asEvidence = (c: TestOutcome | ExactOutcome, meta: RunMeta) =>
  kindOf(c) === 'exact' ? toExactEvidence(c as ExactOutcome, meta) : toEvidence(c as TestOutcome, meta);

/**
 * The result of an experiment's checks: passed iff every exact check is within its tolerance and Holm (at
 * alpha) rejects none of the tests. Diagnostics are reported and never decide. `data.holmAdjusted` holds
 * the tests' adjusted p-values, in the order the tests were given (when there are tests).
 */
export function finish(
  checks: Check[],
  meta: RunMeta,
  alpha: number,
  notes: string[] = [],
  data?: Record<string, unknown>,
): ExperimentResult {
  const counted = checks.filter((c): c is TestOutcome | ExactOutcome => kindOf(c) !== 'diagnostic');
  const tests = counted.filter((c): c is TestOutcome => kindOf(c) === 'test');
  const exact = counted.filter((c): c is ExactOutcome => kindOf(c) === 'exact');
  const { rejected, adjusted } = holm(
    tests.map((o) => o.pValue),
    alpha,
  );
  const rejections = tests.flatMap((o, i) =>
    rejected[i] ? [`${o.test} (Holm-adjusted p = ${fmt(adjusted[i])})`] : [],
  );
  const outside = exact.flatMap((c) =>
    exactPasses(c) ? [] : [`${c.test} (${fmt(c.value)} > tolerance ${fmt(c.tolerance)})`],
  );
  const summary: string[] = [];
  if (outside.length > 0) summary.push(`out of tolerance: ${outside.join('; ')}`);
  if (rejections.length > 0)
    summary.push(`rejected at family-wise alpha = ${alpha} (Holm): ${rejections.join('; ')}`);
  if (tests.length > 0 && rejections.length === 0)
    summary.push(
      `all ${tests.length} tests accept at family-wise alpha = ${alpha} (Holm); smallest adjusted p = ${fmt(Math.min(...adjusted))}`,
    );
  if (exact.length > 0 && outside.length === 0)
    summary.push(
      exact.length === 1
        ? 'the exact check is within its tolerance'
        : `all ${exact.length} exact checks within their tolerance`,
    );
  const diagnostics = checks
    .filter((c): c is DiagnosticOutcome => kindOf(c) === 'diagnostic')
    .map((d) => ({ evidence: asEvidence(d.check, meta), whyNotCounted: d.whyNotCounted }));
  const failed = [...outside, ...rejections];
  const verdict =
    failed.length === 0 ? { outcome: 'passed' as const } : { outcome: 'rejected' as const, failed };
  return {
    name: meta.experiment,
    ...verdict,
    evidence: counted.map((c) => asEvidence(c, meta)),
    ...(diagnostics.length > 0 ? { diagnostics } : {}),
    notes: [summary.join('; '), ...notes],
    data: tests.length > 0 ? { ...data, holmAdjusted: adjusted } : data,
  };
}

/** The Holm-adjusted p-values `finish` keeps in a result's data, in test order (none without tests). */
export function holmAdjusted(result: ExperimentResult): number[] {
  const p = result.data?.holmAdjusted;
  return Array.isArray(p) ? p.filter((x): x is number => typeof x === 'number') : [];
}

export function fmt(x: number): string {
  return Number(x.toPrecision(3)).toString();
}
