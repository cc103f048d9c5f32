// sampler-recovers-data: every sampler of the engine, driven by the exact model of a Gaussian mixture
// and started from the exact marginal at its noise end, ends at the exact marginal of its data end
// (the data law itself, or p_t at t = 1e-3 where the path's sigma vanishes at 0). Each run is tested
// with moment z-tests, per-coordinate KS against the exact CDF, and an energy test in d > 1.
// ddpm and ddim run on a discrete DDPM schedule (the paper's chain, ending at the data law) unless told
// to use the path. Step counts are chosen so the discretization bias stays below what 40000 samples
// detect (measured with the default steps); `thorough` runs 10x the samples and 2x the steps (capped at
// a discrete schedule's length).
import { DISCRETE_NAMES, getDiscrete, getPath, toConvention } from '../schedules/index.js';
import { sample, SAMPLERS, samplingInterval } from '../samplers/index.js';
import type { TestOutcome } from '../stats/index.js';
import { asMixture, getTarget } from '../targets/index.js';
import {
  finish,
  fmt,
  marginalChecks,
  pathParam,
  samplerCheckParams,
  slicedDistance,
  targetsParam,
} from './common.js';
import { modelFor } from './models.js';
import type { PlotSpec } from '../report/plots/index.js';
import { histogramAgainst, scatterAgainst } from './plots.js';
import { defineExperiment } from './types.js';

/** Steps of ddpm / ddim on a discrete schedule: the full chain, and a 4x respacing. */
const DISCRETE_STEPS: Record<string, number> = { ddpm: 1000, ddim: 250 };

/** Default steps per sampler: first-order methods need more steps than second- and fourth-order ones. */
export const DEFAULT_STEPS: Record<string, number> = {
  ddpm: 500,
  ddim: 500,
  'reverse-sde-em': 500,
  'eta-family': 500,
  'pf-ode-euler': 500,
  'pf-ode-heun': 100,
  'pf-ode-rk4': 50,
  'fm-euler': 500,
  'fm-heun': 100,
};

/** Points per scatter plot: 9 samplers x 2-D targets, so fewer than a single scatter would show. */
const SCATTER_POINTS = 1000;

export const samplerRecoversData = defineExperiment({
  name: 'sampler-recovers-data',
  summary: 'each sampler with the exact model ends at the exact law (1-D and 2-D mixtures)',
  params: {
    targets: targetsParam,
    samplers: {
      kind: 'list',
      choices: Object.keys(SAMPLERS),
      default: Object.keys(SAMPLERS),
      doc: 'samplers to run',
    },
    path: pathParam('path of the diffusion samplers (fm-* use rectified-flow)'),
    schedule: {
      kind: 'choice',
      choices: [...DISCRETE_NAMES, 'path'],
      default: 'ddpm-linear',
      doc: 'where ddpm and ddim run: a discrete DDPM schedule (1000 steps), or the path',
    },
    samples: {
      kind: 'integer',
      min: 200,
      default: 4000,
      thorough: 40000,
      doc: 'samples per sampler and target',
    },
    stepScale: {
      kind: 'number',
      min: 0.01,
      max: 100,
      default: 1,
      doc: 'multiplies every default step count',
    },
    eta: { kind: 'number', min: 0, max: 1, default: 0.5, doc: 'eta of ddim and the eta family' },
    ...samplerCheckParams(['score-scale-1.05', 'sqrt-one-minus-abar', 'swap-data-noise']),
  },
  refine: (params) => ({ ...params, stepScale: 4 * params.stepScale }),
  async run(params, ctx) {
    const start = performance.now();
    const targets = params.targets;
    const samplers = params.samplers;
    const mutation = params.mutation;
    const scale = params.stepScale * (ctx.thorough ? 2 : 1);
    const alpha = params.alpha;
    const energyPoints = params.energyPoints;
    const outcomes: TestOutcome[] = [];
    const distances: { sampler: string; target: string; numSteps: number; slicedW2: number }[] = [];
    const plots: PlotSpec[] = [];
    let backend = '';
    let run = 0;
    const total = targets.length * samplers.length;
    for (const targetName of targets) {
      const law = asMixture(getTarget(targetName));
      for (const sampler of samplers) {
        const flow = SAMPLERS[sampler].convention === 'flow';
        const schedule =
          sampler in DISCRETE_STEPS && params.schedule !== 'path' ? getDiscrete(params.schedule) : undefined;
        const path = schedule
          ? undefined
          : flow
            ? getPath('rectified-flow')
            : toConvention(getPath(params.path), 'diffusion');
        const numSteps = schedule
          ? Math.min(schedule.numSteps, Math.round(DISCRETE_STEPS[sampler] * scale))
          : Math.max(2, Math.round(DEFAULT_STEPS[sampler] * scale));
        // Mutations are diffusion-model formulas; the fm-* samplers always run the correct model.
        const model = flow ? undefined : modelFor(law, schedule ?? path!, mutation);
        const seed = ctx.seed * 1009 + run;
        const r = await sample({
          target: law,
          sampler,
          path,
          schedule,
          ...(path && !flow ? samplingInterval(path) : {}),
          numSteps,
          n: params.samples,
          seed,
          eta: params.eta,
          model,
          backend: ctx.backend,
        });
        backend = r.backend;
        const label = `${sampler} on ${targetName} (${r.path}, ${numSteps} steps)`;
        outcomes.push(...marginalChecks(r.samples, r.reference, { label, alpha, seed, energyPoints }));
        // Drawn by the HTML report: the sampler's final states against the exact law of its data end.
        plots.push(
          law.d === 1
            ? histogramAgainst(r.samples, r.reference, label, sampler)
            : scatterAgainst(r.samples, r.reference, label, SCATTER_POINTS),
        );
        distances.push({
          sampler,
          target: targetName,
          numSteps,
          slicedW2: slicedDistance(r.samples, r.reference, seed),
        });
        ctx.onProgress?.(++run / total, label);
      }
    }
    const notes = [
      `sliced W2 to an exact sample of equal size: ${distances.map((d) => `${d.sampler}/${d.target} ${fmt(d.slicedW2)}`).join(', ')}`,
      'run k of the experiment uses sampler seed = seed * 1009 + k',
    ];
    if (mutation !== 'none') notes.push(`mutation injected into the diffusion samplers: ${mutation}`);
    const meta = {
      experiment: 'sampler-recovers-data',
      seed: ctx.seed,
      backend,
      ms: performance.now() - start,
    };
    return finish(outcomes, meta, alpha, notes, { distances, plots });
  },
});
