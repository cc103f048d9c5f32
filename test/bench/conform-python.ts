// `npm run bench:conform`: the wall time of `flowproof conform --python <module>` per Python module at the
// default sizes (200 inputs per property, a 4000-sample full run over 50 steps or the module's own grid),
// end to end as a user runs it (node bin/flowproof.js, so run `npm run build` first; Node and Python
// start-up included), beside the same module's JavaScript twin where there is one. Goal: < 10 s per
// Python module. A float-mode copy of the Heun module (model called once per sample, not per batch) is
// timed too, as the slowest way to write a multi-stage step. Prints the load average: the machine is shared.
// Flags: --python EXE (default /usr/bin/python3), --only SUBSTRING.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../../src/cli/command.js';

const args = parseArgs('bench:conform', process.argv.slice(2), {
  values: { python: 'string', only: 'string' },
});
const python = String(args.values.python ?? '/usr/bin/python3');
const only = args.values.only as string | undefined;
const root = fileURLToPath(new URL('../..', import.meta.url));
const zooDir = join(root, 'test/conform/python/zoo');
const torchDir = join(root, 'test/conform/python/torch');
const jsZoo = join(root, 'test/conform/zoo');

const hasTorch = spawnSync(python, ['-c', 'import torch']).status === 0;
const modules = [
  ...readdirSync(zooDir)
    .filter((f) => f.endsWith('.py') && !f.startsWith('np_') && f !== 'lib_discrete.py')
    .map((f) => join(zooDir, f)),
  ...(hasTorch
    ? readdirSync(torchDir)
        .filter((f) => f.endsWith('.py'))
        .map((f) => join(torchDir, f))
    : []),
];
// The Heun module in float mode: the same code, the model called once per sample.
const scratch = mkdtempSync(join(tmpdir(), 'fp-bench-'));
for (const f of readdirSync(zooDir)) if (f.endsWith('.py')) copyFileSync(join(zooDir, f), join(scratch, f));
const floatHeun = join(scratch, 'heun_edm_float.py');
writeFileSync(floatHeun, readFileSync(join(zooDir, 'heun_edm.py'), 'utf8').replace(', "array": "numpy"', ''));
modules.push(floatHeun);

const TWINS: Record<string, string> = {
  k_euler: 'karras-euler',
  bug_karras_rho_inverted: 'bug-karras-rho-inverted',
};
const twinOf = (py: string): string | undefined => {
  const base = py.replace(/\.py$/, '').split('/').pop()!;
  const js = join(jsZoo, `${TWINS[base] ?? base.replaceAll('_', '-')}.ts`);
  return readdirSync(jsZoo).includes(js.split('/').pop()!) ? js : undefined;
};

/** Wall and CPU seconds (user + system of Node and of its Python process: the work, whatever the load). */
function time(argv: string[]): { seconds: number; cpu: number; code: number; run?: number } {
  const quoted = ['node', join(root, 'bin/flowproof.js'), ...argv, '--json'].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%R %U %S'; time ${quoted} 2>/dev/null`], {
    encoding: 'utf8',
    cwd: root,
  });
  const [real, user, sys] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  let run: number | undefined;
  let python = 0;
  try {
    const doc = JSON.parse(r.stdout) as {
      runtimeCpuSeconds?: number;
      checks: { name: string; evidence: { ms?: number } }[];
    };
    run = doc.checks.find((c) => c.name === 'run:gmm')?.evidence.ms;
    python = doc.runtimeCpuSeconds ?? 0;
  } catch {
    process.stderr.write(`${argv.join(' ')}: no report\n`);
  }
  // bash counts Node's CPU; the Python child's, which Node does not wait for, comes from the report.
  return { seconds: real, cpu: user + sys + python, code: r.status ?? -1, run };
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const col = (x: number | undefined, w: number) => (x === undefined ? '-' : x.toFixed(2)).padStart(w);
console.log(`flowproof conform --python, default sizes, ${python}; load average ${load()}`);
console.log(
  `${'module'.padEnd(36)} exit ${'wall s'.padStart(7)} ${'cpu s'.padStart(6)} ${'run s'.padStart(6)} | ${'JS twin wall s'.padStart(14)} ${'cpu s'.padStart(6)}`,
);
const walls: number[] = [];
const cpus: number[] = [];
for (const m of modules) {
  const name = m.split('/').pop()!;
  if (only && !name.includes(only)) continue;
  const py = time(['conform', '--python', m, '--python-exe', python]);
  const twin = twinOf(m);
  const js = twin ? time(['conform', twin]) : undefined;
  walls.push(py.seconds);
  cpus.push(py.cpu);
  console.log(
    `${name.padEnd(36)} ${String(py.code).padStart(4)} ${col(py.seconds, 7)} ${col(py.cpu, 6)} ${col(py.run && py.run / 1000, 6)} | ${col(js?.seconds, 14)} ${col(js?.cpu, 6)}`,
  );
}
const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(2)} s, max ${s.at(-1)!.toFixed(2)} s`;
};
console.log(`${walls.length} modules: wall ${stat(walls)}; cpu ${stat(cpus)}; load average now ${load()}`);
