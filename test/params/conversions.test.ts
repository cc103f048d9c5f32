import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import {
  convert,
  dataToEps,
  epsToData,
  epsToScore,
  epsToVelocity,
  PARAMETERIZATIONS,
  pathPoint,
  scoreToVelocity,
  vPredToData,
  vPredToEps,
  velocityToData,
  type PathPoint,
} from '../../src/params/index.js';
import { getPath, PATHS, type AffinePath } from '../../src/schedules/index.js';

const real = fc.double({ min: -10, max: 10, noNaN: true });
const interior = (p: AffinePath) => {
  const w = p.tMax - p.tMin;
  return fc.double({ min: p.tMin + 0.02 * w, max: p.tMax - 0.02 * w, noNaN: true });
};
const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol * (1 + Math.abs(a) + Math.abs(b));

describe('parameterization conversions on every path', () => {
  for (const name of Object.keys(PATHS)) {
    const path = getPath(name);
    it(`${name}: every pair round-trips, and every value agrees with the (data, noise) that made x`, () => {
      fc.assert(
        fc.property(interior(path), real, real, (t, data, noise) => {
          const c = pathPoint(path, t);
          const x = c.alpha * data + c.sigma * noise;
          const truth: Record<string, number> = {
            eps: noise,
            data,
            vPred: c.alpha * noise - c.sigma * data,
            score: -noise / c.sigma,
            velocity: c.dAlpha * data + c.dSigma * noise,
          };
          for (const from of PARAMETERIZATIONS) {
            for (const to of PARAMETERIZATIONS) {
              const got = convert(from, to, truth[from], x, c);
              // Tolerance grows with the conditioning of the 2x2 solve at this t.
              const cond =
                (1 + Math.abs(c.alpha) + Math.abs(c.sigma) + Math.abs(c.dAlpha) + Math.abs(c.dSigma)) ** 2;
              if (
                !close(got, truth[to], (1e-10 * cond) / Math.min(Math.abs(c.sigma), Math.abs(c.alpha), 1))
              ) {
                throw new Error(`${from}->${to} at t=${t}: got ${got}, want ${truth[to]}`);
              }
              expect(
                close(
                  convert(to, from, got, x, c),
                  truth[from],
                  (1e-8 * cond) / Math.min(Math.abs(c.sigma), Math.abs(c.alpha), 1),
                ),
              ).toBe(true);
            }
          }
        }),
        { seed: 11, numRuns: 150 },
      );
    });
  }
});

describe('named conversions and PF-ODE consistency', () => {
  const vp = getPath('vp-sde');
  it('velocity from the score equals the PF-ODE drift f x - g^2 score / 2', () => {
    fc.assert(
      fc.property(interior(vp), real, real, (t, x, score) => {
        const c = pathPoint(vp, t);
        const drift = vp.f(t) * x - (vp.g2(t) / 2) * score;
        expect(close(scoreToVelocity(score, x, c), drift, 1e-9)).toBe(true);
      }),
      { seed: 5 },
    );
  });
  it('score = -eps / sqrt(1 - abar) on a VP path (the seeds’ score <-> noise identity)', () => {
    const c = pathPoint(vp, 0.4);
    expect(epsToScore(0.7, 0.1, c)).toBeCloseTo(-0.7 / Math.sqrt(1 - c.alpha ** 2), 12);
  });
  it('v-prediction: eps = alpha v + sigma x on a VP path', () => {
    const c = pathPoint(vp, 0.3);
    expect(vPredToEps(0.2, -1.3, c)).toBeCloseTo(c.alpha * 0.2 + c.sigma * -1.3, 12);
  });
  it('rectified flow: data = x + (1 - t) velocity (flow convention)', () => {
    const rf = getPath('rectified-flow');
    const c = pathPoint(rf, 0.25);
    expect(velocityToData(2, 0.5, c)).toBeCloseTo(0.5 + 0.75 * 2, 12);
  });
});

describe('input checking', () => {
  const c: PathPoint = { alpha: 0.6, sigma: 0.8, dAlpha: -0.5, dSigma: 0.4 };
  it('division by sigma = 0 names the argument', () => {
    expect(() => dataToEps(1, 1, { ...c, sigma: 0 })).toThrow(DomainError);
    expect(() => dataToEps(1, 1, { ...c, sigma: 0 })).toThrow(/dataToEps: argument 'sigma' = 0/);
    expect(() => epsToData(1, 1, { ...c, alpha: 0 })).toThrow(/epsToData: argument 'alpha' = 0/);
  });
  it('NaN input names the argument', () => {
    expect(() => epsToData(Number.NaN, 1, c)).toThrow(/argument 'value' = NaN must be a finite number/);
    expect(() => epsToData(1, Number.NaN, c)).toThrow(/argument 'x' = NaN/);
    expect(() => epsToVelocity(1, 1, { ...c, dSigma: Infinity })).toThrow(/argument 'dSigma' = Infinity/);
  });
  it('only velocity conversions need the derivatives (vp-sde at t = 0: dSigma is infinite, sigma = 0)', () => {
    const vp = getPath('vp-sde');
    expect(() => pathPoint(vp, 0)).toThrow(/vp-sde\.dSigma: argument 't' = 0/);
    const c0 = pathPoint(vp, 0, false);
    expect(c0).toMatchObject({ alpha: 1, sigma: 0 });
    expect(epsToData(0.7, 0.25, c0)).toBe(0.25);
    expect(vPredToData(0.7, 0.25, c0)).toBeCloseTo(0.25, 15);
    expect(() => epsToScore(0.7, 0.25, c0)).toThrow(/epsToScore: argument 'sigma' = 0/);
    expect(() => epsToVelocity(0.7, 0.25, c0)).toThrow(/argument 'dAlpha' = NaN/);
  });
  it('a velocity conversion on a path with constant snr is an error, not a NaN', () => {
    expect(() => velocityToData(1, 1, { alpha: 1, sigma: 1, dAlpha: 2, dSigma: 2 })).toThrow(
      /velocityToData: argument 'sigma\*dAlpha - alpha\*dSigma' = 0/,
    );
  });
});
