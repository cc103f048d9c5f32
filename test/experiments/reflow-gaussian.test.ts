import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { DomainError, NumericalError } from '../../src/core/errors.js';
import {
  gaussianCoupling,
  gaussianReflow,
  rectifyGaussian,
} from '../../src/experiments/flow/gaussian-reflow.js';
import { closedFormFirstStraightness, reflowGaussianExact } from '../../src/experiments/reflow-gaussian.js';
import { runExperiment } from '../../src/experiments/index.js';

describe('closed-form Gaussian reflow', () => {
  test('independent X0 ~ N(0,1), X1 ~ N(2, 0.25): S after one rectification is 1 - pi/4', () => {
    const [round] = gaussianReflow(gaussianCoupling([2], [0.25]), 1, 2000);
    expect(round.straightness).toBeCloseTo(1 - Math.PI / 4, 11);
    // E||X1 - X0||^2 = 4 + 1 + 0.25; after rectification Z1 = 2 + Z0 / 2, so E||Z1 - Z0||^2 = 4 + 0.25.
    expect(round.transportCostBefore).toBeCloseTo(5.25, 14);
    expect(round.transportCostAfter).toBeCloseTo(4.25, 11);
    // slack = int E Var(D | X_t) dt = pi/4 for this coupling (int_0^1 dt / q = pi, (4ac - b^2)/4 = 1/4).
    expect(round.conditionalVariance).toBeCloseTo(Math.PI / 4, 11);
    expect(closedFormFirstStraightness(gaussianCoupling([2], [0.25]))).toBeCloseTo(1 - Math.PI / 4, 14);
  });

  test.prop(
    [
      fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 3 }),
      fc.array(fc.double({ min: 0.05, max: 4, noNaN: true }), { minLength: 3, maxLength: 3 }),
      fc.double({ min: -0.9, max: 0.9, noNaN: true }),
    ],
    { numRuns: 25 },
  )(
    '1-3 D diagonal couplings: ODE S matches the closed form; per-round bound and identity hold',
    (mean, vars, rho) => {
      const c = gaussianCoupling(mean, vars.slice(0, mean.length), rho);
      const rounds = gaussianReflow(c, 3, 600);
      expect(Math.abs(rounds[0].straightness - closedFormFirstStraightness(c))).toBeLessThan(1e-7);
      for (const r of rounds) {
        const slack = r.transportCostBefore - r.transportCostAfter - r.straightness;
        expect(slack).toBeGreaterThan(-1e-7);
        expect(Math.abs(slack - r.conditionalVariance)).toBeLessThan(1e-7);
        expect(r.marginalError).toBeLessThan(1e-7);
      }
    },
  );

  test.prop([fc.double({ min: 0.2, max: 0.95, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true })], {
    numRuns: 15,
  })(
    '2-D rotated couplings (non-commuting drift): bound, identity, marginals; 2x steps agree',
    (rho, angle) => {
      const c = gaussianCoupling([1, -1], [0.25, 4], rho, angle);
      const fine = rectifyGaussian(c, 800);
      const coarse = rectifyGaussian(c, 400);
      expect(Math.abs(fine.straightness - coarse.straightness)).toBeLessThan(1e-8);
      const slack = fine.transportCostBefore - fine.transportCostAfter - fine.straightness;
      expect(slack).toBeGreaterThan(-1e-8);
      expect(Math.abs(slack - fine.conditionalVariance)).toBeLessThan(1e-8);
      expect(fine.marginalError).toBeLessThan(1e-8);
      expect(fine.straightness).toBeGreaterThan(1e-3);
    },
  );

  test('a perfectly crossing coupling (X1 = -X0) is refused, not silently rectified', () => {
    const c = gaussianCoupling([0], [1]);
    const crossing = { ...c, s01: [[-1]] };
    expect(() => rectifyGaussian(crossing, 100)).toThrow(NumericalError);
  });

  test('bad parameters are DomainErrors naming the argument', () => {
    expect(() => gaussianCoupling([0], [-1])).toThrow(DomainError);
    expect(() => gaussianCoupling([0], [1], 1)).toThrow(/correlation/);
    expect(() => rectifyGaussian(gaussianCoupling([0], [1]), 3)).toThrow(/steps/);
  });
});

describe('experiment reflow-gaussian-exact', () => {
  test('default (the lecture example) passes all checks over 10 rounds and reports S(Z^1) = 1 - pi/4', async () => {
    const r = await runExperiment('reflow-gaussian-exact', {}, { seed: 0 });
    expect(r.outcome).toBe('passed');
    const s = r.data?.straightness as number[];
    expect(s).toHaveLength(10);
    expect(s[0]).toBeCloseTo(1 - Math.PI / 4, 11);
    const closed = r.evidence.find((e) => e.test.includes('(closed form'));
    expect(closed).toMatchObject({ kind: 'exact', tolerance: expect.closeTo(5.25e-8, 15) }); // 1e-8 E||X1 - X0||^2
    expect(closed).not.toHaveProperty('seed'); // nothing random: a closed form and ODE solves
  });

  test('a rotated 2-D coupling passes and S(Z^1) + slack equals the drop in transport cost', async () => {
    const r = await reflowGaussianExact.run(
      { dataMean: [1, -1], dataVar: [0.25, 4], correlation: 0.9, rotation: 2.5, rounds: 4, steps: 1000 },
      { seed: 0 },
    );
    expect(r.outcome).toBe('passed');
    const cost = r.data?.transportCost as number[];
    const s = r.data?.straightness as number[];
    const slack = r.data?.slack as number[];
    expect(s[0] + slack[0]).toBeCloseTo(cost[0] - cost[1], 9);
    expect(s[0]).toBeGreaterThan(1);
  });
});
