// eta-family-marginals at intermediate times: every eta runs through the checkpoints (fractions of the
// path interval) to the data end, and at each checkpoint its states are tested against the exact p_t
// and against the first eta, all in one Holm family; the 4x-steps refinement refines every segment.
import { describe, expect, it } from 'vitest';
import { fmt } from '../../src/experiments/common.js';
import { stepsPerSegment } from '../../src/experiments/checkpoints.js';
import { runExperiment } from '../../src/experiments/index.js';
import { getPath, toConvention } from '../../src/schedules/index.js';
import { asMixture, getTarget } from '../../src/targets/index.js';
import { monteCarlo } from '../helpers/evidence.js';

const law = asMixture(getTarget('gmm-1d-2'));
const vp = toConvention(getPath('vp-sde'), 'diffusion');
const exactMean = (t: number) => law.marginal(vp.alpha(t), vp.sigma(t)).mean()[0];

describe('eta-family-marginals checkpoints', () => {
  it('shares the steps among the segments in proportion to their lengths, at least one each', () => {
    expect(stepsPerSegment([1, 0.75, 0.5, 0.25, 0.001], 500)).toEqual([125, 125, 125, 125]);
    expect(stepsPerSegment([1, 0.75, 0.5, 0.25, 0.001], 2000)).toEqual([501, 500, 501, 498]);
    expect(stepsPerSegment([1, 0.5, 0.001], 2000)).toEqual([1001, 999]);
    expect(stepsPerSegment([80, 79.99, 0.002], 10)).toEqual([1, 9]);
  });

  it('tests every eta at every checkpoint and the data end, each against its own p_t', async () => {
    const etas = [0, 1];
    const r = await runExperiment('eta-family-marginals', { etas }, { seed: 5 });
    expect(r.outcome).toBe('passed');
    const checkpoints = r.data!.checkpoints as number[];
    expect(checkpoints).toEqual([0.75, 0.5, 0.25, 0.001]);
    expect(r.notes[1]).toMatch(/^checkpoints t = 0.75, 0.5, 0.25, 0.001 \(125 \+ 125 \+ 125 \+ 125 steps/);
    // Per checkpoint: mean, KS and variance of each eta against p_t, and the two-sample KS of eta 1 vs 0.
    expect(r.evidence).toHaveLength(checkpoints.length * (3 * etas.length + 1));
    for (const t of checkpoints) {
      const here = r.evidence.filter((e) => e.test.includes(` t=${fmt(t)}:`)).map((e) => e.test);
      expect(here).toEqual([
        `eta=0 t=${fmt(t)}: mean[0]`,
        `eta=0 t=${fmt(t)}: ks[0]`,
        `eta=0 t=${fmt(t)}: cov[0][0]`,
        `eta=1 t=${fmt(t)}: mean[0]`,
        `eta=1 t=${fmt(t)}: ks[0]`,
        `eta=1 t=${fmt(t)}: cov[0][0]`,
        `eta=1 vs eta=0 t=${fmt(t)}: ks[0]`,
      ]);
      // The states tested under the label t are the states at t: the mean test (sample mean minus the
      // exact mean of p_t, with its CI) covers 0, and would exclude it against any other checkpoint's p_t.
      for (const eta of etas) {
        const e = monteCarlo(r).find((x) => x.test === `eta=${eta} t=${fmt(t)}: mean[0]`)!;
        expect(e.ci[0]).toBeLessThanOrEqual(0);
        expect(e.ci[1]).toBeGreaterThanOrEqual(0);
        for (const other of checkpoints.filter((s) => s !== t)) {
          const shift = exactMean(t) - exactMean(other); // the effect had p_other been the reference
          expect(e.ci[0] + shift > 0 || e.ci[1] + shift < 0, `t=${t} against p at ${other}`).toBe(true);
        }
      }
    }
  });

  it('places the checkpoints at fractions of any path interval, sorted and without repeats', async () => {
    const r = await runExperiment(
      'eta-family-marginals',
      // (refinement off: uniform steps in t are too coarse near EDM's data end; only the times matter here)
      { path: 'edm', etas: [0.5, 1], samples: 300, checkpoints: [0.25, 0.5, 0.25], refine: 'off' },
      { seed: 2 },
    );
    const edm = getPath('edm');
    const span = edm.tMax - edm.tMin;
    const checkpoints = r.data!.checkpoints as number[];
    expect(checkpoints).toEqual([edm.tMin + 0.5 * span, edm.tMin + 0.25 * span, edm.tMin]);
    for (const t of checkpoints) {
      expect(r.evidence.filter((e) => e.test.startsWith(`eta=0.5 t=${fmt(t)}:`))).toHaveLength(3);
      expect(r.evidence.filter((e) => e.test === `eta=1 vs eta=0.5 t=${fmt(t)}: ks[0]`)).toHaveLength(1);
    }
  });

  it('a rejection is rerun with 4x the steps in every segment and persists for a wrong model', async () => {
    const r = await runExperiment(
      'eta-family-marginals',
      { mutation: 'swap-data-noise', samples: 1000, etas: [0, 1] },
      { seed: 3 },
    );
    expect(r.outcome).toBe('rejected');
    expect(r.notes[1]).toMatch(/\(501 \+ 500 \+ 501 \+ 498 steps/);
    expect(r.notes.at(-1)).toMatch(/^the rejection persists with 4x the steps/);
    // Caught at the first checkpoint already, not only at the data end.
    expect(r.notes[0]).toMatch(/eta=0 t=0.75: /);
  });
});
