// Terminal and JSON renderings of conformance results: one line per check, then for a failure the
// smallest failing input with the expected and the obtained values, the error beside the allowed error
// (and their ratio), the first failing input before shrinking, and a multi-stage step's model calls.
import {
  fmt,
  fmtRatio,
  formatValues,
  type CheckResult,
  type CheckStatus,
  type FailingPoint,
  type ModelCall,
} from './result.js';

const LABEL: Record<CheckStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  skip: 'SKIP',
  inconclusive: 'INCONCLUSIVE',
};

/** '|error| 3.2e-3 > allowed 1.1e-6 (ratio 2.9e+3)', or the reason no number can be given. */
export function errorLine(p: FailingPoint): string | undefined {
  if (p.error === undefined || p.allowed === undefined) return undefined;
  if (!Number.isFinite(p.error)) return `no finite value to compare (allowed |error| ${fmt(p.allowed)})`;
  const op = p.ratio !== undefined && p.ratio > 1 ? '>' : '<=';
  return `|error| ${fmt(p.error)} ${op} allowed ${fmt(p.allowed)} (ratio ${fmtRatio(p.ratio ?? p.error / p.allowed)})`;
}

const formatCalls = (calls: readonly ModelCall[]): string =>
  calls.length === 0
    ? 'none'
    : calls.map((c) => `(x=${fmt(c.x)}, t=${fmt(c.t)}) -> ${fmt(c.output)}`).join(', ');

export function formatChecks(title: string, checks: readonly CheckResult[]): string {
  const width = Math.max(...checks.map((c) => c.name.length), 10);
  const lines = [title];
  const pad = `  ${''.padEnd(12)} ${''.padEnd(width)}  `;
  const point = (label: string, p: FailingPoint) => {
    lines.push(`${pad}${label}: ${formatValues(p.inputs)}`);
    lines.push(`${pad}  expected: ${formatValues(p.expected)}`);
    lines.push(`${pad}  got:      ${formatValues(p.got)}`);
    const err = errorLine(p);
    if (err) lines.push(`${pad}  ${err}`);
    if (p.modelCalls) {
      lines.push(`${pad}  model calls of the step:      ${formatCalls(p.modelCalls.module)}`);
      lines.push(`${pad}  model calls of the reference: ${formatCalls(p.modelCalls.reference)}`);
    }
  };
  for (const c of checks) {
    lines.push(`  ${LABEL[c.status].padEnd(12)} ${c.name.padEnd(width)}  ${c.summary}`);
    const e = c.evidence;
    const ce = c.counterexample;
    if (ce) {
      point(c.status === 'fail' ? 'smallest failing input' : 'at', ce);
      if (ce.first) point(`first failing input (input ${ce.first.run}, before shrinking)`, ce.first);
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
      if (facts.length) lines.push(`${pad}  (${facts.join('; ')})`);
    } else if (c.status === 'pass' && e.maxError !== undefined) {
      lines.push(`${pad}  max |error| ${fmt(e.maxError)}${e.seed !== undefined ? `, seed ${e.seed}` : ''}`);
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
