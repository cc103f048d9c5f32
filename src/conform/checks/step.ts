// The single-step check: at drawn states (t, tPrev, x, model output) the law of the module's step must
// equal the reference step's law (mean and standard deviation, read exactly by the noise probe). Pairs
// (t, tPrev) skip timesteps, so a step that assumes tPrev = t - 1 is caught; a step that moves only
// along its own grid (a diffusers scheduler) is checked between neighbours of that grid.
import fc from 'fast-check';
import { Rng } from '../../core/rng.js';
import { interiorLevel, LEVELS, timeAtLevel, type Axis } from '../axis.js';
import type { ModelFn, UserModule } from '../module.js';
import { probeStep } from '../noise-probe.js';
import { guard, propertyCheck, type Comparison, type PropertyOptions } from '../property.js';
import { referenceStep, referenceStepWithModel, type StepSpec } from '../reference-step.js';
import type { CheckResult, ModelCall, Tolerance, Values } from '../result.js';
import { exactModel } from '../target.js';
import { gridValue, trueValues } from './conversions.js';

export function stepSpec(m: UserModule): StepSpec {
  return {
    sampler: m.meta.sampler!,
    eta: m.meta.eta ?? 0,
    predictionType: m.meta.predictionType!,
    variance: m.meta.variance,
  };
}

export function describeSampler(spec: StepSpec): string {
  if (spec.sampler === 'ddim') return `ddim(eta=${spec.eta})`;
  if (spec.sampler === 'ddpm' && spec.variance && spec.variance !== 'posterior')
    return `ddpm(variance=${spec.variance})`;
  return spec.sampler;
}

/** Relative distance from a domain end within which a grid entry is that end (float32 grids: 6e-8). */
export const GRID_SNAP = 1e-6;

/** A continuous grid entry a rounding away from an end of the domain is that end (k-diffusion's float32 sigmas). */
export function snapToDomain(axis: { tMin: number; tMax: number }, v: number): number {
  for (const end of [axis.tMin, axis.tMax])
    if (Math.abs(v - end) <= GRID_SNAP * (1 + Math.abs(end))) return end;
  return v;
}

/** The sampling grid of a module whose step moves along its own grid, ending at the data end (or meta.finalTimestep). */
export function moduleGrid(m: UserModule, axis: Axis): number[] {
  const g = Array.from(m.grid!.values, (v) => (axis.kind === 'continuous' ? snapToDomain(axis, v) : v));
  const dataEnd = axis.kind === 'discrete' ? (m.meta.finalTimestep ?? axis.clean) : timeAtLevel(axis, 0);
  const last = g[g.length - 1];
  // A grid that stops short of the data goes on to it; EDM's final sigma = 0 is the data end of its domain.
  const atData =
    last === dataEnd || (axis.kind === 'continuous' && axis.convention === 'diffusion' && last === 0);
  if (atData) g[g.length - 1] = dataEnd;
  else g.push(dataEnd);
  return g;
}

/** A pair (t, tPrev) in sampling order: tPrev is less noisy than t, possibly many steps less, possibly the data end. */
export function stepTimesArb(axis: Axis, grid?: number[]): fc.Arbitrary<{ t: number; tPrev: number }> {
  if (grid) {
    // Neighbours on the module's own grid; shrinking goes toward the data end.
    return fc
      .integer({ min: 0, max: grid.length - 2 })
      .map((k) => ({ t: grid[grid.length - 2 - k], tPrev: grid[grid.length - 1 - k] }));
  }
  if (axis.kind === 'discrete') {
    return fc
      .tuple(
        fc.integer({ min: axis.clean, max: axis.first }),
        fc.integer({ min: axis.clean, max: axis.first }),
      )
      .filter(([a, b]) => a !== b)
      .map(([a, b]) => ({ t: Math.max(a, b), tPrev: Math.min(a, b) }));
  }
  // Level index 0 of tPrev is the data end itself; the step's own t stays inside the domain.
  const level = (j: number) => (j === 0 ? 0 : interiorLevel(j));
  return fc
    .tuple(fc.integer({ min: 0, max: LEVELS }), fc.integer({ min: 0, max: LEVELS }))
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => ({
      t: timeAtLevel(axis, level(Math.max(a, b))),
      tPrev: timeAtLevel(axis, level(Math.min(a, b))),
    }));
}

/** A model that records its calls. */
function recording(model: ModelFn): { model: ModelFn; calls: ModelCall[] } {
  const calls: ModelCall[] = [];
  return {
    calls,
    model: (x, t) => {
      const output = model(x, t);
      calls.push({ x, t, output });
      return output;
    },
  };
}

export function stepCheck(m: UserModule, axis: Axis, tol: Tolerance, opts: PropertyOptions): CheckResult {
  const spec = stepSpec(m);
  const pred = spec.predictionType;
  const rng = new Rng(opts.seed, 1);
  const model = exactModel(axis, pred);
  const exportName = m.step ? 'step' : 'stepWithModel';
  const learned = spec.sampler === 'ddpm' && spec.variance === 'learned-range';
  const rule = `|got - expected| <= ${tol.rtol} (1 + |mean| + std + (|x| + |modelOutput|) / min(1, alpha, sigma)) + ${tol.atol}`;
  const arb = fc.record({
    times: stepTimesArb(axis, m.meta.stepOnGrid ? moduleGrid(m, axis) : undefined),
    data: gridValue,
    noise: gridValue,
    // learned-range: the model's interpolation weight v on a 0.01 grid in [0, 1].
    v: learned ? fc.integer({ min: 0, max: 100 }).map((k) => k / 100) : fc.constant(undefined),
  });
  return propertyCheck(
    `step:${spec.sampler}`,
    arb,
    ({ times: { t, tPrev }, data, noise, v }): Comparison => {
      const c = axis.point(t);
      const x = c.alpha * data + c.sigma * noise;
      // step: the model output is the oracle's for this (data, noise); stepWithModel: the exact mixture model.
      const modelOutput = m.step ? trueValues(c, data, noise)[pred] : model(x, t);
      const ref = recording(model);
      const expected = m.step
        ? referenceStep(axis, spec, modelOutput, t, tPrev, x, v)
        : referenceStepWithModel(axis, spec, ref.model, t, tPrev, x);
      const scale =
        1 +
        Math.abs(expected.mean) +
        expected.std +
        (Math.abs(x) + Math.abs(modelOutput)) / Math.min(1, c.alpha, c.sigma);
      const tolerance = tol.rtol * scale + tol.atol;
      // The module's model calls of its first (all draws 0) evaluation are shown with a failure.
      let mine: ReturnType<typeof recording> | undefined;
      const probe = probeStep(
        (randn) =>
          guard(() => {
            if (m.step) return m.step(modelOutput, t, tPrev, x, pred, randn, ...(learned ? [v] : []));
            const rec = recording(model);
            mine ??= rec;
            return m.stepWithModel!(rec.model, t, tPrev, x, pred, randn);
          }),
        rng,
        tolerance,
      );
      const inputs: Values = {
        t,
        tPrev,
        x,
        [m.step ? 'modelOutput' : `model(x, t)`]: modelOutput,
        ...(learned ? { varianceOutput: v! } : {}),
        predictionType: pred,
      };
      const exp = { mean: expected.mean, std: expected.std };
      const modelCalls = mine ? { module: mine.calls, reference: ref.calls } : undefined;
      const base = { inputs, expected: exp, tolerance, ...(modelCalls ? { modelCalls } : {}) };
      if (probe.kind === 'error') return { ...base, got: { mean: probe.message } };
      if (probe.kind === 'not-affine')
        return { ...base, got: { mean: 'not compared' }, inconclusive: probe.message };
      return { ...base, got: { mean: probe.mean, std: probe.std, draws: probe.draws } };
    },
    opts,
    `${exportName}(...) has the law N(mean, std^2) of the reference ${describeSampler(spec)} step`,
    rule,
  );
}
