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

function time(argv: string[]): { seconds: number; code: number; run?: number } {
  const started = process.hrtime.bigint();
  const r = spawnSync('node', [join(root, 'bin/flowproof.js'), ...argv, '--json'], {
    encoding: 'utf8',
    cwd: root,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let run: number | undefined;
  try {
    const doc = JSON.parse(r.stdout) as { checks: { name: string; evidence: { ms?: number } }[] };
    run = doc.checks.find((c) => c.name === 'run:gmm')?.evidence.ms;
  } catch {
    process.stderr.write(`${argv.join(' ')}: ${r.stderr}\n`);
  }
  return { seconds, code: r.status ?? -1, run };
}

console.log(
  `flowproof conform --python, default sizes, ${python}; load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log(
  `${'module'.padEnd(40)} ${'exit'.padStart(4)} ${'python s'.padStart(9)} ${'run:gmm s'.padStart(10)} ${'js twin s'.padStart(10)} ${'ratio'.padStart(6)}`,
);
const times: number[] = [];
for (const m of modules) {
  const name = m.split('/').pop()!;
  if (only && !name.includes(only)) continue;
  const py = time(['conform', '--python', m, '--python-exe', python]);
  const twin = twinOf(m);
  const js = twin ? time(['conform', twin]) : undefined;
  times.push(py.seconds);
  console.log(
    `${name.padEnd(40)} ${String(py.code).padStart(4)} ${py.seconds.toFixed(2).padStart(9)} ${(py.run !== undefined ? (py.run / 1000).toFixed(2) : '-').padStart(10)} ${(js ? js.seconds.toFixed(2) : '-').padStart(10)} ${(js ? (py.seconds / js.seconds).toFixed(1) : '-').padStart(6)}`,
  );
}
const sorted = [...times].sort((a, b) => a - b);
console.log(
  `${times.length} modules: median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} s, max ${sorted.at(-1)!.toFixed(2)} s; load average now ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
