// Deterministic shards of one experiment run and their merge (DESIGN section 10). Shard I of N runs units
// [floor(I U / N), floor((I + 1) U / N)) of the U units of the run and is written as a shard file; merging
// the files of shards 0..N-1 hands every unit's output, in unit order, to the experiment's `finish`: the
// same call a single process makes, so the result is the same bit for bit (wall times aside).
import { InputError } from '../core/errors.js';
import { confirmRejection, getExperiment, listExperiments, numericallySafe } from './index.js';
import { resolveParams } from './params.js';
import { shardRange } from './sharding.js';
import type { ExperimentContext, ExperimentResult, Params, ShardPart, Sharding } from './types.js';

export const SHARD_SCHEMA = 'flowproof.shard/1';

/** One shard's output as written to disk. */
export interface ShardFile {
  schema: typeof SHARD_SCHEMA;
  experiment: string;
  seed: number;
  thorough: boolean;
  /** The resolved parameters (every declared one), so a merge can check that all shards ran the same run. */
  params: Params;
  shard: number;
  shards: number;
  units: number;
  part: ShardPart;
}

export function shardable(name: string): Sharding {
  const experiment = getExperiment(name);
  if (!experiment.sharding) {
    const names = listExperiments()
      .map((e) => e.name)
      .filter((n) => getExperiment(n).sharding !== undefined);
    throw new InputError(
      `experiment '${name}' does not split into shards (shardable: ${names.join(', ')}); ` +
        'a calibration over seeds (--seeds A-B) shards any experiment',
      {},
      name,
    );
  }
  return experiment.sharding;
}

function checkShard(shard: number, shards: number): void {
  if (!Number.isSafeInteger(shards) || shards < 1)
    throw new InputError('--shards must be a positive integer', {}, String(shards));
  if (!Number.isSafeInteger(shard) || shard < 0 || shard >= shards)
    throw new InputError(`--shard must be an integer in [0, ${shards - 1}]`, {}, String(shard));
}

/** Runs shard `shard` of `shards` of an experiment. */
export async function runShard(
  name: string,
  given: Record<string, unknown>,
  ctx: ExperimentContext,
  shard: number,
  shards: number,
): Promise<ShardFile> {
  checkShard(shard, shards);
  const sharding = shardable(name);
  const params = resolveParams(getExperiment(name), given, ctx.thorough ?? false);
  const units = sharding.units(params);
  const [begin, end] = shardRange(units, shard, shards);
  const part = await sharding.run(params, ctx, begin, end);
  return {
    schema: SHARD_SCHEMA,
    experiment: name,
    seed: ctx.seed,
    thorough: ctx.thorough ?? false,
    params,
    shard,
    shards,
    units,
    part,
  };
}

/**
 * The result of a run from the files of all its shards (any order): they must be of one experiment, seed
 * and parameter set, and cover shards 0..N-1 exactly once. A rejection is confirmed with 4x the steps in
 * this process, as a single-process run does (see runExperiment).
 */
export async function mergeShards(
  files: { path: string; file: ShardFile }[],
  onProgress?: ExperimentContext['onProgress'],
): Promise<ExperimentResult> {
  if (files.length === 0) throw new InputError('merge: no shard files given');
  const first = files[0];
  const key = (f: ShardFile) =>
    JSON.stringify([f.experiment, f.seed, f.thorough, f.params, f.shards, f.units]);
  for (const { path, file } of files) {
    if (key(file) !== key(first.file)) {
      throw new InputError(
        `a shard of a different run than ${first.path} (experiment, seed, parameters, ` +
          'shard count and units must all agree)',
        { file: path },
        `${file.experiment} seed ${file.seed} shard ${file.shard}/${file.shards}`,
      );
    }
  }
  const byShard = new Map<number, string>();
  for (const { path, file } of files) {
    const seen = byShard.get(file.shard);
    if (seen !== undefined)
      throw new InputError(`shard ${file.shard} given twice (also ${seen})`, { file: path });
    byShard.set(file.shard, path);
  }
  const { shards, units } = first.file;
  const missing = [...Array(shards).keys()].filter((i) => !byShard.has(i));
  if (missing.length > 0)
    throw new InputError(
      `merge: missing shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${shards} ` +
        `(given: ${files.map((f) => f.path).join(', ')})`,
    );
  const ordered = [...files].sort((a, b) => a.file.shard - b.file.shard);
  for (const { path, file } of ordered) {
    const [begin, end] = shardRange(units, file.shard, shards);
    if (file.part.begin !== begin || file.part.end !== end)
      throw new InputError(`holds units ${file.part.begin}..${file.part.end}, not ${begin}..${end}`, {
        file: path,
      });
  }
  const { experiment: name, seed, thorough } = first.file;
  const experiment = getExperiment(name);
  // The files' parameters are checked again: a shard file is read from disk.
  const params = resolveParams(experiment, first.file.params, thorough);
  const ctx: ExperimentContext = { seed, thorough, onProgress };
  const sharding = shardable(name);
  return numericallySafe(name, async () =>
    confirmRejection(
      experiment,
      params,
      ctx,
      sharding.finish(
        ordered.map((f) => f.file.part),
        params,
        ctx,
      ),
    ),
  );
}

/** All shards of a run in this process, merged: the reference a multi-process run must reproduce. */
export async function runSharded(
  name: string,
  given: Record<string, unknown>,
  ctx: ExperimentContext,
  shards: number,
): Promise<ExperimentResult> {
  const files: { path: string; file: ShardFile }[] = [];
  for (let i = 0; i < shards; i++)
    files.push({ path: `shard ${i}`, file: await runShard(name, given, ctx, i, shards) });
  return mergeShards(files, ctx.onProgress);
}

// Shard files are JSON; Float64Arrays travel as base64 of their bytes (exact, and 2x smaller than decimal).
const F64 = '$f64';

export function encodeShard(file: unknown): string {
  return JSON.stringify(file, (_key, value: unknown) =>
    value instanceof Float64Array
      ? { [F64]: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') }
      : value,
  );
}

export function decodeShard(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && Object.keys(value).length === 1 && F64 in value) {
      const bytes = Buffer.from(String((value as Record<string, unknown>)[F64]), 'base64');
      const out = new Float64Array(bytes.length / 8);
      new Uint8Array(out.buffer).set(bytes);
      return out;
    }
    return value;
  });
}
