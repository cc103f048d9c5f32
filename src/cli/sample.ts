// `flowproof sample --target T --sampler S --steps N --n N --seed S [...]`: run one sampler with the
// target's exact score and print the sample moments next to the exact ones; optionally write the samples.
import { extname } from 'node:path';
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { getSampler, sample, SAMPLERS, GRID_KINDS, type GridKind } from '../samplers/index.js';
import { DISCRETE_NAMES, getDiscrete, isDiscreteName } from '../schedules/index.js';
import { TARGETS } from '../targets/index.js';
import { BACKENDS } from '../tensor/index.js';
import { parseArgs, type Command } from './command.js';
import { checkWritable, writeTextFile } from './io.js';
import { createProgress } from './progress.js';
import { formatTable } from './table.js';

const MAX_THREADS = 256;

const HELP = `flowproof sample --target NAME --sampler NAME --steps N --n N --seed S [options]

Runs a sampler driven by the target's exact score and prints the sample mean and variance of each
coordinate next to the exact values of the law it should produce (the marginal at the last grid time).

  --target    ${Object.keys(TARGETS).join(', ')}
  --sampler   ${Object.keys(SAMPLERS).join(', ')}
  --steps N   number of steps (default 100)      --n N       particles (default 10000)
  --seed S    random seed (default 1)            --eta E     for ddim and eta-family (default 0)
  --path P    continuous path (default vp-sde; rectified-flow for fm-*)
  --schedule  ${DISCRETE_NAMES.join(', ')} (discrete, for ddpm / ddim; their default without --path)
  --grid G    ${GRID_KINDS.join(', ')} (default uniform)
  --t-start T, --t-end T   grid ends (defaults: noise end; 1e-3 on VP-type paths, else the data end)
  --init exact|prior       start from the exact marginal (default) or N(0, sigma^2 I)
  --backend B auto, ${BACKENDS.join(', ')} (default auto: wasm-simd when its self-check passes, else js; tfjs-node-gpu when installed)
  --threads K worker threads for the js and wasm-simd backends
  --out FILE  write the samples (.json or .csv)
  --json      print the summary as JSON          --quiet     no progress display`;

/** Validate --out before the run, so a bad extension or an unwritable path costs no run. */
function checkOut(file: string): void {
  const ext = extname(file).toLowerCase();
  if (ext !== '.csv' && ext !== '.json')
    throw new InputError(`sample: --out must end in .json or .csv`, {}, file);
  checkWritable(file, 'samples file');
}

function writeSamples(file: string, samples: Float64Array, n: number, d: number, meta: object): void {
  if (extname(file).toLowerCase() === '.csv') {
    const header = [...Array(d).keys()].map((j) => `dim${j}`).join(',');
    const lines = [header];
    for (let i = 0; i < n; i++) lines.push(Array.from(samples.subarray(i * d, (i + 1) * d)).join(','));
    writeTextFile(file, lines.join('\n') + '\n', 'samples file');
  } else {
    const rows = [...Array(n).keys()].map((i) => Array.from(samples.subarray(i * d, (i + 1) * d)));
    const text = JSON.stringify({ schema: 'flowproof-samples/1', ...meta, samples: rows }) + '\n';
    writeTextFile(file, text, 'samples file');
  }
}

export const sampleCommand: Command = {
  summary: 'run a sampler with a target’s exact score; print moments, write samples',
  async run(args) {
    const a = parseArgs('sample', args, {
      values: {
        target: 'string', sampler: 'string', steps: 'number', n: 'number', seed: 'number', eta: 'number',
        path: 'string', schedule: 'string', grid: 'string', 't-start': 'number', 't-end': 'number',
        init: 'string', backend: 'string', threads: 'number', out: 'string',
      },
      booleans: ['json', 'quiet', 'help'],
    }); // prettier-ignore
    if (a.booleans.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    const v = a.values;
    if (a.positional.length > 0) throw new InputError('sample: unexpected argument', {}, a.positional[0]);
    const int = (name: 'steps' | 'n' | 'seed' | 'threads', dflt: number) => {
      const x = v[name] ?? dflt;
      if (!Number.isSafeInteger(x) || x < (name === 'seed' ? 0 : 1)) {
        throw new InputError(
          `sample: --${name} must be an integer >= ${name === 'seed' ? 0 : 1}`,
          {},
          String(x),
        );
      }
      return x;
    };
    const sched = v.schedule;
    if (sched !== undefined && !isDiscreteName(sched)) {
      throw new InputError(
        `sample: unknown schedule '${sched}'${didYouMean(sched, DISCRETE_NAMES)} (known: ${DISCRETE_NAMES.join(', ')})`,
        {},
        sched,
      );
    }
    const init = v.init ?? 'exact';
    if (init !== 'exact' && init !== 'prior')
      throw new InputError(`sample: --init must be exact or prior`, {}, init);
    if (v.target === undefined || v.sampler === undefined) {
      throw new InputError('sample: --target and --sampler are required (see flowproof sample --help)');
    }
    // --eta was silently ignored by the samplers it does not apply to.
    if (v.eta !== undefined && !getSampler(String(v.sampler)).takesEta) {
      const takers = Object.keys(SAMPLERS).filter((k) => SAMPLERS[k].takesEta);
      throw new InputError(
        `sample: --eta applies only to ${takers.join(' and ')}, not to '${v.sampler}'`,
        {},
        '--eta',
      );
    }
    if (v.threads !== undefined) {
      // One worker per thread: --threads 100000 on a large n started that many workers.
      if (!Number.isSafeInteger(v.threads) || v.threads < 1 || v.threads > MAX_THREADS)
        throw new InputError(
          `sample: --threads must be an integer from 1 to ${MAX_THREADS}`,
          {},
          String(v.threads),
        );
      if (typeof v.backend === 'string' && v.backend.startsWith('tfjs'))
        throw new InputError(
          `sample: --threads applies to the js and wasm-simd backends only, not '${v.backend}'`,
          {},
          '--threads',
        );
    }
    if (v.out !== undefined) checkOut(String(v.out));
    const progress = createProgress(`sample ${v.sampler}`, { quiet: a.booleans.quiet });
    const r = await sample({
      target: String(v.target),
      sampler: String(v.sampler),
      numSteps: int('steps', 100),
      n: int('n', 10_000),
      seed: int('seed', 1),
      eta: v.eta,
      path: v.path,
      schedule: sched ? getDiscrete(sched) : undefined,
      grid: v.grid as GridKind | undefined,
      tStart: v['t-start'],
      tEnd: v['t-end'],
      init,
      backend: v.backend,
      threads: v.threads === undefined ? undefined : int('threads', 1),
      onProgress: (f) => progress.update(f),
    });
    progress.done('done');
    const { n, d } = r;
    const refMean = r.reference.mean();
    const refCov = r.reference.covariance();
    const rows = [...Array(d).keys()].map((j) => {
      let m = 0;
      let m2 = 0;
      for (let i = 0; i < n; i++) {
        m += r.samples[i * d + j];
        m2 += r.samples[i * d + j] ** 2;
      }
      m /= n;
      const variance = m2 / n - m * m;
      return {
        coord: j,
        mean: m,
        exactMean: refMean[j],
        se: Math.sqrt(variance / n),
        var: variance,
        exactVar: refCov[j * d + j],
      };
    });
    const meta = {
      target: v.target,
      sampler: r.sampler,
      path: r.path,
      backend: r.backend,
      numSteps: r.numSteps,
      n,
      d,
      seed: r.seed,
      init: r.init,
      tEnd: r.times[r.numSteps],
      threads: r.threads,
      ms: r.ms,
    };
    if (v.out !== undefined) writeSamples(String(v.out), r.samples, n, d, meta);
    if (a.booleans.json) {
      process.stdout.write(
        JSON.stringify({ schema: 'flowproof-sample/1', ...meta, moments: rows }, null, 2) + '\n',
      );
    } else {
      const head = `${r.sampler} on ${v.target}: ${r.path}, ${r.numSteps} steps, n = ${n}, seed ${r.seed}, backend ${r.backend} (${r.threads} thread${r.threads > 1 ? 's' : ''}), ${(r.ms / 1000).toFixed(2)} s`;
      const lines = [head, formatTable(rows.slice(0, 16))];
      if (d > 16) lines.push(`(${d - 16} more coordinates: use --json)`);
      if (v.out !== undefined) lines.push(`samples written to ${v.out}`);
      process.stdout.write(lines.join('\n') + '\n');
    }
    return 0;
  },
};
