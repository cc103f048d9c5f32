// Scanning a paper: read it (derivation/paper.ts), check every claim of its display math with the
// identity engine, and say for each statement what it is (claim, definition, not checkable) and why.
// A verifier pointed at someone's paper must not cry wolf: a refutation stands only when it does not
// hinge on something the paper leaves to context, and each such case says what it hinged on:
// - a relation among symbols the paper never binds (`\alpha_t^2 + \sigma_t^2 = 1`) is a constraint it
//   imposes; later steps using those symbols may rely on it;
// - a step relating two members of an indexed family (`\bar\alpha_t`, `\bar\alpha_{t-1}`) may use a
//   recurrence the paper states only in prose;
// - an additive constant (`+ C`) written on one side;
// - symbols of no known convention are sampled over all reals; if the step holds for positive values,
//   the paper's silence on their sign is the likelier explanation.
import {
  counterexampleOf,
  isPointCounterexample,
  isSupporting,
  type PointCounterexample,
  type Verdict,
} from '../core/verdict.js';
import { indexedPair, planStep, shiftOf, type LawCheck } from '../derivation/law.js';
import {
  readPaper,
  type PaperOptions,
  type PaperStatement,
  type PaperStep,
  type ReadPaper,
} from '../derivation/paper.js';
import type { LoweredStep } from '../derivation/scope.js';
import { spelling } from '../derivation/show.js';
import { checkIdentity, parseDomain } from '../identity/index.js';
import type { ScanRecord, ScanReport, SourceRef, StepResult } from '../report/types.js';
import { freeSymbols, substitute, toPlain, type Expr } from '../symbolic/expr.js';
import { childrenOf, type Tex } from '../derivation/ast.js';
import { familyOf, notationOf } from '../derivation/dictionary.js';
import { otherIndexMember } from '../derivation/lower.js';
import { canonical, type ParsedMath } from '../derivation/parser.js';
import type { SymbolDomain } from '../symbolic/domain.js';
import { checkLowered, combine, deriveSeed, type CheckSettings } from './claims.js';

export interface ScanSettings extends Omit<PaperOptions, 'parseDomain'> {
  seed: number;
  timeBudgetMs?: number;
  onProgress?: (note: string) => void;
}

export type ScanSummary = ScanReport['summary'];

export interface ScanResult {
  records: ScanRecord[];
  problems: ReadPaper['problems'];
  summary: ScanSummary;
}

/** Symbols that name an arbitrary constant: an equation with one of them on one side holds up to it. */
const CONSTANTS =
  /^(C|c|K|Z|\\text\{const\.?\}|\\text\{constant\}|\\mathrm\{const\}|C _ \S+|c _ \S+|\\text\{cst\})$/;

/**
 * A paper has hundreds of steps: a step the normal form proves is cross-checked at this many points
 * (72 digits), not 100; a step it does not prove is always falsified at 100.
 */
const CROSS_CHECK_POINTS = 25;

const POSITIVE: SymbolDomain = { lo: 0, hi: Infinity, loOpen: true, hiOpen: true };

export async function scanText(text: string, file: string, settings: ScanSettings): Promise<ScanResult> {
  const paper = readPaper(text, file, { ...settings, parseDomain });
  const records: ScanRecord[] = [];
  const seen = new Map<string, ScanRecord[]>();
  /** Symbols of constraints the paper imposes (a standalone relation that does not hold identically). */
  const constraints = new Map<string, string>();
  /** Symbols of steps whose checks supported them: established, whatever the paper defines. */
  const confirmed = new Set<string>();
  const check: CheckSettings = {
    seed: deriveSeed(settings.seed, file),
    monteCarlo: false,
    thorough: false,
    timeBudgetMs: settings.timeBudgetMs,
    crossCheckPoints: CROSS_CHECK_POINTS,
    // What a step was checked as, typeset with the paper's own spellings.
    symbolLatex: new Map([...paper.spellings].map(([n, c]) => [n, spelling(c)])),
  };
  for (const problem of paper.problems)
    records.push({
      file: problem.file,
      line: problem.line,
      column: problem.column,
      latex: problem.quote,
      parses: false,
      checkable: false,
      kind: problem.kind === 'formula' ? 'display' : 'problem',
      role: 'not-checkable',
      reason: problem.message,
    });
  let previousPiece: PaperStatement['piece'] | undefined;
  let duplicate = false;
  for (const st of paper.statements) {
    if (st.piece !== previousPiece) {
      previousPiece = st.piece;
      const key = `${st.piece.kind}:${st.piece.latex.trim()}`;
      const earlier = seen.get(key);
      duplicate = earlier !== undefined;
      if (earlier) for (const r of earlier) (r.alsoAt ??= []).push(st.piece.origin.line);
      else seen.set(key, []);
    }
    if (duplicate) continue;
    const record = baseRecord(st);
    seen.get(`${st.piece.kind}:${st.piece.latex.trim()}`)?.push(record);
    records.push(record);
    if (st.role !== 'claim') continue;
    if (st.piece.kind === 'inline') {
      record.reason = 'inline math: read for its definitions, not checked';
      continue;
    }
    settings.onProgress?.(`${file}:${st.position.line}`);
    const steps: StepResult[] = [];
    const used = new Set<string>();
    for (const [i, s] of st.steps.entries()) {
      const label = `${file}:${st.position.line}:${st.position.column}#${i + 1}`;
      steps.push(
        ...(await checkStep(s, label, steps.length + 1, paper, check, {
          constraints,
          used,
          bound: st.bound,
          introduced: st.introduced === true,
        })),
      );
    }
    const equations = steps.filter((s) => s.kind === 'equation');
    const verdict = combine(equations.filter((s) => !s.skipped).map((s) => s.verdict));
    // Symbols the author declared are variables: a relation among them only is a claim.
    const undeclared = [...used].some((n) => paper.assumptions.get(n)?.source !== 'declared');
    // Symbols this statement brings in: no definition and no confirmed step used them before.
    const introduces = st.introduces.filter((n) => !confirmed.has(n));
    if (verdict.grade === 'refuted' && undeclared && (st.standalone || introduces.length > 0)) {
      // A relation among symbols the paper never defines, or one that brings in a new symbol, and that
      // does not hold identically: the paper imposes or defines something with it, it does not derive it.
      record.role = 'definition';
      record.checkable = false;
      record.reason = st.standalone
        ? 'a relation among symbols the paper does not define: read as a constraint it imposes (not an identity)'
        : `introduces ${introduces.map((n) => nameOf(n, paper)).join(', ')}: read as its definition (not an identity)`;
      for (const s of st.steps) for (const n of stepSymbols(s)) constraints.set(n, st.latex);
      continue;
    }
    record.checkable = equations.some((s) => !s.skipped);
    st.steps.forEach((s, i) => {
      const grade = equations[i]?.verdict.grade;
      if (grade !== undefined && isSupporting(grade)) for (const n of stepSymbols(s)) confirmed.add(n);
    });
    for (const s of steps) s.verdict = readable(s.verdict, paper);
    record.steps = steps;
    if (record.checkable) record.verdict = readable(verdict, paper);
    else record.reason = equations.find((s) => s.verdict.reason)?.verdict.reason;
    record.assumptions = [...used].flatMap((n) => {
      const a = paper.assumptions.get(n);
      return a ? [a] : [];
    });
  }
  return { records, problems: paper.problems, summary: summarize(records) };
}

/** A symbol as the paper spells it. */
function nameOf(n: string, paper: ReadPaper): string {
  const c = paper.spellings.get(n);
  return c === undefined ? n : spelling(c);
}

/** Counterexamples name symbols as the paper spells them, not by their internal names. */
function readable(v: Verdict, paper: ReadPaper): Verdict {
  const spelled = (c: PointCounterexample): PointCounterexample => ({
    ...c,
    point: Object.fromEntries(Object.entries(c.point).map(([k, x]) => [nameOf(k, paper), x])),
  });
  if (v.grade === 'refuted' && isPointCounterexample(v.counterexample))
    return { ...v, counterexample: spelled(v.counterexample) };
  if (v.grade === 'inconclusive' && v.counterexample)
    return { ...v, counterexample: spelled(v.counterexample) };
  return v;
}

function baseRecord(st: PaperStatement): ScanRecord {
  return {
    file: st.position.file,
    line: st.position.line,
    column: st.position.column,
    latex: st.latex,
    parses: st.parses,
    checkable: false,
    kind: st.piece.kind,
    role: st.role,
    ...(st.internal ? { internal: st.internal } : {}),
    ...(st.reason ? { reason: st.reason } : {}),
    ...(st.defines.length ? { defines: st.defines } : {}),
    ...(st.position.line !== st.piece.origin.line || st.position.column !== st.piece.origin.column
      ? { block: { line: st.piece.origin.line, column: st.piece.origin.column } }
      : {}),
  };
}

function stepSymbols(s: PaperStep): Set<string> {
  return s.lowered ? freeSymbols(s.lowered.rhs, freeSymbols(s.lowered.lhs)) : new Set();
}

/** One step: its plan (identity, law, or skip), its checks, and the context a refutation may hinge on. */
async function checkStep(
  s: PaperStep,
  label: string,
  index: number,
  paper: ReadPaper,
  settings: CheckSettings,
  context: StepContext,
): Promise<StepResult[]> {
  const { used } = context;
  const base = {
    index,
    kind: 'equation' as const,
    lhs: s.step.lhsLatex,
    rhs: s.step.rhsLatex,
    position: s.step.position,
    ms: 0,
  };
  if (!s.lowered)
    return [{ ...base, skipped: true, verdict: { grade: 'inconclusive', evidence: [], reason: s.reason } }];
  for (const n of stepSymbols(s)) used.add(n);
  const first = await planAndCheck(base, s.lowered, label, index, paper, settings);
  if (first.skipped || first.results[first.results.length - 1].verdict.grade !== 'refuted')
    return first.results;
  // The paper may "plug in" a re-expression it wrote earlier (x_0 = (x_t - ...)/...): try with it.
  const relations = paper.relations
    .filter((r) => before(r.position, s.step.position) && stepSymbols(s).has(r.symbol))
    .slice(-3);
  // One relation at a time, then pairs, then all: plugging in one that the step does not use can hide
  // the one it does (x_t appears again inside x_0's re-expression).
  for (const subset of subsets(relations)) {
    const bindings = new Map(subset.map((r) => [r.symbol, r.value]));
    const plugged = {
      ...s.lowered,
      lhs: substitute(s.lowered.lhs, bindings),
      rhs: substitute(s.lowered.rhs, bindings),
    };
    const again = await planAndCheck(base, plugged, `${label}+relations`, index, paper, settings);
    const v = again.results[again.results.length - 1].verdict;
    if (!again.skipped && v.grade !== 'refuted') {
      const using = subset.map((r) => `${r.latex} (line ${r.position.line})`).join('; ');
      v.reason = `${v.reason ? v.reason + '; ' : ''}using ${using}`;
      return again.results;
    }
  }
  const step = first.results[first.results.length - 1];
  step.verdict = await hinges(step.verdict, { ...s, lowered: s.lowered }, label, paper, settings, context);
  return first.results;
}

/** Non-empty subsets, smallest first. */
function subsets<T>(xs: T[]): T[][] {
  const out: T[][] = [];
  for (let mask = 1; mask < 1 << xs.length; mask++) out.push(xs.filter((_, i) => mask & (1 << i)));
  return out.sort((a, b) => a.length - b.length);
}

function before(a: SourceRef, b: SourceRef): boolean {
  return a.file !== b.file || a.line < b.line || (a.line === b.line && a.column < b.column);
}

/** Plan a lowered step (identity, law or skip) and run its checks. */
async function planAndCheck(
  base: Omit<StepResult, 'verdict'>,
  lowered: LoweredStep,
  label: string,
  index: number,
  paper: ReadPaper,
  settings: CheckSettings,
): Promise<{ results: StepResult[]; skipped: boolean }> {
  const plan = planStep(lowered.lhs, lowered.rhs, paper.noise, paper.spellings);
  if (plan.mode === 'skip')
    return {
      skipped: true,
      results: [
        { ...base, skipped: true, verdict: { grade: 'inconclusive', evidence: [], reason: plan.reason } },
      ],
    };
  if (plan.mode === 'law') {
    const step = await lawStep(base, lowered, plan.checks, plan.noise, label, paper, settings);
    return { skipped: step.skipped === true, results: [step] };
  }
  return { skipped: false, results: await checkLowered(lowered, paper.domains, label, index, settings) };
}

/** Equality in law of two sides affine in independent N(0, 1) draws: same mean, same variance. */
async function lawStep(
  base: Omit<StepResult, 'verdict'>,
  lowered: LoweredStep,
  checks: LawCheck[],
  noise: string[],
  label: string,
  paper: ReadPaper,
  settings: CheckSettings,
): Promise<StepResult> {
  const t0 = performance.now();
  const verdicts: Verdict[] = [];
  const names = noise.map((n) => nameOf(n, paper)).join(', ');
  for (const [k, c] of checks.entries()) {
    const v = await checkIdentity(c.lhs, c.rhs, {
      domains: paper.domains,
      seed: deriveSeed(settings.seed, `${label}#law${k}`),
      timeBudgetMs: settings.timeBudgetMs,
      crossCheckPoints: settings.crossCheckPoints,
    });
    if (c.what.startsWith('affine') && v.grade !== 'proved' && v.grade !== 'holds-numerically')
      return {
        ...base,
        skipped: true,
        ms: performance.now() - t0,
        verdict: {
          grade: 'inconclusive',
          evidence: [],
          reason: `the sides use different noise variables (${names}) and one side is not affine in them: an equality in law flowproof cannot check`,
        },
      };
    if (!c.what.startsWith('affine')) {
      const { lhs: _lhs, rhs: _rhs, ...verdict } = v;
      verdicts.push(verdict);
    }
  }
  const [mean, variance] = verdicts;
  const both = combine(verdicts);
  const failed = mean.grade === 'refuted' ? 'means' : variance.grade === 'refuted' ? 'variances' : undefined;
  const reason = failed
    ? `equality in law (${names} independent N(0,1)): the ${failed} differ`
    : `equality in law: ${names} read as independent N(0,1) draws; the noise-free parts and the variances agree`;
  return {
    ...base,
    lhsPlain: toPlain(lowered.lhs),
    rhsPlain: toPlain(lowered.rhs),
    reading: 'law',
    ms: performance.now() - t0,
    verdict: { ...both, reason },
  };
}

/** What a statement's steps are checked against: the paper's constraints so far, its bindings. */
interface StepContext {
  constraints: Map<string, string>;
  /** Symbols the statement's checks used (for the assumptions it reports). */
  used: Set<string>;
  bound: ReadonlySet<string>;
  /** The prose introduces the statement (`with \sigma_0 = 0`): it may set a case. */
  introduced: boolean;
}

/** What a refutation of a paper's step may hinge on; the verdict stays refuted only when nothing does. */
async function hinges(
  v: Verdict,
  { lowered, updateRule }: PaperStep & { lowered: LoweredStep },
  label: string,
  paper: ReadPaper,
  settings: CheckSettings,
  { constraints, bound, introduced }: StepContext,
): Promise<Verdict> {
  const point = counterexampleOf(v);
  const inconclusive = (reason: string): Verdict => ({
    grade: 'inconclusive',
    evidence: v.evidence,
    counterexample: point && isPointCounterexample(point) ? point : undefined,
    reason,
  });
  if (updateRule)
    return inconclusive(
      `it uses the update rule for ${updateRule.spelling} of line ${updateRule.position.line}; a paper may state several for one variable (a method it contrasts, a special case)`,
    );
  const left = freeSymbols(lowered.lhs);
  const right = freeSymbols(lowered.rhs);
  const all = new Set([...left, ...right]);
  const relied = [...all].find((n) => constraints.has(n));
  if (relied)
    return inconclusive(
      `refuted over all values, but it may rely on the constraint ${constraints.get(relied)} that the paper imposes, which flowproof cannot use`,
    );
  // `x = \alpha_t z + \beta_t \epsilon`: how x is drawn, not a claim about its value.
  const noisy = (e: Expr) => [...freeSymbols(e)].some((n) => paper.noise.has(n));
  if (
    (lowered.lhs.kind === 'sym' && !noisy(lowered.lhs) && noisy(lowered.rhs)) ||
    (lowered.rhs.kind === 'sym' && !noisy(lowered.rhs) && noisy(lowered.lhs))
  )
    return inconclusive(
      'a sampling statement (a variable drawn as an expression of noise), not an identity of values',
    );
  // `... x_0 + ... x_i = ...(x_i - \sqrt{1-\bar\alpha_i}\epsilon)/\sqrt{\bar\alpha_i} + ...`: noise on one side
  // only, with a state: the step plugs in the state's re-expression through the noise (what the forward
  // process says), not an equality in law, which a random and a fixed side cannot satisfy.
  if (noisy(lowered.lhs) !== noisy(lowered.rhs)) {
    const states = [...all].filter((n) => isState(n, paper));
    if (states.length > 0)
      return inconclusive(
        `one side has noise and the other none: it substitutes a relation between ${states.map((n) => nameOf(n, paper)).join(', ')} and the noise that this step does not state`,
      );
  }
  // `c_{in}(t) = 1/\sqrt{\sigma_d^2 + t^2}` after a general definition with \alpha_t, \sigma_t: a definition
  // restated in a special case the prose sets up ("in this setting", "for the VE SDE").
  const sides = [
    { t: lowered.step.lhs, math: lowered.step.lhsMath ?? lowered.step.math },
    { t: lowered.step.rhs, math: lowered.step.math },
  ];
  const restatedSide = sides.find((s) => isBound(s.t, s.math, bound));
  const restated = restatedSide?.t;
  const restatedSpelling = restatedSide
    ? spelling(canonical(restatedSide.math.tokens, restatedSide.t.from, restatedSide.t.to))
    : '';
  // `\sigma_t(x_1) = \sigma_{1-t} \quad \text{with } \sigma_0 = 0` after `\sigma_0(x_1) = 1`: the prose sets
  // up a case (another schedule, an example) whose values may differ from the general definition.
  if (restated && introduced)
    return inconclusive(
      `it restates the definition of ${restatedSpelling} in a case the prose introduces ("with", "where", "let"): a setting whose values the text may change`,
    );
  if (restated) {
    const oneSided = [...all].filter((n) => left.has(n) !== right.has(n) && !paper.noise.has(n));
    const states = oneSided.filter((n) => isState(n, paper));
    // A state on each side only (`\phi_0(x) = x` restated as `\phi_0(x) = x_0`): a variable renamed.
    const renamed = states.some((n) => left.has(n)) && states.some((n) => right.has(n));
    const fixed = renamed ? oneSided : oneSided.filter((n) => !isState(n, paper));
    if (fixed.length > 0)
      return inconclusive(
        `it restates the definition of ${restatedSpelling} without ${fixed.map((n) => nameOf(n, paper)).join(', ')}: a special case whose values the text may fix`,
      );
  }
  // `\alpha_k` read by the paper's definition of `\alpha_t` (a binding speaks of every index letter): that
  // reading is the paper's only when k is the process's index too, as a state or noise at k or a shifted
  // member (`\bar\alpha_{k-1}`) in the step shows; else `\alpha_k` may be another quantity (a weight).
  const borrowed = otherIndexReading(sides, bound, paper);
  if (borrowed)
    return inconclusive(
      `it reads ${spelling(borrowed.canon)} by the paper's definition of ${spelling(borrowed.from)}, and nothing in the step shows that ${borrowed.letter} indexes the same process (a state or noise at ${borrowed.letter}, or a member at ${borrowed.letter} - 1)`,
    );
  const unknown = unknownFunctions(lowered, paper);
  if (unknown) return inconclusive(`it depends on ${unknown}, which the paper does not define in its math`);
  for (const n of all) {
    const c = paper.spellings.get(n);
    const sibling = c === undefined ? undefined : boundSibling(c, bound, paper);
    if (sibling)
      return inconclusive(
        `${spelling(c!)} is free here while the paper defines ${spelling(sibling)}: its value at this index is not derived`,
      );
  }
  const pair = indexedPair([lowered.lhs, lowered.rhs], paper.noise, paper.spellings);
  if (pair)
    return inconclusive(
      `refuted with ${pair[0]} and ${pair[1]} as independent symbols; the paper may relate them (a recurrence it does not state in math)`,
    );
  const oneSided = [...all]
    .filter((n) => left.has(n) !== right.has(n))
    .map((n) => paper.spellings.get(n) ?? n);
  const constant = oneSided.find((c) => CONSTANTS.test(c));
  if (constant)
    return inconclusive(`equal up to the constant ${spelling(constant)} written on one side only`);
  // `d = \frac{b}{2a} = ...` where b is "the linear coefficient" of the prose: a symbol of no known
  // notation, on one side only, that the paper's math never defines.
  const prose = [...all].filter(
    (n) => left.has(n) !== right.has(n) && paper.assumptions.get(n)?.source === 'default',
  );
  if (prose.length > 0)
    return inconclusive(
      `${prose.map((n) => nameOf(n, paper)).join(', ')} appears on one side only and the paper's math never defines it: the step may use what its prose says of it`,
    );
  const unsigned = [...all].filter((n) => paper.assumptions.get(n)?.source === 'default');
  if (unsigned.length > 0) {
    const domains: Record<string, SymbolDomain> = { ...paper.domains };
    for (const n of unsigned) domains[n] = POSITIVE;
    const again = await checkIdentity(lowered.lhs, lowered.rhs, {
      domains,
      seed: deriveSeed(settings.seed, `${label}#positive`),
      timeBudgetMs: settings.timeBudgetMs,
      crossCheckPoints: settings.crossCheckPoints,
    });
    if (again.grade !== 'refuted') {
      const names = unsigned.map((n) => nameOf(n, paper)).join(', ');
      return inconclusive(
        `refuted for some negative ${names}, but ${again.grade} when ${names} > 0: the paper does not say their sign (declare it with --where)`,
      );
    }
  }
  return v;
}

export /**
 * A function the paper never defines, if the step's truth may hinge on what the paper says of it: it
 * appears on one side only, or at several arguments (`\Phi(x)` and `\Phi(-x)`). One network output
 * written the same on both sides (`\epsilon_\theta(x_t, t)`) is an arbitrary value: no such hinge.
 */
function unknownFunctions(lowered: LoweredStep, paper: ReadPaper): string | undefined {
  const sides = [lowered.lhs, lowered.rhs].map((e) => {
    const calls = new Map<string, Set<string>>();
    for (const n of freeSymbols(e)) {
      const head = paper.opaque.get(n);
      if (head !== undefined) (calls.get(head) ?? calls.set(head, new Set()).get(head)!).add(n);
    }
    collectCalls(e, calls);
    return calls;
  });
  const heads = new Set([...sides[0].keys(), ...sides[1].keys()]);
  for (const h of heads) {
    const [l, r] = [sides[0].get(h), sides[1].get(h)];
    const all = new Set([...(l ?? []), ...(r ?? [])]);
    if (!l || !r || all.size > 1 || l.size !== r.size) return spelling(paper.spellings.get(h) ?? h);
  }
  return undefined;
}

/** Calls of undefined smooth functions (`\beta(t)`), by function name -> the arguments they get. */
function collectCalls(e: Expr, into: Map<string, Set<string>>): void {
  if (e.kind === 'fn') (into.get(e.name) ?? into.set(e.name, new Set()).get(e.name)!).add(toPlain(e.arg));
  if (e.kind === 'add') e.terms.forEach((t) => collectCalls(t, into));
  else if (e.kind === 'mul') e.factors.forEach((t) => collectCalls(t, into));
  else if (e.kind === 'pow') [e.base, e.exp].forEach((t) => collectCalls(t, into));
  else if (e.kind === 'call' || e.kind === 'fn') collectCalls(e.arg, into);
}

/** Is `t` exactly a bound symbol or a bound function's application (`p_t`, `c_{in}(t)`)? */
function isBound(t: Tex, math: ParsedMath, bound: ReadonlySet<string>): boolean {
  if (t.k === 'atom') return bound.has(t.canon);
  if (t.k === 'apply' && t.head.k === 'atom')
    return bound.has(t.head.canon) || bound.has(canonical(math.tokens, t.from, t.to));
  return false;
}

/**
 * A symbol of the step read by a binding of its family at another index letter (lower.ts
 * bindingAtOtherIndex) when the step holds no other member at that letter: no state or noise indexed by
 * it, and no member at a shifted index (`_{k-1}`).
 */
function otherIndexReading(
  sides: { t: Tex; math: ParsedMath }[],
  bound: ReadonlySet<string>,
  paper: ReadPaper,
): { canon: string; from: string; letter: string } | undefined {
  const atoms: string[] = [];
  const noise = new Set([...paper.noise].map((n) => paper.spellings.get(n)));
  const walk = (t: Tex) => (t.k === 'atom' ? atoms.push(t.canon) : childrenOf(t).forEach(walk));
  sides.forEach((s) => walk(s.t));
  for (const c of atoms) {
    if (bound.has(c)) continue;
    const member = otherIndexMember(c, bound);
    if (!member) continue;
    const letter = member.to;
    const timed = atoms.some((a) => {
      const { sub } = familyOf(a);
      if (sub === undefined || !sub.split(' ').includes(letter)) return false;
      const role = notationOf(a)?.role;
      return sub !== letter || role === 'state' || role === 'noise' || noise.has(a);
    });
    if (!timed) return { canon: c, from: member.canon, letter };
  }
  return undefined;
}

function isState(n: string, paper: ReadPaper): boolean {
  const c = paper.spellings.get(n);
  return c !== undefined && notationOf(c)?.role === 'state';
}

/** A bound member of the same family at another index (`X_t` defined, `X_T` free), if any. */
function boundSibling(c: string, bound: ReadonlySet<string>, paper: ReadPaper): string | undefined {
  const { family, sub } = familyOf(c);
  if (sub === undefined || !shiftOf(sub)) return undefined;
  for (const b of bound) {
    // A recurrence (`\bar\alpha_t = \alpha_t \bar\alpha_{t-1}`) leaves its earlier member free on purpose.
    if (paper.recurrences.has(b)) continue;
    const other = familyOf(b);
    if (
      other.family === family &&
      other.sub !== undefined &&
      other.sub !== sub &&
      shiftOf(other.sub) &&
      !other.rest.includes('(')
    )
      return b;
  }
  return undefined;
}

export function summarize(records: ScanRecord[]): ScanSummary {
  const display = records.filter((r) => r.kind === 'display');
  const reasons = new Map<string, number>();
  for (const r of display)
    if (!r.checkable && r.role !== 'definition' && r.reason) {
      const key = reasonKey(r.reason);
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
  const verdicts: Record<string, number> = {};
  for (const r of display) if (r.verdict) verdicts[r.verdict.grade] = (verdicts[r.verdict.grade] ?? 0) + 1;
  return {
    display: display.length,
    inline: records.filter((r) => r.kind === 'inline').length,
    parsed: display.filter((r) => r.parses).length,
    definitions: records.filter((r) => r.role === 'definition').length,
    checkable: display.filter((r) => r.checkable).length,
    checked: display.filter((r) => r.verdict).length,
    verdicts,
    notCheckable: [...reasons.entries()].sort((a, b) => b[1] - a[1]),
  };
}

/** A reason without the names it quotes, so the same kind of reason groups together. */
function reasonKey(reason: string): string {
  return reason
    .replace(/'[^']*'/g, "'…'")
    .replace(/ near .*$/, '')
    .replace(/\([^)]*\)/g, '(…)')
    .replace(/\\[A-Za-z]+/g, '\\…')
    .slice(0, 100);
}
