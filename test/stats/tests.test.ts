import { describe, expect, it } from 'vitest';
import {
  meanTTest,
  Moments,
  normalQuantile,
  binomialInterval,
  bootstrapInterval,
  energyTest,
  fitConvergenceOrder,
  holm,
  ksOneSample,
  ksTwoSample,
  meanTest,
  mmdTest,
  normalCdf,
  slicedWasserstein,
  zTest,
} from '../../src/stats/index.js';
import { Rng } from '../../src/core/rng.js';
import { DomainError } from '../../src/core/errors.js';

const XS = [0.1, -1.2, 0.5, 2.0, -0.3, 0.8, 1.1, -0.7, 0.05, -2.2, 0.33, 1.7];
const YS = [0.4, 0.9, 1.3, -0.1, 2.4, 0.7, 1.8, 0.2, 1.0, 1.5];

function normals(seed: number, n: number, shift = 0, scale = 1): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n }, () => shift + scale * rng.normal());
}

describe('Holm', () => {
  it('matches the step-down definition on a worked example', () => {
    // sorted p: 0.001 (x4 -> 0.004), 0.01 (x3 -> 0.03), 0.02 (x2 -> 0.04), 0.04 (x1 -> max(0.04, 0.04))
    const r = holm([0.02, 0.001, 0.04, 0.01], 0.05);
    expect(r.adjusted).toEqual([0.04, 0.004, 0.04, 0.03]);
    expect(r.rejected).toEqual([true, true, true, true]);
    const s = holm([0.02, 0.001, 0.04, 0.013], 0.05); // 0.013 * 3 = 0.039, 0.02 * 2 = 0.04 -> all rejected
    expect(s.rejected).toEqual([true, true, true, true]);
    const t = holm([0.03, 0.001, 0.04, 0.02], 0.05); // 0.02*3 = 0.06 > 0.05: stop after the first
    expect(t.rejected).toEqual([false, true, false, false]);
  });

  it('rejects bad inputs', () => {
    expect(() => holm([0.5, NaN], 0.05)).toThrow(DomainError);
    expect(() => holm([0.5], 1)).toThrow(DomainError);
  });
});

describe('z-tests', () => {
  it('effect, CI, p-value and MDE are consistent', () => {
    const r = zTest('t', 1.2, 1, 0.1, 0.05, 100);
    expect(r.estimate).toBeCloseTo(0.2, 12);
    expect(r.pValue).toBeCloseTo(2 * (1 - normalCdf(2)), 12);
    expect(r.ci[0]).toBeCloseTo(0.2 - 0.1959963984540054, 12);
    expect(r.minDetectableEffect).toBeCloseTo((1.959963984540054 + 0.8416212335729143) * 0.1, 10);
    expect(() => zTest('t', NaN, 1, 0.1, 0.05, 100)).toThrow(DomainError);
  });

  it('meanTest: calibrated under the null, powerful at its MDE', () => {
    let nullRejections = 0;
    let altRejections = 0;
    for (let seed = 0; seed < 200; seed++) {
      const x = normals(seed, 400);
      if (meanTest('m', x, 0, 0.05).pValue <= 0.05) nullRejections++;
      const mde = meanTest('m', x, 0, 0.05).minDetectableEffect;
      const shifted = x.map((v) => v + mde);
      if (meanTest('m', shifted, 0, 0.05).pValue <= 0.05) altRejections++;
    }
    const [lo] = binomialInterval(nullRejections, 200, 0.99);
    expect(lo).toBeLessThanOrEqual(0.05);
    expect(nullRejections).toBeGreaterThan(0);
    expect(altRejections / 200).toBeGreaterThan(0.7); // nominal 0.8
  });

  it('meanTTest: Student t p-value and CI (values from mpmath), wider than the normal ones with 30 values', () => {
    const r = meanTTest('t', [1, 2, 3, 4, 5], 0, 0.001);
    expect(r.estimate).toBe(3);
    expect(r.pValue).toBeCloseTo(0.01323559956368269, 12); // t = 4.2426, nu = 4
    const x = normals(3, 30);
    const t = meanTTest('t', x, 0, 1e-4);
    const se = Math.sqrt(Moments.of(x).variance / 30);
    expect((t.ci[1] - t.ci[0]) / 2).toBeCloseTo(4.505511631210962 * se, 8); // t_29 at 1 - 5e-5
    expect(4.505511631210962).toBeGreaterThan(normalQuantile(1 - 5e-5)); // 3.89: the z-test's
  });
});

describe('Kolmogorov-Smirnov', () => {
  it('statistics equal SciPy kstest / ks_2samp', () => {
    const one = ksOneSample(XS, normalCdf, 0.05);
    expect(one.estimate).toBeCloseTo(0.18660547250503917, 14);
    // Stephens' corrected asymptotic p-value vs SciPy's exact 0.7321 (n = 12).
    expect(Math.abs(one.pValue - 0.7321227936553004)).toBeLessThan(0.03);
    const two = ksTwoSample(XS, YS, 0.05);
    expect(two.estimate).toBeCloseTo(0.4, 14);
    expect(Math.abs(two.pValue - 0.3088)).toBeLessThan(0.05); // asymptotic p at n = 12, 10
  });

  it('one-sample p-values are uniform under the null, and a 0.1-sd shift is caught at n = 5000', () => {
    const ps: number[] = [];
    for (let seed = 0; seed < 300; seed++) ps.push(ksOneSample(normals(seed, 200), normalCdf, 0.05).pValue);
    const uniformity = ksOneSample(ps, (p) => Math.min(1, Math.max(0, p)), 0.05);
    expect(uniformity.pValue).toBeGreaterThan(0.01);
    const shifted = ksOneSample(normals(7, 5000, 0.1), normalCdf, 0.05);
    expect(shifted.pValue).toBeLessThan(1e-4);
    expect(shifted.ci[0]).toBeLessThanOrEqual(normalCdf(0.05) - normalCdf(-0.05));
    expect(shifted.ci[1]).toBeGreaterThanOrEqual(normalCdf(0.05) - normalCdf(-0.05));
  });

  it('rejects NaN samples and invalid CDFs', () => {
    expect(() => ksOneSample([...XS, NaN], normalCdf, 0.05)).toThrow(DomainError);
    expect(() => ksOneSample(XS, () => 2, 0.05)).toThrow(DomainError);
  });
});

describe('energy distance and MMD permutation tests', () => {
  const rows = (seed: number, n: number, shift: number) => {
    const rng = new Rng(seed);
    return Float64Array.from({ length: 2 * n }, (_, i) => rng.normal() + (i % 2 === 0 ? shift : 0));
  };

  it('are reproducible for a seed and detect a 0.5 shift in 2-D with n = 150', () => {
    const x = rows(1, 150, 0);
    const y = rows(2, 150, 0.5);
    const e1 = energyTest(x, y, 2, { seed: 3, alpha: 0.05 });
    expect(energyTest(x, y, 2, { seed: 3, alpha: 0.05 })).toEqual(e1);
    expect(e1.pValue).toBeLessThanOrEqual(0.01);
    expect(e1.estimate).toBeGreaterThan(0);
    expect(mmdTest(x, y, 2, { seed: 3, alpha: 0.05 }).pValue).toBeLessThanOrEqual(0.01);
  });

  it('energy distance of N(0,1) vs N(1,1) in 1-D is near its closed form', () => {
    // 2E|X-Y| - E|X-X'| - E|Y-Y'| with X-Y ~ N(1, 2): 2(2 phi(1/sqrt2) sqrt2 + erf(1/2)) - 2 * 2/sqrt(pi)
    const sd = Math.SQRT2;
    const eAbs = sd * Math.sqrt(2 / Math.PI) * Math.exp(-1 / (2 * sd * sd)) + (1 - 2 * normalCdf(-1 / sd));
    const exact = 2 * eAbs - 2 * (2 / Math.sqrt(Math.PI));
    const r = energyTest(normals(4, 600), normals(5, 600, 1), 1, { seed: 6, alpha: 0.05 });
    expect(r.ci[0]).toBeLessThan(exact);
    expect(r.ci[1]).toBeGreaterThan(exact);
    expect(Math.abs(r.estimate - exact)).toBeLessThan(0.08);
  });

  it('reject at about alpha under the null (120 seeds, n = 40 each)', () => {
    let energyRejections = 0;
    let mmdRejections = 0;
    for (let seed = 0; seed < 120; seed++) {
      const x = rows(1000 + seed, 40, 0);
      const y = rows(5000 + seed, 40, 0);
      if (energyTest(x, y, 2, { seed, alpha: 0.05, permutations: 99 }).pValue <= 0.05) energyRejections++;
      if (mmdTest(x, y, 2, { seed, alpha: 0.05, permutations: 99 }).pValue <= 0.05) mmdRejections++;
    }
    for (const k of [energyRejections, mmdRejections]) {
      const [lo, hi] = binomialInterval(k, 120, 0.99);
      expect(lo).toBeLessThanOrEqual(0.05);
      expect(hi).toBeGreaterThanOrEqual(0.05);
    }
  });

  it('rejects NaN and ragged rows', () => {
    expect(() =>
      energyTest(new Float64Array([1, 2, NaN, 4, 5, 6]), rows(1, 5, 0), 1, { seed: 1, alpha: 0.05 }),
    ).toThrow(DomainError);
    expect(() => mmdTest(new Float64Array(11), rows(1, 5, 0), 2, { seed: 1, alpha: 0.05 })).toThrow(
      DomainError,
    );
  });
});

describe('sliced Wasserstein', () => {
  it('is the shift for translated samples and small for equal laws', () => {
    const x = Float64Array.from(normals(1, 4000));
    const shifted = x.map((v, i) => v + (i % 2 === 0 ? 3 : 4));
    // W2 between a law and its translate by v in a projection u is |u.v|; sliced W2 = |v| / sqrt(d).
    const sw = slicedWasserstein(x, shifted, 2, { seed: 1, directions: 400 });
    expect(sw).toBeGreaterThan(5 / Math.SQRT2 - 0.25);
    expect(sw).toBeLessThan(5 / Math.SQRT2 + 0.25);
    expect(slicedWasserstein(x, Float64Array.from(normals(2, 4000)), 2, { seed: 1 })).toBeLessThan(0.06);
  });
});

describe('convergence-order fit', () => {
  it('recovers an exact power law with a tight CI', () => {
    const h = [0.1, 0.05, 0.025, 0.0125];
    const fit = fitConvergenceOrder(
      h,
      h.map((x) => 3 * x * x),
      {},
    );
    expect(fit.order).toBeCloseTo(2, 10);
    expect(fit.ci[1] - fit.ci[0]).toBeLessThan(1e-6);
  });

  it('noisy errors: the CI covers the true order at about its level', () => {
    let covered = 0;
    const h = [0.2, 0.1, 0.05, 0.025, 0.0125];
    for (let seed = 0; seed < 200; seed++) {
      const rng = new Rng(seed);
      const se = h.map((x) => 0.05 * x); // relative noise 5% at every point
      const err = h.map((x, i) => x + se[i] * rng.normal());
      const fit = fitConvergenceOrder(h, err, { standardError: se });
      if (fit.ci[0] <= 1 && 1 <= fit.ci[1]) covered++;
    }
    expect(covered / 200).toBeGreaterThan(0.9);
    expect(covered / 200).toBeLessThan(0.995);
  });

  it('rejects zero errors and too few points', () => {
    expect(() => fitConvergenceOrder([1, 2, 3], [1, 0, 2])).toThrow(DomainError);
    expect(() => fitConvergenceOrder([1, 2], [1, 2])).toThrow(DomainError);
  });
});

describe('bootstrap', () => {
  it('is reproducible per seed and covers the median of a skewed law', () => {
    let covered = 0;
    for (let seed = 0; seed < 100; seed++) {
      const rng = new Rng(seed);
      const xs = Float64Array.from({ length: 300 }, () => -Math.log(1 - rng.uniform()));
      const median = (idx: Uint32Array) => {
        const v = Float64Array.from(idx, (i) => xs[i]).sort();
        return v[Math.floor(v.length / 2)];
      };
      const r = bootstrapInterval(xs.length, median, { seed, resamples: 200 });
      if (seed === 0) expect(bootstrapInterval(xs.length, median, { seed, resamples: 200 })).toEqual(r);
      if (r.ci[0] <= Math.LN2 && Math.LN2 <= r.ci[1]) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(85);
  });
});
