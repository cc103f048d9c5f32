import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { add, mul, num, pow, rational, sqrt, sub, sym } from '../../src/symbolic/expr.js';
import { affinePath, getPath, PATHS, toConvention, type AffinePath } from '../../src/schedules/index.js';

const T = sym('t');
/** Interior times of a path, kept away from the ends where dSigma or f diverge. */
const interior = (p: AffinePath) => {
  const w = p.tMax - p.tMin;
  return fc.double({ min: p.tMin + 1e-3 * w, max: p.tMax - 1e-3 * w, noNaN: true });
};
const central = (fn: (t: number) => number, t: number, h: number) => (fn(t + h) - fn(t - h)) / (2 * h);

describe('continuous paths', () => {
  for (const name of Object.keys(PATHS)) {
    const p = getPath(name);
    it(`${name}: analytic derivatives match central finite differences`, () => {
      fc.assert(
        fc.property(interior(p), (t) => {
          const h = 1e-6 * (p.tMax - p.tMin);
          for (const [f, df] of [
            [p.alpha, p.dAlpha],
            [p.sigma, p.dSigma],
          ] as const) {
            const fd = central(f, t, h);
            expect(Math.abs(df(t) - fd)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(df(t))));
          }
        }),
        { seed: 2, numRuns: 200 },
      );
    });
    it(`${name}: f = dAlpha/alpha and g^2 = d(sigma^2)/dt - 2 f sigma^2`, () => {
      fc.assert(
        fc.property(interior(p), (t) => {
          const a = p.alpha(t);
          const s = p.sigma(t);
          expect(p.f(t)).toBeCloseTo(p.dAlpha(t) / a, 8);
          const g2 = 2 * s * p.dSigma(t) - 2 * (p.dAlpha(t) / a) * s * s;
          expect(Math.abs(p.g2(t) - g2)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(g2)));
        }),
        { seed: 3, numRuns: 100 },
      );
    });
    it(`${name}: snr decreases toward noise (monotone in its convention)`, () => {
      const n = 200;
      const ts = Array.from({ length: n }, (_, i) => p.tMin + ((i + 0.5) / n) * (p.tMax - p.tMin));
      const snr = ts.map((t) => p.snr(t));
      const towardNoise = p.convention === 'diffusion' ? 1 : -1;
      for (let i = 1; i < n; i++) expect(towardNoise * (snr[i] - snr[i - 1])).toBeLessThan(0);
      expect(p.logSnr(ts[7])).toBeCloseTo(Math.log(snr[7]), 12);
    });
  }

  for (const name of ['vp-sde', 'cosine', 'trig']) {
    it(`${name}: variance preserving, alpha^2 + sigma^2 = 1`, () => {
      const p = getPath(name);
      fc.assert(
        fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (t) => {
          expect(p.alpha(t) ** 2 + p.sigma(t) ** 2).toBeCloseTo(1, 12);
        }),
        { seed: 4 },
      );
    });
  }

  it('vp-sde: g^2 = beta(t) = 0.1 + 19.9 t and f = -beta/2', () => {
    const p = getPath('vp-sde');
    for (const t of [0.01, 0.3, 0.77, 1]) {
      expect(p.g2(t)).toBeCloseTo(0.1 + 19.9 * t, 9);
      expect(p.f(t)).toBeCloseTo(-(0.1 + 19.9 * t) / 2, 9);
    }
    expect(p.alpha(1)).toBeCloseTo(Math.exp(-(0.1 + 19.9 / 2) / 2), 14);
  });
  it('sub-vp: g^2 = beta(t) (1 - alpha^4)', () => {
    const p = getPath('sub-vp');
    for (const t of [0.05, 0.5, 0.9])
      expect(p.g2(t)).toBeCloseTo((0.1 + 19.9 * t) * (1 - p.alpha(t) ** 4), 9);
  });
  it('ve-sde: g^2 = 2 sigma^2 log(sigmaMax/sigmaMin), ends at 0.01 and 50', () => {
    const p = getPath('ve-sde');
    expect(p.sigma(0)).toBeCloseTo(0.01, 15);
    expect(p.sigma(1)).toBeCloseTo(50, 10);
    expect(p.g2(0.4)).toBeCloseTo(2 * p.sigma(0.4) ** 2 * Math.log(5000), 9);
  });
  it('rectified flow: g^2 is negative in the flow convention and positive in the diffusion convention', () => {
    const p = getPath('rectified-flow');
    expect(p.convention).toBe('flow');
    expect(p.g2(0.3)).toBeCloseTo((-2 * 0.7) / 0.3, 12);
    const d = toConvention(p, 'diffusion');
    expect(d.convention).toBe('diffusion');
    expect(d.alpha(0.3)).toBeCloseTo(0.7, 15);
    expect(d.sigma(0.3)).toBeCloseTo(0.3, 15);
    expect(d.g2(0.3)).toBeCloseTo((2 * 0.3) / 0.7, 12);
    expect(toConvention(d, 'flow').alpha(0.2)).toBeCloseTo(0.2, 15);
  });
  it('a general affine path from symbolic alpha, sigma', () => {
    const p = affinePath({
      name: 'custom',
      convention: 'diffusion',
      alpha: sub(rational(1n), pow(T, rational(2n))),
      sigma: sqrt(add(T, mul(num(0.5), pow(T, rational(3n))))),
      tMin: 0,
      tMax: 1,
    });
    expect(p.dAlpha(0.5)).toBeCloseTo(-1, 14);
    expect(p.dSigma(0.5)).toBeCloseTo((1 + 1.5 * 0.25) / (2 * Math.sqrt(0.5 + 0.0625)), 14);
  });
  it('out-of-range t, NaN t and a diverging derivative are named errors', () => {
    const p = getPath('vp-sde');
    expect(() => p.alpha(1.5)).toThrow(DomainError);
    expect(() => p.alpha(1.5)).toThrow(/vp-sde\.alpha: argument 't' = 1\.5 must lie in \[0, 1\]/);
    expect(() => p.sigma(Number.NaN)).toThrow(/argument 't' = NaN/);
    expect(() => p.dSigma(0)).toThrow(/vp-sde\.dSigma: argument 't' = 0 gives a non-finite value/);
    expect(p.snr(0)).toBe(Infinity);
    expect(() => getPath('edm').alpha(0)).toThrow(/must lie in \[0\.002, 80\]/);
  });
});
