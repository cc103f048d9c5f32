// The scale-out modes of `flowproof run`: one shard of a run (--shards N --shard I --out F), all shards in
// this process (--shards N), and calibrations over a seed range (--seeds A-B), whole or one shard of it;
// and reading shard files back for `flowproof merge`.
import { InputError } from '../core/errors.js';
import {
  calibrationLines,
  mergeCalibration,
  parseSeedRange,
  runCalibrationShard,
  CALIBRATION_SCHEMA,
  type CalibrationFile,
} from '../experiments/calibration.js';
import type { ExperimentContext } from '../experiments/index.js';
import {
  decodeShard,
  encodeShard,
  runShard,
  runSharded,
  SHARD_SCHEMA,
  type ShardFile,
} from '../experiments/shards.js';
import { readTextFile } from '../verify/text-file.js';
import { checkWritable, writeTextFile } from './io.js';
import type { Progress } from './progress.js';
import { resultText } from './result-text.js';
import { exitCode, OUTCOME_LABEL } from './exit.js';
import type { FlagValues } from './command.js';

/** Shard files can be large (a shard of a big run carries its samples). */
const SHARD_FILE_LIMIT = 512 << 20;

/** The scale-out flags of `run`. */
export const SCALE_FLAGS = { shards: 'number', shard: 'number', out: 'string', seeds: 'string' } as const;
type ScaleValues = FlagValues<typeof SCALE_FLAGS>;

/** Whether any scale-out flag was given. */
export const scaledRun = (v: ScaleValues): boolean =>
  v.shards !== undefined || v.shard !== undefined || v.out !== undefined || v.seeds !== undefined;

function shardFlags(values: ScaleValues): {
  shards?: number;
  shard?: number;
  out?: string;
} {
  const shards = values.shards;
  const shard = values.shard;
  const out = values.out;
  if (shards !== undefined && (!Number.isSafeInteger(shards) || shards < 1))
    throw new InputError('run: --shards must be a positive integer', {}, String(shards));
  if (shard !== undefined) {
    if (shards === undefined) throw new InputError('run: --shard needs --shards', {}, `--shard ${shard}`);
    if (!Number.isSafeInteger(shard) || shard < 0 || shard >= shards)
      throw new InputError(`run: --shard must be an integer in [0, ${shards - 1}]`, {}, String(shard));
    if (out === undefined)
      throw new InputError('run: --shard needs --out FILE for its statistics', {}, `--shard ${shard}`);
  } else if (out !== undefined)
    throw new InputError('run: --out needs --shards N --shard I', {}, `--out ${out}`);
  if (out !== undefined) checkWritable(out, 'shard file');
  return { shards, shard, out };
}

export async function runScaled(
  name: string,
  params: Record<string, unknown>,
  ctx: ExperimentContext,
  values: ScaleValues,
  json: boolean,
  progress: Progress,
): Promise<number> {
  const { shards, shard, out } = shardFlags(values);
  if (values.seeds !== undefined) {
    const seeds = parseSeedRange(values.seeds);
    const file = await runCalibrationShard(
      name,
      params,
      seeds,
      shard ?? 0,
      shard === undefined ? 1 : shards!,
      ctx,
    );
    if (out !== undefined) {
      writeTextFile(out, JSON.stringify(file) + '\n', 'calibration shard file');
      progress.done(`seeds of shard ${shard} of ${shards} written to ${out}`);
      return 0;
    }
    const summary = mergeCalibration([{ path: 'this run', file }]);
    progress.done(summary.calibrated ? 'calibrated' : 'MISCALIBRATED');
    process.stdout.write(
      json ? JSON.stringify(summary, null, 2) + '\n' : calibrationLines(summary).join('\n') + '\n',
    );
    return summary.calibrated ? 0 : 1;
  }
  if (out !== undefined) {
    const file = await runShard(name, params, ctx, shard!, shards!);
    writeTextFile(out, encodeShard(file) + '\n', 'shard file');
    progress.done(
      `shard ${shard} of ${shards} (units ${file.part.begin}..${file.part.end - 1} of ${file.units}) written to ${out}`,
    );
    return 0;
  }
  const result = await runSharded(name, params, ctx, shards!);
  progress.done(OUTCOME_LABEL[result.outcome]);
  process.stdout.write(resultText(result, ctx.seed, json));
  return exitCode(result.outcome);
}

export type ScaleFile =
  | { kind: 'shard'; path: string; file: ShardFile }
  | { kind: 'calibration'; path: string; file: CalibrationFile };

/** Reads a shard or calibration-shard file; anything else is an InputError naming the file. */
export function readScaleFile(path: string): ScaleFile {
  const text = readTextFile(path, 'shard file', SHARD_FILE_LIMIT);
  let file: unknown;
  try {
    file = decodeShard(text);
  } catch (err) {
    // JSON.parse quotes the text, newlines included: keep the message on one line.
    const why = (err as Error).message.replace(/\s+/g, ' ').slice(0, 120);
    throw new InputError(`not a flowproof shard file (not valid JSON: ${why})`, { file: path });
  }
  const schema = (file as { schema?: unknown } | null)?.schema;
  if (schema === SHARD_SCHEMA) return { kind: 'shard', path, file: file as ShardFile };
  if (schema === CALIBRATION_SCHEMA) return { kind: 'calibration', path, file: file as CalibrationFile };
  throw new InputError(
    `not a flowproof shard file (schema ${JSON.stringify(schema)}; expected ${SHARD_SCHEMA} or ${CALIBRATION_SCHEMA})`,
    { file: path },
  );
}
