// The pieces of scale-out a sharded experiment itself needs (the merge of shard files is shards.ts).
import type { ExperimentContext, ExperimentResult, Sharding } from './types.js';

/** `run` for a sharded experiment: every unit in one part. */
export function runAllUnits<T>(
  sharding: Sharding<T>,
): (params: T, ctx: ExperimentContext) => Promise<ExperimentResult> {
  return async (params, ctx) => {
    const part = await sharding.run(params, ctx, 0, sharding.units(params));
    return sharding.finish([part], params, ctx);
  };
}

/** Units [begin, end) of shard `shard` of `shards`. */
export function shardRange(units: number, shard: number, shards: number): [number, number] {
  return [Math.floor((shard * units) / shards), Math.floor(((shard + 1) * units) / shards)];
}

/** Concatenation of the Float64Arrays of several parts, in order. */
export function concatParts(arrays: Float64Array[]): Float64Array {
  const out = new Float64Array(arrays.reduce((s, a) => s + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}
