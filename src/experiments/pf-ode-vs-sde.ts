// pf-ode-vs-sde-marginals: the probability-flow ODE (drift f x - g^2 score / 2, Heun) and the reverse
// SDE (drift f x - g^2 score, Euler-Maruyama), each started from an independent exact draw of p_T,
// have the same marginals as the forward process: at every checkpoint t both match the exact p_t, and
// they match each other (two-sample KS per coordinate, energy test in d > 1).
import { getPath, toConvention } from '../schedules/index.js';
import { energyTest, ksTwoSample, type TestOutcome } from '../stats/index.js';
import { asMixture, getTarget } from '../targets/index.js';
import { checkpointsParam, checkpointStops, runThrough } from './checkpoints.js';
import { finish, fmt, marginalChecks, pathParam, samplerCheckParams, targetParam } from './common.js';
import { marginalPanel } from './plots.js';
import type { MarginalsPlot } from '../report/plots/index.js';
import { defineExperiment } from './types.js';

export const pfOdeVsSde = defineExperiment({
  name: 'pf-ode-vs-sde-marginals',
  summary: 'PF-ODE and reverse SDE from the prior agree with each other and with p_t at several t',
  params: {
    target: targetParam('gmm-2d-8'),
    path: pathParam(),
    samples: { kind: 'integer', min: 200, default: 4000, thorough: 40000, doc: 'samples per sampler' },
    checkpoints: checkpointsParam,
    odeSteps: {
      kind: 'integer',
      min: 1,
      default: 25,
      thorough: 50,
      doc: 'PF-ODE Heun steps between checkpoints',
    },
    sdeSteps: {
      kind: 'integer',
      min: 1,
      default: 125,
      thorough: 250,
      doc: 'reverse-SDE steps between checkpoints',
    },
    ...samplerCheckParams(['pf-ode-no-half', 'score-scale-1.05', 'sqrt-one-minus-abar', 'swap-data-noise']),
  },
  refine: (params) => ({
    ...params,
    odeSteps: 4 * params.odeSteps,
    sdeSteps: 4 * params.sdeSteps,
  }),
  async run(params, ctx) {
    const start = performance.now();
    const law = asMixture(getTarget(params.target));
    const path = toConvention(getPath(params.path), 'diffusion');
    const { samples: n, alpha, energyPoints, mutation } = params;
    const stops = checkpointStops(path, params.checkpoints);
    const segments = (steps: number) => stops.slice(1).map(() => steps);
    ctx.onProgress?.(0.05, 'PF-ODE');
    const common = { law, path, stops, n };
    const ode = await runThrough(
      {
        ...common,
        sampler: 'pf-ode-heun',
        counts: segments(params.odeSteps),
        seed: ctx.seed * 2,
        mutation,
      },
      ctx,
    );
    ctx.onProgress?.(0.4, 'reverse SDE');
    // The 1/2 lives in the PF-ODE drift only; the SDE side runs the correct model for that mutation.
    const sdeMutation = mutation === 'pf-ode-no-half' ? 'none' : mutation;
    const sde = await runThrough(
      {
        ...common,
        sampler: 'reverse-sde-em',
        counts: segments(params.sdeSteps),
        seed: ctx.seed * 2 + 1,
        mutation: sdeMutation,
      },
      ctx,
    );
    const outcomes: TestOutcome[] = [];
    const checkpoints = stops.slice(1);
    const panels: MarginalsPlot['panels'] = [];
    checkpoints.forEach((t, k) => {
      const exact = law.marginal(path.alpha(t), path.sigma(t));
      panels.push(
        marginalPanel(
          `t = ${fmt(t)}`,
          [
            { name: 'PF-ODE (Heun)', rows: ode.states[k] },
            { name: 'reverse SDE (Euler-Maruyama)', rows: sde.states[k] },
          ],
          exact,
        ),
      );
      const seed = (ctx.seed * 31 + k) * 2; // exact-law checks; seed + 1 for the two-sample energy test
      const opts = { alpha, seed, energyPoints };
      outcomes.push(...marginalChecks(ode.states[k], exact, { ...opts, label: `PF-ODE t=${fmt(t)}` }));
      outcomes.push(...marginalChecks(sde.states[k], exact, { ...opts, label: `SDE t=${fmt(t)}` }));
      for (let j = 0; j < law.d; j++) {
        const a = Float64Array.from({ length: n }, (_, i) => ode.states[k][i * law.d + j]);
        const b = Float64Array.from({ length: n }, (_, i) => sde.states[k][i * law.d + j]);
        outcomes.push({ ...ksTwoSample(a, b, alpha), test: `PF-ODE vs SDE t=${fmt(t)}: ks[${j}]` });
      }
      if (law.d > 1) {
        const m = Math.min(n, energyPoints);
        const e = energyTest(
          ode.states[k].subarray(0, m * law.d),
          sde.states[k].subarray(0, m * law.d),
          law.d,
          {
            seed: seed + 1,
            alpha,
          },
        );
        outcomes.push({ ...e, test: `PF-ODE vs SDE t=${fmt(t)}: energy distance` });
      }
    });
    ctx.onProgress?.(1, 'tests');
    const notes = [
      `checkpoints t = ${checkpoints.map(fmt).join(', ')}; PF-ODE seed ${ctx.seed * 2}, SDE seed ${ctx.seed * 2 + 1}`,
    ];
    if (mutation !== 'none') notes.push(`mutation injected: ${mutation}`);
    const meta = {
      experiment: 'pf-ode-vs-sde-marginals',
      seed: ctx.seed,
      backend: ode.backend,
      ms: performance.now() - start,
    };
    // Drawn by the HTML report: both samplers' marginals at every checkpoint against the exact p_t.
    const plot: MarginalsPlot = {
      kind: 'marginals',
      title: `PF-ODE vs reverse SDE against the exact p_t on ${law.name} (${path.name}, ${n} samples each)${law.d > 1 ? ', first coordinate' : ''}`,
      xLabel: law.d > 1 ? 'x₁' : 'x',
      panels,
    };
    return finish(outcomes, meta, alpha, notes, { checkpoints, plots: [plot] });
  },
});
