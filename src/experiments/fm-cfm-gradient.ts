// Experiment `fm-cfm-gradient`: for a real tfjs MLP u_theta(x, t) and a Gaussian-mixture data law (exact
// marginal velocity from src/targets), grad L_FM(theta) = grad L_CFM(theta), checked by Monte Carlo.
// Each batch draws (noise, data, t) once and computes both gradients by autodiff on those shared samples;
// the per-batch difference Delta_b has mean 0 under the claim. Per parameter block, the first half of the
// batches fixes a direction w (their mean difference, normalised) and the second half tests
// E[Delta . w] = 0 with a z-test: a valid test whatever the block size, and powerful against a wrong
// target because a systematic difference shows up in the first half too. Holm across blocks.
import { Rng } from '../core/rng.js';
import { getPath } from '../schedules/index.js';
import { meanTest, type TestOutcome } from '../stats/index.js';
import { asMixture, getTarget } from '../targets/index.js';
import { activateTfBackend, VelocityMlp } from '../tensor/mlp.js';
import type { LinesPlot } from '../report/plots/index.js';
import { ALPHA, cfmTargetParam, finish, fmt, mlpShapeParams, targetParam } from './common.js';
import { drawFmBatch } from './flow/fm-batches.js';
import { defineExperiment, type ExperimentResult } from './types.js';

const euclidean = (v: Float64Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

export const fmCfmGradient = defineExperiment({
  name: 'fm-cfm-gradient',
  summary: 'grad L_FM = grad L_CFM for a tfjs MLP on a Gaussian mixture (shared samples, per-block CIs)',
  params: {
    target: targetParam('gmm-2d-8'),
    batches: {
      kind: 'integer',
      min: 60,
      default: 64,
      thorough: 256,
      doc: 'independent batches (half fix directions)',
    },
    batchSize: { kind: 'integer', min: 8, default: 256, doc: 'samples per batch' },
    ...mlpShapeParams({ min: 1, default: 32 }),
    pretrainSteps: {
      kind: 'integer',
      min: 0,
      default: 100,
      doc: 'CFM Adam steps before the check (theta away from init)',
    },
    cfmTarget: cfmTargetParam('conditional'),
  },
  async run(params, ctx): Promise<ExperimentResult> {
    const start = Date.now();
    const backend = await activateTfBackend(ctx.backend);
    const law = asMixture(getTarget(params.target));
    const path = getPath('rectified-flow');
    const batches = params.batches;
    const n = params.batchSize;
    const target = params.cfmTarget;
    const mlp = new VelocityMlp({
      dim: law.d,
      hidden: new Array<number>(params.depth).fill(params.width),
      seed: ctx.seed,
    });
    try {
      // Pretraining uses its own stream, with the correct target, so theta is a realistic iterate.
      const trainRng = new Rng(ctx.seed, 1);
      mlp.train(
        () => {
          const b = drawFmBatch(law, path, n, trainRng, 'conditional');
          return { inputs: b.inputs, targets: b.cfmTargets, n };
        },
        { steps: params.pretrainSteps, learningRate: 1e-3 },
      );
      const rng = new Rng(ctx.seed, 2);
      // deltas[block][batch] = grad_FM - grad_CFM of that batch.
      const deltas: Float64Array[][] = mlp.blocks.map(() => []);
      const cfmMean = mlp.blocks.map((b) => new Float64Array(b.size));
      for (let k = 0; k < batches; k++) {
        const b = drawFmBatch(law, path, n, rng, target);
        const fm = mlp.lossAndGradients({ inputs: b.inputs, targets: b.fmTargets, n });
        const cfm = mlp.lossAndGradients({ inputs: b.inputs, targets: b.cfmTargets, n });
        fm.grads.forEach((g, i) => {
          deltas[i].push(g.map((x, p) => x - cfm.grads[i][p]));
          cfm.grads[i].forEach((x, p) => (cfmMean[i][p] += x / batches));
        });
        ctx.onProgress?.((k + 1) / batches, `batch ${k + 1}/${batches}`);
      }
      const half = Math.floor(batches / 2);
      const outcomes: TestOutcome[] = [];
      const relative: string[] = [];
      // Plot: per block, the projected mean difference and its CI relative to ||mean grad L_CFM||.
      const scaled: { y: number; ci: [number, number] }[] = [];
      mlp.blocks.forEach((block, i) => {
        const w = new Float64Array(block.size);
        for (const delta of deltas[i].slice(0, half)) delta.forEach((x, p) => (w[p] += x));
        const norm = euclidean(w);
        // An exactly zero first-half mean (never seen in practice) leaves the first coordinate as direction.
        if (norm > 0) w.forEach((x, p) => (w[p] = x / norm));
        else w[0] = 1;
        const projections = deltas[i].slice(half).map((delta) => delta.reduce((s, x, p) => s + x * w[p], 0));
        const o = meanTest('', projections, 0, ALPHA);
        outcomes.push({
          ...o,
          test: `block ${block.name} (${block.size} params): E[(grad L_FM - grad L_CFM) . w] = 0`,
        });
        const gradNorm = euclidean(cfmMean[i]);
        relative.push(`${block.name}: ${fmt(Math.abs(o.estimate) / gradNorm)}`);
        scaled.push({ y: o.estimate / gradNorm, ci: [o.ci[0] / gradNorm, o.ci[1] / gradNorm] });
      });
      const ms = Date.now() - start;
      const blocks = mlp.blocks.map((b, i) => i + 1);
      // Drawn by the HTML report: every block's estimate with its CI should straddle 0.
      const plot: LinesPlot = {
        kind: 'lines',
        title: `grad L_FM - grad L_CFM per block (projected), over ||grad L_CFM||`,
        xLabel: `parameter block (${mlp.blocks.map((b, i) => `${i + 1} ${b.name}`).join(', ')})`,
        yLabel: 'relative projected difference',
        series: [
          { name: 'the claim: 0', x: [1, blocks.length], y: [0, 0], exact: true },
          {
            name: `estimate (${fmt(100 * (1 - ALPHA))}% CI), target ${target}`,
            x: blocks,
            y: scaled.map((p) => Number(p.y.toPrecision(4))),
            points: true,
            ci: scaled.map((p) => [Number(p.ci[0].toPrecision(4)), Number(p.ci[1].toPrecision(4))]),
          },
        ],
      };
      return finish(
        outcomes,
        { experiment: 'fm-cfm-gradient', seed: ctx.seed, backend, ms },
        ALPHA,
        [
          `${batches} batches x ${n} samples of ${law.name} on the rectified-flow path; MLP ${law.d + 1}-${new Array(params.depth).fill(params.width).join('-')}-${law.d} after ${params.pretrainSteps} CFM steps; target ${target}`,
          `|projected mean difference| / ||mean grad L_CFM|| per block: ${relative.join(', ')}`,
        ],
        { plots: [plot] },
      );
    } finally {
      mlp.dispose();
    }
  },
});
