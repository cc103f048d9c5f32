// The engine of the numeric checks: fast-check draws inputs, the module and the reference are evaluated,
// and the first failure is shrunk to a small input shown with both sides. A module that throws or
// returns a non-finite number fails at that input (NaN is never compared as if it were a value).
// A ModuleFailure (the module cannot be run at all: a Python process that hangs or dies) is not a
// failing value: it ends the conformance run as bad input.
import fc from 'fast-check';
import { ModuleFailure } from './module.js';
import {
  fmt,
  type CheckResult,
  type FailingInput,
  type FailingPoint,
  type ModelCall,
  type Values,
} from './result.js';

/** One evaluation: the module's values and the reference's at one input, and the allowed error. */
export interface Comparison {
  inputs: Values;
  expected: Record<string, number>;
  got: Values;
  /** Allowed |got - expected| for every key (absolute, already scaled to the input). */
  tolerance: number;
  /** 'equal' (default): |got - expected| <= tolerance; 'at-most': got <= expected + tolerance. */
  relation?: 'equal' | 'at-most';
  /** Set when the comparison could not be made (e.g. the step's noise use is not affine). */
  inconclusive?: string;
  /** Set when evaluating at this input threw (the module's schedule, or a reference formula it feeds): a failure. */
  error?: string;
  /** stepWithModel: the model calls of the module's step and of the reference step. */
  modelCalls?: { module: ModelCall[]; reference: ModelCall[] };
}

/** The largest |got - expected|, or Infinity if some value is missing, thrown or non-finite. */
export function comparisonError(c: Comparison): number {
  let worst = 0;
  for (const [k, e] of Object.entries(c.expected)) {
    const g = c.got[k];
    if (typeof g !== 'number' || !Number.isFinite(g)) return Infinity;
    worst = Math.max(worst, c.relation === 'at-most' ? g - e : Math.abs(g - e));
  }
  return worst;
}

/** error / tolerance (Infinity for a missing, thrown or non-finite value). */
export function comparisonRatio(c: Comparison): number {
  if (c.error !== undefined) return Infinity;
  const err = comparisonError(c);
  if (err <= 0) return 0;
  return c.tolerance > 0 ? err / c.tolerance : Infinity;
}

export const passes = (c: Comparison): boolean =>
  c.error === undefined && (c.inconclusive !== undefined || comparisonError(c) <= c.tolerance);

/** Evaluate, turning an exception (from user code outside `guard`) into a failing comparison. */
function safely<T>(evaluate: (input: T) => Comparison, input: T): Comparison {
  try {
    return evaluate(input);
  } catch (e) {
    if (e instanceof ModuleFailure) throw e;
    const error = `threw: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    return { inputs: { input: JSON.stringify(input) }, expected: {}, got: { error }, tolerance: 0, error };
  }
}

/** Run user code; an exception or a non-number becomes a value the comparison will reject. */
export function guard(f: () => unknown): number | string {
  try {
    const v = f();
    if (typeof v !== 'number') return `returned ${v === null ? 'null' : typeof v}`;
    return Number.isNaN(v) ? 'NaN' : v;
  } catch (e) {
    if (e instanceof ModuleFailure) throw e;
    return `threw: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
}

export interface PropertyOptions {
  seed: number;
  numRuns: number;
}

/**
 * While shrinking, a candidate counts as failing only if it fails as clearly as the first failure: an
 * error (throw, NaN) only by an error, a mismatch of ratio R0 = error/allowed only by one of ratio at
 * least this cutoff. So a real bug is never shrunk to a point where it looks like rounding noise.
 */
export function shrinkCutoff(firstRatio: number): number {
  return Math.max(1, Math.min(firstRatio, 1e3) / 10);
}

/** The failing point of a comparison, as shown in messages: an inequality shows its bound as such. */
function failingPoint(c: Comparison): FailingPoint {
  const error = c.error !== undefined ? Infinity : comparisonError(c);
  return {
    inputs: c.inputs,
    expected:
      c.relation === 'at-most'
        ? Object.fromEntries(Object.entries(c.expected).map(([k, v]) => [k, `<= ${fmt(v)}`]))
        : c.expected,
    got: c.got,
    error,
    allowed: c.tolerance,
    ratio: comparisonRatio(c),
    ...(c.modelCalls ? { modelCalls: c.modelCalls } : {}),
  };
}

/**
 * Check `evaluate` at fast-check inputs. `describe` words the passing summary. Fails with the shrunk
 * counterexample (and the first failing input beside it); inconclusive if some input could not be
 * compared (and none failed).
 */
export function propertyCheck<T>(
  name: string,
  arb: fc.Arbitrary<T>,
  evaluate: (input: T) => Comparison,
  opts: PropertyOptions,
  what: string,
  toleranceRule: string,
): CheckResult {
  const started = Date.now();
  let maxError = 0;
  let inconclusive: Comparison | undefined;
  let first: { c: Comparison; ratio: number; run: number } | undefined;
  let calls = 0;
  let fatal: ModuleFailure | undefined;
  const details = fc.check(
    fc.property(arb, (input) => {
      if (fatal) return true; // the module cannot run any more: finish quickly, then report it
      calls++;
      let c: Comparison;
      try {
        c = safely(evaluate, input);
      } catch (e) {
        fatal = e as ModuleFailure;
        return true;
      }
      if (c.inconclusive !== undefined) inconclusive ??= c;
      if (passes(c)) {
        if (c.inconclusive === undefined) maxError = Math.max(maxError, comparisonError(c));
        return true;
      }
      const ratio = comparisonRatio(c);
      if (!first) {
        first = { c, ratio, run: calls };
        return false;
      }
      return Number.isFinite(first.ratio) ? ratio < shrinkCutoff(first.ratio) : Number.isFinite(ratio);
    }),
    { seed: opts.seed, numRuns: opts.numRuns },
  );
  if (fatal) throw fatal;
  const evidence = {
    pointsTried: details.numRuns,
    maxError,
    tolerance: toleranceRule,
    seed: opts.seed,
    ms: Date.now() - started,
  };
  if (details.failed && details.counterexample && first) {
    const c = safely(evaluate, details.counterexample[0]);
    const counterexample: FailingInput = { ...failingPoint(c), shrinks: details.numShrinks };
    if (details.numShrinks > 0) counterexample.first = { ...failingPoint(first.c), run: first.run };
    return { name, status: 'fail', summary: `${what}: mismatch`, evidence, counterexample };
  }
  if (details.failed) {
    // fast-check itself failed (e.g. the property threw outside `guard`): report, never pass.
    return {
      name,
      status: 'inconclusive',
      summary: `${what}: the check could not run (${details.errorInstance ?? 'unknown error'})`,
      evidence,
    };
  }
  if (inconclusive) {
    return {
      name,
      status: 'inconclusive',
      summary: `${what}: ${inconclusive.inconclusive}`,
      evidence,
      counterexample: { inputs: inconclusive.inputs, expected: inconclusive.expected, got: inconclusive.got },
    };
  }
  return { name, status: 'pass', summary: `${what}: agree at ${details.numRuns} points`, evidence };
}
