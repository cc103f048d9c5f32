import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Rng, ZIG1024 } from '../../src/core/rng.js';
import { DomainError } from '../../src/core/errors.js';
import { erfc } from '../../src/stats/distributions.js';
import { hasModule, PYTHON } from '../helpers/python.js';

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

// R for N layers by bisection at 50 digits: R is too small when layers of area V(R) reach the top (f = 1)
// before layer N - 1 closes; 70 halvings of [3, 5] leave 2e-21.
const ZIG_MPMATH = `
import json, mpmath as mp
mp.mp.dps = 50
f = lambda x: mp.exp(-x * x / 2)
V = lambda R: R * f(R) + mp.sqrt(mp.pi / 2) * mp.erfc(R / mp.sqrt(2))
def short(R, N):
    v, x = V(R), R
    for _ in range(2, N):
        a = v / x + f(x)
        if a >= 1: return True
        x = mp.sqrt(-2 * mp.log(a))
    return v / x + f(x) > 1
lo, hi = mp.mpf(3), mp.mpf(5)
for _ in range(70):
    mid = (lo + hi) / 2
    if short(mid, 1024): lo = mid
    else: hi = mid
print(json.dumps([mp.nstr(lo, 30), mp.nstr(V(lo), 30)]))
`;
const mpmath = hasModule('mpmath');

describe('the 1024-layer ziggurat (ZIG1024, the wasm generator)', () => {
  it('has 1024 layers of equal area V and closes at the top', () => {
    const { X, F, R, V, layers } = ZIG1024;
    expect([layers, X.length, F.length, X[1], X[1024], F[1024]]).toEqual([1024, 1025, 1025, R, 0, 1]);
    for (let i = 0; i < 1024; i++) expect(X[i]).toBeGreaterThan(X[i + 1]);
    // The base layer: X[0] f(R) = V; V = R f(R) + the tail's mass sqrt(pi / 2) erfc(R / sqrt 2).
    expect(Math.abs((X[0] * F[1]) / V - 1)).toBeLessThan(1e-15);
    expect(Math.abs((R * F[1] + Math.sqrt(Math.PI / 2) * erfc(R / Math.SQRT2)) / V - 1)).toBeLessThan(1e-12);
    // Layers 1..1023 (the last is the top one, X[1023] (1 - f(X[1023])) = V: the closure) all have area V;
    // the double recurrence keeps them within 2e-12 relative.
    let worst = 0;
    for (let i = 1; i < 1024; i++) worst = Math.max(worst, Math.abs((X[i] * (F[i + 1] - F[i])) / V - 1));
    expect(worst).toBeLessThan(1e-11);
  });

  it.runIf(mpmath)('R and V are an mpmath computation at 50 digits rounded to double', () => {
    const r = spawnSync(PYTHON, ['-c', ZIG_MPMATH], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const [R, V] = (JSON.parse(r.stdout) as string[]).map(Number);
    expect(ZIG1024.R).toBe(R);
    expect(ZIG1024.V).toBe(V);
  });
  if (!mpmath) {
    const notice = `ZIG1024 mpmath cross-check SKIPPED: ${PYTHON} cannot import mpmath (apt-get install python3-mpmath, or set FLOWPROOF_TEST_PYTHON)`;
    console.warn(`NOTICE: ${notice}`);
    it.skip(notice, () => {});
  }
});
