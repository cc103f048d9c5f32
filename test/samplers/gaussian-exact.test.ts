// Each sampler's compiled program against the exact law of its output on a Gaussian target (oracle in
// gaussian-oracle.ts): the discretisation error vanishes at the method's order, and the js backend's
// samples match the oracle's moments within Monte-Carlo bands (no allowance needed: the oracle is exact).
import { describe, expect, it } from 'vitest';
import { planSampling, sample, SAMPLERS } from '../../src/samplers/index.js';
import { GaussianMixture } from '../../src/targets/index.js';
import { exactGaussianMoments } from './gaussian-oracle.js';

const M = 1;
const V = 0.25;
const target = new GaussianMixture('g', { weights: [1], means: [[M]], variances: V });

/** Exact output moments and the truth (the marginal at the grid's end) for a sampler at numSteps. */
function exact(sampler: string, numSteps: number, extra: object = {}) {
  const plan = planSampling({ target, sampler, numSteps, ...extra });
  const { start, end } = plan;
  const [mu, s2] = exactGaussianMoments(
    plan.program,
    M,
    V,
    start.alpha * M,
    start.alpha ** 2 * V + start.sigma ** 2,
  );
  return { mu, s2, trueMu: end.alpha * M, trueS2: end.alpha ** 2 * V + end.sigma ** 2 };
}

// Orders in h of the global error of the output law (weak order): Euler-type 1, Heun 2, RK4 4.
const orders: [string, number, object][] = [
  ['pf-ode-euler', 1, {}],
  ['pf-ode-heun', 2, {}],
  ['pf-ode-rk4', 4, {}],
  ['reverse-sde-em', 1, {}],
  ['eta-family', 1, { eta: 0.5 }],
  ['fm-euler', 1, {}],
  ['fm-heun', 2, {}],
  ['ddim', 1, { eta: 0, path: 'vp-sde' }],
  ['ddim', 1, { eta: 1, path: 'vp-sde' }],
  ['ddpm', 1, { path: 'vp-sde' }],
];

describe('exact output law on a Gaussian target: convergence at the method order', () => {
  for (const [sampler, order, extra] of orders) {
    it(`${sampler} ${JSON.stringify(extra)} converges with order ~${order}`, () => {
      const err = (N: number) => {
        const e = exact(sampler, N, extra);
        return Math.abs(e.mu - e.trueMu) + Math.abs(e.s2 - e.trueS2);
      };
      // Error ratio between N and 2N steps approaches 2^order; accept within a factor 2^(+-0.35).
      const N = order === 4 ? 200 : 800;
      const observed = Math.log2(err(N) / err(2 * N));
      expect(observed).toBeGreaterThan(order - 0.35);
      expect(observed).toBeLessThan(order + 0.35);
      expect(err(2 * N)).toBeLessThan(order === 1 ? 1e-2 : 1e-4);
    });
  }
  it('every registered sampler is covered', () => {
    expect(new Set(orders.map(([s]) => s))).toEqual(new Set(Object.keys(SAMPLERS)));
  });
  it('DDPM on the discrete linear schedule ends at the data law up to its discretisation', () => {
    const e = exact('ddpm', 1000);
    expect(e.trueMu).toBe(M);
    expect(Math.abs(e.mu - M)).toBeLessThan(2e-3);
    expect(Math.abs(e.s2 - V)).toBeLessThan(2e-3);
  });
  it('a wrong PF-ODE drift (a missing 1/2, as the reverse-SDE drift without noise) does not converge', () => {
    // eta-family at eta = 1 without its noise is exactly "f x - g^2 score": its exact law stays far off.
    const plan = planSampling({ target, sampler: 'eta-family', numSteps: 1000, eta: 1 });
    plan.program.nextZ.fill(0);
    const { start, end } = plan;
    const [, s2] = exactGaussianMoments(
      plan.program,
      M,
      V,
      start.alpha * M,
      start.alpha ** 2 * V + start.sigma ** 2,
    );
    expect(Math.abs(s2 - (end.alpha ** 2 * V + end.sigma ** 2))).toBeGreaterThan(0.1);
  });
});

describe('js backend samples match the exact output law (Monte-Carlo bands, alpha = 1e-4 each)', () => {
  const cases: [string, number, object][] = [
    ['reverse-sde-em', 60, {}],
    ['pf-ode-heun', 30, {}],
    ['pf-ode-rk4', 10, {}],
    ['fm-heun', 30, {}],
    ['ddim', 40, { eta: 0.7, path: 'vp-sde' }],
    ['ddpm', 50, { path: 'vp-sde' }],
    ['eta-family', 40, { eta: 2 }],
  ];
  for (const [sampler, numSteps, extra] of cases) {
    it(`${sampler} at ${numSteps} steps`, async () => {
      const n = 200_000;
      const e = exact(sampler, numSteps, extra);
      const r = await sample({ target, sampler, numSteps, n, seed: 7, threads: 1, ...extra });
      let m1 = 0;
      let m2 = 0;
      for (const x of r.samples) {
        m1 += x;
        m2 += x * x;
      }
      const mean = m1 / n;
      const variance = m2 / n - mean * mean;
      // z = 3.9 two-sided is alpha = 1e-4; var of the sample variance of a Gaussian is 2 s2^2 / n.
      expect(Math.abs(mean - e.mu)).toBeLessThan(3.9 * Math.sqrt(e.s2 / n));
      expect(Math.abs(variance - e.s2)).toBeLessThan(3.9 * Math.sqrt((2 * e.s2 * e.s2) / n));
    });
  }
});
