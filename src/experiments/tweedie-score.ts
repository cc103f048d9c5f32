// tweedie-score: Monte-Carlo posterior means E[data | x_t = x] and E[noise | x_t = x], by self-normalized
// importance weights over the prior (data_i ~ p_data, w_i = N(x; alpha data_i, sigma^2 I)), match the
// score formulas  E[data | x] = (x + sigma^2 score) / alpha  (Tweedie) and  E[noise | x] = -sigma score,
// computed from the exact score through the params/ conversions. For VP paths sigma^2 = 1 - abar.
import { NumericalError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { pathPoint, scoreToData, scoreToEps, type PathPoint } from '../params/index.js';
import { getPath } from '../schedules/index.js';
import { zTest, type TestOutcome } from '../stats/index.js';
import { asMixture, getTarget, type GaussianMixture } from '../targets/index.js';
import type { LinesPlot } from '../report/plots/index.js';
import { alphaParam, finish, fmt, pathParam, targetParam } from './common.js';
import { mutationParam, type Mutation } from './mutations.js';
import { againstDiagonal, componentRange, curve, round4 } from './plots.js';
import { defineExperiment } from './types.js';

/** Below this effective sample size the self-normalized estimate's CLT interval is not trusted. */
const MIN_ESS = 200;

/** The formula side: predicted E[data | x] and E[noise | x] (coordinate j) from the score s_j. */
function predicted(mutation: Mutation, s: number, x: number, c: PathPoint): { data: number; eps: number } {
  switch (mutation) {
    case 'score-scale-1.05':
      return { data: scoreToData(1.05 * s, x, c), eps: scoreToEps(1.05 * s, x, c) };
    case 'sqrt-one-minus-abar':
      return { data: (x + c.sigma * s) / c.alpha, eps: scoreToEps(s, x, c) };
    case 'swap-data-noise':
      return { data: scoreToEps(s, x, c), eps: scoreToData(s, x, c) };
    default:
      return { data: scoreToData(s, x, c), eps: scoreToEps(s, x, c) };
  }
}

interface Posterior {
  data: Float64Array;
  eps: Float64Array;
  dataSe: Float64Array;
  epsSe: Float64Array;
  ess: number;
}

/** Self-normalized importance-sampling posterior means with delta-method standard errors. */
function posteriorMeans(law: GaussianMixture, x: Float64Array, c: PathPoint, n: number, rng: Rng): Posterior {
  const { d } = law;
  const prior = law.sample(n, rng);
  const logW = new Float64Array(n);
  let maxLog = -Infinity;
  for (let i = 0; i < n; i++) {
    let q = 0;
    for (let j = 0; j < d; j++) q += (x[j] - c.alpha * prior[i * d + j]) ** 2;
    logW[i] = -q / (2 * c.sigma * c.sigma);
    if (logW[i] > maxLog) maxLog = logW[i];
  }
  let sw = 0;
  let sw2 = 0;
  const w = logW.map((l) => Math.exp(l - maxLog));
  for (const wi of w) {
    sw += wi;
    sw2 += wi * wi;
  }
  const data = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[j] += (w[i] * prior[i * d + j]) / sw;
  const dataSe = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let v = 0;
    for (let i = 0; i < n; i++) v += (w[i] * (prior[i * d + j] - data[j])) ** 2;
    dataSe[j] = Math.sqrt(v) / sw;
  }
  // noise = (x - alpha data) / sigma given x, so its posterior mean and error follow linearly.
  const eps = data.map((m, j) => (x[j] - c.alpha * m) / c.sigma);
  const epsSe = dataSe.map((s) => (c.alpha * s) / c.sigma);
  return { data, eps, dataSe, epsSe, ess: (sw * sw) / sw2 };
}

const ciLevel = (alpha: number) => `${fmt(100 * (1 - alpha))}%`;

/**
 * 1-D: the formula's E[data | x_t = x] as a curve where p_t has its mass (components' means +- 4 sd, widened to
 * the evaluation points), and the importance-sampled estimates at the points with their CIs.
 */
function posteriorMeanCurve(
  law: GaussianMixture,
  t: number,
  c: PathPoint,
  mutation: Mutation,
  points: { x: number; mc: number; ci: [number, number] }[],
  alpha: number,
): LinesPlot {
  const [l, h] = componentRange(law.marginal(c.alpha, c.sigma), 0);
  const lo = Math.min(l, ...points.map((p) => p.x));
  const hi = Math.max(h, ...points.map((p) => p.x));
  const formula = curve((x) => predicted(mutation, law.fieldsAt([x], c).score[0], x, c).data, lo, hi);
  return {
    kind: 'lines',
    title: `E[data | x_t = x] at t = ${fmt(t)} (alpha = ${fmt(c.alpha)}, sigma = ${fmt(c.sigma)})`,
    xLabel: 'x',
    yLabel: 'E[data | x_t = x]',
    series: [
      {
        name: mutation === 'none' ? '(x + σ² score)/α, exact score' : `formula with mutation ${mutation}`,
        ...formula,
        exact: true,
      },
      {
        name: `importance-sampled (${ciLevel(alpha)} CI)`,
        x: points.map((p) => round4(p.x)),
        y: points.map((p) => round4(p.mc)),
        points: true,
        ci: points.map((p) => [round4(p.ci[0]), round4(p.ci[1])]),
      },
    ],
  };
}

export const tweedieScore = defineExperiment({
  name: 'tweedie-score',
  summary: 'importance-sampled E[data|x_t], E[noise|x_t] match (x + sigma^2 score)/alpha and -sigma score',
  params: {
    target: targetParam('gmm-1d-2'),
    path: pathParam('affine path'),
    samples: { kind: 'integer', min: 1000, default: 50000, thorough: 500000, doc: 'prior draws per point' },
    points: {
      kind: 'integer',
      min: 1,
      max: 50,
      default: 2,
      thorough: 5,
      doc: 'points x per time, drawn from p_t',
    },
    times: {
      kind: 'numbers',
      min: 0.01,
      max: 0.99,
      default: [0.1, 0.3, 0.6, 0.9],
      doc: 'times as fractions of the path interval',
    },
    alpha: alphaParam,
    mutation: mutationParam(['score-scale-1.05', 'sqrt-one-minus-abar', 'swap-data-noise']),
  },
  async run(params, ctx) {
    const start = performance.now();
    const law = asMixture(getTarget(params.target));
    const path = getPath(params.path);
    const n = params.samples;
    const numPoints = params.points;
    const times = params.times;
    const mutation = params.mutation;
    const alpha = params.alpha;
    const outcomes: TestOutcome[] = [];
    const notes: string[] = [];
    const series: Record<string, unknown>[] = [];
    let minEss = Infinity;
    // Plot points: the formula's and the importance-sampled E[data | x_t], with the latter's CI.
    const shown: { x: number; formula: number; mc: number; ci: [number, number] }[] = [];
    const plots: LinesPlot[] = [];
    let stream = 0;
    for (const [ti, u] of times.entries()) {
      const t = path.tMin + u * (path.tMax - path.tMin);
      const c = pathPoint(path, t);
      const points = law.marginal(c.alpha, c.sigma).sample(numPoints, new Rng(ctx.seed, stream++));
      for (let p = 0; p < numPoints; p++) {
        const x = points.subarray(p * law.d, (p + 1) * law.d);
        const post = posteriorMeans(law, x, c, n, new Rng(ctx.seed, stream++));
        minEss = Math.min(minEss, post.ess);
        if (post.ess < MIN_ESS) {
          throw new NumericalError(
            `tweedie-score: the importance weights degenerate at t = ${fmt(t)} (effective sample size ` +
              `${Math.round(post.ess)} of ${n} < ${MIN_ESS}), so their normal CI cannot be trusted; ` +
              `use more samples or later times for '${law.name}'`,
          );
        }
        const { score } = law.fieldsAt(x, c);
        for (let j = 0; j < law.d; j++) {
          const f = predicted(mutation, score[j], x[j], c);
          const where = `t=${fmt(t)} x=${fmt(x[j])}${law.d > 1 ? ` [${j}]` : ''}`;
          const dataTest = zTest(`E[data|x] ${where}`, post.data[j], f.data, post.dataSe[j], alpha, n);
          outcomes.push(dataTest);
          shown.push({
            x: x[j],
            formula: f.data,
            mc: post.data[j],
            ci: [f.data + dataTest.ci[0], f.data + dataTest.ci[1]],
          });
          outcomes.push(zTest(`E[noise|x] ${where}`, post.eps[j], f.eps, post.epsSe[j], alpha, n));
          series.push({
            t,
            x: x[j],
            mcData: post.data[j],
            formulaData: f.data,
            mcEps: post.eps[j],
            formulaEps: f.eps,
          });
        }
      }
      if (law.d === 1) plots.push(posteriorMeanCurve(law, t, c, mutation, shown.slice(-numPoints), alpha));
      ctx.onProgress?.((ti + 1) / times.length, `t = ${fmt(t)}`);
    }
    if (law.d > 1) {
      plots.push(
        againstDiagonal(
          `E[data | x_t]: importance-sampled (${ciLevel(alpha)} CI) vs (x + sigma^2 score)/alpha, all times and coordinates`,
          {
            x: 'formula (x + σ² score)/α',
            y: 'importance-sampled E[data | x_t]',
            points: `estimates (${ciLevel(alpha)} CI)`,
          },
          shown.map((p) => round4(p.formula)),
          shown.map((p) => round4(p.mc)),
          shown.map((p) => [round4(p.ci[0]), round4(p.ci[1])]),
        ),
      );
    }
    notes.push(`smallest effective sample size of the importance weights: ${Math.round(minEss)} of ${n}`);
    if (mutation !== 'none') notes.push(`mutation injected: ${mutation}`);
    const meta = {
      experiment: 'tweedie-score',
      seed: ctx.seed,
      backend: 'js',
      ms: performance.now() - start,
    };
    return finish(outcomes, meta, alpha, notes, {
      points: series,
      target: law.name,
      path: path.name,
      plots,
    });
  },
});
