// The terminal rendering of verify and scan results: one line per claim (id, grade, expectation, time),
// and under a claim that does not match its expectation, the failing step with its file:line and
// counterexample. Plain text (no colour codes), so it reads the same in a log.
import { showRuleUse, type Grade, type Verdict } from '../core/verdict.js';
import { counterexampleText, printedPoint } from './evidence.js';
import { formatMs } from './format.js';
import { matchOf, type ClaimResult, type ScanReport, type StepResult, type VerifyReport } from './types.js';

const MARK = { match: 'ok  ', mismatch: 'FAIL', skipped: 'skip' };

function describe(v: Verdict): string {
  const parts: string[] = [];
  const point = printedPoint(v);
  if (point) parts.push(counterexampleText(point));
  if (v.reason) parts.push(v.reason);
  return parts.join('; ');
}

function stepLine(s: StepResult): string {
  const where = `${s.position.file}:${s.position.line}:${s.position.column}`;
  const what = s.kind === 'experiment' ? `experiment ${s.lhs}` : `${s.lhs}  =  ${s.rhs}`;
  const why = describe(s.verdict);
  return `      step ${s.index} (${s.kind}) ${s.verdict.grade} at ${where}\n        ${what}${why ? `\n        ${why}` : ''}`;
}

/** The steps worth showing under a claim: those that decided a mismatch. */
function culprits(c: ClaimResult): StepResult[] {
  if (c.matches && c.expected === 'holds') return [];
  if (c.verdict.grade === 'refuted') return c.steps.filter((s) => s.verdict.grade === 'refuted');
  return c.steps.filter((s) => s.verdict.grade === 'inconclusive' || s.verdict.grade === 'refuted');
}

/** The normal form's rewrites that rest on a sign the domains certify, over a claim's steps (each once). */
function assumedRules(c: ClaimResult): string[] {
  const shown = new Set<string>();
  for (const s of c.steps)
    for (const e of s.verdict.evidence)
      if (e.kind === 'symbolic') for (const u of e.rules ?? []) if (u.needs) shown.add(showRuleUse(u));
  return [...shown].map((r) => `      proved by normal form: ${r}`);
}

export function formatClaimLine(c: ClaimResult, idWidth = 0): string {
  const expect = c.expected === 'refuted' ? ' (expected refuted: erratum)' : '';
  const mark = MARK[matchOf(c)];
  const grade = c.skipped ? 'skipped' : c.verdict.grade;
  const notRun = c.skipped ? 0 : c.steps.filter((s) => s.skipped).length;
  const note = notRun > 0 ? ` (${notRun} Monte-Carlo step${notRun > 1 ? 's' : ''} skipped)` : '';
  const head = `${mark} ${c.id.padEnd(idWidth)}  ${grade.padEnd(17)} ${formatMs(c.ms).padStart(8)}${expect}${note}`;
  if (c.skipped) return head;
  const rules = c.verdict.grade === 'proved' ? assumedRules(c) : [];
  const shown = culprits(c);
  const limit = c.matches ? 1 : shown.length;
  return [head, ...rules, ...shown.slice(0, limit).map(stepLine)].join('\n');
}

export function formatVerifyReport(r: VerifyReport): string {
  const w = Math.max(0, ...r.claims.map((c) => c.id.length));
  const lines = r.claims.map((c) => formatClaimLine(c, w));
  const grades = (Object.entries(r.summary.byGrade) as [Grade, number][])
    .filter(([, n]) => n > 0)
    .map(([g, n]) => `${n} ${g}`)
    .join(', ');
  const skipped = r.summary.skipped > 0 ? `; ${r.summary.skipped} skipped (--no-mc)` : '';
  lines.push(
    '',
    `${r.summary.matching}/${r.summary.total - r.summary.skipped} claims as expected (${grades})${skipped}; seed ${r.seed}; ${formatMs(r.summary.ms)}`,
  );
  return lines.join('\n');
}

export function formatScanReport(r: ScanReport): string {
  const lines: string[] = [];
  for (const e of r.records) {
    if (e.kind === 'inline' && e.role !== 'definition' && !e.verdict && e.parses) continue;
    const status = !e.parses
      ? 'no parse'
      : e.verdict
        ? e.verdict.grade
        : e.role === 'claim'
          ? 'not checked'
          : e.role;
    const latex = e.latex.replace(/\s+/g, ' ').trim();
    const short = latex.length > 70 ? latex.slice(0, 67) + '...' : latex;
    if (e.kind === 'problem') {
      lines.push(`${e.file}:${e.line}:${e.column}  problem           ${e.reason}`);
      continue;
    }
    const where = `${e.file}:${e.line}:${e.column}${e.kind === 'inline' ? ' (inline)' : ''}`;
    lines.push(`${where}  ${status.padEnd(17)} ${short}`);
    if (e.defines?.length) lines.push(`      defines ${e.defines.join(', ')}`);
    const why = e.reason ?? (e.verdict ? describe(e.verdict) : undefined);
    if (why) lines.push(`      ${why}`);
    for (const s of e.steps ?? []) {
      if (s.kind !== 'equation' || (e.steps?.length ?? 0) < 2 || s.verdict.grade === e.verdict?.grade)
        continue;
      lines.push(
        `      step ${s.lhs} = ${s.rhs}: ${s.verdict.grade}${s.verdict.reason ? ` (${s.verdict.reason})` : ''}`,
      );
    }
    if (e.verdict && e.assumptions?.length)
      lines.push(
        `      assuming ${e.assumptions.map((a) => `${a.symbol} ${domainText(a.domain)} (${a.source})`).join(', ')}`,
      );
  }
  const s = r.summary;
  const verdicts = Object.entries(s.verdicts)
    .map(([g, n]) => `${n} ${g}`)
    .join(', ');
  lines.push(
    '',
    `${s.display} display statements: ${s.parsed} parse, ${s.definitions} definitions, ${s.checkable} checkable, ${s.checked} checked${verdicts ? ` (${verdicts})` : ''}; ${s.inline} inline`,
  );
  if (s.notCheckable.length > 0) {
    lines.push('not checkable:');
    for (const [reason, n] of s.notCheckable.slice(0, 12))
      lines.push(`  ${String(n).padStart(4)}  ${reason}`);
  }
  return lines.join('\n');
}

function domainText(d: string): string {
  return /^[<>]/.test(d) ? d : d === 'real' ? 'real' : `in ${d}`;
}
