// convergence-order: the weak error E[phi(X_N)] - E[phi(X_0)] of an ODE sampler with N steps, phi(x) = |x|^2,
// decays like N^-order with order 1 for Euler and 2 for Heun. X_0 is the exact flow of the same initial
// draws (a fine high-order reference run: RK4, or Heun for flow samplers), so the Monte-Carlo error of
// each difference is small (common random numbers). The order is fitted by weighted least squares on
// log|error| vs log(1/N); its Monte-Carlo CI comes from the percentile bootstrap over particles. The
// test's null is |order - nominal| <= margin (a pre-asymptotic allowance: at these N Heun's fitted order
// is about 1.9), rejected when the order is beyond the margin by more than its noise explains.
import { sample, SAMPLERS } from '../samplers/index.js';
import { getPath } from '../schedules/index.js';
import {
  bootstrapInterval,
  fitConvergenceOrder,
  Moments,
  normalCdf,
  normalQuantile,
  type TestOutcome,
} from '../stats/index.js';
import { asMixture, getTarget } from '../targets/index.js';
import { alphaParam, finish, fmt, pathParam, targetParam } from './common.js';
import { defineExperiment } from './types.js';

const NOMINAL: Record<string, { order: number; steps: number[]; reference: string; referenceSteps: number }> =
  {
    'pf-ode-euler': { order: 1, steps: [32, 64, 128, 256], reference: 'pf-ode-rk4', referenceSteps: 512 },
    'pf-ode-heun': { order: 2, steps: [16, 32, 64, 128], reference: 'pf-ode-rk4', referenceSteps: 512 },
    'fm-euler': { order: 1, steps: [32, 64, 128, 256], reference: 'fm-heun', referenceSteps: 4096 },
    'fm-heun': { order: 2, steps: [16, 32, 64, 128], reference: 'fm-heun', referenceSteps: 4096 },
  };

export const convergenceOrder = defineExperiment({
  name: 'convergence-order',
  summary: 'weak error of ODE samplers decays with order 1 (Euler) and 2 (Heun), with a CI on the order',
  params: {
    target: targetParam('gmm-1d-2'),
    path: pathParam('path of the pf-ode samplers'),
    samplers: {
      kind: 'list',
      choices: Object.keys(NOMINAL),
      default: ['pf-ode-euler', 'pf-ode-heun'],
      doc: 'samplers',
    },
    samples: {
      kind: 'integer',
      min: 100,
      default: 2000,
      thorough: 20000,
      doc: 'trajectories per step count',
    },
    margin: { kind: 'number', min: 0, max: 1, default: 0.25, doc: 'allowed |fitted - nominal| order' },
    alpha: alphaParam,
  },
  async run(params, ctx) {
    const start = performance.now();
    const law = asMixture(getTarget(params.target));
    const n = params.samples;
    const alpha = params.alpha;
    const margin = params.margin;
    const samplers = params.samplers;
    const outcomes: TestOutcome[] = [];
    const notes: string[] = [];
    const series: { sampler: string; numSteps: number; weakError: number; standardError: number }[] = [];
    let backend = '';
    const phi = (s: Float64Array, i: number) => {
      let v = 0;
      for (let j = 0; j < law.d; j++) v += s[i * law.d + j] ** 2;
      return v;
    };
    for (const [si, sampler] of samplers.entries()) {
      const spec = NOMINAL[sampler];
      const flow = SAMPLERS[sampler].convention === 'flow';
      const path = getPath(flow ? 'rectified-flow' : params.path);
      // The same seed gives every run the same initial draws (common random numbers).
      const base = { target: law, path, n, seed: ctx.seed, backend: ctx.backend };
      const ref = await sample({ ...base, sampler: spec.reference, numSteps: spec.referenceSteps });
      backend = ref.backend;
      const errors: number[] = [];
      const ses: number[] = [];
      const differences: Float64Array[] = [];
      for (const N of spec.steps) {
        const r = await sample({ ...base, sampler, numSteps: N });
        const diff = Float64Array.from({ length: n }, (_, i) => phi(r.samples, i) - phi(ref.samples, i));
        differences.push(diff);
        const m = Moments.of(diff);
        errors.push(m.mean);
        ses.push(m.standardError);
        series.push({ sampler, numSteps: N, weakError: m.mean, standardError: m.standardError });
      }
      const h = spec.steps.map((N) => 1 / N);
      const fit = fitConvergenceOrder(h, errors, { standardError: ses, level: 1 - alpha });
      // The order's Monte-Carlo uncertainty by the percentile bootstrap over particles (the weighted fit's
      // own CI is inflated by the deterministic pre-asymptotic curvature, which the margin accounts for).
      const boot = bootstrapInterval(
        n,
        (idx) => {
          const e = differences.map((diff) => idx.reduce((acc, i) => acc + diff[i], 0) / n);
          return fitConvergenceOrder(h, e, { standardError: ses }).order;
        },
        { seed: ctx.seed + si, resamples: 200, level: 1 - alpha },
      );
      const z = normalQuantile(1 - alpha / 2);
      const se = (boot.ci[1] - boot.ci[0]) / (2 * z);
      const excess = Math.max(0, Math.abs(fit.order - spec.order) - margin);
      outcomes.push({
        test: `${sampler}: weak order ${spec.order} +- ${margin}`,
        estimate: fit.order - spec.order,
        ci: [boot.ci[0] - spec.order, boot.ci[1] - spec.order],
        pValue: excess === 0 ? 1 : Math.min(1, 2 * (1 - normalCdf(excess / se))),
        alpha,
        minDetectableEffect: margin + (z + normalQuantile(0.8)) * se,
        samples: n * spec.steps.length,
      });
      notes.push(
        `${sampler}: fitted order ${fmt(fit.order)}, bootstrap CI [${fmt(boot.ci[0])}, ${fmt(boot.ci[1])}], weighted-fit CI [${fmt(fit.ci[0])}, ${fmt(fit.ci[1])}] (nominal ${spec.order}); weak errors ${errors.map(fmt).join(', ')} at N = ${spec.steps.join(', ')}`,
      );
      ctx.onProgress?.((si + 1) / samplers.length, sampler);
    }
    const meta = { experiment: 'convergence-order', seed: ctx.seed, backend, ms: performance.now() - start };
    // Drawn by the HTML report (src/report/plots): |weak error| against N on log-log axes, slope -order.
    const plot = {
      kind: 'convergence',
      title: 'weak error vs steps (log-log)',
      yLabel: '|E phi(x_N) - E phi(x_ref)|',
      series: samplers.map((sampler) => ({
        name: sampler,
        steps: [...NOMINAL[sampler].steps],
        error: series.filter((p) => p.sampler === sampler).map((p) => Math.abs(p.weakError)),
        expectedSlope: -NOMINAL[sampler].order,
      })),
    };
    return finish(outcomes, meta, alpha, notes, { errors: series, plots: [plot] });
  },
});
