// The report model: what `flowproof verify` and `flowproof scan` produce, rendered by the terminal,
// JSON, JUnit and HTML writers. JSON output is exactly these objects, so the schema is versioned here.
import type { Source, SourceRef } from '../core/citation.js';
import type {
  Assumption,
  Diagnostic,
  Expectation,
  Grade,
  MonteCarloEvidence,
  Verdict,
} from '../core/verdict.js';

/**
 * Bumped on any incompatible change of VerifyReport or ScanRecord. 2: exact-computation evidence and the
 * confirmed-exact grade, diagnostics, counterexample residuals, citations in sources, checkedLatex. 3: every
 * refuted verdict has a counterexample; an experiment's is its failed checks (experiment, seed, failed).
 */
export const REPORT_SCHEMA_VERSION = 3;
export const VERIFY_SCHEMA = `flowproof.verify/${REPORT_SCHEMA_VERSION}`;
export const SCAN_SCHEMA = `flowproof.scan/${REPORT_SCHEMA_VERSION}`;

export type { Expectation, SourceRef };

/**
 * One checked step of a claim:
 * - `equation`: an adjacent pair `lhs = rhs` of a display block's chain;
 * - `side-condition`: an identity the reader needed to lower the LaTeX (e.g. that a closed-form
 *   antiderivative really differentiates back to the integrand); a failure makes the claim inconclusive;
 * - `experiment`: a Monte-Carlo experiment block (`lhs` is the experiment name, `rhs` its parameters).
 */
export interface StepResult {
  /** 1-based, in file order. */
  index: number;
  kind: 'equation' | 'side-condition' | 'experiment';
  /** LaTeX as written (equations), or the experiment name. */
  lhs: string;
  rhs: string;
  /** The internal plain form each side was checked as (after let bindings), when it is an equation. */
  lhsPlain?: string;
  rhsPlain?: string;
  /** The same internal forms printed as LaTeX (symbols in the file's own spelling), for typesetting. */
  checkedLatex?: { lhs: string; rhs: string };
  position: SourceRef;
  verdict: Verdict;
  /** An experiment step's notes, its diagnostics (reported, not counted) and plot data (its own `data`). */
  experiment?: {
    name: string;
    params: Record<string, unknown>;
    notes: string[];
    diagnostics?: Diagnostic[];
    data?: unknown;
  };
  /**
   * Not run: an experiment under `--no-mc`, or a paper's step that cannot be checked (the verdict says
   * why). Its verdict is inconclusive and does not enter the claim's.
   */
  skipped?: true;
  /** `law`: a paper's step read as an equality in distribution of Gaussian noise (same mean and variance). */
  reading?: 'law';
  ms: number;
}

/** The outcome of one derivation file. */
export interface ClaimResult {
  id: string;
  title: string;
  file: string;
  /** Where the claim comes from, as the derivation file cites it (plain notes or citations). */
  sources: Source[];
  convention?: string;
  expected: Expectation;
  /**
   * The aggregated verdict of the steps that ran: refuted if any step is, else the weakest supporting
   * grade, else inconclusive.
   */
  verdict: Verdict;
  /** true iff the verdict is what `expected` says (holds: a supporting grade; refuted: refuted). */
  matches: boolean;
  /** Every step of the claim was skipped (an experiment-only claim under `--no-mc`): neither match nor mismatch. */
  skipped?: true;
  steps: StepResult[];
  /** The file's Markdown prose with its display math, for renderers that show the derivation. */
  body?: string;
  ms: number;
}

/**
 * How a claim came out against its file's `expect` (not its outcome: an erratum that is refuted as
 * expected matches): the one place the three cases are told apart.
 */
export type Match = 'match' | 'mismatch' | 'skipped';

export function matchOf(c: Pick<ClaimResult, 'matches' | 'skipped'>): Match {
  return c.skipped ? 'skipped' : c.matches ? 'match' : 'mismatch';
}

export interface VerifyReport {
  schema: typeof VERIFY_SCHEMA;
  tool: { name: 'flowproof'; version: string };
  /** ISO 8601 start time. */
  startedAt: string;
  /** Base seed; every random check derives its seed from it and records it in its evidence. */
  seed: number;
  options: { monteCarlo: boolean; thorough: boolean; only?: string };
  claims: ClaimResult[];
  summary: {
    total: number;
    matching: number;
    /** Claims checked whose verdict is not the expected one (skipped claims are neither). */
    mismatching: number;
    skipped: number;
    byGrade: Record<Grade, number>;
    ms: number;
  };
}

/** One statement of a formula found by `flowproof scan` (a display block may hold several). */
export interface ScanRecord {
  /** Where the statement itself starts. */
  file: string;
  line: number;
  column: number;
  /** The statement's LaTeX as written. */
  latex: string;
  /** Display math, inline math (read for its definitions, not checked), or a problem with an input file. */
  kind: 'display' | 'inline' | 'problem';
  /** A claim (its `=` pairs are checked), a definition (it binds symbols), or not checkable (see reason). */
  role: 'claim' | 'definition' | 'not-checkable';
  /** The spellings a definition binds. */
  defines?: string[];
  /** The domains the checks assumed, with where each comes from. */
  assumptions?: Assumption[];
  /** Where the display block holding the statement starts, when that is elsewhere. */
  block?: { line: number; column: number };
  parses: boolean;
  /** The internal form (plain syntax of each chain member, or a description), when it parses. */
  internal?: string;
  /** true when some chained equality was handed to the identity engine. */
  checkable: boolean;
  /** Why not parseable or not checkable. */
  reason?: string;
  /** The aggregated verdict of the chain's steps, when checked. */
  verdict?: Verdict;
  /** Per-step verdicts of a checked chain. */
  steps?: StepResult[];
  /** Later lines where the same LaTeX appears again (reported once). */
  alsoAt?: number[];
}

export interface ScanReport {
  schema: typeof SCAN_SCHEMA;
  tool: { name: 'flowproof'; version: string };
  records: ScanRecord[];
  /** Counts over statements (display and inline apart) and the grouped reasons for "not checkable". */
  summary: {
    display: number;
    inline: number;
    parsed: number;
    definitions: number;
    checkable: number;
    checked: number;
    verdicts: Record<string, number>;
    notCheckable: [string, number][];
  };
}

export type { Assumption, Grade, MonteCarloEvidence, Verdict };
