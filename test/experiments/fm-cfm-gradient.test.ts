import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiments/index.js';
import { monteCarlo } from '../helpers/evidence.js';

// Small size for CI: 64 batches of 128 samples, a 3-16-16-2 MLP after 50 CFM steps (about 1 s each).
const small = { batches: 64, batchSize: 128, width: 16, pretrainSteps: 50 };

describe('experiment fm-cfm-gradient (tfjs MLP, exact mixture velocity)', () => {
  for (const seed of [11, 12]) {
    it(`the true claim passes at seed ${seed}, with evidence per parameter block`, async () => {
      const r = await runExperiment('fm-cfm-gradient', small, { seed, backend: 'tfjs-wasm' });
      expect(r.outcome).toBe('passed');
      expect(r.evidence.map((e) => e.test.split(' ')[1])).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
      for (const e of monteCarlo(r)) {
        expect(e.ci[0]).toBeLessThanOrEqual(0);
        expect(e.ci[1]).toBeGreaterThanOrEqual(0);
        expect(e.backend).toBe('tfjs-wasm');
        expect(e.seed).toBe(seed);
      }
    });
  }

  it('the wrong CFM target x1 - x is rejected, with effects far beyond the detectable size', async () => {
    const r = await runExperiment(
      'fm-cfm-gradient',
      { ...small, cfmTarget: 'data-minus-xt' },
      { seed: 11, backend: 'tfjs-wasm' },
    );
    expect(r.outcome).toBe('rejected');
    const weights = monteCarlo(r).filter((e) => /block W/.test(e.test));
    for (const e of weights) expect(Math.abs(e.estimate)).toBeGreaterThan(3 * e.minDetectableEffect);
  });

  it('is reproducible for a seed on one backend', async () => {
    const a = await runExperiment('fm-cfm-gradient', small, { seed: 5, backend: 'tfjs-wasm' });
    const b = await runExperiment('fm-cfm-gradient', small, { seed: 5, backend: 'tfjs-wasm' });
    expect(monteCarlo(a).map((e) => e.estimate)).toEqual(monteCarlo(b).map((e) => e.estimate));
  });

  it('an unknown backend is an InputError naming it', async () => {
    await expect(runExperiment('fm-cfm-gradient', small, { seed: 1, backend: 'cuda' })).rejects.toThrow(
      /cuda/,
    );
  });
});
