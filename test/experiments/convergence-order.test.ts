import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiments/index.js';
import { monteCarlo } from '../helpers/evidence.js';

describe('convergence-order', () => {
  it('fits Euler ~ 1 and Heun ~ 2, and a margin tighter than the pre-asymptotic gap is rejected', async () => {
    // 2000 particles: at 500 the fitted Euler order's bootstrap CI is 0.04-0.56 wide across seeds 5-8.
    const r = await runExperiment('convergence-order', { samples: 2000 }, { seed: 5 });
    expect(r.outcome).toBe('passed');
    const [euler, heun] = monteCarlo(r);
    expect(Math.abs(euler.estimate)).toBeLessThan(0.1); // fitted order - 1
    expect(Math.abs(heun.estimate)).toBeLessThan(0.15); // fitted order - 2
    expect(euler.ci[1] - euler.ci[0]).toBeLessThan(0.3);
    // Errors shrink by ~2x (Euler) and ~4x (Heun) per halving of the step.
    const errors = r.data!.errors as { sampler: string; weakError: number }[];
    const ratios = (s: string) => {
      const e = errors.filter((x) => x.sampler === s).map((x) => Math.abs(x.weakError));
      return e.slice(1).map((v, i) => e[i] / v);
    };
    for (const q of ratios('pf-ode-euler')) expect(q).toBeGreaterThan(1.6);
    for (const q of ratios('pf-ode-heun')) expect(q).toBeGreaterThan(3.2);
    const strict = await runExperiment('convergence-order', { samples: 2000, margin: 0.01 }, { seed: 5 });
    expect(strict.outcome).toBe('rejected');
  });
});
