import { describe, expect, it } from 'vitest';
import { listExperiments, runExperiment } from '../../src/experiments/index.js';
import { InputError } from '../../src/core/errors.js';

describe('experiment registry', () => {
  it('lists the statistical experiments with documented parameters', () => {
    const names = listExperiments().map((e) => e.name);
    for (const n of [
      'sampler-recovers-data',
      'pf-ode-vs-sde-marginals',
      'eta-family-marginals',
      'tweedie-score',
      'cnf-likelihood',
      'convergence-order',
      'ddim-is-euler',
    ])
      expect(names).toContain(n);
    const tweedie = listExperiments().find((e) => e.name === 'tweedie-score')!;
    expect(tweedie.params.samples).toMatch(/integer >= 1000; default 50000, thorough 500000/);
    expect(tweedie.params.mutation).toMatch(/score-scale-1.05/);
  });

  it('unknown names and parameters are InputErrors naming the offending piece', async () => {
    await expect(runExperiment('no-such', {}, { seed: 1 })).rejects.toThrow(/unknown experiment 'no-such'/);
    await expect(runExperiment('tweedie-score', { sample: 5 }, { seed: 1 })).rejects.toThrow(
      /unknown parameter 'sample'/,
    );
    await expect(runExperiment('tweedie-score', { samples: 10 }, { seed: 1 })).rejects.toThrow(
      /parameter 'samples' must be >= 1000/,
    );
    await expect(runExperiment('tweedie-score', { samples: 'many' }, { seed: 1 })).rejects.toThrow(
      InputError,
    );
    await expect(runExperiment('tweedie-score', { target: 'gmm-9d' }, { seed: 1 })).rejects.toThrow(
      /parameter 'target' must be one of/,
    );
    await expect(runExperiment('tweedie-score', { times: '0.5,abc' }, { seed: 1 })).rejects.toThrow(
      /parameter 'times' must be a finite number/,
    );
    await expect(runExperiment('tweedie-score', {}, { seed: -1 })).rejects.toThrow(/seed/);
  });
});
