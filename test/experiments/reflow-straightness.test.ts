import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { runExperiment } from '../../src/experiments/index.js';
import { boundTest, pathStatistics } from '../../src/experiments/flow/straightness.js';
import type { ReflowRound } from '../../src/experiments/reflow-straightness.js';
import { monteCarlo } from '../helpers/evidence.js';

// CI size: 1200 particles (600 held out), 30 Heun steps, one trained round of 150 Adam steps.
const small = { samples: 1200, steps: 30, rounds: 2, trainSteps: 150, batchSize: 256, width: 16, depth: 2 };

describe('trajectory straightness', () => {
  it('a straight constant-speed path has S = 0; a detour has the S of its definition', () => {
    const times = new Float64Array([0, 0.25, 0.5, 1]);
    // Particle 0 moves straight from 0 to 2 at constant speed; particle 1 goes 0 -> 1 -> 0 -> 2.
    const traj = new Float64Array([0, 0, 0.5, 1, 1, 0, 2, 2]); // [time][particle], d = 1
    const s = pathStatistics(traj, times, 2, 1);
    expect(s.straightness[0]).toBeCloseTo(0, 14);
    // Particle 1: velocities 4, -4, 4 on steps of length 1/4, 1/4, 1/2; Z1 - Z0 = 2.
    expect(s.straightness[1]).toBeCloseTo(0.25 * 4 + 0.25 * 36 + 0.5 * 4, 12);
    expect(Array.from(s.transportCost)).toEqual([4, 4]);
  });

  it('the one-sided bound test rejects a clear violation and accepts a clear slack', () => {
    const rng = new Rng(1);
    const violated = Float64Array.from({ length: 200 }, () => -0.5 + 0.1 * rng.normal());
    const slack = Float64Array.from({ length: 200 }, () => 0.5 + 0.1 * rng.normal());
    expect(boundTest('v', violated, 0, 0.01).pValue).toBeLessThan(1e-6);
    expect(boundTest('v', violated, 1, 0.01).pValue).toBeGreaterThan(0.5); // within the allowance
    expect(boundTest('s', slack, 0, 0.01).pValue).toBeGreaterThan(0.99);
  });
});

describe('experiment reflow-straightness (small)', () => {
  it('exact round 1 and a trained round 2 pass; paths get straighter; data law kept in round 1', async () => {
    const r = await runExperiment('reflow-straightness', small, { seed: 4, backend: 'tfjs-wasm' });
    expect(r.outcome).toBe('passed');
    const rounds = r.data?.rounds as ReflowRound[];
    expect(rounds).toHaveLength(2);
    // E||X1 - X0||^2 = 18.18 for gmm-2d-8; the 1-rectified flow keeps the data law, so its S is well
    // inside the bound, and the learned second round is much straighter than the first.
    expect(rounds[0].slack.mean).toBeGreaterThan(3);
    expect(rounds[1].straightness.mean).toBeLessThan(0.5 * rounds[0].straightness.mean);
    expect(rounds[1].learningLoss.mean).toBeGreaterThan(0);
    expect(r.evidence.filter((e) => e.test.startsWith('round 1 Z1')).length).toBeGreaterThanOrEqual(7);
  });

  it('integrating 1.5 x the exact velocity violates the bound and the marginals', async () => {
    const r = await runExperiment(
      'reflow-straightness',
      { ...small, rounds: 1, velocityScale: 1.5 },
      { seed: 4, backend: 'tfjs-wasm' },
    );
    expect(r.outcome).toBe('rejected');
    const bound = monteCarlo(r).find((e) => e.test.startsWith('round 1: E||D^0||^2'))!;
    expect(bound.ci[1]).toBeLessThan(0);
    expect(monteCarlo(r).some((e) => e.test.startsWith('round 1 Z1: ks') && e.pValue < 1e-3)).toBe(true);
    expect(r.notes[0]).toMatch(/rejected/);
  });

  it('trained rounds on the js backend (no autodiff) are an InputError, before any work', async () => {
    await expect(runExperiment('reflow-straightness', small, { seed: 1, backend: 'js' })).rejects.toThrow(
      /needs a tfjs backend/,
    );
  });

  it('is reproducible for a seed on one backend', async () => {
    const params = { ...small, trainSteps: 60 };
    const a = await runExperiment('reflow-straightness', params, { seed: 9, backend: 'tfjs-wasm' });
    const b = await runExperiment('reflow-straightness', params, { seed: 9, backend: 'tfjs-wasm' });
    const s = (r: typeof a) => (r.data?.rounds as ReflowRound[]).map((x) => x.straightness.mean);
    expect(s(a)).toEqual(s(b));
  });
});
