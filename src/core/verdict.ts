// The evidence grades of DESIGN section 1, and the evidence each one carries.

export type Grade = 'proved' | 'holds-numerically' | 'confirmed-mc' | 'refuted' | 'inconclusive';

/** The grades that count as support for a claim. */
export const SUPPORTING: readonly Grade[] = ['proved', 'holds-numerically', 'confirmed-mc'];

/** A point in symbol space, as decimal strings (exact enough to reproduce a counterexample). */
export type Point = Record<string, string>;

export interface Counterexample {
  point: Point;
  lhs: string;
  rhs: string;
}

export interface SymbolicEvidence {
  kind: 'symbolic';
  strategy: string;
  ms: number;
}

export interface NumericEvidence {
  kind: 'numeric';
  pointsTried: number;
  precisionDigits: number;
  maxResidual: string;
  seed: number;
  ms: number;
}

export interface MonteCarloEvidence {
  kind: 'monte-carlo';
  experiment: string;
  estimate: number;
  ci: [number, number];
  test: string;
  pValue: number;
  alpha: number;
  minDetectableEffect: number;
  seed: number;
  backend: string;
  samples: number;
  ms: number;
}

export type Evidence = SymbolicEvidence | NumericEvidence | MonteCarloEvidence;

/** A domain a check assumed for a symbol, and where it came from (printed with every verdict). */
export interface Assumption {
  /** The symbol as the paper spells it. */
  symbol: string;
  domain: string;
  source: 'declared' | 'dictionary' | 'default';
  /** The convention or declaration it comes from. */
  note: string;
}

export interface Verdict {
  grade: Grade;
  evidence: Evidence[];
  counterexample?: Counterexample;
  /** Why, for inconclusive verdicts; a note otherwise. */
  reason?: string;
}
