// The full-run check: its grid, its calibration on a correct sampler (rejects at about its stated
// alpha) and its power against a wrong one.
import { describe, expect, it } from 'vitest';
import { moduleAxis } from '../../src/conform/axis.js';
import { runCheck, samplingGrid } from '../../src/conform/checks/run.js';
import { loadUserModule } from '../../src/conform/index.js';

const zoo = (name: string) => new URL(`./zoo/${name}.ts`, import.meta.url).pathname;

describe('samplingGrid', () => {
  it('discrete: descending timesteps that skip, from the noisiest to the data (-1 zero-based)', async () => {
    const axis = moduleAxis(await loadUserModule(zoo('ddpm')));
    const g = samplingGrid(axis, 50);
    expect(g[0]).toBe(999);
    expect(g.at(-2)).toBe(0);
    expect(g.at(-1)).toBe(-1);
    expect(g.length).toBe(51);
    for (let k = 1; k < g.length; k++) expect(g[k]).toBeLessThan(g[k - 1]);
  });
  it('continuous flow convention: increasing times from near noise (t ~ 0) to the data end t = 1', async () => {
    const axis = moduleAxis(await loadUserModule(zoo('fm-euler')));
    const g = samplingGrid(axis, 20);
    expect(g.length).toBe(21);
    expect(g[0]).toBeCloseTo(0.001, 12);
    expect(g.at(-1)).toBe(1);
    for (let k = 1; k < g.length; k++) expect(g[k]).toBeGreaterThan(g[k - 1]);
  });
});

describe('run:gmm', () => {
  it('a correct stochastic sampler is rejected at about the stated alpha (40 seeds, alpha = 0.2)', async () => {
    const m = await loadUserModule(zoo('unusual-ancestral-split'));
    const axis = moduleAxis(m);
    let rejected = 0;
    for (let seed = 0; seed < 40; seed++) {
      const r = runCheck(m, axis, { seed, samples: 300, numSteps: 10, alpha: 0.2 });
      expect(r.evidence.seed).toBe(seed);
      if (r.status === 'fail') rejected++;
    }
    // Binomial(40, 0.2): mean 8; P(X <= 1) + P(X >= 17) < 0.003 (KS is slightly conservative, so the low side is wider).
    expect(rejected).toBeGreaterThanOrEqual(1);
    expect(rejected).toBeLessThanOrEqual(16);
  });
  it('the reverse-SDE sign bug is rejected at every seed, with the evidence of the test', async () => {
    const m = await loadUserModule(zoo('bug-reverse-sde-sign'));
    const axis = moduleAxis(m);
    for (let seed = 0; seed < 5; seed++) {
      const r = runCheck(m, axis, { seed, samples: 500, numSteps: 20, alpha: 1e-3 });
      expect(r.status).toBe('fail');
      expect(r.evidence).toMatchObject({ test: 'ks-2s', alpha: 1e-3, samples: 500, seed });
      expect(r.evidence.pValue!).toBeLessThan(1e-3);
      expect(r.evidence.statistic!).toBeGreaterThan(r.evidence.minDetectableEffect!);
    }
  });
});
