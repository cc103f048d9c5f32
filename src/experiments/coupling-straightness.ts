// coupling-straightness: how straight is the flow a coupling of noise N(m0, a) and data N(m1, b) induces?
// For a coupling pi, flow matching on the interpolant X_t = (1-t) X0 + t X1 learns v(x, t) = E[X1 - X0 | X_t = x],
// whose ODE flow (the rectified flow of pi) has straightness S = int E|(Z1 - Z0) - dZ_t/dt|^2 dt
// = int_0^1 E[(v(X_t, t) - (m1 - m0))^2] dt - (sqrt(a) - sqrt(b))^2 in 1-D (entropic/minibatch.ts).
// Exact values: the independent coupling S = closed form (1 - pi/4 for N(0,1) -> N(2, 1/4), the
// reflow-gaussian-exact value), the exact OT coupling S = 0, minibatch OT with batch B by quadrature of its
// Bernstein-copula law. Monte Carlo: the real samplers draw pairs (a fresh batch sorted against a sorted
// batch for minibatch OT) and t ~ U(0,1); the mean of (v(X_t) - (m1 - m0))^2 estimates S (its difference from
// the exact S is tested), and E[v(X_t) - D] = 0, E[(v(X_t) - D)(X_t - mu_t)] = 0 test that v is the
// conditional mean for the sampled coupling. The exact values must be ordered
// 0 = S(OT) < S(B_max) < ... < S(B_min) < S(independent): minibatch OT straightens the flow (OT-CFM).
import { InputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { LinesPlot } from '../report/plots/index.js';
import { meanTest } from '../stats/index.js';
import { alphaParam, exactCheck, finish, fmt, type Check } from './common.js';
import {
  couplingField,
  independentVelocity,
  MAX_BATCH,
  minibatchStraightness,
  monotoneVelocity,
  type Ends1d,
} from './entropic/minibatch.js';
import { gaussianEnds, gaussianEndsParams } from './entropic/params.js';
import { round4 } from './plots.js';
import { closedFormFirstStraightness } from './reflow-gaussian.js';
import { concatParts, runAllUnits } from './sharding.js';
import { declareParams, defineExperiment, type ParamsOf, type Sharding } from './types.js';

const NAME = 'coupling-straightness';
/** Draws per work unit and coupling. */
const UNIT = 256;

interface Coupling {
  label: string;
  /** Batch size: 1 independent, Infinity exact OT. */
  batch: number;
}

// One-dimensional ends: no rotation.
const { rotation: _rotation, ...endsParams } = gaussianEndsParams;

const PARAMS = declareParams({
  ...endsParams,
  batchSizes: {
    kind: 'numbers',
    min: 2,
    max: MAX_BATCH,
    default: [4, 16, 64],
    doc: 'minibatch sizes B of the OT-CFM couplings',
  },
  draws: {
    kind: 'integer',
    min: 100,
    max: 10_000_000,
    default: 4000,
    thorough: 40000,
    doc: 'pairs drawn per coupling (256 per work unit)',
  },
  nodes: {
    kind: 'integer',
    min: 21,
    max: 2001,
    default: 81,
    doc: 'trapezoid nodes of the minibatch coupling integrals (81: S within 1e-5 of its 961-node value)',
  },
  alpha: alphaParam,
  mutation: {
    kind: 'choice',
    choices: ['none', 'unsorted-batches'],
    default: 'none',
    doc:
      'a deliberate bug to inject (mutation check): unsorted-batches = minibatch-OT pairs taken without ' +
      'sorting the batches (the independent coupling) while v and S are those of the sorted one',
  },
});
type P = ParamsOf<typeof PARAMS>;

interface Setup {
  ends: Ends1d;
  couplings: Coupling[];
  draws: number;
  nodes: number;
}

function setup(params: P): Setup {
  const g = gaussianEnds(NAME, { ...params, rotation: 0 });
  if (g.m0.length !== 1)
    throw new InputError(
      `experiment '${NAME}' is one-dimensional (the minibatch-OT coupling's law is closed-form only in 1-D): give one mean and variance per law`,
      {},
      g.m0.join(','),
    );
  const batches = params.batchSizes;
  for (const b of batches)
    if (!Number.isInteger(b) || b < 2 || b > MAX_BATCH)
      throw new InputError(
        `experiment '${NAME}': parameter 'batchSizes' items must be integers in [2, ${MAX_BATCH}]`,
        {},
        String(b),
      );
  return {
    ends: { m0: g.m0[0], a: g.a[0][0], m1: g.m1[0], b: g.b[0][0] },
    couplings: [
      { label: 'independent', batch: 1 },
      ...[...new Set(batches)]
        .sort((x, y) => x - y)
        .map((b) => ({ label: `minibatch OT, B = ${b}`, batch: b })),
      { label: 'exact OT', batch: Infinity },
    ],
    draws: params.draws,
    nodes: params.nodes,
  };
}

/** One pair of the coupling from rng: independent draws, a random pair of a sorted batch, or the Monge map. */
function drawPair(
  e: Ends1d,
  batch: number,
  rng: Rng,
  xs: Float64Array,
  ys: Float64Array,
  sorted: boolean,
): [number, number] {
  const [sa, sb] = [Math.sqrt(e.a), Math.sqrt(e.b)];
  if (batch === Infinity) {
    const z = rng.normal();
    return [e.m0 + sa * z, e.m1 + sb * z];
  }
  if (batch === 1) return [e.m0 + sa * rng.normal(), e.m1 + sb * rng.normal()];
  rng.fillNormal(xs, 0, batch);
  rng.fillNormal(ys, 0, batch);
  // The batch's optimal plan for |x - y|^2 in 1-D pairs order statistics: the k-th with the k-th.
  const k = rng.int(batch);
  const order = (a: Float64Array) => (sorted ? [...a.subarray(0, batch)].sort((p, q) => p - q) : a);
  const x = order(xs)[k];
  const y = order(ys)[k];
  return [e.m0 + sa * x, e.m1 + sb * y];
}

function velocityOf(s: Setup, c: Coupling): (x: number, t: number) => number {
  if (c.batch === 1) return independentVelocity(s.ends);
  if (c.batch === Infinity) return monotoneVelocity(s.ends);
  const field = couplingField(s.ends, c.batch, s.nodes);
  return (x, t) => field(x, t).velocity;
}

const sharding: Sharding<P> = {
  units: (params) => Math.ceil(params.draws / UNIT),
  async run(params, ctx, begin, end) {
    const start = performance.now();
    const s = setup(params);
    const { ends } = s;
    const per = s.couplings.length;
    // Per draw and coupling: (v - dm)^2, v - D, (v - D)(X_t - mu_t).
    const values = new Float64Array((end - begin) * UNIT * per * 3).fill(NaN);
    const xs = new Float64Array(MAX_BATCH);
    const ys = new Float64Array(MAX_BATCH);
    const dm = ends.m1 - ends.m0;
    s.couplings.forEach((c, ci) => {
      const v = velocityOf(s, c);
      for (let u = begin; u < end; u++) {
        const rng = new Rng(ctx.seed, 1 + u * per + ci);
        const count = Math.min(UNIT, s.draws - u * UNIT);
        for (let i = 0; i < count; i++) {
          const [x0, x1] = drawPair(ends, c.batch, rng, xs, ys, params.mutation !== 'unsorted-batches');
          const t = rng.uniform();
          const xt = (1 - t) * x0 + t * x1;
          const vt = v(xt, t);
          const at = (((u - begin) * UNIT + i) * per + ci) * 3;
          values[at] = (vt - dm) ** 2;
          values[at + 1] = vt - (x1 - x0);
          values[at + 2] = (vt - (x1 - x0)) * (xt - ((1 - t) * ends.m0 + t * ends.m1));
        }
      }
      ctx.onProgress?.((ci + 1) / per, c.label);
    });
    return { begin, end, ms: performance.now() - start, data: { values } };
  },
  finish(parts, params, ctx) {
    const s = setup(params);
    const { ends } = s;
    const alpha = params.alpha;
    const all = concatParts(parts.map((p) => p.data.values as Float64Array));
    const per = s.couplings.length;
    const floor = (Math.sqrt(ends.a) - Math.sqrt(ends.b)) ** 2;
    const exact = s.couplings.map((c) =>
      c.batch === 1
        ? closedFormFirstStraightness({
            noiseMean: [ends.m0],
            dataMean: [ends.m1],
            s00: [[ends.a]],
            s01: [[0]],
            s11: [[ends.b]],
          })
        : c.batch === Infinity
          ? 0
          : minibatchStraightness(ends, c.batch, s.nodes),
    );
    const series = (ci: number, q: number) =>
      Float64Array.from({ length: s.draws }, (_, i) => all[(i * per + ci) * 3 + q]);
    const outcomes: Check[] = [];
    const estimates: { mean: number; ci: [number, number] }[] = [];
    s.couplings.forEach((c, ci) => {
      const o = meanTest(`S(${c.label}) vs exact ${fmt(exact[ci])}`, series(ci, 0), exact[ci] + floor, alpha);
      outcomes.push(o);
      estimates.push({ mean: exact[ci] + o.estimate, ci: [exact[ci] + o.ci[0], exact[ci] + o.ci[1]] });
      if (c.batch !== Infinity) {
        // For exact OT, v = D on every path: nothing to test.
        outcomes.push(meanTest(`${c.label}: E[v(X_t) - (X1 - X0)]`, series(ci, 1), 0, alpha));
        outcomes.push(meanTest(`${c.label}: E[(v(X_t) - (X1 - X0))(X_t - mu_t)]`, series(ci, 2), 0, alpha));
      }
    });
    // The quadrature reproduces the independent coupling's closed form, and the exact values are ordered.
    const quadratureIndependent = minibatchStraightness(ends, 1, s.nodes);
    outcomes.push(
      exactCheck(
        '|S(independent): quadrature - closed form|',
        Math.abs(quadratureIndependent - exact[0]),
        1e-8,
        { size: s.nodes, unit: 'quadrature nodes' },
      ),
    );
    for (let k = 1; k < per; k++) {
      outcomes.push(
        exactCheck(
          `S(${s.couplings[k].label}) - S(${s.couplings[k - 1].label}) < 0 (exact values)`,
          exact[k] - exact[k - 1],
          -1e-12,
          { size: s.nodes, unit: 'quadrature nodes' },
        ),
      );
    }
    const notes = [
      ...(params.mutation !== 'none' ? [`mutation injected: ${params.mutation}`] : []),
      `exact S: ${s.couplings.map((c, k) => `${c.label} ${fmt(exact[k])}`).join('; ')}`,
      `Monte-Carlo S: ${s.couplings.map((c, k) => `${c.label} ${fmt(estimates[k].mean)}`).join('; ')} (${s.draws} draws each)`,
    ];
    const meta = { experiment: NAME, seed: ctx.seed, backend: 'js', ms: parts.reduce((a, p) => a + p.ms, 0) };
    return finish(outcomes, meta, alpha, notes, {
      exact,
      plots: [straightnessPlot(s, exact, estimates, alpha)],
    });
  },
};

/** S against batch size: the quadrature curve over powers of two, the estimates with CIs, OT's 0. */
function straightnessPlot(
  s: Setup,
  exact: number[],
  estimates: { mean: number; ci: [number, number] }[],
  alpha: number,
): LinesPlot {
  const largest = Math.max(...s.couplings.filter((c) => c.batch !== Infinity).map((c) => c.batch), 2);
  const powers = Array.from({ length: Math.ceil(Math.log2(largest)) + 1 }, (_, k) => 2 ** k);
  const finite = s.couplings.map((c, k) => ({ c, k })).filter(({ c }) => c.batch !== Infinity);
  const otAt = 2 * 2 ** Math.ceil(Math.log2(largest));
  const ot = s.couplings.length - 1;
  return {
    kind: 'lines',
    title:
      'Straightness S of the flow each coupling induces, against the minibatch size (B = 1: independent)',
    xLabel: 'batch size B',
    yLabel: 'S',
    logX: true,
    series: [
      {
        name: 'minibatch OT, exact (quadrature)',
        x: powers,
        y: powers.map((b) => round4(b === 1 ? exact[0] : minibatchStraightness(s.ends, b, s.nodes))),
        exact: true,
      },
      { name: 'exact OT: S = 0', x: [1, 2 * otAt], y: [0, 0], exact: true },
      {
        name: `Monte Carlo (${fmt(100 * (1 - alpha))}% CI)`,
        x: finite.map(({ c }) => c.batch),
        y: finite.map(({ k }) => round4(estimates[k].mean)),
        points: true,
        ci: finite.map(({ k }) => [round4(estimates[k].ci[0]), round4(estimates[k].ci[1])]),
      },
      {
        name: 'exact OT coupling, Monte Carlo',
        x: [otAt],
        y: [round4(estimates[ot].mean)],
        points: true,
        ci: [[round4(estimates[ot].ci[0]), round4(estimates[ot].ci[1])]],
      },
    ],
  };
}

export const couplingStraightness = defineExperiment({
  name: NAME,
  summary:
    'straightness of the flow of independent, minibatch-OT and exact-OT couplings: exact values and Monte Carlo',
  params: PARAMS,
  run: runAllUnits(sharding),
  sharding,
});
