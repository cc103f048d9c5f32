// `npm run bench:mc`: flowproof's default backend against a NumPy float64 implementation of the same
// workloads (test/bench/mc_numpy.py, run with Debian's /usr/bin/python3), interleaved in one run, several
// repetitions, medians. Each run is its own process (fair peak-memory numbers; start-up is not timed:
// both report the wall time of sampling itself, flowproof including its worker start-up and kernel
// compilation). Flags: --reps R (default 3), --n N (default 100000), --backend B (default js).
import { execFileSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { getTarget, asMixture } from '../../src/targets/index.js';
import { getPath } from '../../src/schedules/index.js';
import { parseArgs } from '../../src/cli/command.js';

const args = parseArgs('bench:mc', process.argv.slice(2), {
  values: { reps: 'number', n: 'number', backend: 'string' },
});
const reps = Number(args.values.reps ?? 3);
const n = Number(args.values.n ?? 100_000);
const backend = String(args.values.backend ?? 'js');
const T_END = 1e-3;
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

interface RunOut {
  seconds: number;
  /** CPU time of all threads (a load-independent measure of work; the goal is on wall time). */
  cpuSeconds: number;
  mean: number[];
  var: number[];
  maxRssMb: number;
}

const workloads = [
  { target: 'gmm-2d-8', sampler: 'reverse-sde-em', steps: 500 },
  { target: 'gmm-2d-8', sampler: 'pf-ode-heun', steps: 250 },
  { target: 'gmm-16d-8', sampler: 'reverse-sde-em', steps: 500 },
  { target: 'gmm-16d-8', sampler: 'pf-ode-heun', steps: 250 },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function runNumpy(w: (typeof workloads)[number], seed: number): RunOut {
  const m = asMixture(getTarget(w.target));
  const rows = (a: Float64Array) =>
    [...Array(m.numComponents).keys()].map((k) => [...a.subarray(k * m.d, (k + 1) * m.d)]);
  const spec = {
    weights: [...m.weights],
    means: rows(m.means),
    variances: rows(m.variances).map((r) => r[0]),
    n,
    steps: w.steps,
    seed,
    sampler: w.sampler,
    tEnd: T_END,
  };
  return JSON.parse(
    execFileSync('/usr/bin/python3', [here('mc_numpy.py')], {
      input: JSON.stringify(spec),
      encoding: 'utf8',
    }),
  );
}

function runFlowproof(w: (typeof workloads)[number], seed: number): RunOut {
  const spec = JSON.stringify({ ...w, n, seed, tEnd: T_END, backend });
  return JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', here('mc-run.ts'), spec], { encoding: 'utf8' }),
  );
}

/** Largest |z| of the per-coordinate sample means against the exact marginal at tEnd. */
function maxMeanZ(w: (typeof workloads)[number], out: RunOut): number {
  const path = getPath('vp-sde');
  const ref = asMixture(getTarget(w.target)).marginal(path.alpha(T_END), path.sigma(T_END));
  const mean = ref.mean();
  const cov = ref.covariance();
  return Math.max(...out.mean.map((m, j) => Math.abs(m - mean[j]) / Math.sqrt(cov[j * ref.d + j] / n)));
}

const rows: string[][] = [];
let minRatio = Infinity;
for (const w of workloads) {
  const np: RunOut[] = [];
  const fp: RunOut[] = [];
  for (let r = 0; r < reps; r++) {
    np.push(runNumpy(w, 100 + r));
    fp.push(runFlowproof(w, 100 + r));
  }
  const rate = (o: RunOut[]) => (n * w.steps) / median(o.map((x) => x.seconds));
  const ratio = rate(fp) / rate(np);
  minRatio = Math.min(minRatio, ratio);
  const z = (o: RunOut[]) => Math.max(...o.map((x) => maxMeanZ(w, x))).toFixed(1);
  rows.push([
    `${w.target} ${w.sampler} ${w.steps}`,
    (rate(np) / 1e6).toFixed(2),
    (rate(fp) / 1e6).toFixed(2),
    ratio.toFixed(2),
    (median(np.map((x) => x.cpuSeconds)) / median(fp.map((x) => x.cpuSeconds))).toFixed(2),
    median(np.map((x) => x.maxRssMb)).toFixed(0),
    median(fp.map((x) => x.maxRssMb)).toFixed(0),
    `${z(np)} / ${z(fp)}`,
  ]);
  process.stderr.write(`done: ${rows[rows.length - 1].join('  ')}\n`);
}
const header = [
  'workload (N = ' + n + ', ' + reps + ' reps, medians)',
  'numpy-f64 Mps/s',
  `flowproof-${backend} Mps/s`,
  'ratio',
  'cpu-time ratio',
  'numpy MB',
  'flowproof MB',
  'max |z| mean np / fp',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
console.log(
  'Mps/s = million particle-steps per second (wall time); cpu-time ratio = numpy CPU s / flowproof CPU s',
);
console.log(
  '(all threads: work done, independent of other load); |z| = sample mean vs the exact marginal at',
);
console.log(
  `t = 1e-3 in standard errors. Load average at the end: ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores.`,
);
console.log(`min ratio vs numpy-f64: ${minRatio.toFixed(2)}`);
