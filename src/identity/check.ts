// Prove-then-falsify (DESIGN 5). The verdict is
//   refuted            only on a counterexample confirmed by the high-precision falsifier;
//   proved             when a prover reduces lhs - rhs to 0 AND the falsifier agrees at its points;
//   holds-numerically  when no prover succeeded and the falsifier found no discrepancy;
//   inconclusive       when too few points had both sides defined, or a prover's zero contradicts the
//                      numbers (an internal inconsistency, reported, never turned into `proved`).
// Provers run cheapest first: flowproof's own assumption-aware normal form in-process, then Algebrite
// and mathjs in a worker thread, each within what is left of the time budget.
import type { Evidence, NumericEvidence, PointCounterexample, RuleUse, Verdict } from '../core/verdict.js';
import {
  type Domains,
  type Expr,
  CAS_NAMES,
  canonicalProof,
  casProvesZero,
  formatExpr,
} from '../symbolic/index.js';
import { falsify, LOW_DIGITS } from './falsify.js';

export interface CheckOptions {
  domains?: Domains;
  seed?: number;
  points?: number;
  /**
   * Points of the high-precision cross-check of a normal-form proof (default: `points`). A scan of a
   * whole paper checks hundreds of steps and may afford fewer; a claim the normal form does not prove
   * always gets all `points`.
   */
  crossCheckPoints?: number;
  timeBudgetMs?: number;
}

export type IdentityResult = Verdict<PointCounterexample> & {
  lhs: string;
  rhs: string;
};

export const DEFAULT_SEED = 1;
export const DEFAULT_POINTS = 100;
export const DEFAULT_BUDGET_MS = 20_000;
/** Fewer points with both sides defined than this is too little to call an identity numerically true. */
const MIN_POINTS = 10;

export async function checkIdentity(
  lhs: Expr,
  rhs: Expr,
  options: CheckOptions = {},
): Promise<IdentityResult> {
  const seed = options.seed ?? DEFAULT_SEED;
  const points = Math.max(1, Math.floor(options.points ?? DEFAULT_POINTS));
  const budget = options.timeBudgetMs ?? DEFAULT_BUDGET_MS;
  const start = Date.now();
  const deadline = start + budget;
  const base = { lhs: formatExpr(lhs), rhs: formatExpr(rhs) };

  const t0 = Date.now();
  let rules: RuleUse[] | null = null;
  let normalFormNote = 'normal-form: not reduced to 0';
  try {
    const outcome = canonicalProof(lhs, rhs, { domains: options.domains, deadline: t0 + budget * 0.25 });
    if (outcome.zero) rules = outcome.rules;
  } catch (err) {
    normalFormNote = `normal-form: internal error (${err instanceof Error ? err.message : String(err)})`;
  }
  const normalForm = rules !== null;
  const normalFormEvidence: Evidence = {
    kind: 'symbolic',
    strategy: 'normal-form',
    rules: rules ?? [],
    ms: Date.now() - t0,
  };

  const f = falsify(lhs, rhs, {
    domains: options.domains,
    seed,
    points: normalForm
      ? Math.min(points, Math.max(1, Math.floor(options.crossCheckPoints ?? points)))
      : points,
    timeLimitMs: Math.max(500, budget * 0.35),
  });
  const numeric: NumericEvidence = {
    kind: 'numeric',
    pointsTried: f.pointsTried,
    precisionDigits: LOW_DIGITS,
    maxResidual: f.maxResidual.toExponential(2),
    seed,
    ms: f.ms,
  };
  const skipped = f.undefinedPoints ? `; ${f.undefinedPoints} points skipped where a side is undefined` : '';

  if (f.counterexample) {
    if (normalForm)
      return {
        ...base,
        grade: 'inconclusive',
        evidence: [normalFormEvidence, numeric],
        counterexample: f.counterexample,
        reason:
          'internal inconsistency: the normal form reduced lhs - rhs to 0 but the high-precision check found a counterexample',
      };
    return { ...base, grade: 'refuted', evidence: [numeric], counterexample: f.counterexample };
  }
  const enough = f.pointsTried >= Math.min(MIN_POINTS, points);
  if (!enough)
    return {
      ...base,
      grade: 'inconclusive',
      evidence: [numeric],
      reason: `only ${f.pointsTried} of the sampled points had both sides defined${skipped}`,
    };
  if (normalForm)
    return {
      ...base,
      grade: 'proved',
      evidence: [normalFormEvidence, numeric],
      reason: skipped.slice(2) || undefined,
    };

  const tried: string[] = [normalFormNote];
  for (const cas of CAS_NAMES) {
    const left = deadline - Date.now();
    if (left < 100) {
      tried.push(`${cas}: no time left`);
      continue;
    }
    const a = await casProvesZero(lhs, rhs, cas, left);
    if (a.zero)
      return { ...base, grade: 'proved', evidence: [{ kind: 'symbolic', strategy: cas, ms: a.ms }, numeric] };
    tried.push(`${cas}: ${describe(a)}`);
  }
  return {
    ...base,
    grade: 'holds-numerically',
    evidence: [numeric],
    reason: `no prover reduced lhs - rhs to 0 (${tried.join('; ')})${skipped}`,
  };
}

function describe(a: { timedOut: boolean; error?: string; out?: string; ms: number }): string {
  if (a.timedOut) return `timed out after ${a.ms} ms`;
  if (a.error) return `error (${a.error.slice(0, 80)})`;
  return 'not reduced to 0';
}
