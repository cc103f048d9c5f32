// Experiment `fm-cfm-exact`: on finite joint laws of (noise, data) the flow-matching loss
//   L_FM(theta)  = E_t E_x || u_theta(x_t, t) - u_t(x_t) ||^2,   u_t(x) = E[data - noise | x_t = x]
// and the conditional loss
//   L_CFM(theta) = E_t E || u_theta(x_t, t) - (data - noise) ||^2
// are finite sums. Expanding the square, L_CFM - L_FM = E_t E || (data - noise) - u_t(x_t) ||^2, a
// constant in theta, so the gradients agree. Both are computed exactly (as sums, in float64) and compared
// against a rounding-error bound; a wrong CFM target (data - x_t, the lecture's "x1 - x") must break it.
import { Rng } from '../core/rng.js';
import { defineExperiment, type ExperimentResult } from './types.js';
import { ALPHA, cfmTargetParam, exactCheck, finish, type ExactOutcome } from './common.js';
import {
  collisionGroups,
  randomFiniteJoint,
  type CollisionGroup,
  type FiniteJoint,
} from './flow/finite-joint.js';
import { linearFeatureField, tanhMlpField, type ParametricField } from './flow/fields.js';

/** The CFM regression target: the lecture's `x1 - x0` (correct) or `x1 - x` (a plausible mistake). */
export type CfmTarget = 'data-minus-noise' | 'data-minus-xt';

export interface FmCfmComparison {
  lossFm: number;
  lossCfm: number;
  /** E_t E || target - u_t(x_t) ||^2: the predicted L_CFM - L_FM. */
  constant: number;
  /** Float64 rounding bound on |(L_CFM - L_FM) - constant|. */
  lossTolerance: number;
  gradFm: Float64Array;
  gradCfm: Float64Array;
  /** Per-parameter rounding bound on |gradFm - gradCfm|. */
  gradTolerance: Float64Array;
}

const UNIT_ROUNDOFF = 2 ** -53;

/** L_FM, L_CFM, their gradients and the predicted constant for one theta, as exact finite sums. */
export function compareFmCfm(
  joint: FiniteJoint,
  groups: readonly CollisionGroup[],
  field: ParametricField,
  theta: Float64Array,
  target: CfmTarget = 'data-minus-noise',
): FmCfmComparison {
  const { dim } = joint;
  const P = field.numParams;
  const u = new Float64Array(dim);
  const jac = new Float64Array(dim * P);
  const y = new Float64Array(dim);
  const gradFm = new Float64Array(P);
  const gradCfm = new Float64Array(P);
  const gradScale = new Float64Array(P);
  let lossFm = 0;
  let lossCfm = 0;
  let constant = 0;
  let lossScale = 0;
  let maxMembers = 0;
  for (const g of groups) {
    // One evaluation per meeting point: FM and CFM see bitwise the same u and Jacobian there.
    field.evaluate(theta, g.x, g.t, u, jac);
    maxMembers = Math.max(maxMembers, g.members.length);
    const wFm = g.timeWeight * g.weight;
    for (let c = 0; c < dim; c++) {
      const r = u[c] - g.velocity[c];
      lossFm += wFm * r * r;
      for (let p = 0; p < P; p++) gradFm[p] += 2 * wFm * r * jac[c * P + p];
    }
    for (const j of g.members) {
      const atom = joint.atoms[j];
      const w = g.timeWeight * atom.weight;
      for (let c = 0; c < dim; c++) {
        y[c] = target === 'data-minus-noise' ? atom.data[c] - atom.noise[c] : atom.data[c] - g.x[c];
        const r = u[c] - y[c];
        const e = y[c] - g.velocity[c];
        lossCfm += w * r * r;
        constant += w * e * e;
        // Magnitude of every number that enters a difference here, for the rounding bound.
        const m = Math.abs(u[c]) + Math.abs(y[c]) + Math.abs(g.velocity[c]);
        lossScale += w * m * m;
        for (let p = 0; p < P; p++) {
          gradCfm[p] += 2 * w * r * jac[c * P + p];
          gradScale[p] += 2 * w * m * Math.abs(jac[c * P + p]);
        }
      }
    }
  }
  // Higham: a sum of n terms has error <= (n - 1) u sum |terms|; each term costs a few more flops, and the
  // group velocities were themselves averages of up to maxMembers terms. A factor 4 of headroom on top;
  // `floor` covers gradual underflow (each operation may also lose one subnormal unit).
  const numTerms = joint.atoms.length * joint.times.length;
  const gamma = 4 * (numTerms + maxMembers + dim + 8) * UNIT_ROUNDOFF;
  const floor = 16 * (numTerms + maxMembers) * dim * Number.MIN_VALUE;
  return {
    lossFm,
    lossCfm,
    constant,
    lossTolerance: gamma * 3 * lossScale + floor,
    gradFm,
    gradCfm,
    gradTolerance: gradScale.map((s) => gamma * 2 * s + floor),
  };
}

/** Largest |gradFm - gradCfm| relative to its rounding bound (<= 1: equal to float64 precision). */
export function gradientDiscrepancy(cmp: FmCfmComparison): number {
  let worst = 0;
  cmp.gradFm.forEach((g, p) => {
    const d = Math.abs(g - cmp.gradCfm[p]);
    worst = Math.max(worst, d / cmp.gradTolerance[p]);
  });
  return worst;
}

/** |(L_CFM - L_FM) - constant| relative to its rounding bound. */
export function lossDiscrepancy(cmp: FmCfmComparison): number {
  return Math.abs(cmp.lossCfm - cmp.lossFm - cmp.constant) / cmp.lossTolerance;
}

function fieldFor(model: string, dim: number, hidden: number): ParametricField {
  return model === 'tanh-mlp' ? tanhMlpField(dim, hidden) : linearFeatureField(dim);
}

interface ModelSummary {
  model: string;
  worstGrad: number;
  worstLoss: number;
  worstGradAbs: number;
  maxGradTolerance: number;
  mutantDetected: number;
  evaluations: number;
}

export const fmCfmExact = defineExperiment({
  name: 'fm-cfm-exact',
  summary:
    'grad L_FM = grad L_CFM and L_CFM - L_FM is constant in theta, exactly on random finite joint laws',
  params: {
    laws: { kind: 'integer', min: 1, default: 40, thorough: 400, doc: 'random finite joint laws' },
    thetas: { kind: 'integer', min: 2, default: 4, thorough: 10, doc: 'random parameter vectors per law' },
    dim: { kind: 'integer', min: 1, max: 4, default: 2, doc: 'dimension of noise and data' },
    maxAtoms: { kind: 'integer', min: 2, max: 200, default: 12, doc: 'most atoms of a joint law' },
    hidden: { kind: 'integer', min: 1, max: 64, default: 6, doc: 'hidden width of the tanh MLP' },
    models: {
      kind: 'list',
      choices: ['linear-features', 'tanh-mlp'],
      default: ['linear-features', 'tanh-mlp'],
      doc: 'parametric velocity models',
    },
    target: cfmTargetParam('data-minus-noise'),
  },
  async run(params, ctx): Promise<ExperimentResult> {
    const start = Date.now();
    const { laws, thetas, dim, hidden, target, models } = params;
    // Law i draws from stream i of the seed; its thetas for model m from that stream's split m.
    const rng = new Rng(ctx.seed);
    const joints = Array.from({ length: laws }, (_, i) =>
      randomFiniteJoint(rng.split(i).split(0), { dim, maxAtoms: params.maxAtoms }),
    );
    const fields = models.map((model) => fieldFor(model, dim, hidden));
    const summaries: ModelSummary[] = models.map((model) => ({
      model,
      worstGrad: 0,
      worstLoss: 0,
      worstGradAbs: 0,
      maxGradTolerance: 0,
      mutantDetected: 0,
      evaluations: 0,
    }));
    const constants: number[] = [];
    joints.forEach((joint, i) => {
      const groups = collisionGroups(joint);
      fields.forEach((field, m) => {
        const s = summaries[m];
        const thetaRng = rng.split(i).split(1 + m);
        let mutantSeen = false;
        for (let k = 0; k < thetas; k++) {
          // theta uniform on [-2, 2]^numParams.
          const theta = Float64Array.from({ length: field.numParams }, () => 4 * thetaRng.uniform() - 2);
          const cmp = compareFmCfm(joint, groups, field, theta, target);
          if (constants.length === i) constants.push(cmp.constant);
          s.worstGrad = Math.max(s.worstGrad, gradientDiscrepancy(cmp));
          s.worstLoss = Math.max(s.worstLoss, lossDiscrepancy(cmp));
          cmp.gradFm.forEach((g, p) => {
            s.worstGradAbs = Math.max(s.worstGradAbs, Math.abs(g - cmp.gradCfm[p]));
            s.maxGradTolerance = Math.max(s.maxGradTolerance, cmp.gradTolerance[p]);
          });
          // Power: the same comparison with the wrong target must leave the rounding bound.
          if (target === 'data-minus-noise') {
            mutantSeen ||=
              gradientDiscrepancy(compareFmCfm(joint, groups, field, theta, 'data-minus-xt')) > 1;
          }
          s.evaluations++;
        }
        if (mutantSeen) s.mutantDetected++;
      });
      ctx.onProgress?.((i + 1) / laws, `law ${i + 1}/${laws}`);
    });
    const checks: ExactOutcome[] = summaries.flatMap((s) => [
      // Ratios <= 1: equal to float64 precision (the bound is Higham's summation bound, see compareFmCfm).
      exactCheck(
        `${s.model}: max_p |grad_p L_FM - grad_p L_CFM| / rounding bound (exact sums)`,
        s.worstGrad,
        1,
        { size: s.evaluations, unit: '(law, theta) pairs' },
      ),
      exactCheck(
        `${s.model}: |(L_CFM - L_FM) - E_t E||target - u_t||^2| / rounding bound (exact sums)`,
        s.worstLoss,
        1,
        { size: s.evaluations, unit: '(law, theta) pairs' },
      ),
    ]);
    if (target === 'data-minus-noise') {
      // Power: the same sums with the wrong target x1 - x must leave the rounding bound on some law.
      checks.push(
        exactCheck(
          'power: models on which the wrong target x1 - x never left the rounding bound',
          summaries.filter((s) => s.mutantDetected === 0).length,
          0,
          { size: laws * summaries.length, unit: '(law, model) pairs' },
        ),
      );
    }
    const notes = summaries.map(
      (s) =>
        `${s.model}: ${s.evaluations} (law, theta) pairs; max |grad L_FM - grad L_CFM| = ${s.worstGradAbs.toExponential(2)} ` +
        `(rounding bounds up to ${s.maxGradTolerance.toExponential(2)}) ` +
        `(worst ratio to rounding bound ${s.worstGrad.toPrecision(3)}); max |(L_CFM - L_FM) - C| / bound = ${s.worstLoss.toPrecision(3)}` +
        (target === 'data-minus-noise'
          ? `; wrong target x1 - x detected on ${s.mutantDetected}/${laws} laws`
          : ''),
    );
    notes.push(
      `constant C = L_CFM - L_FM = E_t E||target - u_t(x_t)||^2 for the first laws: ${constants
        .slice(0, 5)
        .map((c) => c.toPrecision(6))
        .join(', ')}`,
    );
    const meta = { experiment: 'fm-cfm-exact', seed: ctx.seed, backend: 'float64', ms: Date.now() - start };
    return finish(checks, meta, ALPHA, notes, { constants, summaries });
  },
});
