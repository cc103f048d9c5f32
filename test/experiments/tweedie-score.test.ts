import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiments/index.js';
import { monteCarlo } from '../helpers/evidence.js';

describe('tweedie-score', () => {
  it('records complete evidence and is reproducible for a seed', async () => {
    const a = await runExperiment('tweedie-score', { samples: 5000 }, { seed: 3 });
    const b = await runExperiment('tweedie-score', { samples: 5000 }, { seed: 3 });
    expect(monteCarlo(a).map((e) => e.estimate)).toEqual(monteCarlo(b).map((e) => e.estimate));
    expect(a.evidence).toHaveLength(16); // 4 times x 2 points x (data, noise) in 1-D
    for (const e of monteCarlo(a)) {
      expect(e).toMatchObject({ kind: 'monte-carlo', experiment: 'tweedie-score', seed: 3, samples: 5000 });
      expect(e.ci[0]).toBeLessThanOrEqual(e.estimate);
      expect(e.ci[1]).toBeGreaterThanOrEqual(e.estimate);
      expect(e.minDetectableEffect).toBeGreaterThan(0);
      expect(e.minDetectableEffect).toBeLessThan(0.2);
    }
  });

  it('the formula residuals are small on a true claim (2-D ring, thorough points)', async () => {
    const r = await runExperiment('tweedie-score', { target: 'gmm-2d-8', points: 3 }, { seed: 11 });
    // Each residual lies within a few of its own standard errors (the CI half-width / 2.58).
    for (const e of monteCarlo(r)) expect(Math.abs(e.estimate)).toBeLessThan(2.5 * (e.ci[1] - e.ci[0]));
  });

  it('degenerate importance weights (16-D, small t) are inconclusive, not a refutation', async () => {
    const r = await runExperiment('tweedie-score', { target: 'gmm-16d-8' }, { seed: 1 });
    expect(r.outcome).toBe('inconclusive');
    expect(r.outcome === 'inconclusive' ? r.reason : '').toMatch(/importance weights degenerate/);
    expect(r.evidence).toEqual([]);
  });
});
