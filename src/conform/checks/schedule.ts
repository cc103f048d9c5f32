// Checks of a continuous schedule exported as alpha(t), sigma(t) (and optionally dAlpha, dSigma):
// agreement with the declared reference path, alpha^2 + sigma^2 = 1 when variance preserving, snr
// monotone in the declared direction, the right roles at the two ends, derivatives consistent.
import fc from 'fast-check';
import {
  interiorLevel,
  numericDerivative,
  LEVELS,
  referencePath,
  timeAtLevel,
  type ContinuousAxis,
} from '../axis.js';
import type { ScalarFn, UserModule } from '../module.js';
import { guard, propertyCheck, type Comparison, type PropertyOptions } from '../property.js';
import { skip, type CheckResult, type Tolerance } from '../result.js';

/** Paths whose definition has alpha^2 + sigma^2 = 1. */
const VP_PATHS = ['vp-sde', 'cosine', 'trig'];

const levelArb = fc.integer({ min: 0, max: LEVELS });

export function continuousScheduleChecks(
  m: UserModule,
  axis: ContinuousAxis,
  tol: Tolerance,
  opts: PropertyOptions,
): CheckResult[] {
  const alpha = m.alpha!;
  const sigma = m.sigma!;
  const ref = referencePath(m);
  const out: CheckResult[] = [];
  const rule = `|got - expected| <= ${tol.rtol} (1 + |expected|) + ${tol.atol}`;
  const bound = (e: number) => tol.rtol * (1 + Math.abs(e)) + tol.atol;
  const at = (i: number) => timeAtLevel(axis, interiorLevel(i));

  if (ref) {
    const fns: [string, ScalarFn | undefined, (t: number) => number][] = [
      ['alpha', alpha, (t) => ref.point(t).alpha],
      ['sigma', sigma, (t) => ref.point(t).sigma],
      ['dAlpha', m.dAlpha, (t) => ref.point(t).dAlpha],
      ['dSigma', m.dSigma, (t) => ref.point(t).dSigma],
    ];
    const present = fns.filter(([, f]) => f !== undefined);
    out.push(
      propertyCheck(
        'schedule:reference',
        levelArb,
        (i) => {
          const t = at(i);
          const expected = Object.fromEntries(present.map(([k, , r]) => [k, r(t)]));
          const got = Object.fromEntries(present.map(([k, f]) => [k, guard(() => f!(t))]));
          return {
            inputs: { t },
            expected,
            got,
            tolerance: bound(Math.max(...Object.values(expected).map(Math.abs))),
          };
        },
        opts,
        `${present.map(([k]) => k).join(', ')} vs ${ref.source}`,
        rule,
      ),
    );
  } else {
    out.push(skip('schedule:reference', 'no meta.path declared: only the identities below are checked'));
  }

  const vp = m.meta.variancePreserving ?? (m.meta.path !== undefined && VP_PATHS.includes(m.meta.path));
  if (vp) {
    out.push(
      propertyCheck(
        'schedule:variance-preserving',
        levelArb,
        (i) => {
          const t = at(i);
          const a = guard(() => alpha(t));
          const s = guard(() => sigma(t));
          const sum =
            typeof a === 'number' && typeof s === 'number' ? a * a + s * s : `alpha=${a}, sigma=${s}`;
          return {
            inputs: { t },
            expected: { 'alpha^2 + sigma^2': 1 },
            got: { 'alpha^2 + sigma^2': sum, alpha: a, sigma: s },
            tolerance: bound(1),
          };
        },
        opts,
        'alpha^2 + sigma^2 = 1',
        rule,
      ),
    );
  } else {
    out.push(
      skip(
        'schedule:variance-preserving',
        'not declared variance preserving (meta.variancePreserving or a VP meta.path)',
      ),
    );
  }

  out.push(
    propertyCheck(
      'schedule:snr-monotone',
      fc.tuple(levelArb, levelArb).filter(([i, j]) => i < j),
      ([i, j]) => {
        // Noise level grows from i to j, so snr must not grow.
        const snr = (t: number) => guard(() => (alpha(t) / sigma(t)) ** 2);
        const tClean = at(i);
        const tNoisy = at(j);
        const clean = snr(tClean);
        const noisy = snr(tNoisy);
        const base: Comparison = {
          inputs: { tCleaner: tClean, tNoisier: tNoisy },
          expected: { 'snr(tNoisier)': typeof clean === 'number' ? clean : NaN },
          got: { 'snr(tNoisier)': noisy, 'snr(tCleaner)': clean },
          tolerance: typeof clean === 'number' ? bound(clean) : 0,
          relation: 'at-most',
        };
        return base;
      },
      opts,
      `snr = alpha^2/sigma^2 decreases toward the noise end (${axis.convention} convention: ${axis.convention === 'diffusion' ? 't = 0 data, t = 1 noise' : 't = 0 noise, t = 1 data'})`,
      `snr(noisier) <= snr(cleaner) (1 + ${tol.rtol}) + ${tol.atol}`,
    ),
  );

  out.push(endpointsCheck(m, axis));

  if (m.dAlpha && m.dSigma) {
    out.push(
      propertyCheck(
        'schedule:derivatives',
        levelArb,
        (i) => {
          const t = at(i);
          const expected = {
            dAlpha: numericDerivative(alpha, t, axis.tMin, axis.tMax),
            dSigma: numericDerivative(sigma, t, axis.tMin, axis.tMax),
          };
          const got = { dAlpha: guard(() => m.dAlpha!(t)), dSigma: guard(() => m.dSigma!(t)) };
          // Rounding of alpha, sigma enters a difference quotient amplified by 1/h (h >= 1e-6 span here).
          const rounding =
            (1e-15 * (Math.abs(alpha(t)) + Math.abs(sigma(t)))) / (1e-6 * (axis.tMax - axis.tMin));
          return {
            inputs: { t },
            expected,
            got,
            tolerance: bound(Math.max(Math.abs(expected.dAlpha), Math.abs(expected.dSigma))) + rounding,
          };
        },
        opts,
        'dAlpha, dSigma vs central differences of alpha, sigma',
        `${rule} + rounding/h`,
      ),
    );
  }
  return out;
}

/** Data end: alpha > sigma (snr > 1); noise end: sigma > alpha. Catches data and noise roles swapped. */
function endpointsCheck(m: UserModule, axis: ContinuousAxis): CheckResult {
  const name = 'schedule:endpoints';
  const dataEnd = timeAtLevel(axis, 0);
  const noiseEnd = timeAtLevel(axis, 1);
  const values = {
    'alpha(dataEnd)': guard(() => m.alpha!(dataEnd)),
    'sigma(dataEnd)': guard(() => m.sigma!(dataEnd)),
    'alpha(noiseEnd)': guard(() => m.alpha!(noiseEnd)),
    'sigma(noiseEnd)': guard(() => m.sigma!(noiseEnd)),
  };
  const [aD, sD, aN, sN] = Object.values(values);
  const ok = [aD, sD, aN, sN].every((v) => typeof v === 'number') && aD > sD && sN > aN;
  const where = `${axis.convention} convention: data end t = ${dataEnd}, noise end t = ${noiseEnd}`;
  if (ok)
    return {
      name,
      status: 'pass',
      summary: `alpha > sigma at the data end, sigma > alpha at the noise end (${where})`,
      evidence: { pointsTried: 2 },
    };
  return {
    name,
    status: 'fail',
    summary: `the ends have the wrong roles or bad values (${where}); data and noise swapped between conventions?`,
    evidence: { pointsTried: 2 },
    counterexample: {
      inputs: { dataEnd, noiseEnd },
      expected: { 'at dataEnd': 'alpha > sigma', 'at noiseEnd': 'sigma > alpha' },
      got: values,
    },
  };
}
