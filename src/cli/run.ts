// `flowproof run <experiment> [--samples N] [--seed S] [--backend B] [--thorough] [--param k=v]... [--json]`:
// one Monte-Carlo experiment, its tests as a table (or JSON), exit 0 iff every test accepts.
import { InputError } from '../core/errors.js';
import { getExperiment, listExperiments, runExperiment } from '../experiments/index.js';
import { resultText } from './result-text.js';
import { runScaled, SCALE_FLAGS, scaledRun } from './scale.js';
import type { Command } from './command.js';
import { parseArgs } from './command.js';
import { createProgress } from './progress.js';
import { exitCode, OUTCOME_LABEL } from './exit.js';

const HELP = `flowproof run <experiment> [--samples N] [--seed S] [--backend B] [--thorough]
                              [--param name=value]... [--json] [--quiet]
flowproof run <experiment> --shards N --shard I --out part-I.json [options as above]
flowproof run <experiment> --seeds A-B [--shards N --shard I --out cal-I.json] [options as above]
flowproof run --list

Runs one named Monte-Carlo experiment and prints each test's estimate (the effect it looks for, 0 when
the claim holds), confidence interval, p-value, alpha and minimum detectable effect. Exit 0 when every
test accepts (Holm-corrected within the experiment), 1 when one rejects, 3 when the run cannot decide
(a numerical failure, or a rejection that vanishes with 4x the steps), 2 on bad input.
--samples sets the experiment's 'samples' parameter; --param sets any other (lists comma-separated).

Scale-out: with --shards N --shard I --out F, runs only shard I of N of the run (its share of the
replications or particle blocks) and writes its statistics to F; 'flowproof merge' combines the N files
into the result one process gives, bit for bit. --shards N alone runs all N shards here and merges them.
--seeds A-B runs a calibration: the experiment at every seed A..B (the 4x-steps refinement off unless
--param refine=on), reporting the rejection rate at alpha 0.001, 0.01, 0.05 with 99% binomial CIs; with
--shards/--shard/--out it runs shard I of the seed range. 'flowproof slurm' submits either as a job array.`;

function parseParam(raw: string): [string, string] {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new InputError('run: --param needs the form name=value', {}, raw);
  return [raw.slice(0, eq), raw.slice(eq + 1)];
}

function listText(): string {
  return listExperiments()
    .map((e) => {
      const params = Object.entries(e.params).map(([k, doc]) => `    ${k}: ${doc}`);
      return [`${e.name}  ${e.summary}`, ...params].join('\n');
    })
    .join('\n\n');
}

export const runCommand: Command = {
  summary: 'run one Monte-Carlo experiment (estimates, CIs, p-values, detectable effects)',
  async run(args) {
    const a = parseArgs('run', args, {
      values: {
        samples: 'number',
        seed: 'number',
        backend: 'string',
        param: 'string',
        ...SCALE_FLAGS,
      },
      booleans: ['thorough', 'json', 'quiet', 'list', 'help'],
      repeatable: ['param'],
    });
    if (a.booleans.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    if (a.booleans.list) {
      process.stdout.write(listText() + '\n');
      return 0;
    }
    if (a.positional.length !== 1) {
      throw new InputError(
        'run: expected exactly one experiment name (see flowproof run --list)',
        {},
        a.positional.join(' '),
      );
    }
    const name = a.positional[0];
    const experiment = getExperiment(name);
    const params: Record<string, unknown> = Object.fromEntries((a.lists.param ?? []).map(parseParam));
    if (a.values.samples !== undefined) {
      if (!Object.hasOwn(experiment.params, 'samples')) {
        throw new InputError(`run: experiment '${name}' has no 'samples' parameter`, {}, '--samples');
      }
      params.samples = a.values.samples;
    }
    const seed = a.values.seed ?? 1;
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new InputError('run: --seed must be a non-negative integer', {}, String(seed));
    const backend = a.values.backend;
    const progress = createProgress(`run ${name}`, { quiet: a.booleans.quiet });
    const onProgress = (fraction: number, note: string) => progress.update(fraction, note);
    const ctx = { seed, backend, thorough: a.booleans.thorough, onProgress };
    if (scaledRun(a.values)) return runScaled(name, params, ctx, a.values, a.booleans.json, progress);
    const result = await runExperiment(name, params, ctx);
    progress.done(OUTCOME_LABEL[result.outcome]);
    process.stdout.write(resultText(result, seed, a.booleans.json));
    return exitCode(result.outcome);
  },
};
