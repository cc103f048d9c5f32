// The engine of the numeric checks: fast-check draws inputs, the module and the reference are evaluated,
// and the first failure is shrunk to a small input shown with both sides. A module that throws or
// returns a non-finite number fails at that input (NaN is never compared as if it were a value).
import fc from 'fast-check';
import { fmt, type CheckResult, type Counterexample, type Values } from './result.js';

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

export const passes = (c: Comparison): boolean =>
  c.error === undefined && (c.inconclusive !== undefined || comparisonError(c) <= c.tolerance);

/** Evaluate, turning an exception (from user code outside `guard`) into a failing comparison. */
function safely<T>(evaluate: (input: T) => Comparison, input: T): Comparison {
  try {
    return evaluate(input);
  } catch (e) {
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
    return `threw: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
}

export interface PropertyOptions {
  seed: number;
  numRuns: number;
}

/**
 * Check `evaluate` at fast-check inputs. `describe` words the passing summary. Fails with the shrunk
 * counterexample; inconclusive if some input could not be compared (and none failed).
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
  const details = fc.check(
    fc.property(arb, (input) => {
      const c = safely(evaluate, input);
      if (c.inconclusive !== undefined) inconclusive ??= c;
      else if (passes(c)) maxError = Math.max(maxError, comparisonError(c));
      return passes(c);
    }),
    { seed: opts.seed, numRuns: opts.numRuns },
  );
  const evidence = {
    pointsTried: details.numRuns,
    maxError,
    tolerance: toleranceRule,
    seed: opts.seed,
    ms: Date.now() - started,
  };
  if (details.failed && details.counterexample) {
    const c = safely(evaluate, details.counterexample[0]);
    const counterexample: Counterexample = {
      inputs: c.inputs,
      // An inequality shows its bound as such.
      expected:
        c.relation === 'at-most'
          ? Object.fromEntries(Object.entries(c.expected).map(([k, v]) => [k, `<= ${fmt(v)}`]))
          : c.expected,
      got: c.got,
      shrinks: details.numShrinks,
    };
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
