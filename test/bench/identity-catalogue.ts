// Benchmark: the whole soundness catalogue through `checkIdentity` at the CLI defaults (seed 1, 100
// points, 20 s budget), side by side with SymPy's simplify(lhs - rhs) on the same expressions in one
// run (the reference the identity-engine issue measured). Reports per-identity times, the distribution,
// proved vs holds-numerically, and median ratios. Run: npx tsx test/bench/identity-catalogue.ts [repeats]
import { spawnSync } from 'node:child_process';
import { checkIdentity } from '../../src/identity/index.js';
import { closeCasWorker } from '../../src/symbolic/cas.js';
import { type Expr, freeSymbols, sub, symbolDomain } from '../../src/symbolic/index.js';
import { CATALOGUE, entrySides } from '../identity/catalogue.js';
import { casText } from './identity-cas-text.js';

const repeats = Number(process.argv[2] ?? 3);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (xs: number[], q: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

interface Row {
  name: string;
  holds: boolean;
  grade: string;
  strategy: string;
  ms: number[];
  sympyMs?: number;
  sympyZero?: boolean;
}

const rows: Row[] = [];
const sympyJobs: { id: number; expr: string; positive: string[]; nonneg: string[] }[] = [];
for (const [id, e] of CATALOGUE.entries()) {
  const { lhs, rhs, domains } = entrySides(e);
  const row: Row = { name: e.name, holds: e.holds, grade: '', strategy: '', ms: [] };
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    const r = await checkIdentity(lhs, rhs, { domains, seed: 1 });
    row.ms.push(performance.now() - t0);
    row.grade = r.grade;
    const p = r.evidence.find((x) => x.kind === 'symbolic');
    row.strategy = p?.kind === 'symbolic' ? p.strategy : '';
  }
  rows.push(row);
  const names = new Map<string, string>();
  const residual: Expr = sub(lhs, rhs);
  const expr = casText(residual, 'sympy', names);
  const positive: string[] = [];
  const nonneg: string[] = [];
  for (const s of freeSymbols(residual)) {
    const d = symbolDomain(domains, s);
    if (d.lo > 0 || (d.lo === 0 && d.loOpen)) positive.push(names.get(s)!);
    else if (d.lo === 0) nonneg.push(names.get(s)!);
  }
  sympyJobs.push({ id, expr, positive, nonneg });
}
await closeCasWorker();

const PY = String.raw`
import json, sys, time, signal
import sympy as sp
def alarm(*_): raise TimeoutError()
signal.signal(signal.SIGALRM, alarm)
for line in sys.stdin:
    job = json.loads(line)
    names = set(__import__('re').findall(r'\bv\d+\b', job['expr']))
    syms = {n: sp.Symbol(n, positive=True) if n in job['positive'] else sp.Symbol(n, nonnegative=True) if n in job['nonneg'] else sp.Symbol(n, real=True) for n in names}
    e = sp.sympify(job['expr'], locals=syms)
    t0 = time.perf_counter(); zero = None
    signal.alarm(60)
    try:
        zero = sp.simplify(e) == 0
    except TimeoutError:
        zero = None
    signal.alarm(0)
    print(json.dumps({'id': job['id'], 'zero': zero, 'ms': (time.perf_counter() - t0) * 1000}), flush=True)
`;
const py = spawnSync('/usr/bin/python3', ['-c', PY], {
  input: sympyJobs.map((j) => JSON.stringify(j)).join('\n') + '\n',
  encoding: 'utf8',
  timeout: 900_000,
});
if (py.status === 0) {
  for (const line of py.stdout.trim().split('\n')) {
    const r = JSON.parse(line) as { id: number; zero: boolean | null; ms: number };
    rows[r.id].sympyMs = r.ms;
    rows[r.id].sympyZero = r.zero ?? undefined;
  }
} else process.stderr.write(`SymPy reference unavailable: ${py.stderr.slice(0, 300)}\n`);

console.log(
  `name | expected | flowproof verdict | prover | flowproof median ms (${repeats} runs) | SymPy simplify ms | SymPy says 0`,
);
for (const r of rows)
  console.log(
    `${r.name} | ${r.holds ? 'holds' : 'false'} | ${r.grade} | ${r.strategy || '-'} | ${median(r.ms).toFixed(0)} | ${r.sympyMs?.toFixed(0) ?? '-'} | ${r.sympyZero ?? '-'}`,
  );
const per = rows.map((r) => median(r.ms));
const trueRows = rows.filter((r) => r.holds);
console.log(
  `\nidentities: ${rows.length} (${trueRows.length} true, ${rows.length - trueRows.length} mistakes)`,
);
console.log(
  `true identities: proved ${trueRows.filter((r) => r.grade === 'proved').length}, holds-numerically ${trueRows.filter((r) => r.grade === 'holds-numerically').length}, other ${trueRows.filter((r) => !/^(proved|holds-numerically)$/.test(r.grade)).length}`,
);
console.log(
  `mistakes refuted: ${rows.filter((r) => !r.holds && r.grade === 'refuted').length} of ${rows.length - trueRows.length}`,
);
console.log(
  `flowproof ms per identity: min ${quantile(per, 0).toFixed(0)}, p25 ${quantile(per, 0.25).toFixed(0)}, median ${median(per).toFixed(0)}, p75 ${quantile(per, 0.75).toFixed(0)}, p90 ${quantile(per, 0.9).toFixed(0)}, max ${quantile(per, 1).toFixed(0)}`,
);
const sym = rows.filter((r) => r.sympyMs !== undefined);
if (sym.length) {
  const s = sym.map((r) => r.sympyMs!);
  console.log(
    `SymPy simplify ms per identity: median ${median(s).toFixed(0)}, max ${Math.max(...s).toFixed(0)}; proves ${trueRows.filter((r) => r.sympyZero).length} of ${trueRows.length} true; says 0 for ${rows.filter((r) => !r.holds && r.sympyZero).length} mistakes`,
  );
  console.log(
    `ratio of medians flowproof check / SymPy simplify: ${(median(per) / median(s)).toFixed(2)} (flowproof includes the 100-point 72-digit falsifier)`,
  );
}
