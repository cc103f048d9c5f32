// `npm run bench:mc`: flowproof (float64, its automatic backend unless --backend) against NumPy float64
// (test/bench/mc_numpy.py) and, when Debian's python3-torch is installed, PyTorch on CPU in float64 and
// float32 (test/bench/mc_torch.py: torch.set_num_threads(2), OPENBLAS_NUM_THREADS=1), on the same
// workloads, interleaved (engine after engine within each repetition), medians of the repetitions.
// Each run is its own process (its own peak memory; start-up is not timed: every engine reports the wall
// time of sampling itself, flowproof's including worker start-up and kernel compilation; flowproof runs
// from dist/, built first, as the CLI does).
// Then a scaling table (reverse-SDE EM on synthetic isotropic mixtures, N x d x K) and the fraction of
// the compute ceiling reached on the d = 2 reverse SDE. The last line is `min ratio vs torch-f32: X`
// (or `vs numpy-f64` without torch). Flags: --reps R (3), --n N (100000), --backend B (auto),
// --scaling-steps S (20), --scaling-max-n N (1000000), --no-scaling, --no-torch (leave PyTorch out).
import { execFileSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src/core/rng.js';
import { getTarget, asMixture, GaussianMixture } from '../../src/targets/index.js';
import { getPath } from '../../src/schedules/index.js';
import { parseArgs } from '../../src/cli/command.js';

const args = parseArgs('bench:mc', process.argv.slice(2), {
  values: {
    reps: 'number',
    n: 'number',
    backend: 'string',
    'scaling-steps': 'number',
    'scaling-max-n': 'number',
  },
  booleans: ['no-scaling', 'no-torch'],
});
const reps = Number(args.values.reps ?? 3);
const n = Number(args.values.n ?? 100_000);
const backend = String(args.values.backend ?? 'auto');
const scalingSteps = Number(args.values['scaling-steps'] ?? 20);
const scalingMaxN = Number(args.values['scaling-max-n'] ?? 1_000_000);
const T_END = 1e-3;
/** Compute ceiling of this machine for the d = 2 reverse SDE, particle-steps/s (issue 17: measured peaks). */
const CEILING = 280e6;
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
// flowproof runs from the compiled package (mc-run.ts): build it from the current sources first.
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: here('../..'), stdio: 'inherit' });

interface RunOut {
  seconds: number;
  /** CPU time of all threads (a load-independent measure of work; the goal is on wall time). */
  cpuSeconds: number;
  mean: number[];
  var: number[];
  maxRssMb: number;
  backend?: string;
}

interface Workload {
  label: string;
  target: GaussianMixture;
  /** A built-in target's name (flowproof looks it up), else the mixture is passed whole. */
  name?: string;
  sampler: string;
  steps: number;
  n: number;
}

const builtIn = (name: string, sampler: string, steps: number): Workload => ({
  label: `${name} ${sampler} ${steps}`,
  target: asMixture(getTarget(name)),
  name,
  sampler,
  steps,
  n,
});
const workloads = [
  builtIn('gmm-2d-8', 'reverse-sde-em', 500),
  builtIn('gmm-2d-8', 'pf-ode-heun', 250),
  builtIn('gmm-16d-8', 'reverse-sde-em', 500),
  builtIn('gmm-16d-8', 'pf-ode-heun', 250),
];

const torchAvailable = (() => {
  if (args.booleans['no-torch']) return false;
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
type Engine = 'numpy-f64' | 'torch-f64' | 'torch-f32' | 'flowproof';
const engines: Engine[] = torchAvailable
  ? ['numpy-f64', 'torch-f64', 'torch-f32', 'flowproof']
  : ['numpy-f64', 'flowproof'];
const reference: Engine = torchAvailable ? 'torch-f32' : 'numpy-f64';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function mixtureSpec(w: Workload) {
  const m = w.target;
  const rows = (a: Float64Array) =>
    [...Array(m.numComponents).keys()].map((k) => [...a.subarray(k * m.d, (k + 1) * m.d)]);
  return { weights: [...m.weights], means: rows(m.means), variances: rows(m.variances).map((r) => r[0]) };
}

function runPython(script: string, spec: object, env: NodeJS.ProcessEnv = process.env): RunOut {
  return JSON.parse(
    execFileSync('/usr/bin/python3', [here(script)], {
      input: JSON.stringify(spec),
      encoding: 'utf8',
      env,
      maxBuffer: 1 << 26,
    }),
  );
}

function run(engine: Engine, w: Workload, seed: number): RunOut {
  const common = { n: w.n, steps: w.steps, seed, sampler: w.sampler, tEnd: T_END };
  if (engine === 'numpy-f64') return runPython('mc_numpy.py', { ...mixtureSpec(w), ...common });
  if (engine !== 'flowproof') {
    const dtype = engine === 'torch-f64' ? 'float64' : 'float32';
    const env = { ...process.env, OPENBLAS_NUM_THREADS: '1' };
    return runPython('mc_torch.py', { ...mixtureSpec(w), ...common, dtype, threads: 2 }, env);
  }
  const target = w.name ?? { name: w.label, ...mixtureSpec(w) };
  const spec = JSON.stringify({ ...common, target, backend });
  return JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', here('mc-run.ts'), spec], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    }),
  );
}

/** Largest |z| of the per-coordinate sample means against the exact marginal at tEnd. */
function maxMeanZ(w: Workload, out: RunOut): number {
  const path = getPath('vp-sde');
  const ref = w.target.marginal(path.alpha(T_END), path.sigma(T_END));
  const mean = ref.mean();
  const cov = ref.covariance();
  return Math.max(...out.mean.map((m, j) => Math.abs(m - mean[j]) / Math.sqrt(cov[j * ref.d + j] / w.n)));
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
}

/** Interleaved repetitions of every engine on w: per engine, the runs. */
function measure(w: Workload, engineList: Engine[], repetitions: number): Map<Engine, RunOut[]> {
  const out = new Map<Engine, RunOut[]>(engineList.map((e) => [e, []]));
  for (let r = 0; r < repetitions; r++) for (const e of engineList) out.get(e)!.push(run(e, w, 100 + r));
  return out;
}
const rate = (w: Workload, o: RunOut[]) => (w.n * w.steps) / median(o.map((x) => x.seconds));
const mps = (v: number) => (v / 1e6).toFixed(2);

// 1. The four workloads.
const rows: string[][] = [];
let minRatio = Infinity;
let flowproofBackend = backend;
let d2Rate = 0;
for (const w of workloads) {
  const runs = measure(w, engines, reps);
  const fp = runs.get('flowproof')!;
  flowproofBackend = fp[0].backend ?? backend;
  const ratio = rate(w, fp) / rate(w, runs.get(reference)!);
  minRatio = Math.min(minRatio, ratio);
  if (w.target.d === 2 && w.sampler === 'reverse-sde-em') d2Rate = rate(w, fp);
  rows.push([
    w.label,
    ...engines.map((e) => mps(rate(w, runs.get(e)!))),
    ratio.toFixed(2),
    engines.map((e) => median(runs.get(e)!.map((x) => x.maxRssMb)).toFixed(0)).join(' / '),
    engines.map((e) => Math.max(...runs.get(e)!.map((x) => maxMeanZ(w, x))).toFixed(1)).join(' / '),
  ]);
  process.stderr.write(`done: ${rows[rows.length - 1].join('  ')}\n`);
}
console.log(
  `N = ${n}, ${reps} interleaved repetitions, medians; Mps/s = million particle-steps per second (wall time)`,
);
if (!torchAvailable)
  console.log(
    args.booleans['no-torch']
      ? 'PyTorch left out (--no-torch): flowproof is compared with NumPy'
      : 'PyTorch is not installed (apt-get install python3-torch): flowproof is compared with NumPy',
  );
printTable(
  [
    'workload',
    ...engines.map((e) => `${e === 'flowproof' ? `flowproof-${flowproofBackend}` : e} Mps/s`),
    `ratio vs ${reference}`,
    `peak MB ${engines.join(' / ')}`,
    'max |z| of the means',
  ],
  rows,
);
console.log(
  '|z| = sample mean vs the exact marginal at t = 1e-3 in standard errors (a wrong sampler shows here).',
);
console.log(
  `Compute ceiling (d = 2 reverse SDE, ${CEILING / 1e6} M particle-steps/s): flowproof reaches ` +
    `${((100 * d2Rate) / CEILING).toFixed(1)}% (${mps(d2Rate)} M/s).`,
);

// 2. Scaling: reverse-SDE EM on isotropic mixtures with K components in d dimensions.
if (!args.booleans['no-scaling']) {
  const scaleEngines: Engine[] = ['flowproof', reference];
  const srows: string[][] = [];
  for (const K of [8, 64]) {
    for (const d of [2, 16, 64]) {
      const rng = new Rng(1000 * K + d);
      const means = [...Array(K)].map(() => [...rng.fillNormal(new Float64Array(d))].map((z) => 2 * z));
      const target = new GaussianMixture(`iso-${d}d-${K}`, {
        weights: Array(K).fill(1),
        means,
        variances: 0.25,
      });
      for (const N of [1e4, 1e5, 1e6].filter((v) => v <= scalingMaxN)) {
        const w: Workload = {
          label: `N=${N} d=${d} K=${K}`,
          target,
          sampler: 'reverse-sde-em',
          steps: scalingSteps,
          n: N,
        };
        const runs = measure(w, scaleEngines, 1);
        srows.push([
          w.label,
          ...scaleEngines.map((e) => (rate(w, runs.get(e)!) / 1e6).toPrecision(3)),
          ...scaleEngines.map((e) => ((1e9 * runs.get(e)![0].seconds) / (N * scalingSteps)).toFixed(0)),
          scaleEngines.map((e) => runs.get(e)![0].maxRssMb.toFixed(0)).join(' / '),
        ]);
        process.stderr.write(`scaling: ${srows[srows.length - 1].join('  ')}\n`);
      }
    }
  }
  console.log(`Scaling: reverse-SDE EM, ${scalingSteps} steps, one run each`);
  printTable(
    [
      'N, d, K',
      ...scaleEngines.map((e) => `${e} Mps/s`),
      ...scaleEngines.map((e) => `${e} ns/particle-step`),
      `peak MB ${scaleEngines.join(' / ')}`,
    ],
    srows,
  );
}
console.log(`Load average at the end: ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores.`);
console.log(`min ratio vs ${reference}: ${minRatio.toFixed(2)}`);
