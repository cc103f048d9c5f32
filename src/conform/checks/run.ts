// The full-run check: the module's step, driven by the exact model of a Gaussian mixture, run from the
// exact noisy marginal at the noise end to the data end; its samples are compared with an independent
// run of the reference step on the same time grid by a two-sample Kolmogorov-Smirnov test. Both runs
// share the discretization, so a rejection is a formula difference, not step-size error.
import { Rng } from '../../core/rng.js';
import { ksTwoSample } from '../../stats/ks.js';
import { LEVELS, timeAtLevel, EDGE_MARGIN, type Axis } from '../axis.js';
import {
  ModuleFailure,
  type BatchModelFn,
  type ModelFn,
  type SampleNoise,
  type StepBatch,
  type UserModule,
} from '../module.js';
import { guard } from '../property.js';
import { referenceStep, referenceStepWithModel } from '../reference-step.js';
import type { CheckResult } from '../result.js';
import { CONFORM_TARGET, exactModel } from '../target.js';
import { describeSampler, moduleGrid, stepSpec } from './step.js';

/** learned-range: the variance output v the run gives every step (the exact model has none). */
export const RUN_VARIANCE_OUTPUT = 0.5;

export interface RunOptions {
  seed: number;
  samples: number;
  numSteps: number;
  alpha: number;
}

/** The sampling grid, noisiest first, ending at the data end (the clean timestep or level 0). */
export function samplingGrid(axis: Axis, numSteps: number): number[] {
  if (axis.kind === 'discrete') {
    const n = Math.min(numSteps, axis.first - axis.last + 1);
    const grid = Array.from({ length: n }, (_, k) =>
      Math.round(axis.first - (k * (axis.first - axis.last)) / Math.max(n - 1, 1)),
    );
    return [...new Set(grid), axis.clean];
  }
  // Start just inside the noise end (where alpha may vanish and conversions divide by it).
  const top = 1 - EDGE_MARGIN;
  return Array.from({ length: numSteps + 1 }, (_, k) =>
    timeAtLevel(axis, Math.round((top * (numSteps - k) * LEVELS) / numSteps) / LEVELS),
  );
}

export function runCheck(m: UserModule, axis: Axis, opts: RunOptions): CheckResult {
  try {
    return run(m, axis, opts);
  } catch (e) {
    if (e instanceof ModuleFailure) throw e;
    // The module's schedule threw inside the exact model or the reference step.
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return {
      name: 'run:gmm',
      status: 'fail',
      summary: `the run could not complete: ${msg}`,
      evidence: { seed: opts.seed, samples: opts.samples },
    };
  }
}

/** The batched step of a JavaScript module: its scalar step, sample by sample. */
function scalarBatch(m: UserModule, model: ModelFn): StepBatch {
  return {
    step: (mo, t, tPrev, xs, pred, noise, v) =>
      Array.from(xs, (x, i) =>
        guard(() => m.step!(mo[i], t, tPrev, x, pred, () => noise.next(i), ...(v === undefined ? [] : [v]))),
      ),
    stepWithModel: (_model, t, tPrev, xs, pred, noise) =>
      Array.from(xs, (x, i) => guard(() => m.stepWithModel!(model, t, tPrev, x, pred, () => noise.next(i)))),
  };
}

function run(m: UserModule, axis: Axis, opts: RunOptions): CheckResult {
  const name = 'run:gmm';
  const started = Date.now();
  const spec = stepSpec(m);
  const model = exactModel(axis, spec.predictionType);
  const v = spec.sampler === 'ddpm' && spec.variance === 'learned-range' ? RUN_VARIANCE_OUTPUT : undefined;
  // The module's own grid when it exports one (the step may rely on it), else a uniform one.
  const grid = m.grid ? moduleGrid(m, axis) : samplingGrid(axis, opts.numSteps);
  const start = axis.point(grid[0]);
  const draw = (stream: number) => {
    const xs = new Float64Array(opts.samples);
    CONFORM_TARGET.sampleInto(xs, 0, opts.samples, new Rng(opts.seed, stream), start.alpha, start.sigma);
    return xs;
  };
  // The module's run (stream 10 for the start, 11 split per sample for its noise) and the reference run
  // (streams 12, 13) are independent. Sample i draws its noise from its own stream, so a module stepping
  // all samples at once (the Python bridge) sees exactly the draws of one stepping them one by one.
  const mine = draw(10);
  const base = new Rng(opts.seed, 11);
  const streams = Array.from({ length: opts.samples }, (_, i) => base.split(i));
  const noise: SampleNoise = { next: (i) => streams[i].normal() };
  const batch = m.batch ?? scalarBatch(m, model);
  const batchModel: BatchModelFn = (x, t) => Float64Array.from(x, (xi, i) => model(xi, t[i]));
  const modelOutput = new Float64Array(opts.samples);
  for (let k = 0; k + 1 < grid.length; k++) {
    const [t, tPrev] = [grid[k], grid[k + 1]];
    let out: (number | string)[];
    if (m.step) {
      for (let i = 0; i < mine.length; i++) modelOutput[i] = model(mine[i], t);
      out = batch.step!(modelOutput, t, tPrev, mine, spec.predictionType, noise, v);
    } else out = batch.stepWithModel!(batchModel, t, tPrev, mine, spec.predictionType, noise);
    for (let i = 0; i < mine.length; i++) {
      const o = out[i];
      if (typeof o !== 'number' || !Number.isFinite(o)) {
        return {
          name,
          status: 'fail',
          summary: `the module's run produced a non-finite state at step ${k} of ${grid.length - 1}`,
          evidence: { seed: opts.seed, samples: opts.samples, ms: Date.now() - started },
          counterexample: {
            inputs: { sample: i, t, tPrev, x: mine[i], modelOutput: model(mine[i], t) },
            expected: { xPrev: 'a finite number' },
            got: { xPrev: o },
          },
        };
      }
    }
    for (let i = 0; i < mine.length; i++) mine[i] = out[i] as number;
  }
  const ref = draw(12);
  const refNoise = new Rng(opts.seed, 13);
  for (let i = 0; i < ref.length; i++) {
    for (let k = 0; k + 1 < grid.length; k++) {
      const law =
        v === undefined
          ? referenceStepWithModel(axis, spec, model, grid[k], grid[k + 1], ref[i])
          : referenceStep(axis, spec, model(ref[i], grid[k]), grid[k], grid[k + 1], ref[i], v);
      ref[i] = law.mean + (law.std > 0 ? law.std * refNoise.normal() : 0);
    }
  }
  const ks = ksTwoSample(mine, ref, opts.alpha);
  const evidence = {
    seed: opts.seed,
    test: ks.test,
    statistic: ks.estimate,
    pValue: ks.pValue,
    alpha: ks.alpha,
    minDetectableEffect: ks.minDetectableEffect,
    samples: opts.samples,
    ms: Date.now() - started,
  };
  const what = `${grid.length - 1} steps of ${describeSampler(spec)} driven by the exact ${spec.predictionType} of a 2-component Gaussian mixture, ${opts.samples} samples vs the reference run`;
  const stats = `KS D = ${ks.estimate.toFixed(4)}, p = ${ks.pValue.toPrecision(3)}, alpha = ${opts.alpha}, detectable D >= ${ks.minDetectableEffect.toFixed(4)}`;
  if (ks.pValue < opts.alpha) {
    return {
      name,
      status: 'fail',
      summary: `${what}: the laws differ (${stats})`,
      evidence,
      counterexample: {
        inputs: { seed: opts.seed, samples: opts.samples, steps: grid.length - 1 },
        expected: { mean: mean(ref), std: std(ref) },
        got: { mean: mean(mine), std: std(mine) },
      },
    };
  }
  return { name, status: 'pass', summary: `${what}: no difference (${stats})`, evidence };
}

const mean = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: Float64Array) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
