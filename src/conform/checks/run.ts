// The full-run check: the module's step, driven by the exact model of a Gaussian mixture, run from the
// exact noisy marginal at the noise end to the data end; its samples are compared with an independent
// run of the reference step on the same time grid by a two-sample Kolmogorov-Smirnov test. Both runs
// share the discretization, so a rejection is a formula difference, not step-size error.
import { Rng } from '../../core/rng.js';
import { ksTwoSample } from '../../stats/ks.js';
import { LEVELS, timeAtLevel, EDGE_MARGIN, type Axis } from '../axis.js';
import type { UserModule } from '../module.js';
import { guard } from '../property.js';
import { referenceStepWithModel } from '../reference-step.js';
import type { CheckResult } from '../result.js';
import { CONFORM_TARGET, exactModel } from '../target.js';
import { describeSampler, stepSpec } from './step.js';

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

function run(m: UserModule, axis: Axis, opts: RunOptions): CheckResult {
  const name = 'run:gmm';
  const started = Date.now();
  const spec = stepSpec(m);
  const model = exactModel(axis, spec.predictionType);
  const grid = samplingGrid(axis, opts.numSteps);
  const start = axis.point(grid[0]);
  const draw = (stream: number) => {
    const xs = new Float64Array(opts.samples);
    CONFORM_TARGET.sampleInto(xs, 0, opts.samples, new Rng(opts.seed, stream), start.alpha, start.sigma);
    return xs;
  };
  // The module's run (streams 10, 11) and the reference run (streams 12, 13) are independent.
  const mine = draw(10);
  const randn = new Rng(opts.seed, 11);
  const normal = () => randn.normal();
  for (let i = 0; i < mine.length; i++) {
    for (let k = 0; k + 1 < grid.length; k++) {
      const [t, tPrev] = [grid[k], grid[k + 1]];
      const x = mine[i];
      const out = m.step
        ? guard(() => m.step!(model(x, t), t, tPrev, x, spec.predictionType, normal))
        : guard(() => m.stepWithModel!(model, t, tPrev, x, spec.predictionType, normal));
      if (typeof out !== 'number' || !Number.isFinite(out)) {
        return {
          name,
          status: 'fail',
          summary: `the module's run produced a non-finite state at step ${k} of ${grid.length - 1}`,
          evidence: { seed: opts.seed, samples: opts.samples, ms: Date.now() - started },
          counterexample: {
            inputs: { sample: i, t, tPrev, x, modelOutput: model(x, t) },
            expected: { xPrev: 'a finite number' },
            got: { xPrev: out },
          },
        };
      }
      mine[i] = out;
    }
  }
  const ref = draw(12);
  const refNoise = new Rng(opts.seed, 13);
  for (let i = 0; i < ref.length; i++) {
    for (let k = 0; k + 1 < grid.length; k++) {
      const law = referenceStepWithModel(axis, spec, model, grid[k], grid[k + 1], ref[i]);
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
