// Runs through checkpoints, shared by pf-ode-vs-sde-marginals and eta-family-marginals: a sampler run
// whose grid passes exactly through intermediate times of the path, keeping the states there only
// (memory n d per checkpoint, not per step), so marginals can be tested along the way.
import type { AffinePath } from '../schedules/index.js';
import { sample, samplingInterval } from '../samplers/index.js';
import type { GaussianMixture } from '../targets/index.js';
import { modelFor } from './models.js';
import type { Mutation } from './mutations.js';
import type { ExperimentContext } from './types.js';

export const checkpointsParam = {
  kind: 'numbers' as const,
  min: 0.01,
  max: 0.99,
  default: [0.75, 0.5, 0.25],
  doc: 'intermediate times as fractions of the path interval (the data end is always checked)',
};

/** tStart, the distinct checkpoints (fractions of the path interval) from the noise end, tEnd. */
export function checkpointStops(path: AffinePath, fractions: readonly number[]): number[] {
  const { tStart, tEnd } = samplingInterval(path);
  const span = path.tMax - path.tMin;
  const sorted = [...new Set(fractions)].sort((a, b) => b - a);
  return [tStart, ...sorted.map((u) => path.tMin + u * span), tEnd];
}

/**
 * The steps of each segment between neighbouring stops: `steps` shared in proportion to the segments'
 * lengths (the grid points nearest a uniform grid of `steps` steps, at least one step per segment), so
 * they add up to `steps` whenever there are at most `steps` segments.
 */
export function stepsPerSegment(stops: number[], steps: number): number[] {
  const total = stops[stops.length - 1] - stops[0];
  const counts: number[] = [];
  let done = 0;
  for (let k = 1; k < stops.length; k++) {
    const reached = k === stops.length - 1 ? steps : Math.round((steps * (stops[k] - stops[0])) / total);
    const m = Math.max(1, reached - done);
    counts.push(m);
    done += m;
  }
  return counts;
}

/** A grid through the stops, `counts[k]` uniform steps from stop k to stop k + 1; the stops' indices. */
export function gridThrough(stops: number[], counts: number[]): { grid: Float64Array; indices: number[] } {
  const grid: number[] = [stops[0]];
  const indices: number[] = [];
  counts.forEach((m, k) => {
    for (let i = 1; i < m; i++) grid.push(stops[k] + (i / m) * (stops[k + 1] - stops[k]));
    grid.push(stops[k + 1]); // exactly, not through rounding
    indices.push(grid.length - 1);
  });
  return { grid: Float64Array.from(grid), indices };
}

export interface CheckpointRun {
  sampler: string;
  eta?: number;
  law: GaussianMixture;
  path: AffinePath;
  /** tStart, the checkpoints, tEnd. */
  stops: number[];
  /** Steps from each stop to the next. */
  counts: number[];
  n: number;
  seed: number;
  mutation: Mutation;
}

/** One run from an exact draw of p_tStart through the stops: its states at each stop after tStart. */
export async function runThrough(run: CheckpointRun, ctx: ExperimentContext) {
  const { law, path, n } = run;
  const { grid, indices } = gridThrough(run.stops, run.counts);
  const r = await sample({
    target: law,
    sampler: run.sampler,
    path,
    ...(run.eta !== undefined ? { eta: run.eta } : {}),
    grid,
    numSteps: grid.length - 1,
    n,
    seed: run.seed,
    model: modelFor(law, path, run.mutation),
    trajectories: indices,
    backend: ctx.backend,
  });
  const kept = r.trajectories!;
  const size = n * law.d;
  return { states: indices.map((_, c) => kept.subarray(c * size, (c + 1) * size)), backend: r.backend };
}
