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
import { fmt, skip, type CheckResult, type Tolerance } from '../result.js';

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

/**
 * The two ends of a schedule must be what sampling assumes: the noise end noise-dominated (snr <= 1e-2,
 * sigma >= 10 alpha: the sampler starts from pure noise, so the data must have all but vanished there)
 * and the data end data-dominated (snr >= 1e2, sigma <= alpha / 10: the last state is read as the
 * data). Both thresholds lie two decades from the crossing snr = 1 and every schedule in use is far
 * beyond them (DDPM linear 4.0e-5 .. 1.0e4, Stable Diffusion's scaled-linear 4.7e-3 .. 1.2e3, EDM 1.6e-4 ..
 * 2.5e5, VE-SDE 4.0e-4 .. 1e4, flow paths 0 .. Infinity), while a schedule that fails them cannot turn
 * noise into data however well its sampler agrees with it: e.g. a Karras grid with the exponent rho
 * inverted spans only sigma in [0.88, 1.09], snr 0.84 .. 1.29. Also catches data and noise swapped.
 */
export const SNR_NOISE_END_MAX = 1e-2;
export const SNR_DATA_END_MIN = 1e2;

/** snr = alpha^2 / sigma^2 of two values, or the reason there is none. */
export function snrOf(alpha: number | string, sigma: number | string): number | string {
  if (typeof alpha !== 'number' || typeof sigma !== 'number') return `alpha=${alpha}, sigma=${sigma}`;
  const snr = (alpha * alpha) / (sigma * sigma);
  return Number.isNaN(snr) ? `alpha=${alpha}, sigma=${sigma}` : snr;
}

/** The endpoints verdict given the snr at both ends (numbers, or why there is none). */
export function endpointsResult(
  where: string,
  inputs: Record<string, number>,
  snrData: number | string,
  snrNoise: number | string,
  got: Record<string, number | string>,
): CheckResult {
  const name = 'schedule:endpoints';
  const okNoise = typeof snrNoise === 'number' && snrNoise <= SNR_NOISE_END_MAX;
  const okData = typeof snrData === 'number' && snrData >= SNR_DATA_END_MIN;
  const rule = `snr(noise end) <= ${SNR_NOISE_END_MAX}, snr(data end) >= ${SNR_DATA_END_MIN}`;
  if (okNoise && okData)
    return {
      name,
      status: 'pass',
      summary: `the noise end is noise-dominated (snr ${fmt(snrNoise)}) and the data end data-dominated (snr ${fmt(snrData)}) (${where})`,
      evidence: { pointsTried: 2, tolerance: rule },
    };
  const swapped = typeof snrNoise === 'number' && typeof snrData === 'number' && snrNoise > snrData;
  const problem = swapped
    ? 'data and noise are swapped (snr grows toward the noise end; the other convention?)'
    : !okNoise
      ? 'the noise end is not noise-dominated, so sampling does not start from pure noise'
      : 'the data end is not data-dominated, so sampling does not end at the data';
  return {
    name,
    status: 'fail',
    summary: `${problem} (${where})`,
    evidence: { pointsTried: 2, tolerance: rule },
    counterexample: {
      inputs,
      expected: { 'snr(noise end)': `<= ${SNR_NOISE_END_MAX}`, 'snr(data end)': `>= ${SNR_DATA_END_MIN}` },
      got: { 'snr(noise end)': snrNoise, 'snr(data end)': snrData, ...got },
    },
  };
}

function endpointsCheck(m: UserModule, axis: ContinuousAxis): CheckResult {
  const dataEnd = timeAtLevel(axis, 0);
  const noiseEnd = timeAtLevel(axis, 1);
  const values = {
    'alpha(dataEnd)': guard(() => m.alpha!(dataEnd)),
    'sigma(dataEnd)': guard(() => m.sigma!(dataEnd)),
    'alpha(noiseEnd)': guard(() => m.alpha!(noiseEnd)),
    'sigma(noiseEnd)': guard(() => m.sigma!(noiseEnd)),
  };
  const [aD, sD, aN, sN] = Object.values(values);
  const where = `${axis.convention} convention: data end t = ${dataEnd}, noise end t = ${noiseEnd}`;
  return endpointsResult(where, { dataEnd, noiseEnd }, snrOf(aD, sD), snrOf(aN, sN), values);
}
