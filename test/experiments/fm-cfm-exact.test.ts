import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { DomainError } from '../../src/core/errors.js';
import {
  collisionGroups,
  randomFiniteJoint,
  type FiniteJoint,
} from '../../src/experiments/flow/finite-joint.js';
import { Rng } from '../../src/core/rng.js';
import { linearFeatureField, tanhMlpField, type ParametricField } from '../../src/experiments/flow/fields.js';
import {
  compareFmCfm,
  fmCfmExact,
  gradientDiscrepancy,
  lossDiscrepancy,
} from '../../src/experiments/fm-cfm-exact.js';
import { exact } from '../helpers/evidence.js';

/**
 * The property tests' finite joints (shrinkable; the experiment draws its own with randomFiniteJoint): random finite joints whose atoms collide often (small integer atoms, times with a small common
 * denominator), so the FM and CFM losses genuinely differ. Probabilities are normalised to sum to 1.
 */
function finiteJointArbitrary(opts: { dim: number; maxAtoms: number }): fc.Arbitrary<FiniteJoint> {
  const { dim, maxAtoms } = opts;
  const coord = fc.integer({ min: -2, max: 2 });
  const vec = fc.array(coord, { minLength: dim, maxLength: dim });
  const atom = fc.record({ noise: vec, data: vec, weight: fc.integer({ min: 1, max: 9 }) });
  return fc
    .record({
      den: fc.integer({ min: 2, max: 4 }),
      atoms: fc.array(atom, { minLength: 2, maxLength: maxAtoms }),
      timeNums: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
      timeWeights: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 3, maxLength: 3 }),
    })
    .map(({ den, atoms, timeNums, timeWeights }) => {
      const total = atoms.reduce((s, a) => s + a.weight, 0);
      const nums = [...new Set(timeNums.map((n) => n % (den + 1)))];
      const timeTotal = nums.reduce((s, _, i) => s + timeWeights[i], 0);
      return {
        dim,
        den,
        atoms: atoms.map((a) => ({ ...a, weight: a.weight / total })),
        times: nums.map((num, i) => ({ num, weight: timeWeights[i] / timeTotal })),
      };
    });
}

const thetaFor = (field: ParametricField) =>
  fc.float64Array({ minLength: field.numParams, maxLength: field.numParams, min: -3, max: 3, noNaN: true });

const fields = [linearFeatureField(2), tanhMlpField(2, 5)];

describe('randomFiniteJoint', () => {
  test.prop([fc.nat(), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 12 })])(
    'draws integer atoms in [-2, 2], distinct times num/den in [0, 1], probabilities summing to 1',
    (seed, dim, maxAtoms) => {
      const j = randomFiniteJoint(new Rng(seed), { dim, maxAtoms });
      expect(j.den).toBeGreaterThanOrEqual(2);
      expect(j.den).toBeLessThanOrEqual(4);
      expect(j.atoms.length).toBeGreaterThanOrEqual(2);
      expect(j.atoms.length).toBeLessThanOrEqual(maxAtoms);
      for (const a of j.atoms)
        for (const v of [...a.noise, ...a.data]) expect(Number.isInteger(v) && Math.abs(v) <= 2).toBe(true);
      expect(Math.abs(j.atoms.reduce((s, a) => s + a.weight, 0) - 1)).toBeLessThan(1e-12);
      const nums = j.times.map((t) => t.num);
      expect(new Set(nums).size).toBe(nums.length);
      for (const n of nums) expect(n >= 0 && n <= j.den).toBe(true);
      expect(Math.abs(j.times.reduce((s, t) => s + t.weight, 0) - 1)).toBeLessThan(1e-12);
    },
  );
  test('is a function of the seed', () => {
    const a = randomFiniteJoint(new Rng(5), { dim: 2, maxAtoms: 12 });
    expect(randomFiniteJoint(new Rng(5), { dim: 2, maxAtoms: 12 })).toEqual(a);
    expect(randomFiniteJoint(new Rng(6), { dim: 2, maxAtoms: 12 })).not.toEqual(a);
  });
});

describe('FM and CFM on finite joint laws', () => {
  for (const field of fields) {
    test.prop([finiteJointArbitrary({ dim: 2, maxAtoms: 10 }), thetaFor(field), thetaFor(field)], {
      numRuns: 150,
    })(`${field.name}: L_CFM - L_FM is the same constant at two thetas, gradients equal`, (joint, a, b) => {
      const groups = collisionGroups(joint);
      const ca = compareFmCfm(joint, groups, field, a);
      const cb = compareFmCfm(joint, groups, field, b);
      expect(gradientDiscrepancy(ca)).toBeLessThanOrEqual(1);
      expect(lossDiscrepancy(ca)).toBeLessThanOrEqual(1);
      expect(Math.abs(ca.constant - cb.constant)).toBeLessThanOrEqual(ca.lossTolerance + cb.lossTolerance);
      // The constant is E Var(data - noise | x_t): also E||D||^2 - E||u_t(x_t)||^2, computed another way.
      let second = 0;
      let velocitySq = 0;
      for (const g of groups) {
        for (const j of g.members) {
          const atom = joint.atoms[j];
          second +=
            g.timeWeight * atom.weight * atom.data.reduce((s, d, c) => s + (d - atom.noise[c]) ** 2, 0);
        }
        velocitySq += g.timeWeight * g.weight * g.velocity.reduce((s, v) => s + v * v, 0);
      }
      expect(ca.constant).toBeCloseTo(second - velocitySq, 10);
    });

    test.prop([finiteJointArbitrary({ dim: 2, maxAtoms: 10 }), thetaFor(field)], { numRuns: 100 })(
      `${field.name}: the wrong target x1 - x breaks the equality whenever it changes the gradient`,
      (joint, theta) => {
        const groups = collisionGroups(joint);
        const wrong = compareFmCfm(joint, groups, field, theta, 'data-minus-xt');
        const right = compareFmCfm(joint, groups, field, theta);
        // The wrong CFM gradient differs from the right one by 2 E[(x_t - noise) . du/dtheta]; when that
        // is visible above rounding, so is the FM/CFM discrepancy.
        const shift = wrong.gradCfm.reduce(
          (m, g, p) => Math.max(m, Math.abs(g - right.gradCfm[p]) / right.gradTolerance[p]),
          0,
        );
        if (shift > 3) expect(gradientDiscrepancy(wrong)).toBeGreaterThan(1);
        expect(wrong.gradFm).toEqual(right.gradFm);
      },
    );
  }

  test('hand example: two atoms meeting at x = 0 at t = 1/2 give C = 4 and L_FM = u(0, 1/2)^2', () => {
    const joint: FiniteJoint = {
      dim: 1,
      den: 2,
      atoms: [
        { noise: [-1], data: [1], weight: 0.5 },
        { noise: [1], data: [-1], weight: 0.5 },
      ],
      times: [{ num: 1, weight: 1 }],
    };
    const groups = collisionGroups(joint);
    expect(groups).toHaveLength(1);
    expect(Array.from(groups[0].velocity)).toEqual([0]);
    const field = linearFeatureField(1);
    const theta = new Float64Array(field.numParams).fill(0);
    theta[0] = 0.75; // u = 0.75 everywhere
    const cmp = compareFmCfm(joint, groups, field, theta);
    expect(cmp.constant).toBe(4);
    expect(cmp.lossFm).toBe(0.5625);
    expect(cmp.lossCfm).toBeCloseTo(0.5 * (0.75 - 2) ** 2 + 0.5 * (0.75 + 2) ** 2, 14);
  });

  for (const field of [linearFeatureField(3), tanhMlpField(3, 4)]) {
    test.prop(
      [
        thetaFor(field),
        fc.float64Array({ minLength: 3, maxLength: 3, min: -2, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
      ],
      {
        numRuns: 50,
      },
    )(`${field.name}: Jacobian matches central finite differences`, (theta, x, t) => {
      const P = field.numParams;
      const jac = new Float64Array(3 * P);
      const out = new Float64Array(3);
      field.evaluate(theta, x, t, out, jac);
      const plus = new Float64Array(3);
      const minus = new Float64Array(3);
      const h = 1e-6;
      for (let p = 0; p < P; p++) {
        const tp = theta.slice();
        tp[p] += h;
        field.evaluate(tp, x, t, plus);
        tp[p] -= 2 * h;
        field.evaluate(tp, x, t, minus);
        for (let c = 0; c < 3; c++) {
          expect(Math.abs((plus[c] - minus[c]) / (2 * h) - jac[c * P + p])).toBeLessThan(
            1e-6 * (1 + Math.abs(jac[c * P + p])),
          );
        }
      }
    });
  }

  test('non-integer atoms are a DomainError naming the atom', () => {
    const joint: FiniteJoint = {
      dim: 1,
      den: 2,
      atoms: [{ noise: [0.5], data: [1], weight: 1 }],
      times: [{ num: 1, weight: 1 }],
    };
    expect(() => collisionGroups(joint)).toThrow(DomainError);
    expect(() => collisionGroups(joint)).toThrow(/atoms\[0\]\.noise/);
  });
});

describe('experiment fm-cfm-exact', () => {
  for (const seed of [1, 2, 3]) {
    test(`passes at seed ${seed} with a powered mutation check`, async () => {
      const r = await fmCfmExact.run(
        {
          laws: 20,
          thetas: 3,
          dim: 2,
          maxAtoms: 10,
          hidden: 5,
          models: ['linear-features', 'tanh-mlp'],
          target: 'data-minus-noise',
        },
        { seed },
      );
      expect(r.outcome).toBe('passed');
      expect(exact(r)).toHaveLength(5); // gradient and constant per model, and the power check
      for (const e of exact(r)) expect(e.value).toBeLessThanOrEqual(e.tolerance);
      expect((r.data?.constants as number[]).some((c) => c > 0.01)).toBe(true);
    });
  }

  test('the wrong target x1 - x fails', async () => {
    const r = await fmCfmExact.run(
      {
        laws: 20,
        thetas: 3,
        dim: 2,
        maxAtoms: 10,
        hidden: 5,
        models: ['linear-features', 'tanh-mlp'],
        target: 'data-minus-xt',
      },
      { seed: 4 },
    );
    expect(r.outcome).toBe('rejected');
    for (const e of exact(r)) expect(e.value).toBeGreaterThan(1e6);
  });
});
