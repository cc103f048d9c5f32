import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import {
  CoMoments,
  Moments,
  meanInterval,
  varianceInterval,
  covarianceInterval,
} from '../../src/stats/index.js';
import { Rng } from '../../src/core/rng.js';
import { DomainError } from '../../src/core/errors.js';

/** Two-pass reference central moments. */
function reference(xs: number[]) {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const c = (k: number) => xs.reduce((a, x) => a + (x - mean) ** k, 0);
  return { n, mean, m2: c(2), m3: c(3), m4: c(4) };
}

const finite = fc.double({ min: -1e3, max: 1e3, noNaN: true });

describe('Moments', () => {
  test.prop([fc.array(finite, { minLength: 2, maxLength: 60 }), fc.nat()])(
    'any split into shards merges to the one-pass moments',
    (xs, cut) => {
      const k = 1 + (cut % (xs.length - 1));
      const merged = Moments.of(xs.slice(0, k)).merge(Moments.of(xs.slice(k)));
      const ref = reference(xs);
      const scale = Math.max(1, ...xs.map(Math.abs));
      expect(merged.n).toBe(ref.n);
      expect(Math.abs(merged.mean - ref.mean)).toBeLessThan(1e-12 * scale);
      expect(Math.abs(merged.m2 - ref.m2)).toBeLessThan(1e-9 * scale ** 2 * xs.length);
      expect(Math.abs(merged.m3 - ref.m3)).toBeLessThan(1e-8 * scale ** 3 * xs.length);
      expect(Math.abs(merged.m4 - ref.m4)).toBeLessThan(1e-8 * scale ** 4 * xs.length);
    },
  );

  it('merging into an empty accumulator copies; NaN is rejected', () => {
    const m = new Moments().merge(Moments.of([1, 2, 3]));
    expect(m.toJSON()).toEqual(Moments.of([1, 2, 3]).toJSON());
    expect(() => new Moments().push(NaN)).toThrow(DomainError);
  });

  it('mean and variance intervals cover at close to their level (200 seeded replications)', () => {
    // Exponential(1) data: mean 1, variance 1, skewed, so the variance CI needs the 4th moment.
    let meanCovered = 0;
    let varCovered = 0;
    for (let seed = 0; seed < 200; seed++) {
      const rng = new Rng(seed);
      const m = new Moments();
      for (let i = 0; i < 2000; i++) m.push(-Math.log(1 - rng.uniform()));
      const [a, b] = meanInterval(m);
      const [c, d] = varianceInterval(m);
      if (a <= 1 && 1 <= b) meanCovered++;
      if (c <= 1 && 1 <= d) varCovered++;
    }
    // 95% nominal; 200 trials: a binomial 99.9% band is about [0.90, 0.99].
    expect(meanCovered / 200).toBeGreaterThan(0.9);
    expect(varCovered / 200).toBeGreaterThan(0.88);
    expect(meanCovered / 200).toBeLessThan(0.995);
  });
});

describe('CoMoments', () => {
  test.prop([fc.array(fc.tuple(finite, finite, finite), { minLength: 3, maxLength: 40 }), fc.nat()])(
    'sharded co-moments equal one pass, and match the two-pass covariance',
    (rows, cut) => {
      const flat = rows.flat();
      const k = 1 + (cut % (rows.length - 1));
      const merged = new CoMoments(3)
        .pushRows(flat.slice(0, 3 * k))
        .merge(new CoMoments(3).pushRows(flat.slice(3 * k)));
      const n = rows.length;
      const scale = Math.max(1, ...flat.map(Math.abs));
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          const mi = rows.reduce((a, r) => a + r[i], 0) / n;
          const mj = rows.reduce((a, r) => a + r[j], 0) / n;
          const cov = rows.reduce((a, r) => a + (r[i] - mi) * (r[j] - mj), 0) / (n - 1);
          expect(Math.abs(merged.covariance(i, j) - cov)).toBeLessThan(1e-9 * scale * scale);
        }
      }
    },
  );

  it('covariance interval covers the true covariance of a correlated pair', () => {
    let covered = 0;
    for (let seed = 0; seed < 100; seed++) {
      const rng = new Rng(seed);
      const xs = new Float64Array(1000);
      const ys = new Float64Array(1000);
      for (let i = 0; i < 1000; i++) {
        xs[i] = rng.normal();
        ys[i] = 0.6 * xs[i] + 0.8 * rng.normal(); // cov = 0.6
      }
      const { ci } = covarianceInterval(xs, ys);
      if (ci[0] <= 0.6 && 0.6 <= ci[1]) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(88);
  });
});
