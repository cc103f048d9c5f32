import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError, InputError } from '../../src/core/errors.js';
import {
  abarAtTimestep,
  DISCRETE_NAMES,
  getDiscrete,
  isDiscreteName,
  ddimSigma2,
  ddpmCosine,
  ddpmLinear,
  karrasSigmas,
  veSde,
  vpSde,
} from '../../src/schedules/index.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('DDPM linear schedule', () => {
  const s = ddpmLinear();
  it('reproduces the reference abar[1] = 0.9999 and abar[1000] = 4.03583e-5', () => {
    expect(s.abar(0)).toBe(1);
    expect(rel(s.abar(1), 0.9999)).toBeLessThan(1e-12);
    expect(rel(s.abar(1000), 4.03583e-5)).toBeLessThan(1e-5);
    expect(s.betas[1]).toBeCloseTo(1e-4, 15);
    expect(s.betas[1000]).toBeCloseTo(0.02, 15);
  });
  it('abar is the cumulative product of (1 - beta) and alpha^2 + sigma^2 = 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (t) => {
        expect(s.abar(t)).toBeCloseTo(s.abar(t - 1) * (1 - s.betas[t]), 15);
        expect(s.alpha(t) ** 2 + s.sigma(t) ** 2).toBeCloseTo(1, 14);
      }),
      { seed: 1 },
    );
  });
  it('DDIM variance for 420 -> 400: 0.147720 zero-based, 0.147350 one-based', () => {
    expect(ddimSigma2(s, 420, 400, 'zero-based')).toBeCloseTo(0.14772, 6);
    expect(ddimSigma2(s, 420, 400, 'one-based')).toBeCloseTo(0.14735, 6);
    expect(ddimSigma2(s, 420, 400, 'zero-based', 0.5)).toBeCloseTo(0.25 * 0.14772, 6);
    expect(abarAtTimestep(s, 0, 'zero-based')).toBe(s.abar(1));
    expect(abarAtTimestep(s, -1, 'zero-based')).toBe(1);
  });
  it('the discrete schedule approaches the VP-SDE with beta(t/T) = T beta[t]', () => {
    // log abar[t] = sum log(1 - beta) = -sum beta - sum beta^2 / 2 - ...; the continuum drops the
    // beta^2 term, which reaches ~0.067 at t = 1000 (alpha then differs by ~3.4%).
    const vp = vpSde(0.1, 20);
    for (const t of [100, 500, 1000]) {
      let sq = 0;
      for (let k = 1; k <= t; k++) sq += s.betas[k] ** 2 / 2;
      expect(rel(s.alpha(t) * Math.exp(sq / 2), vp.alpha(t / 1000))).toBeLessThan(2e-3);
    }
  });
});

describe('improved-DDPM cosine schedule', () => {
  const c = ddpmCosine();
  it('clipped cumprod equals the closed form until clipping starts, then stays above it', () => {
    for (const t of [1, 10, 500, 900]) expect(rel(c.abar(t), c.abarClosedForm(t))).toBeLessThan(1e-10);
    expect(c.abarClosedForm(1000)).toBeLessThan(1e-30);
    expect(c.abar(1000)).toBeGreaterThan(1e-10);
    expect(Math.max(...c.betas)).toBeCloseTo(0.999, 15);
  });
  it('abar decreases strictly', () => {
    for (let t = 1; t <= 1000; t++) expect(c.abar(t)).toBeLessThan(c.abar(t - 1));
  });
});

describe('Karras sigmas', () => {
  it('first = sigmaMax, last before the appended 0 = sigmaMin, strictly decreasing', () => {
    const k = karrasSigmas(18, 0.002, 80, 7);
    expect(k.length).toBe(19);
    expect(k[0]).toBe(80);
    expect(k[17]).toBe(0.002);
    expect(k[18]).toBe(0);
    for (let i = 1; i < k.length; i++) expect(k[i]).toBeLessThan(k[i - 1]);
    // interior point of the rho-schedule
    const i = 9;
    expect(k[i]).toBeCloseTo((80 ** (1 / 7) + (i / 17) * (0.002 ** (1 / 7) - 80 ** (1 / 7))) ** 7, 10);
  });
});

describe('input checking names the argument', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['T < 1', () => ddpmLinear(0), /ddpmLinear: argument 'numSteps' = 0 must be an integer >= 1/],
    ['non-integer T', () => ddpmLinear(2.5), /'numSteps' = 2\.5/],
    ['beta out of range', () => ddpmLinear(10, 0, 0.02), /'betaStart' = 0 must lie in \(0, 1\)/],
    ['betaEnd < betaStart', () => ddpmLinear(10, 0.1, 0.01), /'betaEnd' = 0\.01/],
    ['tIndex out of range', () => ddpmLinear(10).abar(11), /ddpm-linear\.abar: argument 'tIndex' = 11/],
    ['NaN tIndex', () => ddpmLinear(10).abar(Number.NaN), /'tIndex' = NaN/],
    [
      'non-monotone DDIM step',
      () => ddimSigma2(ddpmLinear(), 400, 420, 'zero-based'),
      /'prevTimestep' = 420/,
    ],
    ['negative eta', () => ddimSigma2(ddpmLinear(), 420, 400, 'zero-based', -1), /'eta' = -1/],
    ['karras sigmaMin = 0', () => karrasSigmas(10, 0, 80), /karrasSigmas: argument 'sigmaMin' = 0/],
    ['karras non-monotone', () => karrasSigmas(10, 90, 80), /'sigmaMax' = 80 must be > sigmaMin = 90/],
    ['VE sigmas reversed', () => veSde(5, 1), /veSde: argument 'sigmaMax' = 1/],
    ['VP NaN beta', () => vpSde(Number.NaN), /vpSde: argument 'betaMin' = NaN/],
  ];
  for (const [what, f, msg] of cases) {
    it(what, () => {
      expect(f).toThrow(DomainError);
      expect(f).toThrow(msg);
    });
  }
});

describe('the discrete schedule registry', () => {
  it('builds each named schedule at its default or a given length', () => {
    expect(DISCRETE_NAMES).toEqual(['ddpm-linear', 'ddpm-cosine']);
    expect(getDiscrete('ddpm-linear').abar(1000)).toBeCloseTo(4.03583e-5, 9);
    expect(getDiscrete('ddpm-cosine', 50).numSteps).toBe(50);
    expect(getDiscrete('ddpm-cosine').alphasCumprod).toEqual(ddpmCosine().alphasCumprod);
  });

  it('an unknown name is an InputError listing the known ones', () => {
    expect(() => getDiscrete('ddpm-quadratic')).toThrow(InputError);
    expect(() => getDiscrete('ddpm-quadratic')).toThrow(
      "unknown discrete schedule 'ddpm-quadratic' (known: ddpm-linear, ddpm-cosine) near 'ddpm-quadratic'",
    );
    expect(isDiscreteName('__proto__')).toBe(false);
  });
});
