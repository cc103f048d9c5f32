// entropic-ot-sinkhorn: log-domain Sinkhorn on samples of N(m0, A) and N(m1, B) converges to the closed-form
// entropic plan, Cov(X0, X1) = C(sigma) (Janati et al. 2020; Mallasto et al. 2021), for several sigma.
// One replication draws `samples` points per side (stream unit + 1 of the seed) and solves the problem for
// every sigma. The plan's cross-covariance on samples is biased at O(1/n) (the plug-in bias of entropic OT);
// the split-half (jackknife) correction 2 C(n) - (C(n/2, first half) + C(n/2, second half))/2 removes that
// term, so the mean over replications is tested against C(sigma) with a Student t interval (tens of
// replications). Replications are the work units of a sharded run.
import { InputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { LinesPlot } from '../report/plots/index.js';
import { meanTTest, type TestOutcome } from '../stats/index.js';
import { alphaParam, finish, fmt, refineParam } from './common.js';
import { symmetricFunction } from './flow/dense.js';
import { entropicPlanCovariance, type GaussianEnds, type PlanFormula } from './entropic/gaussian.js';
import { gaussianEnds, gaussianEndsParams } from './entropic/params.js';
import { logSinkhorn } from './entropic/sinkhorn.js';
import { round4 } from './plots.js';
import { concatParts, runAllUnits } from './sharding.js';
import { declareParams, defineExperiment, type ParamsOf, type Sharding } from './types.js';

const NAME = 'entropic-ot-sinkhorn';

/** Row-major samples m + L z of N(m, L L^T), n points, from rng. */
function gaussianSample(mean: number[], root: number[][], n: number, rng: Rng): Float64Array {
  const d = mean.length;
  const z = rng.fillNormal(new Float64Array(n * d));
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++) {
      let s = mean[a];
      for (let b = 0; b < d; b++) s += root[a][b] * z[i * d + b];
      out[i * d + a] = s;
    }
  return out;
}

/** sum_ij pi_ij (x_i - m0)(y_j - m1)^T: the plan's cross-covariance about the exact means. */
function planCross(x: Float64Array, y: Float64Array, e: GaussianEnds, sigma: number, tolerance: number) {
  const d = e.m0.length;
  const r = logSinkhorn(x, y, d, sigma, { tolerance });
  // The solver centres at the sample means; (xbar - m0)(ybar - m1)^T moves it to the exact means (the
  // plan's marginals are exactly uniform, so no other term appears).
  const n = x.length / d;
  const m = y.length / d;
  const dx = e.m0.map((mu, a) => x.reduce((s, v, k) => (k % d === a ? s + v / n : s), 0) - mu);
  const dy = e.m1.map((mu, a) => y.reduce((s, v, k) => (k % d === a ? s + v / m : s), 0) - mu);
  return {
    cross: r.crossCovariance.map((c, k) => c + dx[Math.floor(k / d)] * dy[k % d]),
    sweeps: r.totalIterations,
    newton: r.newtonSteps,
    error: r.marginalError,
  };
}

const PARAMS = declareParams({
  ...gaussianEndsParams,
  sigmas: {
    kind: 'numbers',
    min: 0.05,
    max: 100,
    default: [0.25, 0.5, 1, 2],
    doc: 'Brownian reference standard deviations sigma (epsilon = 2 sigma^2)',
  },
  samples: {
    kind: 'integer',
    min: 20,
    max: 2000,
    default: 100,
    thorough: 200,
    doc: 'points per side of each problem (even)',
  },
  replications: {
    kind: 'integer',
    min: 30,
    max: 100000,
    default: 30,
    thorough: 120,
    doc: 'independent problems per sigma (the work units of a sharded run)',
  },
  formula: {
    kind: 'choice',
    choices: ['closed-form', 'no-sigma4'],
    default: 'closed-form',
    doc: 'formula tested: the closed form, or the erratum (sqrt(4ab) - sigma^2)/2 without the sigma^4 term',
  },
  tolerance: {
    kind: 'number',
    min: 1e-14,
    max: 1e-3,
    default: 1e-9,
    doc: "Sinkhorn's stopping error on the marginals",
  },
  alpha: alphaParam,
  refine: {
    ...refineParam,
    doc: 'on a rejection, rerun with 4x the points per side and refute only if it persists',
  },
});
type P = ParamsOf<typeof PARAMS>;

interface Setup {
  ends: GaussianEnds;
  sigmas: readonly number[];
  n: number;
  d: number;
  formula: PlanFormula;
}

function setup(params: P): Setup {
  const ends = gaussianEnds(NAME, params);
  if (params.samples % 2 !== 0)
    throw new InputError(
      `experiment '${NAME}': parameter 'samples' must be even (it is split in halves)`,
      {},
      String(params.samples),
    );
  return {
    ends,
    sigmas: params.sigmas,
    n: params.samples,
    d: ends.m0.length,
    formula: params.formula,
  };
}

const sharding: Sharding<P> = {
  units: (params) => params.replications,
  async run(params, ctx, begin, end) {
    const start = performance.now();
    const { ends, sigmas, n, d } = setup(params);
    const tolerance = params.tolerance;
    const rootA = symmetricFunction(ends.a, Math.sqrt);
    const rootB = symmetricFunction(ends.b, Math.sqrt);
    const per = sigmas.length * d * d;
    const corrected = new Float64Array((end - begin) * per);
    const plain = new Float64Array((end - begin) * per);
    const work = new Float64Array((end - begin) * sigmas.length * 2);
    let maxError = 0;
    const half = n / 2;
    for (let u = begin; u < end; u++) {
      const rng = new Rng(ctx.seed, u + 1);
      const x = gaussianSample(ends.m0, rootA, n, rng);
      const y = gaussianSample(ends.m1, rootB, n, rng);
      sigmas.forEach((sigma, s) => {
        const full = planCross(x, y, ends, sigma, tolerance);
        const h1 = planCross(x.subarray(0, half * d), y.subarray(0, half * d), ends, sigma, tolerance);
        const h2 = planCross(x.subarray(half * d), y.subarray(half * d), ends, sigma, tolerance);
        const at = (u - begin) * per + s * d * d;
        for (let k = 0; k < d * d; k++) {
          corrected[at + k] = 2 * full.cross[k] - (h1.cross[k] + h2.cross[k]) / 2;
          plain[at + k] = full.cross[k];
        }
        work[((u - begin) * sigmas.length + s) * 2] = full.sweeps + h1.sweeps + h2.sweeps;
        work[((u - begin) * sigmas.length + s) * 2 + 1] = full.newton + h1.newton + h2.newton;
        maxError = Math.max(maxError, full.error, h1.error, h2.error);
      });
      ctx.onProgress?.((u + 1 - begin) / (end - begin), `replication ${u + 1}`);
    }
    return { begin, end, ms: performance.now() - start, data: { corrected, plain, work, maxError } };
  },
  finish(parts, params, ctx) {
    const { ends, sigmas, n, d, formula } = setup(params);
    const alpha = params.alpha;
    const corrected = concatParts(parts.map((p) => p.data.corrected as Float64Array));
    const plain = concatParts(parts.map((p) => p.data.plain as Float64Array));
    const work = concatParts(parts.map((p) => p.data.work as Float64Array));
    const maxError = Math.max(...parts.map((p) => Number(p.data.maxError)));
    const reps = params.replications;
    const per = sigmas.length * d * d;
    const outcomes: TestOutcome[] = [];
    const notes: string[] = [];
    const points: { sigma: number; mean: number; ci: [number, number]; plain: number }[] = [];
    const column = (source: Float64Array, s: number, k: number) =>
      Float64Array.from({ length: reps }, (_, r) => source[r * per + s * d * d + k]);
    sigmas.forEach((sigma, s) => {
      const c = entropicPlanCovariance(ends.a, ends.b, sigma, formula);
      let traceMean = 0;
      let traceCi: [number, number] = [0, 0];
      let plainTrace = 0;
      for (let k = 0; k < d * d; k++) {
        const [i, j] = [Math.floor(k / d), k % d];
        const entry = d === 1 ? 'c' : `C[${i}][${j}]`;
        const o = meanTTest(`sigma=${fmt(sigma)}: ${entry}`, column(corrected, s, k), c[i][j], alpha);
        outcomes.push(o);
        if (i === j) {
          traceMean += c[i][j] + o.estimate;
          traceCi = [traceCi[0] + c[i][j] + o.ci[0], traceCi[1] + c[i][j] + o.ci[1]];
          plainTrace += column(plain, s, k).reduce((a, v) => a + v, 0) / reps;
        }
      }
      points.push({ sigma, mean: traceMean, ci: traceCi, plain: plainTrace });
      const sweeps = Array.from({ length: reps }, (_, r) => work[(r * sigmas.length + s) * 2]);
      const newton = Array.from({ length: reps }, (_, r) => work[(r * sigmas.length + s) * 2 + 1]);
      notes.push(
        `sigma = ${fmt(sigma)}: ${formula === 'closed-form' ? 'closed-form' : 'erratum'} tr C = ${fmt(
          c.reduce((a, row, i) => a + row[i], 0),
        )}; Sinkhorn (bias-corrected) ${fmt(traceMean)}, uncorrected ${fmt(plainTrace)}; ` +
          `median ${median(sweeps)} sweeps and ${median(newton)} Newton steps per replication (3 problems)`,
      );
    });
    notes.push(
      `${reps} replications of ${n} points per side (halves of ${n / 2}); every plan's marginals within ` +
        `${maxError.toExponential(1)} (relative)`,
    );
    if (formula !== 'closed-form') notes.push(`tested formula: ${formula} (the erratum)`);
    const meta = { experiment: NAME, seed: ctx.seed, backend: 'js', ms: parts.reduce((a, p) => a + p.ms, 0) };
    return finish(outcomes, meta, alpha, notes, { plots: [planPlot(ends, sigmas, points, formula, alpha)] });
  },
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** tr C(sigma): the closed form and the erratum as curves, the Sinkhorn estimates with their CIs as points. */
function planPlot(
  ends: GaussianEnds,
  sigmas: readonly number[],
  points: { sigma: number; mean: number; ci: [number, number]; plain: number }[],
  formula: PlanFormula,
  alpha: number,
): LinesPlot {
  const lo = Math.min(...sigmas) / 1.5;
  const hi = Math.max(...sigmas) * 1.5;
  const grid = Array.from({ length: 120 }, (_, k) => lo * (hi / lo) ** (k / 119));
  const tr = (f: PlanFormula) => (s: number) =>
    round4(entropicPlanCovariance(ends.a, ends.b, s, f).reduce((a, row, i) => a + row[i], 0));
  const d = ends.m0.length;
  return {
    kind: 'lines',
    title: `${d === 1 ? 'c' : 'tr C'} = Cov(X0, X1) of the entropic plan against sigma: Sinkhorn on samples vs closed form`,
    xLabel: 'sigma',
    yLabel: d === 1 ? 'c' : 'tr C',
    logX: true,
    series: [
      {
        name: '(sqrt(4ab + σ⁴) − σ²)/2 (closed form)',
        x: grid.map(round4),
        y: grid.map(tr('closed-form')),
        exact: true,
      },
      erratumSeries(grid, tr('closed-form'), tr('no-sigma4')),
      {
        name: `Sinkhorn, bias-corrected (${fmt(100 * (1 - alpha))}% CI)${formula === 'closed-form' ? '' : ' vs erratum'}`,
        x: points.map((p) => round4(p.sigma)),
        y: points.map((p) => round4(p.mean)),
        points: true,
        ci: points.map((p) => [round4(p.ci[0]), round4(p.ci[1])]),
      },
      {
        name: 'Sinkhorn, uncorrected plug-in',
        x: points.map((p) => round4(p.sigma)),
        y: points.map((p) => round4(p.plain)),
        points: true,
      },
    ],
  };
}

/** The erratum's curve where it stays on the closed form's scale (it falls like -sigma^2/2 beyond). */
function erratumSeries(grid: number[], exact: (s: number) => number, erratum: (s: number) => number) {
  const floor = -0.5 * Math.max(...grid.map(exact).map(Math.abs));
  const shown = grid.filter((s) => erratum(s) >= floor);
  return { name: '(sqrt(4ab) − σ²)/2 (erratum)', x: shown.map(round4), y: shown.map(erratum) };
}

export const entropicOtSinkhorn = defineExperiment({
  name: NAME,
  summary:
    'log-domain Sinkhorn on samples converges to the closed-form entropic plan Cov(X0, X1) for several sigma',
  params: PARAMS,
  run: runAllUnits(sharding),
  // Twice the points per side (4x the work): the corrected estimator's remaining O(1/n^2) bias falls 4-fold.
  refine: (params) => ({ ...params, samples: params.samples * 2 }),
  sharding,
});
