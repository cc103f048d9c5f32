// A bug that only the intermediate checkpoints of eta-family-marginals can see: the score 10% too large
// on the noisiest quarter of the path (t >= 0.75 on vp-sde) and exact elsewhere, as a time-conditioned
// model wrong only at high noise would be. The stochastic members forget it on the way down (the reverse
// SDE contracts toward p_t), so with eta >= 1 their data end is exact to within the test's power and
// only the checkpoint t = 0.75 rejects; the PF-ODE (eta = 0) carries it to the data end (a 1-D flow map
// is monotone, so its KS distance to p_t does not shrink). The experiments' own mutation list has no
// such bug: this file swaps the model for 'score-scale-1.05' for the windowed one (modelFor mocked).
import { describe, expect, it, vi } from 'vitest';
import { runExperiment } from '../../src/experiments/index.js';
import type { UserModel } from '../../src/samplers/index.js';
import type { AffinePath } from '../../src/schedules/index.js';
import type { GaussianMixture } from '../../src/targets/index.js';
import { monteCarlo } from '../helpers/evidence.js';

const WINDOW = { from: 0.75, scale: 1.1 };

vi.mock('../../src/experiments/models.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/experiments/models.js')>();
  const windowed = (law: GaussianMixture, clock: AffinePath): UserModel => {
    const at = actual.coefficientsOf(clock);
    return {
      output: 'score',
      fn: (x, n, d, t, out) => {
        const c = at(t);
        const scale = t >= WINDOW.from ? WINDOW.scale : 1;
        for (let i = 0; i < n; i++) {
          const fields = law.fieldsAt(x.subarray(i * d, (i + 1) * d), c);
          for (let j = 0; j < d; j++) out[i * d + j] = scale * fields.score[j];
        }
      },
    };
  };
  return {
    ...actual,
    modelFor: (...args: Parameters<typeof actual.modelFor>) =>
      args[2] === 'score-scale-1.05' ? windowed(args[0], args[1] as AffinePath) : actual.modelFor(...args),
  };
});

/** The tests Holm rejects, by name. */
function rejectedTests(r: Awaited<ReturnType<typeof runExperiment>>): string[] {
  const adjusted = r.data!.holmAdjusted as number[];
  return r.evidence.filter((_, i) => adjusted[i] <= 0.001).map((e) => e.test);
}

describe('a score error confined to high noise', () => {
  it('is caught at the checkpoint t = 0.75 and nowhere else when every eta is stochastic', async () => {
    const params = { mutation: 'score-scale-1.05', refine: 'off', etas: [1, 1.5] };
    const r = await runExperiment('eta-family-marginals', params, { seed: 1 });
    expect(r.outcome).toBe('rejected');
    const rejected = rejectedTests(r);
    expect(rejected.length).toBeGreaterThan(0);
    for (const test of rejected) expect(test).toMatch(/ t=0.75: /);
    expect(rejected).toContain('eta=1 t=0.75: cov[0][0]');
    // The data end alone would have passed this model: the window of times is what catches it.
    const atEnd = monteCarlo(r).filter((e) => / t=0.001: /.test(e.test));
    expect(atEnd).toHaveLength(2 * 3 + 1);
    for (const e of atEnd) expect(e.pValue).toBeGreaterThan(0.001);
  });

  it('reaches the data end through the PF-ODE (eta = 0), which does not forget', async () => {
    const params = { mutation: 'score-scale-1.05', refine: 'off', etas: [0, 1] };
    const r = await runExperiment('eta-family-marginals', params, { seed: 1 });
    const rejected = rejectedTests(r);
    expect(rejected).toContain('eta=0 t=0.75: ks[0]');
    expect(rejected).toContain('eta=0 t=0.001: ks[0]');
    expect(rejected.filter((t) => t.startsWith('eta=1 t=0.001'))).toEqual([]);
  });
});
