// Terminal and JSON renderings of conformance results: one line per check, then for a failure the
// smallest failing input with the expected and the obtained values.
import { fmt, formatValues, type CheckResult, type CheckStatus } from './result.js';

const LABEL: Record<CheckStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  skip: 'SKIP',
  inconclusive: 'INCONCLUSIVE',
};

export function formatChecks(title: string, checks: readonly CheckResult[]): string {
  const width = Math.max(...checks.map((c) => c.name.length), 10);
  const lines = [title];
  for (const c of checks) {
    lines.push(`  ${LABEL[c.status].padEnd(12)} ${c.name.padEnd(width)}  ${c.summary}`);
    const e = c.evidence;
    const ce = c.counterexample;
    if (ce) {
      lines.push(
        `  ${''.padEnd(12)} ${''.padEnd(width)}  ${c.status === 'fail' ? 'smallest failing input' : 'at'}: ${formatValues(ce.inputs)}`,
      );
      lines.push(`  ${''.padEnd(12)} ${''.padEnd(width)}    expected: ${formatValues(ce.expected)}`);
      lines.push(`  ${''.padEnd(12)} ${''.padEnd(width)}    got:      ${formatValues(ce.got)}`);
    }
    if (c.status === 'fail' || c.status === 'inconclusive') {
      const facts = [
        e.pointsTried !== undefined
          ? `${c.status === 'fail' ? 'found at input' : 'inputs tried:'} ${e.pointsTried}`
          : undefined,
        ce?.shrinks !== undefined ? `shrinks: ${ce.shrinks}` : undefined,
        e.tolerance,
        e.seed !== undefined ? `seed ${e.seed}` : undefined,
      ].filter(Boolean);
      if (facts.length) lines.push(`  ${''.padEnd(12)} ${''.padEnd(width)}    (${facts.join('; ')})`);
    } else if (c.status === 'pass' && e.maxError !== undefined) {
      lines.push(
        `  ${''.padEnd(12)} ${''.padEnd(width)}    max |error| ${fmt(e.maxError)}${e.seed !== undefined ? `, seed ${e.seed}` : ''}`,
      );
    }
  }
  lines.push(summaryLine(checks));
  return lines.join('\n') + '\n';
}

export function countStatuses(checks: readonly CheckResult[]): Record<CheckStatus, number> {
  const n: Record<CheckStatus, number> = { pass: 0, fail: 0, skip: 0, inconclusive: 0 };
  for (const c of checks) n[c.status]++;
  return n;
}

function summaryLine(checks: readonly CheckResult[]): string {
  const n = countStatuses(checks);
  return `${checks.length} checks: ${n.pass} pass, ${n.fail} fail, ${n.inconclusive} inconclusive, ${n.skip} skipped`;
}
