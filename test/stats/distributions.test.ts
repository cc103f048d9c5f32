// Reference values from SciPy 1.x (scipy.stats / scipy.special), printed to full precision.
import { describe, expect, it } from 'vitest';
import {
  betaInc,
  betaQuantile,
  binomialInterval,
  kolmogorovQuantile,
  kolmogorovSf,
  normalCdf,
  normalPdf,
  normalQuantile,
  studentTQuantile,
} from '../../src/stats/index.js';
import { DomainError } from '../../src/core/errors.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('distribution functions match SciPy', () => {
  it('normal CDF, including the far tail', () => {
    const cases: [number, number][] = [
      [-8, 6.22096057427174e-16],
      [-3, 0.0013498980316300933],
      [-1.5, 0.06680720126885807],
      [0.3, 0.6179114221889526],
      [2.5, 0.9937903346742238],
    ];
    for (const [z, p] of cases) expect(rel(normalCdf(z), p)).toBeLessThan(1e-13);
  });

  it('normal quantile', () => {
    const cases: [number, number][] = [
      [1e-12, -7.034483825301131],
      [0.01, -2.3263478740408408],
      [0.3, -0.5244005127080409],
      [0.9, 1.2815515655446004],
      [0.999999, 4.753424308817087],
    ];
    for (const [p, z] of cases) expect(rel(normalQuantile(p), z)).toBeLessThan(1e-13);
    expect(() => normalQuantile(1)).toThrow(DomainError);
    expect(() => normalQuantile(NaN)).toThrow(DomainError);
  });

  it('Student t quantile', () => {
    const cases: [number, number][] = [
      [1, 12.706204736432095],
      [3, 3.182446305284263],
      [10, 2.2281388519649385],
      [30, 2.0422724563012373],
    ];
    for (const [nu, t] of cases) expect(rel(studentTQuantile(0.975, nu), t)).toBeLessThan(1e-9);
  });

  it('Kolmogorov survival function on both sides of the series switch', () => {
    const cases: [number, number][] = [
      [0.5, 0.9639452436648751],
      [1.0, 0.26999967167735456],
      [1.2, 0.11224966667072497],
      [1.5, 0.022217962616525127],
      [2.5, 7.453306344157342e-6],
    ];
    for (const [l, p] of cases) expect(rel(kolmogorovSf(l), p)).toBeLessThan(1e-10);
    expect(kolmogorovQuantile(0.05)).toBeCloseTo(1.3580986393225505, 8);
  });

  it('regularized incomplete beta and its inverse', () => {
    expect(rel(betaInc(0.4, 2, 3), 0.5248)).toBeLessThan(1e-12);
    expect(rel(betaInc(0.1, 0.5, 5), 0.6833570849799877)).toBeLessThan(1e-12);
    expect(rel(betaInc(0.45, 50, 60), 0.4642352914306064)).toBeLessThan(1e-10);
    expect(betaInc(betaQuantile(0.3, 7, 2), 7, 2)).toBeCloseTo(0.3, 12);
  });

  it('Clopper-Pearson interval equals the beta quantiles', () => {
    const [lo, hi] = binomialInterval(3, 100);
    expect(rel(lo, 0.006229971538306395)).toBeLessThan(1e-9);
    expect(rel(hi, 0.08517605297428002)).toBeLessThan(1e-9);
    expect(binomialInterval(0, 50)[0]).toBe(0);
    expect(binomialInterval(50, 50)[1]).toBe(1);
    expect(() => binomialInterval(5, 4)).toThrow(DomainError);
  });
});

describe('normalPdf', () => {
  it('is the derivative of the CDF, scaled to mean and variance', () => {
    for (const [x, m, v] of [
      [0, 0, 1],
      [1.3, -0.4, 0.25],
      [-7, 2, 9],
    ]) {
      const s = Math.sqrt(v);
      const h = 1e-5;
      const slope = (normalCdf((x + h - m) / s) - normalCdf((x - h - m) / s)) / (2 * h);
      expect(rel(normalPdf(x, m, v), slope)).toBeLessThan(1e-8);
    }
    expect(normalPdf(0, 0, 1)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 15);
  });
});
