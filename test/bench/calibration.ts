// `npm run calibrate`: the calibration of every statistical experiment at its DEFAULT size (what
// `verify` runs), over many seeds, on true claims. The CI test (test/experiments/calibration.test.ts)
// runs the same check at reduced sizes to fit its budget; this script is the full-size measurement,
// ~35 s per seed for all seven experiments here (the two exact ones are checked to pass at every seed). Rates at the default alpha and, from the same runs'
// Holm-adjusted p-values, at 0.01 and 0.05, with exact 99% binomial CIs; refinement off (it can only
// turn a rejection into a numerical error, so these rates bound the default procedure's from above).
// Flags: --seeds N (default 100), --first S (default 1000: seeds not used by the CI test), --only NAME.
import { parseArgs } from '../../src/cli/command.js';
import { ALPHA } from '../../src/experiments/common.js';
import { getExperiment, runExperiment } from '../../src/experiments/index.js';
import { binomialInterval } from '../../src/stats/index.js';

const args = parseArgs('calibrate', process.argv.slice(2), {
  values: { seeds: 'number', first: 'number', only: 'string' },
});
const seeds = (args.values.seeds as number | undefined) ?? 100;
const first = (args.values.first as number | undefined) ?? 1000;
const only = args.values.only as string | undefined;
const LEVELS = [ALPHA, 0.01, 0.05];
const NAMES = [
  'tweedie-score',
  'sampler-recovers-data',
  'pf-ode-vs-sde-marginals',
  'eta-family-marginals',
  'convergence-order',
].filter((n) => !only || n === only);
// Exact computations have no alpha: on a true claim they must pass at every seed.
const EXACT = ['cnf-likelihood', 'ddim-is-euler'].filter((n) => !only || n === only);

let miscalibrated = 0;
for (const name of NAMES) {
  const start = performance.now();
  const rejections = LEVELS.map(() => 0);
  let errors = 0;
  const params = 'refine' in getExperiment(name).params ? { refine: 'off' } : {};
  for (let seed = first; seed < first + seeds; seed++) {
    try {
      const r = await runExperiment(name, params, { seed });
      const smallest = Math.min(...(r.data!.holmAdjusted as number[]));
      LEVELS.forEach((a, i) => smallest <= a && rejections[i]++);
    } catch (err) {
      errors++; // a numerical error is neither a pass nor a rejection; counted and shown
      process.stderr.write(`${name} seed ${seed}: ${(err as Error).message}\n`);
    }
  }
  const n = seeds - errors;
  const parts = LEVELS.map((a, i) => {
    const [lo, hi] = binomialInterval(rejections[i], n, 0.99);
    if (lo > a) miscalibrated++;
    return `alpha ${a}: ${rejections[i]}/${n} [${lo.toFixed(3)}, ${hi.toFixed(3)}]`;
  });
  const secs = (performance.now() - start) / 1000;
  console.log(`${name.padEnd(24)} ${parts.join('; ')}; errors ${errors}; ${secs.toFixed(0)} s`);
}
let exactFailures = 0;
for (const name of EXACT) {
  const start = performance.now();
  let failed = 0;
  for (let seed = first; seed < first + seeds; seed++) {
    const r = await runExperiment(name, {}, { seed });
    if (!r.passed) {
      failed++;
      process.stderr.write(`${name} seed ${seed}: ${r.notes[0]}\n`);
    }
  }
  exactFailures += failed;
  const secs = (performance.now() - start) / 1000;
  console.log(
    `${name.padEnd(24)} exact: failed at ${failed}/${seeds} seeds (must be 0); ${secs.toFixed(0)} s`,
  );
}
console.log(
  `seeds ${first}..${first + seeds - 1}; rates whose 99% CI lies above alpha: ${miscalibrated}; exact failures: ${exactFailures}`,
);
process.exit(miscalibrated === 0 && exactFailures === 0 ? 0 : 1);
