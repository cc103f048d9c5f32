// Experiment `reflow-straightness`: the lecture's reflow procedure, for real, on a Gaussian-mixture data
// law (flow convention, linear path). Round 1 (the 1-rectified flow) integrates the exact marginal
// velocity from noise; round k >= 2 trains a tfjs MLP by CFM on the pairs (Z0, Z1) of round k - 1 and
// integrates it from the same noise. Every round simulates n particles with FM-Heun: the first half are the
// next round's training pairs, the second half are held out for the statistics. Per round k:
//   bound      S(Z^k) <= E||Z1^{k-1} - Z0^{k-1}||^2 - E||Z1^k - Z0^k||^2, one-sided z-test on paired
//              held-out particles (round 1: E||X1 - X0||^2 is exact); learned rounds get an allowance for
//              the learning error (below), reported apart from the Monte-Carlo error (the CI);
//   marginal   Z1^k has the data law (moments, KS, energy distance; src/experiments/common.ts).
// Learning error of round k: the held-out CFM loss L = E||v_theta(X_t, t) - (Z1 - Z0)||^2 on the pairs it
// was trained for; L = (its exact slack) + E||v_theta - v*||^2 >= L_FM(theta). To first order (marginals
// kept) the bound can then be exceeded by at most sqrt(L) (sqrt(K) + sqrt(C)), with K the learned flow's
// kinetic energy and C = E||Z1^{k-1} - Z0^{k-1}||^2: that is the allowance.
import { NumericalError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { pathPoint } from '../params/conversions.js';
import { sample, type UserModel } from '../samplers/index.js';
import type { AffinePath } from '../schedules/types.js';
import type { JsFieldFn } from '../tensor/program.js';
import { getPath } from '../schedules/index.js';
import { Moments } from '../stats/index.js';
import { asMixture, getTarget, type GaussianMixture } from '../targets/index.js';
import { activateTfBackend, VelocityMlp } from '../tensor/mlp.js';
import {
  ALPHA,
  diagnostic,
  finish,
  fmt,
  marginalChecks,
  mlpShapeParams,
  slicedDistance,
  targetParam,
  type Check,
} from './common.js';
import { boundTest, pathStatistics, type PathStatistics } from './flow/straightness.js';
import { defineExperiment, type ExperimentResult } from './types.js';

export interface ReflowRound {
  round: number;
  /** Means over held-out particles, with their standard errors. */
  straightness: { mean: number; se: number };
  transportCost: { mean: number; se: number };
  /** Held-out CFM loss of the velocity used (0 for the exact velocity of round 1). */
  learningLoss: { mean: number; se: number };
  allowance: number;
  /** Mean slack of the bound, E||D^{k-1}||^2 - E||D^k||^2 - S(Z^k), and its CI half-width. */
  slack: { mean: number; halfWidth: number };
  slicedW2: number;
  /** Wall time of training (0 in round 1) and of the simulation, in ms. */
  trainMs: number;
  simulateMs: number;
}

const meanSe = (m: Moments) => ({ mean: m.mean, se: m.standardError });

/** E||data - noise||^2 for independent noise N(0, I): ||mean||^2 + tr Cov + d. */
function independentCost(law: GaussianMixture): number {
  const mean = law.mean();
  const cov = law.covariance();
  let s = law.d;
  for (let j = 0; j < law.d; j++) s += mean[j] ** 2 + cov[j * law.d + j];
  return s;
}

/** CFM regression batches on pairs rows [begin, end) of (start, end): x_t = (1-t) Z0 + t Z1, target Z1 - Z0. */
function pairBatch(p: PathStatistics, d: number, begin: number, end: number, n: number, rng: Rng) {
  const inputs = new Float64Array(n * (d + 1));
  const targets = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const k = begin + rng.int(end - begin);
    const t = rng.uniform();
    for (let c = 0; c < d; c++) {
      const z0 = p.start[k * d + c];
      const z1 = p.end[k * d + c];
      inputs[i * (d + 1) + c] = (1 - t) * z0 + t * z1;
      targets[i * d + c] = z1 - z0;
    }
    inputs[i * (d + 1) + d] = t;
  }
  return { inputs, targets, n };
}

/**
 * Round k starts from the noise of round k - 1 (the same seed draws the same initial states), which is
 * what pairs a particle's costs across rounds; a tfjs backend may hand states back rounded to float32.
 */
function checkSameNoise(before: Float64Array, after: Float64Array, k: number): void {
  const worst = before.reduce((m, z, i) => Math.max(m, Math.abs(z - after[i]) / (1 + Math.abs(z))), 0);
  if (!(worst <= 1e-6)) {
    throw new NumericalError(
      `reflow round ${k} did not start from the noise of round ${k - 1} (relative gap ${worst})`,
    );
  }
}

/** c times the exact marginal velocity of law along path, as a batched JS model. */
function scaledVelocity(law: GaussianMixture, path: AffinePath, c: number): JsFieldFn {
  return (x, n, d, t, out) => {
    const point = pathPoint(path, t);
    for (let i = 0; i < n; i++) {
      const v = law.fieldsAt(x.subarray(i * d, (i + 1) * d), point).velocity;
      for (let j = 0; j < d; j++) out[i * d + j] = c * v[j];
    }
  };
}

export const reflowStraightness = defineExperiment({
  name: 'reflow-straightness',
  summary:
    'real reflow on a mixture: exact 1-rectified flow, then MLP rounds; per-round straightness bound, marginals',
  params: {
    target: targetParam('gmm-2d-8'),
    rounds: {
      kind: 'integer',
      min: 1,
      max: 6,
      default: 3,
      doc: 'reflow rounds (round 1 uses the exact velocity)',
    },
    samples: {
      kind: 'integer',
      min: 120,
      default: 8000,
      thorough: 40000,
      doc: 'particles per round (half train, half test)',
    },
    steps: { kind: 'integer', min: 4, default: 60, doc: 'FM-Heun steps per simulation' },
    trainSteps: {
      kind: 'integer',
      min: 1,
      default: 1200,
      thorough: 4000,
      doc: 'Adam steps per trained round',
    },
    batchSize: { kind: 'integer', min: 8, default: 512, doc: 'training batch size' },
    ...mlpShapeParams({ min: 4, default: 64 }),
    learningRate: {
      kind: 'number',
      min: 1e-6,
      max: 1,
      default: 2e-2,
      doc: 'initial Adam learning rate (cosine decay to a tenth of it)',
    },
    energyPoints: { kind: 'integer', min: 10, default: 400, doc: 'points per side of the energy test' },
    velocityScale: {
      kind: 'number',
      min: 0,
      default: 1,
      doc: 'mutation hook: round 1 integrates this multiple of the exact velocity (1 = the claim)',
    },
  },
  async run(params, ctx): Promise<ExperimentResult> {
    const start = Date.now();
    const law = asMixture(getTarget(params.target));
    const { d } = law;
    const path = getPath('rectified-flow');
    const rounds = params.rounds;
    const n = params.samples;
    const half = Math.floor(n / 2);
    const steps = params.steps;
    // Only trained rounds need tfjs (round 1 runs the fused float64 kernel on the js backend).
    const tfBackend = rounds > 1 ? await activateTfBackend(ctx.backend) : 'js';
    const outcomes: Check[] = [];
    const history: ReflowRound[] = [];
    const notes: string[] = [];
    const cost0 = independentCost(law);
    let previous: PathStatistics | undefined;
    // Round 1 runs the fused exact kernel; a scaled velocity (the mutation) needs a plain JS model.
    const scale = params.velocityScale;
    const exactModel: UserModel | undefined =
      scale === 1 ? undefined : { output: 'velocity', fn: scaledVelocity(law, path, scale) };
    for (let k = 1; k <= rounds; k++) {
      const progress = (f: number) => ctx.onProgress?.((k - 1 + f) / rounds, `round ${k}/${rounds}`);
      let mlp: VelocityMlp | undefined;
      let learning = new Moments();
      const trainStart = Date.now();
      try {
        if (previous) {
          const pairs = previous;
          mlp = new VelocityMlp({
            dim: d,
            hidden: new Array<number>(params.depth).fill(params.width),
            seed: ctx.seed + k,
          });
          const rng = new Rng(ctx.seed, 100 + k);
          mlp.train(() => pairBatch(pairs, d, 0, half, params.batchSize, rng), {
            steps: params.trainSteps,
            learningRate: params.learningRate,
            finalLearningRate: params.learningRate / 10,
          });
          // Held-out CFM loss on the pairs of the coupling being rectified (one t per held-out pair).
          const test = pairBatch(pairs, d, half, n, n - half, new Rng(ctx.seed, 200 + k));
          const predicted = mlp.predict(test.inputs, test.n);
          const sq = new Float64Array(test.n);
          for (let i = 0; i < test.n; i++)
            for (let c = 0; c < d; c++) sq[i] += (predicted[i * d + c] - test.targets[i * d + c]) ** 2;
          learning = Moments.of(sq);
        }
        progress(0.5);
        const trainMs = Date.now() - trainStart;
        const model = mlp;
        const run = await sample({
          target: law,
          sampler: 'fm-heun',
          numSteps: steps,
          n,
          seed: ctx.seed,
          path,
          trajectories: true,
          ...(model
            ? {
                backend: tfBackend,
                model: { output: 'velocity' as const, tf: (x, t) => model.velocity(x, t) },
              }
            : { backend: 'js', model: exactModel }),
        });
        const all = pathStatistics(run.trajectories!, run.times, n, d);
        const held = pathStatistics(run.trajectories!, run.times, n, d, half, n);
        if (previous) checkSameNoise(previous.start, all.start, k);
        const s = Moments.of(held.straightness);
        const cost = Moments.of(held.transportCost);
        const kinetic = Moments.of(held.kinetic);
        // g_i = E||D^{k-1}||^2 (exact in round 1, else the same particle's previous cost) - K_i, K = S + cost.
        const prevCost = previous ? previous.transportCost.subarray(half) : undefined;
        const g = held.kinetic.map((kin, i) => (prevCost ? prevCost[i] : cost0) - kin);
        let allowance = 0;
        if (model) {
          const z = 3; // upper ends at ~3 standard errors: the allowance must not itself be a noise artefact
          const hi = (m: Moments) => m.mean + z * m.standardError;
          allowance =
            Math.sqrt(hi(learning)) * (Math.sqrt(hi(kinetic)) + Math.sqrt(hi(Moments.of(prevCost!))));
        }
        const bound = boundTest(
          `round ${k}: E||D^${k - 1}||^2 - E||D^${k}||^2 - S(Z^${k}) >= ${model ? `-${fmt(allowance)} (learning allowance)` : '0'}`,
          g,
          allowance,
          ALPHA,
        );
        outcomes.push(bound);
        const marginal = marginalChecks(held.end, law, {
          label: `round ${k} Z1`,
          alpha: ALPHA,
          seed: ctx.seed + 1000 * k,
          energyPoints: params.energyPoints,
        });
        // Round 1 tests the theorem (exact velocity keeps the data law). Learned rounds keep it only up to
        // learning error; their marginal tests are diagnostics, reported with the reason, never counted.
        if (!model) outcomes.push(...marginal);
        else {
          const why =
            `round ${k} integrates a trained MLP, not the exact rectified velocity: its learning error ` +
            `(held-out CFM loss ${fmt(learning.mean)}) shifts the law of Z1 by an amount the theorem does not bound, ` +
            `so a small p here measures training, not the claim; marginal preservation is tested with the exact velocity in round 1`;
          outcomes.push(...marginal.map((o) => diagnostic(o, why)));
        }
        const slackMean = bound.estimate - allowance;
        history.push({
          round: k,
          straightness: meanSe(s),
          transportCost: meanSe(cost),
          learningLoss: meanSe(learning),
          allowance,
          slack: { mean: slackMean, halfWidth: bound.ci[1] - bound.estimate },
          slicedW2: slicedDistance(held.end, law, ctx.seed + k),
          trainMs,
          simulateMs: run.ms,
        });
        previous = all;
      } finally {
        mlp?.dispose();
      }
      progress(1);
    }
    const sMeans = history.map((h) => h.straightness.mean);
    notes.unshift(
      `E||X1 - X0||^2 = ${fmt(cost0)} (exact); rounds 1..${rounds}: S = ${history.map((h) => `${fmt(h.straightness.mean)} +- ${fmt(1.96 * h.straightness.se)}`).join(', ')}`,
      `E||Z1^k - Z0^k||^2 = ${history.map((h) => fmt(h.transportCost.mean)).join(', ')}; slack (MC half-width): ${history.map((h) => `${fmt(h.slack.mean)} (${fmt(h.slack.halfWidth)})`).join(', ')}`,
      `learning error (held-out CFM loss) per round: ${history.map((h) => fmt(h.learningLoss.mean)).join(', ')}; allowances: ${history.map((h) => fmt(h.allowance)).join(', ')}`,
      `telescoped: sum_k S = ${fmt(sMeans.reduce((a, b) => a + b, 0))} <= ${fmt(cost0)}; min_k S = ${fmt(Math.min(...sMeans))} vs E||X1 - X0||^2 / K = ${fmt(cost0 / rounds)}; sliced W2 to data: ${history.map((h) => fmt(h.slicedW2)).join(', ')}`,
    );
    return finish(
      outcomes,
      {
        experiment: 'reflow-straightness',
        seed: ctx.seed,
        backend: rounds > 1 ? `js + ${tfBackend}` : tfBackend,
        ms: Date.now() - start,
      },
      ALPHA,
      notes,
      {
        rounds: history,
        sampleSize: n,
        heldOut: n - half,
        plots: [
          {
            kind: 'straightness',
            title: `Reflow on ${law.name}: S(Z^k) per round (held-out particles)`,
            rounds: history.map((h) => h.round),
            straightness: sMeans,
            ci: history.map((h) => [
              h.straightness.mean - 1.96 * h.straightness.se,
              h.straightness.mean + 1.96 * h.straightness.se,
            ]),
            // E||D^{k-1}||^2 - E||D^k||^2 = slack + S, plus the learning allowance of trained rounds.
            bound: history.map((h) => h.slack.mean + h.straightness.mean + h.allowance),
            boundLabel: 'E||D^(k-1)||^2 - E||D^k||^2 (+ learning allowance)',
          },
        ],
      },
    );
  },
});
