// eta-family-marginals: every member of dx = [f x - (1 + eta^2)/2 g^2 score] dt + eta g dW (eta = 0 the
// PF-ODE, eta = 1 the reverse SDE), run from independent exact draws of p_T, has the forward process's
// exact marginals all along the path: at every checkpoint t (fractions of the path interval, and the data
// end) each eta's states are tested against the exact p_t and against the first eta's states (two-sample
// KS per coordinate, energy test in d > 1), all in one Holm family.
import { Rng } from '../core/rng.js';
import { getPath, toConvention, type AffinePath } from '../schedules/index.js';
import { planSampling } from '../samplers/index.js';
import { energyTest, ksTwoSample, type TestOutcome } from '../stats/index.js';
import { asMixture, getTarget, type GaussianMixture } from '../targets/index.js';
import { resolveBackend, runOnBackend, type BackendName } from '../tensor/index.js';
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
import { column, marginalPanel } from './plots.js';
import type { Experiment, ExperimentContext } from './types.js';

/**
 * The steps of each segment between neighbouring stops: `steps` shared in proportion to the segments'
 * lengths (the grid points nearest a uniform grid of `steps` steps, at least one step per segment), so
 * they add up to `steps` whenever there are at most `steps` segments.
 */
export function stepsPerSegment(stops: number[], steps: number): number[] {
  const total = stops[stops.length - 1] - stops[0];
  const counts: number[] = [];
  let done = 0;
  for (let k = 1; k < stops.length; k++) {
    const reached = k === stops.length - 1 ? steps : Math.round((steps * (stops[k] - stops[0])) / total);
    const m = Math.max(1, reached - done);
    counts.push(m);
    done += m;
  }
  return counts;
}

/** A grid through the stops, `counts[k]` uniform steps from stop k to stop k + 1; the stops' indices. */
function gridThrough(stops: number[], counts: number[]): { grid: Float64Array; indices: number[] } {
  const grid: number[] = [stops[0]];
  const indices: number[] = [];
  counts.forEach((m, k) => {
    for (let i = 1; i < m; i++) grid.push(stops[k] + (i / m) * (stops[k + 1] - stops[k]));
    grid.push(stops[k + 1]); // exactly, not through rounding
    indices.push(grid.length - 1);
  });
  return { grid: Float64Array.from(grid), indices };
}

interface EtaRun {
  law: GaussianMixture;
  path: AffinePath;
  eta: number;
  /** tStart, the checkpoints, tEnd. */
  stops: number[];
  counts: number[];
  n: number;
  seed: number;
  mutation: Mutation;
}

/**
 * One eta's run from an exact draw of p_tStart through the checkpoints: the sampler goes piece by piece
 * over the grid between neighbouring stops, the same particles and noise stream all the way (one run
 * whose program keeps the states at the stops only, so memory is n d per stop, not per step).
 */
async function runThrough(run: EtaRun, ctx: ExperimentContext) {
  const { law, path, n } = run;
  const { d } = law;
  const { grid, indices } = gridThrough(run.stops, run.counts);
  const model = modelFor(law, path, run.mutation);
  const plan = planSampling({
    target: law,
    sampler: 'eta-family',
    path,
    eta: run.eta,
    grid,
    numSteps: grid.length - 1,
    model,
  });
  const save = new Uint8Array(plan.program.numSteps + 1);
  for (const i of indices) save[i] = 1;
  const x = new Float64Array(n * d);
  law.sampleInto(x, 0, n, new Rng(run.seed, 0), plan.start.alpha, plan.start.sigma);
  const backend: BackendName = await resolveBackend(ctx.backend);
  const result = await runOnBackend(backend, {
    program: { ...plan.program, save },
    model: !model
      ? { kind: 'mixture', d, weights: law.weights, means: law.means, variances: law.variances }
      : 'fn' in model
        ? { kind: 'js', fn: model.fn }
        : { kind: 'tfjs', fn: model.tf },
    n,
    d,
    x,
    seed: run.seed,
  });
  const kept = result.trajectories!;
  const states = indices.map((_, c) => kept.subarray(c * n * d, (c + 1) * n * d));
  return { states, backend };
}

export const etaFamilyMarginals: Experiment = {
  name: 'eta-family-marginals',
  summary: 'the stochastic eta family (eta = 0 PF-ODE, 1 reverse SDE) shares the exact marginals p_t',
  params: {
    target: targetParam('gmm-1d-2'),
    path: pathParam(),
    etas: { kind: 'numbers', min: 0, max: 3, default: [0, 0.5, 1, 1.5], doc: 'eta values' },
    samples: { kind: 'integer', min: 200, default: 8000, thorough: 80000, doc: 'samples per eta' },
    checkpoints: {
      kind: 'numbers',
      min: 0.01,
      max: 0.99,
      default: [0.75, 0.5, 0.25],
      doc: 'intermediate times as fractions of the path interval (the data end is always checked)',
    },
    steps: {
      kind: 'integer',
      min: 10,
      default: 500,
      thorough: 1000,
      doc: 'Euler-Maruyama steps over the whole interval, shared by the segments between checkpoints in proportion to their lengths',
    },
    ...samplerCheckParams(['score-scale-1.05', 'sqrt-one-minus-abar', 'swap-data-noise']),
  },
  refine: (params) => ({ ...params, steps: 4 * (params.steps as number) }),
  async run(params, ctx) {
    const start = performance.now();
    const law = asMixture(getTarget(params.target as string));
    const path = toConvention(getPath(params.path as string), 'diffusion');
    const etas = params.etas as number[];
    const n = params.samples as number;
    const alpha = params.alpha as number;
    const energyPoints = params.energyPoints as number;
    const mutation = params.mutation as Mutation;
    const span = path.tMax - path.tMin;
    const { tStart, tEnd } = samplingInterval(path);
    const fractions = [...new Set(params.checkpoints as number[])].sort((a, b) => b - a);
    const stops = [tStart, ...fractions.map((u) => path.tMin + u * span), tEnd];
    const counts = stepsPerSegment(stops, params.steps as number);
    const checkpoints = stops.slice(1);
    // states[k][c]: eta k's states at checkpoint c.
    const states: Float64Array[][] = [];
    let backend = '';
    for (const [k, eta] of etas.entries()) {
      const r = await runThrough(
        { law, path, eta, stops, counts, n, seed: ctx.seed * 101 + k, mutation },
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
};
