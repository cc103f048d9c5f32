// The evidence grades of DESIGN section 1, and the evidence each one carries. Each kind of evidence has
// its own fields and nothing else (src/report/evidence.ts says how each kind is shown): an exact
// computation has a tolerance and no p-value, a Monte-Carlo test a p-value and no tolerance.

/** The grades that count as support for a claim. */
export type SupportingGrade = 'proved' | 'holds-numerically' | 'confirmed-exact' | 'confirmed-mc';
export type Grade = SupportingGrade | 'refuted' | 'inconclusive';

/** What a derivation file says its claim should come out as. */
export type Expectation = 'holds' | 'refuted';

/** The grades that count as support for a claim, strongest first. */
export const SUPPORTING: readonly SupportingGrade[] = [
  'proved',
  'holds-numerically',
  'confirmed-exact',
  'confirmed-mc',
];

/** Every grade, in the order reports list them. */
export const GRADES: readonly Grade[] = [...SUPPORTING, 'refuted', 'inconclusive'];

/** A point in symbol space, as decimal strings (exact enough to reproduce a counterexample). */
export type Point = Record<string, string>;

/** Where the two sides of an identity differ. */
export interface PointCounterexample {
  point: Point;
  lhs: string;
  rhs: string;
  /** |lhs - rhs| / max(1, |lhs|, |rhs|) at the point (the identity engine's residual measure). */
  residual: string;
}

/** The checks a seeded experiment run failed: rerunning it at `seed` shows them again. */
export interface RunCounterexample {
  experiment: string;
  seed: number;
  /** Each failed check: the test and its Holm-adjusted p-value, or the exact value and its tolerance. */
  failed: string[];
}

/** What refutes a claim: a point of an identity, or the failed checks of a seeded run. */
export type Counterexample = PointCounterexample | RunCounterexample;
/** One rewrite a normal-form proof used (src/symbolic/rules.ts): the rule, its operand u, and the sign of u it needed. */
export interface RuleUse {
  rule: string;
  formula: string;
  u: string;
  /** Certified by interval arithmetic over the declared domains; absent for a rule that needs no sign. */
  needs?: 'u >= 0' | 'u <= 0';
}

/** "sqrt(u)^2 = u using u = 1 - abar >= 0". */
export const showRuleUse = (r: RuleUse): string =>
  r.needs ? `${r.formula} using u = ${r.u} ${r.needs.slice(2)}` : `${r.formula} with u = ${r.u}`;

/** A computer-algebra strategy reduced lhs - rhs to 0. */
export interface SymbolicEvidence {
  kind: 'symbolic';
  strategy: string;
  /** The normal form's rewrites the proof used (normal-form strategy only). */
  rules?: RuleUse[];
  ms: number;
}

/** Both sides evaluated at random points of the declared domains with high-precision arithmetic. */
export interface NumericEvidence {
  kind: 'numeric';
  pointsTried: number;
  precisionDigits: number;
  /** Largest |lhs - rhs| / max(1, |lhs|, |rhs|) over the points tried (a counterexample included). */
  maxResidual: string;
  seed: number;
  ms: number;
}

/**
 * A deterministic computation (closed forms, exact finite sums, an ODE solved to a known accuracy, two
 * algorithms run on the same inputs) compared against a stated tolerance: there is no sampling error,
 * so no p-value, level or confidence interval. It passes iff value <= tolerance.
 */
export interface ExactEvidence {
  kind: 'exact';
  experiment: string;
  test: string;
  value: number;
  tolerance: number;
  /** What the computation ran over: `size` of `unit` (e.g. 80 "(law, theta) pairs", 20000 "RK4 steps"). */
  size: number;
  unit: string;
  /** The arithmetic or engine the computation used (e.g. float64, js). */
  backend: string;
  /** Present when the inputs were drawn at random (random laws, random start points). */
  seed?: number;
  ms: number;
}

/** A statistical test on a seeded Monte-Carlo run. */
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

export type Evidence = SymbolicEvidence | NumericEvidence | ExactEvidence | MonteCarloEvidence;
export type EvidenceKind = Evidence['kind'];

/**
 * A result an experiment reports but does not count toward its verdict, with the reason (e.g. marginal
 * tests of a trained model, whose learning error the claim does not bound).
 */
export interface Diagnostic {
  evidence: ExactEvidence | MonteCarloEvidence;
  whyNotCounted: string;
}

/** A domain a check assumed for a symbol, and where it came from (printed with every verdict). */
export interface Assumption {
  /** The symbol as the paper spells it. */
  symbol: string;
  domain: string;
  source: 'declared' | 'dictionary' | 'default';
  /** The convention or declaration it comes from. */
  note: string;
}

/**
 * A check's verdict, one variant per kind of grade: a refutation carries its counterexample, an
 * inconclusive verdict its reason (and, for an internal inconsistency, the point the numbers found).
 */
export type Verdict<C extends Counterexample = Counterexample> =
  | {
      grade: SupportingGrade;
      evidence: Evidence[];
      /** A note, e.g. why no prover succeeded. */
      reason?: string;
    }
  | { grade: 'refuted'; evidence: Evidence[]; counterexample: C; reason?: string }
  | { grade: 'inconclusive'; evidence: Evidence[]; reason: string; counterexample?: PointCounterexample };

/** The counterexample a verdict carries, if any. */
export const counterexampleOf = (v: Verdict): Counterexample | undefined =>
  'counterexample' in v ? v.counterexample : undefined;

/** A point where the two sides differ (not the failed checks of a run). */
export const isPointCounterexample = (c: Counterexample): c is PointCounterexample => 'point' in c;

/**
 * One vocabulary for every outcome, from a single check to a whole command: the claim or check held
 * (`passed`), a counterexample or a failed test says it does not (`rejected`), or the evidence cannot
 * decide (`inconclusive`).
 */
export type Outcome = 'passed' | 'rejected' | 'inconclusive';

/** The outcome a grade stands for. */
export function outcomeOfGrade(grade: Grade): Outcome {
  if (grade === 'refuted') return 'rejected';
  return grade === 'inconclusive' ? 'inconclusive' : 'passed';
}

/** A supporting grade (type guard for the verdict's variant). */
export const isSupporting = (grade: Grade): grade is SupportingGrade =>
  (SUPPORTING as readonly Grade[]).includes(grade);
