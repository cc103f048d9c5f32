// ddim-is-euler: deterministic DDIM (eta = 0), x' = alpha' data + sigma' eps, is exactly the Euler step
// of the PF-ODE written in y = x / alpha and s = sigma / alpha, dy/ds = eps(alpha y, t):
//   y' = y + (s' - s) eps   (since data = y - s eps).
// The engine's DDIM trajectory and an independent Euler recursion from the same start, both with the
// target's exact eps, must coincide to float64 rounding (a relative tolerance of 1e-10 over the run).
import { pathPoint } from '../params/index.js';
import { getPath, toConvention } from '../schedules/index.js';
import { sample, samplingInterval } from '../samplers/index.js';
import { asMixture, getTarget } from '../targets/index.js';
import type { LinesPlot } from '../report/plots/index.js';
import { ALPHA, exactCheck, finish, fmt, pathParam, targetParam } from './common.js';
import { defineExperiment } from './types.js';

export const TOLERANCE = 1e-10;

export const ddimIsEuler = defineExperiment({
  name: 'ddim-is-euler',
  summary: 'DDIM(eta = 0) trajectories equal Euler steps of the PF-ODE in (x/alpha, sigma/alpha)',
  params: {
    target: targetParam('gmm-2d-8'),
    path: pathParam(),
    samples: { kind: 'integer', min: 1, default: 500, thorough: 5000, doc: 'trajectories compared' },
    steps: { kind: 'integer', min: 2, default: 50, thorough: 200, doc: 'DDIM steps' },
  },
  async run(params, ctx) {
    const start = performance.now();
    const law = asMixture(getTarget(params.target));
    const path = toConvention(getPath(params.path), 'diffusion');
    const n = params.samples;
    const { d } = law;
    const r = await sample({
      target: law,
      sampler: 'ddim',
      path,
      eta: 0,
      ...samplingInterval(path),
      numSteps: params.steps,
      n,
      seed: ctx.seed,
      trajectories: true,
      backend: ctx.backend,
    });
    const traj = r.trajectories!;
    const times = r.times;
    // Euler in (y, s), from the DDIM run's own initial state.
    const x = traj.slice(0, n * d);
    let maxRel = 0;
    const stepGap = new Array<number>(r.numSteps).fill(0);
    for (let k = 0; k < r.numSteps; k++) {
      const c = pathPoint(path, times[k]);
      const next = pathPoint(path, times[k + 1]);
      const ds = next.sigma / next.alpha - c.sigma / c.alpha;
      for (let i = 0; i < n; i++) {
        const xi = x.subarray(i * d, (i + 1) * d);
        const { eps } = law.fieldsAt(xi, c);
        for (let j = 0; j < d; j++) {
          const y = xi[j] / c.alpha + ds * eps[j];
          xi[j] = next.alpha * y;
          const ddim = traj[(k + 1) * n * d + i * d + j];
          const rel = Math.abs(ddim - xi[j]) / Math.max(1, Math.abs(xi[j]));
          stepGap[k] = Math.max(stepGap[k], rel);
          maxRel = Math.max(maxRel, rel);
        }
      }
    }
    ctx.onProgress?.(1, 'compared');
    const outcome = exactCheck(
      `max relative gap DDIM vs Euler in (x/alpha, sigma/alpha)`,
      maxRel,
      TOLERANCE,
      { size: n * r.numSteps, unit: `steps (${n} trajectories x ${r.numSteps})` },
    );
    const meta = {
      experiment: 'ddim-is-euler',
      seed: ctx.seed,
      backend: r.backend,
      ms: performance.now() - start,
    };
    const notes = [
      `largest relative gap over ${n} trajectories x ${r.numSteps} steps: ${fmt(maxRel)} (tolerance ${TOLERANCE})`,
    ];
    // Drawn by the HTML report: the largest gap of each step (log scale; exact zeros are not drawn).
    const steps = stepGap.map((_, k) => k + 1);
    const plot: LinesPlot = {
      kind: 'lines',
      title: `DDIM vs Euler: largest relative gap over ${n} trajectories per step (0 not drawn)`,
      xLabel: 'step',
      yLabel: 'max relative gap',
      logY: true,
      series: [
        {
          name: 'largest gap',
          x: steps,
          y: stepGap.map((g) => Number(g.toPrecision(3))),
          points: true,
        },
        { name: `tolerance ${TOLERANCE}`, x: [1, r.numSteps], y: [TOLERANCE, TOLERANCE], exact: true },
      ],
    };
    return finish([outcome], meta, ALPHA, notes, { plots: [plot] });
  },
});
