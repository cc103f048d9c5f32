// eta-family-marginals: every member of dx = [f x - (1 + eta^2)/2 g^2 score] dt + eta g dW (eta = 0 the
// PF-ODE, eta = 1 the reverse SDE), run from independent exact draws of p_T, has the forward process's
// exact marginals all along the path: at every checkpoint t (fractions of the path interval, and the data
// end) each eta's states are tested against the exact p_t and against the first eta's states (two-sample
// KS per coordinate, energy test in d > 1), all in one Holm family.
import { getPath, toConvention } from '../schedules/index.js';
import { energyTest, ksTwoSample, type TestOutcome } from '../stats/index.js';
import { asMixture, getTarget } from '../targets/index.js';
import type { MarginalsPlot } from '../report/plots/index.js';
import { checkpointsParam, checkpointStops, runThrough, stepsPerSegment } from './checkpoints.js';
import { finish, fmt, marginalChecks, pathParam, samplerCheckParams, targetParam } from './common.js';
import { column, marginalPanel } from './plots.js';
import { defineExperiment } from './types.js';

export const etaFamilyMarginals = defineExperiment({
  name: 'eta-family-marginals',
  summary: 'the stochastic eta family (eta = 0 PF-ODE, 1 reverse SDE) shares the exact marginals p_t',
  params: {
    target: targetParam('gmm-1d-2'),
    path: pathParam(),
    etas: { kind: 'numbers', min: 0, max: 3, default: [0, 0.5, 1, 1.5], doc: 'eta values' },
    samples: { kind: 'integer', min: 200, default: 8000, thorough: 80000, doc: 'samples per eta' },
    checkpoints: checkpointsParam,
    steps: {
      kind: 'integer',
      min: 10,
      default: 500,
      thorough: 1000,
      doc: 'Euler-Maruyama steps over the whole interval, shared by the segments between checkpoints in proportion to their lengths',
    },
    ...samplerCheckParams(['score-scale-1.05', 'sqrt-one-minus-abar', 'swap-data-noise']),
  },
  refine: (params) => ({ ...params, steps: 4 * params.steps }),
  async run(params, ctx) {
    const start = performance.now();
    const law = asMixture(getTarget(params.target));
    const path = toConvention(getPath(params.path), 'diffusion');
    const etas = params.etas;
    const n = params.samples;
    const alpha = params.alpha;
    const energyPoints = params.energyPoints;
    const mutation = params.mutation;
    const stops = checkpointStops(path, params.checkpoints);
    const counts = stepsPerSegment(stops, params.steps);
    const checkpoints = stops.slice(1);
    // states[k][c]: eta k's states at checkpoint c.
    const states: Float64Array[][] = [];
    let backend = '';
    for (const [k, eta] of etas.entries()) {
      const r = await runThrough(
        { sampler: 'eta-family', eta, law, path, stops, counts, n, seed: ctx.seed * 101 + k, mutation },
        ctx,
      );
      backend = r.backend;
      states.push(r.states);
      ctx.onProgress?.((k + 1) / (etas.length + 1), `eta = ${fmt(eta)}`);
    }
    // Test seeds: disjoint from the sampler seeds (those are < 2^32 for any practical run seed).
    const testSeed = (k: number, c: number) => 2 ** 32 + ((ctx.seed * 101 + k) * stops.length + c) * 2;
    const outcomes: TestOutcome[] = [];
    const panels: MarginalsPlot['panels'] = [];
    checkpoints.forEach((t, c) => {
      const exact = law.marginal(path.alpha(t), path.sigma(t));
      panels.push(
        marginalPanel(
          `t = ${fmt(t)}`,
          etas.map((eta, k) => ({ name: `eta = ${fmt(eta)}`, rows: states[k][c] })),
          exact,
        ),
      );
      etas.forEach((eta, k) => {
        const here = states[k][c];
        const label = `eta=${fmt(eta)} t=${fmt(t)}`;
        const seed = testSeed(k, c); // exact-law checks; seed + 1 for the two-sample energy test
        outcomes.push(...marginalChecks(here, exact, { label, alpha, seed, energyPoints }));
        if (k === 0) return;
        const first = states[0][c];
        const versus = `eta=${fmt(eta)} vs eta=${fmt(etas[0])} t=${fmt(t)}`;
        for (let j = 0; j < law.d; j++) {
          const ks = ksTwoSample(
            Float64Array.from(column(here, law.d, j)),
            Float64Array.from(column(first, law.d, j)),
            alpha,
          );
          outcomes.push({ ...ks, test: `${versus}: ks[${j}]` });
        }
        if (law.d > 1) {
          const m = Math.min(n, energyPoints);
          const e = energyTest(here.subarray(0, m * law.d), first.subarray(0, m * law.d), law.d, {
            seed: seed + 1,
            alpha,
          });
          outcomes.push({ ...e, test: `${versus}: energy distance` });
        }
      });
    });
    ctx.onProgress?.(1, 'tests');
    const notes = [
      `checkpoints t = ${checkpoints.map(fmt).join(', ')} (${counts.join(' + ')} steps between them); eta k uses sampler seed = seed * 101 + k`,
    ];
    if (mutation !== 'none') notes.push(`mutation injected: ${mutation}`);
    const meta = {
      experiment: 'eta-family-marginals',
      seed: ctx.seed,
      backend,
      ms: performance.now() - start,
    };
    // Drawn by the HTML report: at every checkpoint, each eta's states against the exact p_t.
    const plot: MarginalsPlot = {
      kind: 'marginals',
      title: `eta family against the exact p_t on ${law.name} (${path.name}, ${params.steps} steps, ${n} samples per eta)${law.d > 1 ? ', first coordinate' : ''}`,
      xLabel: law.d > 1 ? 'x₁' : 'x',
      panels,
    };
    return finish(outcomes, meta, alpha, notes, { etas, checkpoints, plots: [plot] });
  },
});
