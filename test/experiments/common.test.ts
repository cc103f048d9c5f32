import { describe, expect, it } from 'vitest';
import { diagnostic, exactCheck, finish, marginalChecks } from '../../src/experiments/common.js';
import { Rng } from '../../src/core/rng.js';
import { NumericalError } from '../../src/core/errors.js';
import { GaussianMixture } from '../../src/targets/index.js';
import type { TestOutcome } from '../../src/stats/index.js';

const outcome = (test: string, pValue: number): TestOutcome => ({
  test,
  estimate: 0,
  ci: [-1, 1],
  pValue,
  alpha: 0.001,
  minDetectableEffect: 1,
  samples: 10,
});
const meta = { experiment: 'x', seed: 7, backend: 'js', ms: 1 };

describe('finish', () => {
  it('names exactly the tests Holm rejects, with their adjusted p-values', () => {
    // Holm at 0.001 over 3 tests: 3e-4 * 3 = 9e-4 rejected; then 6e-4 * 2 = 1.2e-3 stops.
    const r = finish([outcome('a', 0.5), outcome('b', 3e-4), outcome('c', 6e-4)], meta, 0.001);
    expect(r.outcome).toBe('rejected');
    expect(r.notes[0]).toBe('rejected at family-wise alpha = 0.001 (Holm): b (Holm-adjusted p = 0.0009)');
    expect(r.data!.holmAdjusted).toEqual([0.5 * 1, 3e-4 * 3, 6e-4 * 2].map((p) => expect.closeTo(p, 15)));
    expect(r.evidence[1]).toMatchObject({
      kind: 'monte-carlo',
      experiment: 'x',
      test: 'b',
      seed: 7,
      backend: 'js',
    });
  });

  it('passes when nothing is rejected; a NaN residual is a NumericalError, never a verdict', () => {
    expect(finish([outcome('a', 0.002), outcome('b', 0.9)], meta, 0.001).outcome).toBe('passed');
    const over = { size: 5, unit: 'trajectories' };
    expect(() => exactCheck('gap', NaN, 1e-10, over)).toThrow(NumericalError);
    expect(finish([exactCheck('gap', 2e-10, 1e-10, over)], meta, 0.001).outcome).toBe('rejected');
  });
});

describe('finish with exact checks and diagnostics', () => {
  const over = { size: 50, unit: 'trajectories' };

  it('an exact check is exact evidence: value and tolerance, no p-value, level or interval', () => {
    const r = finish([exactCheck('gap', 1e-12, 1e-10, over), outcome('a', 0.5)], meta, 0.001);
    expect(r.outcome).toBe('passed');
    expect(r.evidence[0]).toEqual({
      kind: 'exact',
      experiment: 'x',
      test: 'gap',
      value: 1e-12,
      tolerance: 1e-10,
      size: 50,
      unit: 'trajectories',
      backend: 'js',
      seed: 7,
      ms: 1,
    });
    expect(r.evidence[1].kind).toBe('monte-carlo');
    // Holm runs over the tests only.
    expect(r.data!.holmAdjusted).toEqual([0.5]);
    expect(r.notes[0]).toBe(
      'all 1 tests accept at family-wise alpha = 0.001 (Holm); smallest adjusted p = 0.5; the exact check is within its tolerance',
    );
    const unseeded = finish([exactCheck('closed form', 0, 1e-8, { ...over, seeded: false })], meta, 0.001);
    expect(unseeded.evidence[0]).not.toHaveProperty('seed');
    expect(unseeded.data).toBeUndefined();
  });

  it('a value beyond its tolerance fails and is named', () => {
    const r = finish([exactCheck('gap', 3e-10, 1e-10, over), outcome('a', 0.5)], meta, 0.001);
    expect(r.outcome).toBe('rejected');
    expect(r.notes[0]).toMatch(/^out of tolerance: gap \(3e-10 > tolerance 1e-10\)/);
  });

  it('diagnostics are reported with their reason and never decide', () => {
    const r = finish(
      [outcome('a', 0.5), diagnostic(outcome('learned marginal', 1e-9), 'it tests a trained model')],
      meta,
      0.001,
    );
    expect(r.outcome).toBe('passed');
    expect(r.evidence.map((e) => e.test)).toEqual(['a']);
    expect(r.diagnostics).toEqual([
      {
        evidence: expect.objectContaining({ kind: 'monte-carlo', test: 'learned marginal', pValue: 1e-9 }),
        whyNotCounted: 'it tests a trained model',
      },
    ]);
  });
});

describe('marginalChecks', () => {
  const law = new GaussianMixture('ring', {
    weights: [1, 1],
    means: [
      [-1, 0],
      [1, 0],
    ],
    variances: 0.25,
  });

  it('accepts an exact sample and rejects a 10%-wider one', () => {
    const exact = law.sample(5000, new Rng(3));
    const good = marginalChecks(exact, law, { label: 'g', alpha: 0.001, seed: 1, energyPoints: 200 });
    expect(good.map((o) => o.test)).toEqual([
      'g: mean[0]',
      'g: ks[0]',
      'g: mean[1]',
      'g: ks[1]',
      'g: cov[0][0]',
      'g: cov[0][1]',
      'g: cov[1][1]',
      'g: energy distance',
    ]);
    expect(finish(good, meta, 0.001).outcome).toBe('passed');
    const wide = exact.map((v) => 1.1 * v);
    expect(
      finish(marginalChecks(wide, law, { label: 'w', alpha: 0.001, seed: 1, energyPoints: 200 }), meta, 0.001)
        .outcome,
    ).toBe('rejected');
  });
});
