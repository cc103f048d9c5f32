// JUnit XML for CI: one testsuite, one testcase per claim; a claim that does not match its expectation
// is a <failure> carrying the deciding step, its position and counterexample.
import { counterexampleText, evidenceLine, printedPoint } from './evidence.js';
import { matchOf, type ClaimResult, type VerifyReport } from './types.js';

function isXmlChar(c: string): boolean {
  const code = c.codePointAt(0) ?? 0;
  return code >= 0x20 || code === 0x9 || code === 0xa || code === 0xd;
}

export function escapeXmlText(s: string): string {
  return (
    s
      .replace(
        /[<>&'"]/g,
        (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string,
      )
      // XML 1.0 forbids most control characters even when escaped.
      .replace(/./gsu, (c) => (isXmlChar(c) ? c : ''))
  );
}

function failureText(c: ClaimResult): string {
  const lines = [
    `expected ${c.expected}, got ${c.verdict.grade}${c.verdict.reason ? `: ${c.verdict.reason}` : ''}`,
  ];
  for (const s of c.steps) {
    if (s.verdict.grade !== 'refuted' && s.verdict.grade !== 'inconclusive') continue;
    lines.push(
      `step ${s.index} ${s.verdict.grade} at ${s.position.file}:${s.position.line}:${s.position.column}: ${s.lhs} = ${s.rhs}`,
    );
    const ce = printedPoint(s.verdict);
    if (ce) lines.push(`  ${counterexampleText(ce)}`);
    if (s.verdict.reason) lines.push(`  ${s.verdict.reason}`);
    // The identity engine's evidence, and exact checks out of tolerance (failing tests are in the reason).
    const shown = s.verdict.evidence.filter((e) =>
      e.kind === 'exact' ? !(e.value <= e.tolerance) : e.kind !== 'monte-carlo',
    );
    for (const e of shown) lines.push(`  ${evidenceLine(e)}`);
  }
  return lines.join('\n');
}

export function toJunit(r: VerifyReport): string {
  const cases = r.claims.map((c) => {
    const name = escapeXmlText(c.id);
    const attrs = `classname="flowproof.${name}" name="${escapeXmlText(c.title)}" file="${escapeXmlText(c.file)}" time="${(c.ms / 1000).toFixed(3)}"`;
    const how = matchOf(c);
    if (how === 'match') return `    <testcase ${attrs}/>`;
    if (how === 'skipped')
      return `    <testcase ${attrs}>\n      <skipped message="Monte-Carlo layer skipped (--no-mc)"/>\n    </testcase>`;
    const msg = escapeXmlText(`expected ${c.expected}, got ${c.verdict.grade}`);
    return `    <testcase ${attrs}>\n      <failure message="${msg}" type="${c.verdict.grade}">${escapeXmlText(failureText(c))}</failure>\n    </testcase>`;
  });
  const failures = r.summary.mismatching;
  const skipped = r.summary.skipped;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="flowproof verify" tests="${r.claims.length}" failures="${failures}" time="${(r.summary.ms / 1000).toFixed(3)}">`,
    `  <testsuite name="derivations" tests="${r.claims.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${(r.summary.ms / 1000).toFixed(3)}" timestamp="${escapeXmlText(r.startedAt)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
