// sb-sde-marginals: the Schrödinger bridge between N(m0, A) and N(m1, B) with a Brownian reference of variance
// sigma^2, simulated as an SDE dX = b_t(X) dt + sigma dW from X_0 ~ N(m0, A) with the exact Markov drift
// (entropic/gaussian.ts), has the closed-form marginals N(mu_t, V_t) at every t and ends in the closed-form
// entropic coupling Cov(X_0, X_1) = C. Tests per checkpoint: means, covariances (z-tests about the exact
// mean) and each coordinate's law (KS against the exact normal CDF); at the end the coupling's
// cross-covariance. The scheme is linear, so its own discretization bias is computed exactly and the run
// refuses sizes where it would not be far below the detectable effect. Particle blocks are the units of a
// sharded run.
import { NumericalError } from '../core/errors.js';
import type { MarginalsPlot, LinesPlot, ScatterPlot } from '../report/plots/index.js';
import { ksOneSample, meanTest, normalCdf, normalPdf, type TestOutcome } from '../stats/index.js';
import { GaussianMixture } from '../targets/index.js';
import { alphaParam, finish, fmt, refineParam } from './common.js';
import { type Matrix } from './flow/dense.js';
import { numBlocks, schemeCovariances, simulateBridge, type BridgeScheme } from './entropic/bridge.js';
import { bridgeMarginal, entropicPlanCovariance, type GaussianEnds } from './entropic/gaussian.js';
import { gaussianEnds, gaussianEndsParams } from './entropic/params.js';
import { column, curve, marginalPanel, round4 } from './plots.js';
import { concatParts, runAllUnits } from './sharding.js';
import { declareParams, defineExperiment, type ParamsOf, type Sharding } from './types.js';

const NAME = 'sb-sde-marginals';

const FORMULAS = {
  'closed-form': 'the closed forms (the claim)',
  'no-sigma4':
    'plan covariance (sqrt(4ab) - sigma^2)/2 without the sigma^4 term, in the drift and the predictions',
  'bridge-variance-sigma2t': 'predicted bridge variance sigma^2 t in place of sigma^2 t(1-t)',
  'score-no-half': 'drift with sigma^2 grad log p_t in place of (sigma^2/2) grad log p_t',
} as const;
type Formula = keyof typeof FORMULAS;
const FORMULA_NAMES = Object.keys(FORMULAS).filter((k): k is Formula => Object.hasOwn(FORMULAS, k));

const PARAMS = declareParams({
  ...gaussianEndsParams,
  sigma: {
    kind: 'number',
    min: 0.05,
    max: 20,
    default: 1,
    doc: 'standard deviation of the Brownian reference per unit time',
  },
  times: {
    kind: 'numbers',
    min: 0.01,
    max: 1,
    default: [0.25, 0.5, 0.75, 1],
    doc: 'checkpoint times in (0, 1] (the end t = 1 is always tested)',
  },
  samples: {
    kind: 'integer',
    min: 100,
    max: 10_000_000,
    default: 20000,
    thorough: 200000,
    doc: 'particles (blocks of 1024 are the units of a sharded run)',
  },
  steps: {
    kind: 'integer',
    min: 2,
    max: 100000,
    default: 100,
    thorough: 400,
    doc: 'stochastic Heun steps on [0, 1]',
  },
  formula: {
    kind: 'choice',
    choices: FORMULA_NAMES,
    default: 'closed-form',
    doc:
      'formulas tested: ' +
      Object.entries(FORMULAS)
        .map(([k, v]) => `${k} = ${v}`)
        .join('; '),
  },
  alpha: alphaParam,
  refine: refineParam,
});
type P = ParamsOf<typeof PARAMS>;

interface Setup {
  ends: GaussianEnds;
  scheme: BridgeScheme;
  /** Plan covariance the predictions use. */
  c: Matrix;
  formula: Formula;
  n: number;
  d: number;
  /** Checkpoint grid indices (increasing, the last is `steps`) and their times. */
  keep: number[];
  times: number[];
}

function setup(params: P): Setup {
  const ends = gaussianEnds(NAME, params);
  const sigma = params.sigma;
  const steps = params.steps;
  const { formula } = params;
  const c = entropicPlanCovariance(
    ends.a,
    ends.b,
    sigma,
    formula === 'no-sigma4' ? 'no-sigma4' : 'closed-form',
  );
  const keep = [...new Set([...params.times.map((t) => Math.round(t * steps)), steps])]
    .filter((k) => k > 0)
    .sort((a, b) => a - b);
  return {
    ends,
    scheme: { ends, c, sigma, steps, scoreWeight: formula === 'score-no-half' ? 2 : 1 },
    c,
    formula,
    n: params.samples,
    d: ends.m0.length,
    keep,
    times: keep.map((k) => k / steps),
  };
}

/** The marginal the claim predicts at t (with the erratum's variance when that formula is tested). */
function predicted(s: Setup, t: number): { mean: number[]; cov: Matrix } {
  const m = bridgeMarginal(s.ends, s.c, s.scheme.sigma, t);
  if (s.formula !== 'bridge-variance-sigma2t') return m;
  const extra = s.scheme.sigma ** 2 * t * t; // sigma^2 t - sigma^2 t (1 - t)
  return { mean: m.mean, cov: m.cov.map((row, i) => row.map((x, j) => (i === j ? x + extra : x))) };
}

const sharding: Sharding<P> = {
  units: (params) => numBlocks(params.samples),
  async run(params, ctx, begin, end) {
    const start = performance.now();
    const s = setup(params);
    const sim = simulateBridge(s.scheme, s.n, ctx.seed, begin, end, s.keep);
    return { begin, end, ms: performance.now() - start, data: { start: sim.start, states: sim.states } };
  },
  finish(parts, params, ctx) {
    const s = setup(params);
    const { d, n, ends } = s;
    const alpha = params.alpha;
    const x0 = concatParts(parts.map((p) => p.data.start as Float64Array));
    const states = s.keep.map((_, k) => concatParts(parts.map((p) => (p.data.states as Float64Array[])[k])));
    const outcomes: TestOutcome[] = [];
    const col = new Float64Array(n);
    const mdeOf: Record<string, number> = {};
    s.times.forEach((t, k) => {
      const rows = states[k];
      const { mean, cov } = predicted(s, t);
      const label = `t=${fmt(t)}`;
      for (let j = 0; j < d; j++) {
        for (let i = 0; i < n; i++) col[i] = rows[i * d + j];
        outcomes.push(meanTest(`${label}: mean[${j}]`, col, mean[j], alpha));
        const sd = Math.sqrt(cov[j][j]);
        outcomes.push({
          ...ksOneSample(col, (x) => normalCdf((x - mean[j]) / sd), alpha),
          test: `${label}: ks[${j}] against N(mu_t, V_t)`,
        });
      }
      for (let a = 0; a < d; a++)
        for (let b = a; b < d; b++) {
          for (let i = 0; i < n; i++) col[i] = (rows[i * d + a] - mean[a]) * (rows[i * d + b] - mean[b]);
          const o = meanTest(`${label}: cov[${a}][${b}]`, col, cov[a][b], alpha);
          outcomes.push(o);
          mdeOf[`cov ${k} ${a} ${b}`] = o.minDetectableEffect;
        }
    });
    const last = states[states.length - 1];
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) {
        for (let i = 0; i < n; i++) col[i] = (x0[i * d + a] - ends.m0[a]) * (last[i * d + b] - ends.m1[b]);
        const o = meanTest(`end coupling: Cov(X0, X1)[${a}][${b}]`, col, s.c[a][b], alpha);
        outcomes.push(o);
        mdeOf[`cross ${a} ${b}`] = o.minDetectableEffect;
      }
    const notes = [discretizationNote(s, mdeOf)];
    if (s.formula !== 'closed-form') notes.push(`tested formula: ${s.formula} = ${FORMULAS[s.formula]}`);
    notes.push(
      `${n} particles, stochastic Heun with ${s.scheme.steps} steps, sigma = ${fmt(s.scheme.sigma)}; ` +
        `closed-form C = ${JSON.stringify(s.c.map((r) => r.map(fmt)))}`,
    );
    const meta = { experiment: NAME, seed: ctx.seed, backend: 'js', ms: parts.reduce((a, p) => a + p.ms, 0) };
    return finish(outcomes, meta, alpha, notes, { plots: plotsOf(s, x0, states, alpha) });
  },
};

/**
 * The scheme's exact covariance bias against the bridge's, per covariance test, as a fraction of that
 * test's MDE; above 1/4 the run could reject a true claim for its step size, so it is refused (use more
 * steps) rather than reported.
 */
function discretizationNote(s: Setup, mdeOf: Record<string, number>): string {
  const exactScheme = { ...s.scheme, scoreWeight: 1 };
  const exactC = s.formula === 'no-sigma4' ? s.c : entropicPlanCovariance(s.ends.a, s.ends.b, s.scheme.sigma);
  const { cov, cross } = schemeCovariances({ ...exactScheme, c: exactC }, s.keep);
  let worst = 0;
  s.times.forEach((t, k) => {
    const exact = bridgeMarginal(s.ends, exactC, s.scheme.sigma, t).cov;
    for (let a = 0; a < s.d; a++)
      for (let b = a; b < s.d; b++)
        worst = Math.max(worst, Math.abs(cov[k][a][b] - exact[a][b]) / mdeOf[`cov ${k} ${a} ${b}`]);
  });
  if (s.formula !== 'no-sigma4') {
    const endCross = cross[cross.length - 1];
    for (let a = 0; a < s.d; a++)
      for (let b = 0; b < s.d; b++)
        worst = Math.max(worst, Math.abs(endCross[a][b] - exactC[a][b]) / mdeOf[`cross ${a} ${b}`]);
  }
  if (worst > 0.25) {
    throw new NumericalError(
      `${NAME}: with ${s.scheme.steps} steps the scheme's own covariance bias is ${fmt(worst)} of the ` +
        `smallest detectable effect at ${s.n} particles, so a rejection could be discretization; use more steps`,
    );
  }
  return `discretization bias of the scheme (exact, linear SDE): at most ${fmt(worst)} of each covariance test's MDE`;
}

function plotsOf(s: Setup, x0: Float64Array, states: Float64Array[], alpha: number) {
  const { d } = s;
  const panels: MarginalsPlot['panels'] = s.times.map((t, k) => {
    const { mean, cov } = predicted(s, t);
    const law = new GaussianMixture('bridge marginal', {
      weights: [1],
      means: [[mean[0]]],
      variances: [[cov[0][0]]],
    });
    return marginalPanel(`t = ${fmt(t)}`, [{ name: 'SB SDE', rows: column(states[k], d, 0) }], law);
  });
  const marginals: MarginalsPlot = {
    kind: 'marginals',
    title: `Schrödinger-bridge SDE from N(m0, A): marginals${d > 1 ? ' (first coordinate)' : ''} against N(mu_t, V_t)`,
    xLabel: d > 1 ? 'x₁' : 'x',
    panels,
  };
  // The variance of the first coordinate through time: the bridge's closed form, the erratum, estimates.
  const sigma2 = s.scheme.sigma ** 2;
  const v = (t: number) => bridgeMarginal(s.ends, s.c, s.scheme.sigma, t).cov[0][0];
  const estimates = s.times.map((t, k) => {
    const mu = predicted(s, t).mean[0];
    const xs = column(states[k], d, 0).map((x) => (x - mu) ** 2);
    const o = meanTest('', xs, 0, alpha);
    return { t, v: o.estimate, ci: o.ci };
  });
  const variance: LinesPlot = {
    kind: 'lines',
    title: 'Var(X_t) of the bridge: closed form, the sigma^2 t erratum, and the simulated SDE',
    xLabel: 't',
    yLabel: d > 1 ? 'Var(X_t)₁₁' : 'Var(X_t)',
    series: [
      { name: 'closed form (bridge variance σ² t(1−t))', ...curve(v, 0, 1, 101), exact: true },
      { name: 'erratum: bridge variance σ² t', ...curve((t) => v(t) + sigma2 * t * t, 0, 1, 101) },
      {
        name: `SDE (${fmt(100 * (1 - alpha))}% CI)`,
        x: estimates.map((e) => round4(e.t)),
        y: estimates.map((e) => round4(e.v)),
        points: true,
        ci: estimates.map((e) => [round4(e.ci[0]), round4(e.ci[1])]),
      },
    ],
  };
  return [marginals, variance, couplingScatter(s, x0, states[states.length - 1])];
}

/** (X_0, X_1) first coordinates against contours of the closed-form plan's density. */
function couplingScatter(s: Setup, x0: Float64Array, x1: Float64Array): ScatterPlot {
  const { d, ends } = s;
  const shown = Math.min(x0.length / d, 1500);
  const xs = column(x0, d, 0, shown);
  const ys = column(x1, d, 0, shown);
  const [a, b, c] = [ends.a[0][0], ends.b[0][0], s.c[0][0]];
  const span = (m: number, v: number) => [m - 3.5 * Math.sqrt(v), m + 3.5 * Math.sqrt(v)];
  const [xl, xh] = span(ends.m0[0], a);
  const [yl, yh] = span(ends.m1[0], b);
  const grid = Array.from({ length: 61 }, (_, i) => i / 60);
  const gx = grid.map((u) => xl + u * (xh - xl));
  const gy = grid.map((u) => yl + u * (yh - yl));
  // Density of (X0, X1) = N(x0; m0, a) N(x1; m1 + (c/a)(x0 - m0), b - c^2/a).
  const z = gy.map((y) =>
    gx.map((x) =>
      round4(
        normalPdf(x, ends.m0[0], a) * normalPdf(y, ends.m1[0] + (c / a) * (x - ends.m0[0]), b - (c * c) / a),
      ),
    ),
  );
  return {
    kind: 'scatter',
    title: `End coupling (X0, X1) of the simulated SDE against the entropic plan (c = ${fmt(c)})${d > 1 ? ', first coordinates' : ''}`,
    samples: { x: xs.map(round4), y: ys.map(round4) },
    sampleLabel: 'SB SDE (X0, X1)',
    density: { x: gx.map(round4), y: gy.map(round4), z },
    maxPoints: shown,
    total: x0.length / d,
  };
}

export const sbSdeMarginals = defineExperiment({
  name: NAME,
  summary: 'the Schrödinger-bridge SDE with the exact drift has the closed-form marginals and end coupling',
  params: PARAMS,
  run: runAllUnits(sharding),
  refine: (params) => ({ ...params, steps: params.steps * 4 }),
  sharding,
});
