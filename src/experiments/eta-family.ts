// eta-family-marginals: every member of dx = [f x - (1 + eta^2)/2 g^2 score] dt + eta g dW (eta = 0 the
// PF-ODE, eta = 1 the reverse SDE), run from independent exact draws of p_T, ends at the same exact law;
// each eta is tested against the exact marginal and against the first eta (two-sample KS per coordinate).
import { getPath, toConvention } from '../schedules/index.js';
import { sample } from '../samplers/index.js';
import { ksTwoSample, type TestOutcome } from '../stats/index.js';
import { asMixture, getTarget } from '../targets/index.js';
import type { MarginalsPlot } from '../report/plots/index.js';
import {
  finish,
  fmt,
  marginalChecks,
  pathParam,
  samplerCheckParams,
  samplingInterval,
  targetParam,
} from './common.js';
import { modelFor } from './models.js';
import type { Mutation } from './mutations.js';
import { marginalPanel } from './plots.js';
import type { Experiment } from './types.js';

export const etaFamilyMarginals: Experiment = {
  name: 'eta-family-marginals',
  summary: 'the stochastic eta family (eta = 0 PF-ODE, 1 reverse SDE) shares the exact marginals',
  params: {
    target: targetParam('gmm-1d-2'),
    path: pathParam(),
    etas: { kind: 'numbers', min: 0, max: 3, default: [0, 0.5, 1, 1.5], doc: 'eta values' },
    samples: { kind: 'integer', min: 200, default: 8000, thorough: 80000, doc: 'samples per eta' },
    steps: { kind: 'integer', min: 10, default: 500, thorough: 1000, doc: 'Euler-Maruyama steps' },
    ...samplerCheckParams(['score-scale-1.05', 'sqrt-one-minus-abar', 'swap-data-noise']),
  },
  refine: (params) => ({ ...params, steps: 4 * (params.steps as number) }),
  async run(params, ctx) {
    const start = performance.now();
    const law = asMixture(getTarget(params.target as string));
    const path = toConvention(getPath(params.path as string), 'diffusion');
    const etas = params.etas as number[];
    const alpha = params.alpha as number;
    const energyPoints = params.energyPoints as number;
    const mutation = params.mutation as Mutation;
    const outcomes: TestOutcome[] = [];
    const finals: Float64Array[] = [];
    const panels: MarginalsPlot['panels'] = [];
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
      panels.push(
        marginalPanel(`eta = ${fmt(eta)}`, [{ name: `eta = ${fmt(eta)}`, rows: r.samples }], r.reference),
      );
      outcomes.push(...marginalChecks(r.samples, r.reference, { label, alpha, seed, energyPoints }));
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
    // Drawn by the HTML report: each eta's final states against the exact law of the data end.
    const plot: MarginalsPlot = {
      kind: 'marginals',
      title: `eta family on ${law.name} (${path.name}, ${params.steps} steps, ${params.samples} samples per eta)${law.d > 1 ? ', first coordinate' : ''}`,
      xLabel: law.d > 1 ? 'x₁' : 'x',
      panels,
    };
    return finish(outcomes, meta, alpha, notes, { etas, plots: [plot] });
  },
};
