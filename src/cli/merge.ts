// `flowproof merge FILE... [--json] [--out F] [--quiet]`: the result of a run (or a calibration) from the
// files its shards wrote. The same as one process running every shard, bit for bit (wall times aside).
import { InputError } from '../core/errors.js';
import { calibrationLines, mergeCalibration } from '../experiments/calibration.js';
import { mergeShards } from '../experiments/shards.js';
import type { Command } from './command.js';
import { parseArgs } from './command.js';
import { checkWritable, writeTextFile } from './io.js';
import { createProgress } from './progress.js';
import { resultText } from './result-text.js';
import { readScaleFile } from './scale.js';
import { exitCode, OUTCOME_LABEL } from './exit.js';

const HELP = `flowproof merge FILE... [--json] [--out result.json] [--quiet]

Combines the shard files of one run ('flowproof run EXP --shards N --shard I --out FILE', as a Slurm
array writes them) into its result: the tests, CIs, p-values and MDEs, exactly as one process running all
N shards prints them. The files must be of one experiment, seed and parameter set and cover shards
0..N-1 once each. Calibration shards ('run EXP --seeds A-B --shards N ...') merge into the calibration's
rejection rates. --out writes the JSON result to a file. Exit 0 when every test accepts (a calibration:
every rate consistent with alpha), 1 otherwise, 2 on bad input.`;

export const mergeCommand: Command = {
  summary: 'merge the shard files of a run or calibration into its result',
  async run(args) {
    const a = parseArgs('merge', args, { values: { out: 'string' }, booleans: ['json', 'quiet', 'help'] });
    if (a.booleans.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    if (a.positional.length === 0) throw new InputError('merge: give the shard files to merge (see --help)');
    const out = a.values.out;
    if (out !== undefined) checkWritable(out, 'result file');
    const files = a.positional.map(readScaleFile);
    const kinds = new Set(files.map((f) => f.kind));
    if (kinds.size > 1)
      throw new InputError('merge: run shards and calibration shards cannot be merged together', {
        file: files[0].path,
      });
    if (files[0].kind === 'calibration') {
      const summary = mergeCalibration(files.map((f) => ({ path: f.path, file: f.file as never })));
      const json = JSON.stringify(summary, null, 2) + '\n';
      if (out !== undefined) writeTextFile(out, json, 'result file');
      process.stdout.write(a.booleans.json ? json : calibrationLines(summary).join('\n') + '\n');
      return summary.calibrated ? 0 : 1;
    }
    const progress = createProgress('merge', { quiet: a.booleans.quiet });
    const shardFiles = files.map((f) => ({ path: f.path, file: f.file as never }));
    const result = await mergeShards(shardFiles, (fraction, note) => progress.update(fraction, note));
    progress.done(OUTCOME_LABEL[result.outcome]);
    const seed = (files[0].file as { seed: number }).seed;
    if (out !== undefined) writeTextFile(out, resultText(result, seed, true), 'result file');
    process.stdout.write(resultText(result, seed, a.booleans.json));
    return exitCode(result.outcome);
  },
};
