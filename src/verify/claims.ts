// Checking claims: every step of a derivation goes to the identity engine, every side condition the
// LaTeX reader relied on too, experiment blocks go to the Monte-Carlo engine; the verdicts are combined
// into one per claim. Shared by `verify` and `scan`. Seeds are derived from the base seed and the
// step's identity, so a claim's result does not depend on which other files are checked.
import { FlowproofError, InputError } from '../core/errors.js';
import { isSupporting, type Evidence, type SupportingGrade, type Verdict } from '../core/verdict.js';
import type { Claim, SourceRef } from '../derivation/file.js';
import type { Scope } from '../derivation/lower.js';
import { declare, lowerStep, type LoweredStep } from '../derivation/scope.js';
import { spelling } from '../derivation/show.js';
import { runExperiment } from '../experiments/index.js';
import { checkIdentity, parseDomain, type IdentityResult } from '../identity/index.js';
import type { SymbolDomain } from '../symbolic/domain.js';
import { toPlain } from '../symbolic/expr.js';
import { toLatex } from '../symbolic/latex.js';
import type { ClaimResult, StepResult } from '../report/types.js';

export interface CheckSettings {
  seed: number;
  monteCarlo: boolean;
  thorough: boolean;
  /** Per identity check. */
  timeBudgetMs?: number;
  /** Points of the numeric cross-check of a normal-form proof (default: all of the falsifier's). */
  crossCheckPoints?: number;
  onProgress?: (note: string) => void;
  /** Side conditions already checked in this claim (the same integral in several steps is checked once). */
  sideCache?: Map<string, Verdict>;
  /** LaTeX spelling of each symbol name, for printing what a step was checked as. */
  symbolLatex?: ReadonlyMap<string, string>;
}

/** Each declared symbol's internal name with the spelling its file gave it. */
export function symbolSpellings(scope: Scope): Map<string, string> {
  return new Map([...scope.symbols].map(([canon, d]) => [d.name, spelling(canon)]));
}

/** A 31-bit seed for one check, from the base seed and a stable label (FNV-1a). */
export function deriveSeed(base: number, label: string): number {
  let h = 0x811c9dc5 ^ (base >>> 0);
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}

/** Supporting grades, strongest first: a combination is as strong as its weakest part. */
const STRENGTH: Record<SupportingGrade, number> = {
  proved: 4,
  'holds-numerically': 3,
  'confirmed-exact': 2,
  'confirmed-mc': 1,
};

const weakest = (grades: SupportingGrade[]): SupportingGrade =>
  grades.reduce((a, b) => (STRENGTH[b] < STRENGTH[a] ? b : a));

/** refuted if any part is; else inconclusive if any is; else the weakest supporting grade. */
export function combine(verdicts: Verdict[]): Verdict {
  const evidence: Evidence[] = verdicts.flatMap((v) => v.evidence);
  const refuted = verdicts.find((v) => v.grade === 'refuted');
  if (refuted) return { ...refuted, evidence };
  const open = verdicts.find((v) => v.grade === 'inconclusive');
  if (open) return { grade: 'inconclusive', evidence, reason: open.reason };
  const grades = verdicts.map((v) => v.grade).filter(isSupporting);
  if (grades.length === 0) return { grade: 'inconclusive', evidence, reason: 'nothing to check' };
  return { grade: weakest(grades), evidence };
}

export function matchesExpectation(verdict: Verdict, expected: Claim['expect']): boolean {
  return expected === 'holds' ? isSupporting(verdict.grade) : verdict.grade === 'refuted';
}

/** Check one lowered step (and its side conditions) as a StepResult list: side conditions first. */
export async function checkLowered(
  lowered: LoweredStep,
  domains: Record<string, SymbolDomain>,
  label: string,
  firstIndex: number,
  settings: CheckSettings,
): Promise<StepResult[]> {
  const out: StepResult[] = [];
  const sideVerdicts: Verdict[] = [];
  const cache = settings.sideCache ?? new Map<string, Verdict>();
  for (const sc of lowered.sideConditions) {
    const key = `${toPlain(sc.lhs)} = ${toPlain(sc.rhs)} on ${JSON.stringify(sc.domains)}`;
    const known = cache.get(key);
    if (known) {
      sideVerdicts.push(known);
      continue;
    }
    const t0 = performance.now();
    const v = stripSides(
      await checkIdentity(sc.lhs, sc.rhs, {
        domains: { ...domains, ...sc.domains },
        seed: deriveSeed(settings.seed, `${label}#side${cache.size + 1}`),
        timeBudgetMs: settings.timeBudgetMs,
        crossCheckPoints: settings.crossCheckPoints,
      }),
    );
    cache.set(key, v);
    sideVerdicts.push(v);
    out.push({
      index: firstIndex + out.length,
      kind: 'side-condition',
      lhs: `d/d${sc.variable} (closed-form antiderivative)`,
      rhs: 'integrand',
      lhsPlain: toPlain(sc.lhs),
      rhsPlain: toPlain(sc.rhs),
      position: sc.position,
      verdict: v,
      ms: performance.now() - t0,
    });
  }
  const t0 = performance.now();
  let verdict: Verdict = stripSides(
    await checkIdentity(lowered.lhs, lowered.rhs, {
      domains,
      seed: deriveSeed(settings.seed, label),
      timeBudgetMs: settings.timeBudgetMs,
      crossCheckPoints: settings.crossCheckPoints,
    }),
  );
  const badSide = sideVerdicts.find((v) => !isSupporting(v.grade));
  if (badSide) {
    // The integral was lowered with an antiderivative that did not check out: nothing follows.
    verdict = {
      grade: 'inconclusive',
      evidence: verdict.evidence,
      reason: `an integral's closed form failed its check (${badSide.grade}), so this step cannot be judged`,
    };
  } else if (isSupporting(verdict.grade) && sideVerdicts.length > 0) {
    // A step is never stronger than the antiderivatives it used.
    const grade = weakest([verdict.grade, ...sideVerdicts.map((v) => v.grade).filter(isSupporting)]);
    verdict = { ...verdict, grade };
  }
  const { step } = lowered;
  out.push({
    index: firstIndex + out.length,
    kind: 'equation',
    lhs: step.lhsLatex,
    rhs: step.rhsLatex,
    lhsPlain: toPlain(lowered.lhs),
    rhsPlain: toPlain(lowered.rhs),
    checkedLatex: {
      lhs: toLatex(lowered.lhs, { names: settings.symbolLatex }),
      rhs: toLatex(lowered.rhs, { names: settings.symbolLatex }),
    },
    position: step.position,
    verdict,
    ms: performance.now() - t0,
  });
  return out;
}

/** An IdentityResult as a plain Verdict (its lhs/rhs strings are kept in the step's *Plain fields). */
function stripSides(r: IdentityResult): Verdict {
  const { lhs: _lhs, rhs: _rhs, ...verdict } = r;
  return verdict;
}

export async function checkClaim(claim: Claim, settings: CheckSettings): Promise<ClaimResult> {
  const t0 = performance.now();
  const { scope, domains } = declare(claim.symbols, claim.lets, parseDomain);
  // Lower every step first: a malformed step is an input error before anything runs.
  const lowered = claim.steps.map((s) => lowerStep(s, scope));
  const steps: StepResult[] = [];
  const perClaim = {
    ...settings,
    sideCache: new Map<string, Verdict>(),
    symbolLatex: symbolSpellings(scope),
  };
  for (const [i, l] of lowered.entries()) {
    settings.onProgress?.(`${claim.id}: step ${i + 1}/${lowered.length}`);
    steps.push(...(await checkLowered(l, domains, `${claim.id}#${i + 1}`, steps.length + 1, perClaim)));
  }
  for (const [i, call] of claim.experiments.entries()) {
    settings.onProgress?.(`${claim.id}: experiment ${call.name}`);
    steps.push(
      await experimentStep(call, steps.length + 1, deriveSeed(settings.seed, `${claim.id}!${i}`), settings),
    );
  }
  const deciding = steps.filter((s) => s.kind !== 'side-condition');
  const ran = deciding.filter((s) => !s.skipped);
  const skipped = deciding.length > 0 && ran.length === 0;
  const verdict = skipped
    ? { grade: 'inconclusive' as const, evidence: [], reason: 'Monte-Carlo layer skipped (--no-mc)' }
    : combine(ran.map((s) => s.verdict));
  return {
    id: claim.id,
    title: claim.title,
    file: claim.file,
    sources: claim.sources,
    convention: claim.convention,
    expected: claim.expect,
    verdict,
    matches: !skipped && matchesExpectation(verdict, claim.expect),
    ...(skipped ? { skipped: true as const } : {}),
    steps,
    body: claim.body,
    ms: performance.now() - t0,
  };
}

async function experimentStep(
  call: Claim['experiments'][number],
  index: number,
  seed: number,
  settings: CheckSettings,
): Promise<StepResult> {
  const base = {
    index,
    kind: 'experiment' as const,
    lhs: call.name,
    rhs: JSON.stringify(call.params),
    position: call.position,
  };
  if (!settings.monteCarlo) {
    return {
      ...base,
      verdict: { grade: 'inconclusive', evidence: [], reason: 'Monte-Carlo layer skipped (--no-mc)' },
      skipped: true,
      ms: 0,
    };
  }
  const t0 = performance.now();
  let result;
  try {
    result = await runExperiment(call.name, call.params, { seed, thorough: settings.thorough });
  } catch (err) {
    if (err instanceof InputError) throw new InputError(err.message, position(call.position));
    // A run that failed on its inputs' domain says nothing about the claim: inconclusive, with the reason.
    if (!(err instanceof FlowproofError)) throw err;
    const reason = `experiment failed: ${err.message}`;
    return { ...base, verdict: { grade: 'inconclusive', evidence: [], reason }, ms: performance.now() - t0 };
  }
  if (result.outcome === 'inconclusive') {
    const verdict: Verdict = {
      grade: 'inconclusive',
      evidence: [],
      reason: `experiment failed: ${result.reason}`,
    };
    return { ...base, verdict, ms: performance.now() - t0 };
  }
  // Confirmed by exact computation only when no check of the step was a statistical test.
  const exactOnly = result.evidence.every((e) => e.kind === 'exact');
  const verdict: Verdict =
    result.outcome === 'passed'
      ? { grade: exactOnly ? 'confirmed-exact' : 'confirmed-mc', evidence: result.evidence }
      : {
          grade: 'refuted',
          evidence: result.evidence,
          counterexample: { experiment: call.name, seed, failed: result.failed },
          reason: result.notes.join('; ') || 'a check of the experiment failed',
        };
  return {
    ...base,
    verdict,
    experiment: {
      name: call.name,
      params: call.params,
      notes: result.notes,
      ...(result.diagnostics ? { diagnostics: result.diagnostics } : {}),
      data: result.data,
    },
    ms: performance.now() - t0,
  };
}

function position(p: SourceRef) {
  return { file: p.file, line: p.line, column: p.column };
}
