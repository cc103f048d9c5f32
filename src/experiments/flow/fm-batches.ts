// Flow-matching regression batches on an affine path x_t = alpha(t) data + sigma(t) noise (flow
// convention: t = 0 noise, t = 1 data), t ~ U(0, 1). The conditional (CFM) target is the path's time
// derivative dAlpha data + dSigma noise (= data - noise, the lecture's x1 - x0, on the linear path); the
// marginal (FM) target is the exact marginal velocity E[CFM target | x_t] of the Gaussian-mixture data law.
import type { Rng } from '../../core/rng.js';
import { pathPoint } from '../../params/conversions.js';
import type { AffinePath } from '../../schedules/types.js';
import type { GaussianMixture } from '../../targets/index.js';

/** `conditional` is dAlpha data + dSigma noise; `data-minus-xt` is the plausible mistake x1 - x. */
export type CfmTargetKind = 'conditional' | 'data-minus-xt';

export interface FmBatch {
  n: number;
  /** Rows [x_t, t], [n x (d + 1)]. */
  inputs: Float64Array;
  /** Rows of the CFM regression target, [n x d]. */
  cfmTargets: Float64Array;
  /** Rows of the exact marginal velocity u_t(x_t), [n x d]. */
  fmTargets: Float64Array;
}

/** n fresh (noise, data, t) draws from rng, with both regression targets. */
export function drawFmBatch(
  law: GaussianMixture,
  path: AffinePath,
  n: number,
  rng: Rng,
  target: CfmTargetKind,
): FmBatch {
  const { d } = law;
  const data = law.sample(n, rng);
  const noise = rng.fillNormal(new Float64Array(n * d));
  const inputs = new Float64Array(n * (d + 1));
  const cfmTargets = new Float64Array(n * d);
  const fmTargets = new Float64Array(n * d);
  const x = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const t = rng.uniform();
    const c = pathPoint(path, t);
    for (let j = 0; j < d; j++) {
      const k = i * d + j;
      x[j] = c.alpha * data[k] + c.sigma * noise[k];
      inputs[i * (d + 1) + j] = x[j];
      cfmTargets[k] = target === 'conditional' ? c.dAlpha * data[k] + c.dSigma * noise[k] : data[k] - x[j];
    }
    inputs[i * (d + 1) + d] = t;
    fmTargets.set(law.fieldsAt(x, c).velocity, i * d);
  }
  return { n, inputs, cfmTargets, fmTargets };
}
