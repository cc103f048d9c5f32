// The single-step check: at drawn states (t, tPrev, x, model output) the law of the module's step must
// equal the reference step's law (mean and standard deviation, read exactly by the noise probe). Pairs
// (t, tPrev) skip timesteps, so a step that assumes tPrev = t - 1 is caught.
import fc from 'fast-check';
import { Rng } from '../../core/rng.js';
import { interiorLevel, LEVELS, timeAtLevel, type Axis } from '../axis.js';
import type { UserModule } from '../module.js';
import { probeStep } from '../noise-probe.js';
import { guard, propertyCheck, type Comparison, type PropertyOptions } from '../property.js';
import { referenceStep, referenceStepWithModel, type StepSpec } from '../reference-step.js';
import type { CheckResult, Tolerance, Values } from '../result.js';
import { exactModel } from '../target.js';
import { gridValue, trueValues } from './conversions.js';

export function stepSpec(m: UserModule): StepSpec {
  return { sampler: m.meta.sampler!, eta: m.meta.eta ?? 0, predictionType: m.meta.predictionType! };
}

export function describeSampler(spec: StepSpec): string {
  return spec.sampler === 'ddim' ? `ddim(eta=${spec.eta})` : spec.sampler;
}

/** A pair (t, tPrev) in sampling order: tPrev is less noisy than t, possibly many steps less, possibly the data end. */
export function stepTimesArb(axis: Axis): fc.Arbitrary<{ t: number; tPrev: number }> {
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

export function stepCheck(m: UserModule, axis: Axis, tol: Tolerance, opts: PropertyOptions): CheckResult {
  const spec = stepSpec(m);
  const pred = spec.predictionType;
  const rng = new Rng(opts.seed, 1);
  const model = exactModel(axis, pred);
  const exportName = m.step ? 'step' : 'stepWithModel';
  const rule = `|got - expected| <= ${tol.rtol} (1 + |mean| + std + (|x| + |modelOutput|) / min(1, alpha, sigma)) + ${tol.atol}`;
  const arb = fc.record({ times: stepTimesArb(axis), data: gridValue, noise: gridValue });
  return propertyCheck(
    `step:${spec.sampler}`,
    arb,
    ({ times: { t, tPrev }, data, noise }): Comparison => {
      const c = axis.point(t);
      const x = c.alpha * data + c.sigma * noise;
      // step: the model output is the oracle's for this (data, noise); stepWithModel: the exact mixture model.
      const modelOutput = m.step ? trueValues(c, data, noise)[pred] : model(x, t);
      const expected = m.step
        ? referenceStep(axis, spec, modelOutput, t, tPrev, x)
        : referenceStepWithModel(axis, spec, model, t, tPrev, x);
      const scale =
        1 +
        Math.abs(expected.mean) +
        expected.std +
        (Math.abs(x) + Math.abs(modelOutput)) / Math.min(1, c.alpha, c.sigma);
      const tolerance = tol.rtol * scale + tol.atol;
      const probe = probeStep(
        (randn) =>
          guard(() =>
            m.step
              ? m.step(modelOutput, t, tPrev, x, pred, randn)
              : m.stepWithModel!(model, t, tPrev, x, pred, randn),
          ),
        rng,
        tolerance,
      );
      const inputs: Values = {
        t,
        tPrev,
        x,
        [m.step ? 'modelOutput' : `model(x, t)`]: modelOutput,
        predictionType: pred,
      };
      const exp = { mean: expected.mean, std: expected.std };
      if (probe.kind === 'error') return { inputs, expected: exp, got: { mean: probe.message }, tolerance };
      if (probe.kind === 'not-affine')
        return {
          inputs,
          expected: exp,
          got: { mean: 'not compared' },
          tolerance,
          inconclusive: probe.message,
        };
      return {
        inputs,
        expected: exp,
        got: { mean: probe.mean, std: probe.std, draws: probe.draws },
        tolerance,
      };
    },
    opts,
    `${exportName}(...) has the law N(mean, std^2) of the reference ${describeSampler(spec)} step`,
    rule,
  );
}
