import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { DomainError } from '../../src/core/errors.js';

// Phi via erfc (Numerical Recipes' Chebyshev fit, |relative error| < 1.2e-7: far below the KS bands used).
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Kolmogorov-Smirnov distance of a sample from N(0, 1). */
function ksNormal(xs: Float64Array): number {
  const s = Float64Array.from(xs).sort();
  let dMax = 0;
  for (let i = 0; i < s.length; i++) {
    const F = normalCdf(s[i]);
    dMax = Math.max(dMax, Math.abs(F - i / s.length), Math.abs(F - (i + 1) / s.length));
  }
  return dMax;
}
// KS critical value at alpha = 1e-3: sqrt(-ln(alpha / 2) / 2) / sqrt(n).
const ksCritical = (n: number) => Math.sqrt(-Math.log(5e-4) / 2) / Math.sqrt(n);

describe('Rng', () => {
  it('is a pure function of (seed, stream)', () => {
    const a = new Rng(42, 7);
    const b = new Rng(42, 7);
    for (let i = 0; i < 1000; i++) expect(a.nextUint32()).toBe(b.nextUint32());
    const fa = new Rng(3, 1).fillNormal(new Float64Array(5000));
    const fb = new Rng(3, 1).fillNormal(new Float64Array(5000));
    expect(fa).toEqual(fb);
  });

  it('gives different streams for different seeds, streams and splits', () => {
    const first = (r: Rng) => [r.nextUint32(), r.nextUint32()].join(',');
    const seen = new Set([
      first(new Rng(1, 0)),
      first(new Rng(1, 1)),
      first(new Rng(2, 0)),
      first(new Rng(1, 0).split(0)),
    ]);
    expect(seen.size).toBe(4);
    expect(first(new Rng(1, 0).split(5))).toBe(first(new Rng(1, 0).split(5)));
  });

  it('rejects bad seeds and arguments with a DomainError', () => {
    expect(() => new Rng(-1)).toThrow(DomainError);
    expect(() => new Rng(1.5)).toThrow(/seed/);
    expect(() => new Rng(NaN)).toThrow(DomainError);
    expect(() => new Rng(1, -2)).toThrow(/stream/);
    expect(() => new Rng(1).int(0)).toThrow(DomainError);
  });

  it('uniform() is uniform on [0, 1) (chi-square over 100 bins)', () => {
    const r = new Rng(11);
    const n = 1_000_000;
    const bins = new Float64Array(100);
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      bins[Math.floor(u * 100)]++;
    }
    const chi2 = bins.reduce((s, c) => s + (c - n / 100) ** 2 / (n / 100), 0);
    // chi-square(99) upper 0.1% point is 148.2.
    expect(chi2).toBeLessThan(148.2);
  });

  it('int(n) is unbiased for a non-power-of-two n', () => {
    const r = new Rng(5);
    const counts = new Float64Array(3);
    for (let i = 0; i < 300_000; i++) counts[r.int(3)]++;
    const chi2 = counts.reduce((s, c) => s + (c - 100_000) ** 2 / 100_000, 0);
    expect(chi2).toBeLessThan(13.8); // chi-square(2) upper 0.1% point
  });

  for (const method of ['normal', 'fillNormal'] as const) {
    it(`${method}() draws exact N(0, 1): KS, moments and the tail beyond the ziggurat's base`, () => {
      const n = 1_000_000;
      const r = new Rng(2024);
      const xs = new Float64Array(n);
      if (method === 'fillNormal') r.fillNormal(xs);
      else for (let i = 0; i < n; i++) xs[i] = r.normal();
      expect(ksNormal(xs)).toBeLessThan(ksCritical(n));
      let m1 = 0, m2 = 0, m4 = 0, tail = 0; // prettier-ignore
      for (const x of xs) {
        m1 += x;
        m2 += x * x;
        m4 += x ** 4;
        if (Math.abs(x) > 3.6541528853610088) tail++;
      }
      // 4-sigma bands: sd of the mean 1/sqrt(n), of mean(x^2) sqrt(2/n), of mean(x^4) sqrt(96/n).
      expect(Math.abs(m1 / n)).toBeLessThan(4 / Math.sqrt(n));
      expect(Math.abs(m2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
      expect(Math.abs(m4 / n - 3)).toBeLessThan(4 * Math.sqrt(96 / n));
      // P(|x| > R) = 2.58e-4: the tail sampler is exercised and has the right mass (Poisson 4-sigma).
      const pTail = 2 * (1 - normalCdf(3.6541528853610088));
      expect(Math.abs(tail - n * pTail)).toBeLessThan(4 * Math.sqrt(n * pTail));
    });
  }

  it('fillNormal with an offset fills only the requested slots', () => {
    const out = new Float64Array(10).fill(7);
    new Rng(1).fillNormal(out, 3, 4);
    expect([...out.slice(0, 3), ...out.slice(7)]).toEqual([7, 7, 7, 7, 7, 7]);
    expect(out.slice(3, 7).every((v) => v !== 7 && Number.isFinite(v))).toBe(true);
  });
});
