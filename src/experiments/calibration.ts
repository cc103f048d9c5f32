// Calibration over seeds: on a true claim an experiment must reject at a rate consistent with its alpha.
// One record per seed (the smallest Holm-adjusted p-value, or the numerical error that stopped the run);
// the summary gives the rejection rate at each level with its exact 99% binomial CI and flags a rate whose
// CI lies above the level. Seeds are independent, so a calibration splits into shards by seed ranges
// (`flowproof run EXP --seeds A-B --shards N --shard I`), and merging concatenates the records.
import { FlowproofError, InputError } from '../core/errors.js';
import { binomialInterval } from '../stats/index.js';
import { ALPHA, holmAdjusted } from './common.js';
import { getExperiment, runExperiment } from './index.js';
import { shardRange } from './sharding.js';
import type { ExperimentContext } from './types.js';

export const CALIBRATION_LEVELS = [ALPHA, 0.01, 0.05];
export const CALIBRATION_SCHEMA = 'flowproof.calibration-shard/1';

export interface CalibrationRecord {
  seed: number;
  /** Smallest Holm-adjusted p-value of the run; null when the run stopped with a numerical error. */
  smallestAdjusted: number | null;
  error?: string;
}

export interface CalibrationFile {
  schema: typeof CALIBRATION_SCHEMA;
  experiment: string;
  thorough: boolean;
  params: Record<string, unknown>;
  /** The whole seed range [first, last] of the calibration, and this shard of it. */
  seeds: [number, number];
  shard: number;
  shards: number;
  records: CalibrationRecord[];
  ms: number;
}

/** 'A-B' (inclusive) as [A, B]; an InputError naming the flag otherwise. */
export function parseSeedRange(raw: string): [number, number] {
  const m = /^(\d+)-(\d+)$/.exec(raw.trim());
  const range = m ? ([Number(m[1]), Number(m[2])] as [number, number]) : undefined;
  if (!range || !range.every(Number.isSafeInteger) || range[1] < range[0])
    throw new InputError('--seeds needs a range A-B of non-negative integers with A <= B', {}, raw);
  return range;
}

/**
 * The parameters a calibration run uses: the 4x-steps refinement off unless asked for (it can only turn
 * a rejection into a numerical error, so the raw rates bound the default procedure's from above).
 */
export function calibrationParams(name: string, given: Record<string, unknown>): Record<string, unknown> {
  const hasRefine = Object.hasOwn(getExperiment(name).params, 'refine');
  return hasRefine && given.refine === undefined ? { ...given, refine: 'off' } : { ...given };
}

/** Runs seeds [first, last] of shard `shard` of `shards` of a calibration. */
export async function runCalibrationShard(
  name: string,
  given: Record<string, unknown>,
  seeds: [number, number],
  shard: number,
  shards: number,
  ctx: Omit<ExperimentContext, 'seed'>,
): Promise<CalibrationFile> {
  const start = performance.now();
  const params = calibrationParams(name, given);
  const count = seeds[1] - seeds[0] + 1;
  const [begin, end] = shardRange(count, shard, shards);
  const records: CalibrationRecord[] = [];
  for (let k = begin; k < end; k++) {
    const seed = seeds[0] + k;
    try {
      const r = await runExperiment(name, params, { ...ctx, seed, onProgress: undefined });
      // An inconclusive run is neither a pass nor a rejection: counted and shown.
      records.push(
        r.outcome === 'inconclusive'
          ? { seed, smallestAdjusted: null, error: r.reason }
          : { seed, smallestAdjusted: Math.min(...holmAdjusted(r)) },
      );
    } catch (err) {
      if (err instanceof InputError || !(err instanceof FlowproofError)) throw err;
      // A run that failed on its inputs' domain (a DomainError) is counted and shown like an inconclusive one.
      records.push({ seed, smallestAdjusted: null, error: (err as Error).message });
    }
    ctx.onProgress?.((k + 1 - begin) / (end - begin), `seed ${seed}`);
  }
  return {
    schema: CALIBRATION_SCHEMA,
    experiment: name,
    thorough: ctx.thorough ?? false,
    params,
    seeds,
    shard,
    shards,
    records,
    ms: performance.now() - start,
  };
}

export interface CalibrationSummary {
  experiment: string;
  seeds: [number, number];
  runs: number;
  errors: number;
  levels: { alpha: number; rejections: number; ci: [number, number]; aboveAlpha: boolean }[];
  /** Every rate's 99% CI reaches down to its alpha. */
  calibrated: boolean;
}

export function summarizeCalibration(
  experiment: string,
  seeds: [number, number],
  records: CalibrationRecord[],
  levels = CALIBRATION_LEVELS,
): CalibrationSummary {
  const done = records.filter((r) => r.smallestAdjusted !== null);
  const summary = levels.map((alpha) => {
    const rejections = done.filter((r) => r.smallestAdjusted! <= alpha).length;
    const ci = binomialInterval(rejections, done.length, 0.99);
    return { alpha, rejections, ci, aboveAlpha: ci[0] > alpha };
  });
  return {
    experiment,
    seeds,
    runs: done.length,
    errors: records.length - done.length,
    levels: summary,
    calibrated: summary.every((l) => !l.aboveAlpha),
  };
}

/** The summary of a calibration from the files of all its shards (any order), checked like run shards. */
export function mergeCalibration(files: { path: string; file: CalibrationFile }[]): CalibrationSummary {
  if (files.length === 0) throw new InputError('merge: no calibration files given');
  const first = files[0];
  const key = (f: CalibrationFile) => JSON.stringify([f.experiment, f.thorough, f.params, f.seeds, f.shards]);
  const seen = new Map<number, string>();
  for (const { path, file } of files) {
    if (key(file) !== key(first.file))
      throw new InputError(`a shard of a different calibration than ${first.path}`, {
        file: path,
      });
    if (seen.has(file.shard))
      throw new InputError(`shard ${file.shard} given twice (also ${seen.get(file.shard)})`, {
        file: path,
      });
    seen.set(file.shard, path);
  }
  const missing = [...Array(first.file.shards).keys()].filter((i) => !seen.has(i));
  if (missing.length > 0)
    throw new InputError(
      `merge: missing calibration shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ` +
        `${first.file.shards} (given: ${files.map((f) => f.path).join(', ')})`,
    );
  const records = [...files].sort((a, b) => a.file.shard - b.file.shard).flatMap((f) => f.file.records);
  return summarizeCalibration(first.file.experiment, first.file.seeds, records);
}

/** One line per level: 'alpha 0.001: 0/100 [0.000, 0.052]'. */
export function calibrationLines(s: CalibrationSummary): string[] {
  return [
    `${s.experiment}: calibration over seeds ${s.seeds[0]}..${s.seeds[1]} (${s.runs} runs, ${s.errors} numerical errors): ` +
      (s.calibrated ? 'consistent with alpha' : 'MISCALIBRATED'),
    ...s.levels.map(
      (l) =>
        `  alpha ${l.alpha}: ${l.rejections}/${s.runs} rejected, 99% CI [${l.ci[0].toFixed(3)}, ${l.ci[1].toFixed(3)}]` +
        (l.aboveAlpha ? '  (CI above alpha)' : ''),
    ),
  ];
}
