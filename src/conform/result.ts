// What one conformance check reports: a status, a one-line summary, its evidence and, on failure, the
// smallest failing input with both sides' values.

export type CheckStatus = 'pass' | 'fail' | 'skip' | 'inconclusive';

export type Values = Record<string, number | string>;

export interface Counterexample {
  inputs: Values;
  expected: Values;
  got: Values;
  /** How many times fast-check shrank the first failing input (absent for exhaustive checks). */
  shrinks?: number;
}

export interface CheckEvidence {
  /** fast-check runs, array entries compared, or states probed. */
  pointsTried?: number;
  /** Largest |got - expected| over the points that passed. */
  maxError?: number;
  /** The tolerance rule, e.g. '|got - expected| <= 1e-6 (1 + |expected| + ...)'. */
  tolerance?: string;
  seed?: number;
  /** Monte-Carlo fields (the full-run check). */
  test?: string;
  statistic?: number;
  pValue?: number;
  alpha?: number;
  minDetectableEffect?: number;
  samples?: number;
  ms?: number;
}

export interface CheckResult {
  /** `<group>:<what>`, e.g. 'conversion:epsToData', 'step:ddim', 'schedule:reference'. */
  name: string;
  status: CheckStatus;
  summary: string;
  evidence: CheckEvidence;
  counterexample?: Counterexample;
}

/** Relative/absolute tolerances of the numeric comparisons (a float32 library needs a looser rtol). */
export interface Tolerance {
  rtol: number;
  atol: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { rtol: 1e-6, atol: 1e-9 };

export function skip(name: string, summary: string): CheckResult {
  return { name, status: 'skip', summary, evidence: {} };
}

/** Short, exact-enough number formatting for messages. */
export function fmt(x: number | string): string {
  if (typeof x === 'string') return x;
  if (Number.isNaN(x)) return 'NaN';
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 1e-4 && a < 1e7 ? String(Number(x.toPrecision(12))) : x.toExponential(6);
}

export function formatValues(v: Values): string {
  return Object.entries(v)
    .map(([k, x]) => (typeof x === 'string' && x.startsWith('<=') ? `${k} ${x}` : `${k}=${fmt(x)}`))
    .join(', ');
}
