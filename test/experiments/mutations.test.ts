// The mutation checks: each deliberate bug makes the experiments fail at their default sample size.
// (The 1-D target keeps the mutated models — plain JS functions, slower than the fused exact kernel —
// inside the test budget; sample sizes, step counts and the statistics are the defaults. The 4x-steps
// refinement of a rejection runs in the first check; the others switch it off to save time: it can only
// turn a rejection into an error, and the first check shows a wrong formula survives it.)
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiments/index.js';

const SEED = 1;

async function failsWith(name: string, params: Record<string, unknown>): Promise<void> {
  const r = await runExperiment(name, params, { seed: SEED });
  expect(r.outcome, `${name} with ${JSON.stringify(params)} should fail`).toBe('rejected');
  expect(r.notes[0]).toMatch(/^(rejected at family-wise alpha|out of tolerance)/);
  expect(r.notes.join('\n')).toContain(`mutation injected`);
  // The failing evidence is shown: an exact check beyond its tolerance, or a test whose CI excludes 0.
  expect(
    r.evidence.some((e) =>
      e.kind === 'exact' ? e.value > e.tolerance : e.pValue <= 1e-4 && (e.ci[0] > 0 || e.ci[1] < 0),
    ),
  ).toBe(true);
}

describe('mutation checks at the default size', () => {
  it('PF-ODE drift without the 1/2', async () => {
    await failsWith('pf-ode-vs-sde-marginals', {
      target: 'gmm-1d-2',
      mutation: 'pf-ode-no-half',
      refine: 'on',
    });
    await failsWith('cnf-likelihood', { mutation: 'pf-ode-no-half' });
  });

  it('score scaled by 1.05', async () => {
    await failsWith('tweedie-score', { mutation: 'score-scale-1.05' });
    await failsWith('pf-ode-vs-sde-marginals', {
      target: 'gmm-1d-2',
      mutation: 'score-scale-1.05',
      refine: 'off',
    });
    await failsWith('sampler-recovers-data', {
      targets: 'gmm-1d-2',
      samplers: 'ddpm,pf-ode-heun',
      mutation: 'score-scale-1.05',
      refine: 'off',
    });
    await failsWith('cnf-likelihood', { mutation: 'score-scale-1.05' });
    await failsWith('eta-family-marginals', { mutation: 'score-scale-1.05', refine: 'off' });
  });

  it('sqrt(1 - abar) in place of (1 - abar)', async () => {
    await failsWith('tweedie-score', { mutation: 'sqrt-one-minus-abar' });
    await failsWith('pf-ode-vs-sde-marginals', {
      target: 'gmm-1d-2',
      mutation: 'sqrt-one-minus-abar',
      refine: 'off',
    });
    await failsWith('sampler-recovers-data', {
      targets: 'gmm-1d-2',
      samplers: 'ddim,reverse-sde-em',
      mutation: 'sqrt-one-minus-abar',
      refine: 'off',
    });
    await failsWith('eta-family-marginals', { mutation: 'sqrt-one-minus-abar', refine: 'off' });
  });

  it('data and noise swapped', async () => {
    await failsWith('tweedie-score', { mutation: 'swap-data-noise' });
    await failsWith('sampler-recovers-data', {
      targets: 'gmm-1d-2',
      samplers: 'ddpm,eta-family',
      mutation: 'swap-data-noise',
      refine: 'off',
    });
    await failsWith('eta-family-marginals', { mutation: 'swap-data-noise', refine: 'off' });
  });

  it('a rejection that vanishes with 4x the steps is inconclusive, not a refutation', async () => {
    // EDM's sigma = t on [0.002, 80] with the VP-tuned 25 uniform Heun steps per segment is too coarse.
    const params = { path: 'edm', target: 'gmm-1d-2' };
    expect(
      (await runExperiment('pf-ode-vs-sde-marginals', { ...params, refine: 'off' }, { seed: SEED })).outcome,
    ).toBe('rejected');
    const r = await runExperiment('pf-ode-vs-sde-marginals', params, { seed: SEED });
    expect(r.outcome).toBe('inconclusive');
    expect(r.outcome === 'inconclusive' ? r.reason : '').toMatch(/not with 4x the steps/);
  });

  it('the correct model passes the same runs (seed 1)', async () => {
    for (const [name, params] of [
      ['pf-ode-vs-sde-marginals', { target: 'gmm-1d-2' }],
      ['cnf-likelihood', {}],
      ['eta-family-marginals', {}],
      [
        'sampler-recovers-data',
        { targets: 'gmm-1d-2', samplers: 'ddpm,pf-ode-heun,ddim,reverse-sde-em,eta-family' },
      ],
    ] as const) {
      const r = await runExperiment(name, params, { seed: SEED });
      expect(r.outcome, `${name} on a true claim`).toBe('passed');
    }
  });
});
