// Checks of exported conversions `<from>To<To>(value, x, t)`. At a drawn (t, data, noise) the state
// x = alpha data + sigma noise has known true values of every parameterization (eps = noise, data =
// data, vPred = alpha noise - sigma data, score = -noise/sigma, velocity = dAlpha data + dSigma noise),
// so a conversion is right exactly when it maps the true `from` value to the true `to` value.
import fc from 'fast-check';
import type { Parameterization, PathPoint } from '../../params/conversions.js';
import { interiorLevel, LEVELS, timeAtLevel, type Axis } from '../axis.js';
import type { ConversionExport, UserModule } from '../module.js';
import { guard, propertyCheck, type PropertyOptions } from '../property.js';
import { skip, type CheckResult, type Tolerance } from '../result.js';

/** The true value of each parameterization at x = alpha data + sigma noise. */
export function trueValues(c: PathPoint, data: number, noise: number): Record<Parameterization, number> {
  return {
    eps: noise,
    data,
    vPred: c.alpha * noise - c.sigma * data,
    score: -noise / c.sigma,
    velocity: c.dAlpha * data + c.dSigma * noise,
  };
}

/** Data and noise drawn on a 0.01 grid in [-3, 3]: shrinking leads to short decimals. */
export const gridValue = fc.integer({ min: -300, max: 300 }).map((k) => k / 100);

/** A drawn time of the axis: an interior continuous time, or any noisy discrete timestep. */
export function timeArb(axis: Axis): fc.Arbitrary<number> {
  if (axis.kind === 'discrete') return fc.integer({ min: axis.last, max: axis.first });
  return fc.integer({ min: 0, max: LEVELS }).map((i) => timeAtLevel(axis, interiorLevel(i)));
}

export function conversionChecks(
  m: UserModule,
  axis: Axis,
  tol: Tolerance,
  opts: PropertyOptions,
): CheckResult[] {
  return m.conversions.map((conv) => conversionCheck(conv, axis, tol, opts));
}

function conversionCheck(
  conv: ConversionExport,
  axis: Axis,
  tol: Tolerance,
  opts: PropertyOptions,
): CheckResult {
  const name = `conversion:${conv.name}`;
  if (axis.kind === 'discrete' && (conv.from === 'velocity' || conv.to === 'velocity'))
    return skip(name, 'velocity needs dAlpha/dSigma, which a discrete schedule does not have');
  const rule = `|got - expected| <= ${tol.rtol} (1 + |expected| + (|x| + |value|) / min(1, alpha, sigma)) + ${tol.atol}`;
  return propertyCheck(
    name,
    fc.record({ t: timeArb(axis), data: gridValue, noise: gridValue }),
    ({ t, data, noise }) => {
      const c = axis.point(t);
      const x = c.alpha * data + c.sigma * noise;
      const truth = trueValues(c, data, noise);
      const value = truth[conv.from];
      const expected = truth[conv.to];
      // Conversions divide by alpha or sigma: rounding is amplified by the same factor.
      const scale = 1 + Math.abs(expected) + (Math.abs(x) + Math.abs(value)) / Math.min(1, c.alpha, c.sigma);
      return {
        inputs: { t, [conv.from]: value, x, data, noise },
        expected: { [conv.to]: expected },
        got: { [conv.to]: guard(() => conv.fn(value, x, t)) },
        tolerance: tol.rtol * scale + tol.atol,
      };
    },
    opts,
    `${conv.name}(value, x, t) maps the true ${conv.from} to the true ${conv.to}`,
    rule,
  );
}
