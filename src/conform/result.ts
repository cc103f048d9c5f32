// What one conformance check reports: a status, a one-line summary, its evidence and, on failure, the
// smallest failing input with both sides' values.

export type CheckStatus = 'pass' | 'fail' | 'skip' | 'inconclusive';

export type Values = Record<string, number | string>;

/** One evaluation of the model by a multi-stage step (stepWithModel): where it asked, what it got. */
export interface ModelCall {
  x: number;
  t: number;
  output: number | string;
}

/** A failing (or uncompared) input with both sides' values. */
export interface FailingPoint {
  inputs: Values;
  expected: Values;
  got: Values;
  /** Largest |got - expected| over the compared keys (Infinity: a value was missing, thrown or non-finite). */
  error?: number;
  /** The allowed |got - expected| at this input. */
  allowed?: number;
  /** error / allowed: how far beyond the tolerance (1 = at the limit; a bug is usually far beyond). */
  ratio?: number;
  /** stepWithModel: the model calls the module's step made (draws all 0) and those of the reference step. */
  modelCalls?: { module: ModelCall[]; reference: ModelCall[] };
}

export interface FailingInput extends FailingPoint {
  /** How many times fast-check shrank the first failing input (absent for exhaustive checks). */
  shrinks?: number;
  /** The first failing input found, before shrinking (absent when it is the one shown). */
  first?: FailingPoint & { run: number };
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
  counterexample?: FailingInput;
}

/** Relative/absolute tolerances of the numeric comparisons (a float32 library needs a looser rtol). */
export interface Tolerance {
  rtol: number;
  atol: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { rtol: 1e-6, atol: 1e-9 };
/**
 * For a module declaring dtype float32: its unit roundoff is 6e-8, and a 1000-step cumulative product
 * (alphas_cumprod in torch's default float32) accumulates up to 1000 of them, 6e-5. The bugs conform is
 * built for are off by percent or more.
 */
export const FLOAT32_TOLERANCE: Tolerance = { rtol: 1e-4, atol: 1e-7 };

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

/** A ratio observed/allowed for messages: 2 significant digits ('2.9e+3', '14', '1.3'). */
export function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return String(r);
  return r >= 1e4 ? r.toExponential(1) : String(Number(r.toPrecision(2)));
}

export function formatValues(v: Values): string {
  return Object.entries(v)
    .map(([k, x]) => (typeof x === 'string' && x.startsWith('<=') ? `${k} ${x}` : `${k}=${fmt(x)}`))
    .join(', ');
}
