// eta-family-marginals: every member of dx = [f x - (1 + eta^2)/2 g^2 score] dt + eta g dW (eta = 0 the
// PF-ODE, eta = 1 the reverse SDE), run from independent exact draws of p_T, ends at the same exact law;
// each eta is tested against the exact marginal and against the first eta (two-sample KS per coordinate).
import { getPath, PATHS, toConvention } from '../schedules/index.js';
import { sample } from '../samplers/index.js';
import { ksTwoSample, type TestOutcome } from '../stats/index.js';
import { asMixture, getTarget, TARGETS } from '../targets/index.js';
import { alphaParam, refineParam, finish, fmt, marginalChecks, samplingInterval } from './common.js';
import { modelFor } from './models.js';
import { mutationParam, type Mutation } from './mutations.js';
import type { Experiment } from './types.js';

export const etaFamilyMarginals: Experiment = {
  name: 'eta-family-marginals',
  summary: 'the stochastic eta family (eta = 0 PF-ODE, 1 reverse SDE) shares the exact marginals',
  params: {
    target: { kind: 'choice', choices: Object.keys(TARGETS), default: 'gmm-1d-2', doc: 'data law' },
    path: { kind: 'choice', choices: Object.keys(PATHS), default: 'vp-sde', doc: 'diffusion path' },
    etas: { kind: 'numbers', min: 0, max: 3, default: [0, 0.5, 1, 1.5], doc: 'eta values' },
    samples: { kind: 'integer', min: 200, default: 8000, thorough: 80000, doc: 'samples per eta' },
    steps: { kind: 'integer', min: 10, default: 500, thorough: 1000, doc: 'Euler-Maruyama steps' },
    energyPoints: {
      kind: 'integer',
      min: 50,
      max: 5000,
      default: 200,
      doc: 'points per side of each energy test',
    },
    alpha: alphaParam,
    refine: refineParam,
    mutation: mutationParam(['score-scale-1.05', 'sqrt-one-minus-abar', 'swap-data-noise']),
  },
  refine: (params) => ({ ...params, steps: 4 * (params.steps as number) }),
  async run(params, ctx) {
    const start = performance.now();
    const law = asMixture(getTarget(params.target as string));
    const path = toConvention(getPath(params.path as string), 'diffusion');
    const etas = params.etas as number[];
    const alpha = params.alpha as number;
    const mutation = params.mutation as Mutation;
    const outcomes: TestOutcome[] = [];
    const finals: Float64Array[] = [];
    let backend = '';
    for (const [k, eta] of etas.entries()) {
      const seed = ctx.seed * 101 + k;
      const r = await sample({
        target: law,
        sampler: 'eta-family',
        path,
        eta,
        ...samplingInterval(path),
        numSteps: params.steps as number,
        n: params.samples as number,
        seed,
        model: modelFor(law, path, mutation),
        backend: ctx.backend,
      });
      backend = r.backend;
      finals.push(r.samples);
      const label = `eta=${fmt(eta)} t=${fmt(r.times[r.numSteps])}`;
      outcomes.push(
        ...marginalChecks(r.samples, r.reference, {
          label,
          alpha,
          seed,
          energyPoints: params.energyPoints as number,
        }),
      );
      if (k > 0) {
        for (let j = 0; j < law.d; j++) {
          const col = (s: Float64Array) => s.filter((_, i) => i % law.d === j);
          const ks = ksTwoSample(col(r.samples), col(finals[0]), alpha);
          outcomes.push({ ...ks, test: `eta=${fmt(eta)} vs eta=${fmt(etas[0])}: ks[${j}]` });
        }
      }
      ctx.onProgress?.((k + 1) / etas.length, `eta = ${fmt(eta)}`);
    }
    const notes = [`eta k uses sampler seed = seed * 101 + k`];
    if (mutation !== 'none') notes.push(`mutation injected: ${mutation}`);
    const meta = {
      experiment: 'eta-family-marginals',
      seed: ctx.seed,
      backend,
      ms: performance.now() - start,
    };
    return finish(outcomes, meta, alpha, notes, { etas });
  },
};
