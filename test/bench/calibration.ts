// `npm run calibrate`: the calibration of every statistical experiment at its DEFAULT size (what
// `verify` runs), over many seeds, on true claims. The CI test (test/experiments/calibration.test.ts)
// runs the same check at reduced sizes to fit its budget; this script is the full-size measurement
// (the exact-computation experiments are checked to pass at every seed). Rates at the default alpha and,
// from the same runs' Holm-adjusted p-values, at 0.01 and 0.05, with exact 99% binomial CIs; refinement
// off (it can only turn a rejection into a numerical error, so these rates bound the default procedure's
// from above). The same calibration runs from the CLI, whole or split over a cluster:
// `flowproof run EXP --seeds 1000-1099` and `flowproof slurm EXP --seeds 1000-1099 --shards 20`.
// Flags: --seeds N (default 100), --first S (default 1000: seeds not used by the CI test), --only NAME.
import { parseArgs } from '../../src/cli/command.js';
import { runExperiment } from '../../src/experiments/index.js';
import {
  calibrationLines,
  runCalibrationShard,
  summarizeCalibration,
} from '../../src/experiments/calibration.js';

const args = parseArgs('calibrate', process.argv.slice(2), {
  values: { seeds: 'number', first: 'number', only: 'string' },
});
const seeds = (args.values.seeds as number | undefined) ?? 100;
const first = (args.values.first as number | undefined) ?? 1000;
const only = args.values.only as string | undefined;
const NAMES = [
  'tweedie-score',
  'sampler-recovers-data',
  'pf-ode-vs-sde-marginals',
  'eta-family-marginals',
  'convergence-order',
  'entropic-ot-sinkhorn',
  'sb-sde-marginals',
  'coupling-straightness',
].filter((n) => !only || n === only);
// Exact computations have no alpha: on a true claim they must pass at every seed.
const EXACT = ['cnf-likelihood', 'ddim-is-euler'].filter((n) => !only || n === only);

let miscalibrated = 0;
for (const name of NAMES) {
  const start = performance.now();
  const range: [number, number] = [first, first + seeds - 1];
  const file = await runCalibrationShard(name, {}, range, 0, 1, {});
  for (const r of file.records) if (r.error) process.stderr.write(`${name} seed ${r.seed}: ${r.error}\n`);
  const summary = summarizeCalibration(name, range, file.records);
  miscalibrated += summary.levels.filter((l) => l.aboveAlpha).length;
  console.log(
    `${calibrationLines(summary).join('\n')}\n  (${((performance.now() - start) / 1000).toFixed(0)} s)`,
  );
}
let exactFailures = 0;
for (const name of EXACT) {
  const start = performance.now();
  let failed = 0;
  for (let seed = first; seed < first + seeds; seed++) {
    const r = await runExperiment(name, {}, { seed });
    if (r.outcome !== 'passed') {
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
