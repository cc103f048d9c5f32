// The tfjs backends: the same StepProgram interpreted with tfjs ops only (float32), so the very same code
// runs on tfjs-backend-wasm, the tfjs cpu backend and, when installed, tfjs-node / tfjs-node-gpu (CUDA).
// The exact mixture model is built from ops too (matmuls and a softmax: the diagonal form of the kernel
// in mixture-kernel.ts). Noise comes from flowproof's own seeded block streams (uploaded per noisy step),
// so every backend sees the same draws for the same seed and backends can be compared particle by particle.
import type * as tfjs from '@tensorflow/tfjs';
import { Rng } from '../core/rng.js';
import { kernelShape, stageTable, tableStride } from './mixture-kernel.js';
import {
  BLOCK,
  checkFinite,
  checkProgram,
  fillBlockNoise,
  numSaved,
  type MixtureModel,
  type RunRequest,
  type RunResult,
} from './program.js';

export type Tf = typeof tfjs;
/** A batched tfjs model: [n, d] points at time t to the model output [n, d]. */
export type TfFieldFn = (x: tfjs.Tensor2D, t: number) => tfjs.Tensor2D;

export interface TfjsModel {
  kind: 'tfjs';
  fn: TfFieldFn;
}

export type TfRunRequest = Omit<RunRequest, 'model'> & { model: RunRequest['model'] | TfjsModel };

/** E[data | y] of a mixture at one stage, from the diagonal-form stage table (see mixture-kernel.ts). */
function mixtureStage(
  tf: Tf,
  model: MixtureModel,
  tab: Float64Array,
  offset: number,
): (y: tfjs.Tensor2D) => tfjs.Tensor2D {
  const { d } = model;
  const K = model.weights.length;
  const a = tab[offset];
  // log r = c' + (y*y) H^T + y G^T with G_kj = -2 a h_kj mu_kj and c'_k = c_k + a^2 sum_j h_kj mu_kj^2.
  const H = new Float32Array(K * d);
  const G = new Float32Array(K * d);
  const UM = new Float32Array(K * d);
  const Q = new Float32Array(K * d);
  const c = new Float32Array(K);
  for (let k = 0; k < K; k++) {
    let ck = tab[offset + 1 + k];
    for (let j = 0; j < d; j++) {
      const h = tab[offset + 1 + K + k * d + j];
      const mu = model.means[k * d + j];
      H[k * d + j] = h;
      G[k * d + j] = -2 * a * h * mu;
      ck += a * a * h * mu * mu;
      UM[k * d + j] = tab[offset + 1 + K + K * d + k * d + j] * mu;
      Q[k * d + j] = tab[offset + 1 + K + 2 * K * d + k * d + j];
    }
    c[k] = ck;
  }
  const Ht = tf.tensor2d(H, [K, d]).transpose();
  const Gt = tf.tensor2d(G, [K, d]).transpose();
  const UMt = tf.tensor2d(UM, [K, d]);
  const Qt = tf.tensor2d(Q, [K, d]);
  const ct = tf.tensor1d(c);
  return (y) => {
    const logits = tf.add(tf.add(tf.matMul(tf.mul(y, y), Ht), tf.matMul(y, Gt)), ct);
    const r = tf.softmax(logits);
    return tf.add(tf.matMul(r, UMt), tf.mul(y, tf.matMul(r, Qt)));
  };
}

export async function runTfjs(tf: Tf, req: TfRunRequest): Promise<RunResult> {
  const { program: p, n, d, model } = req;
  checkProgram(p);
  const S = p.maxStages;
  let tab: Float64Array | undefined;
  let T = 0;
  if (model.kind === 'mixture') {
    const shape = { ...kernelShape(model, p), isotropic: false };
    tab = stageTable(model, p, shape);
    T = tableStride(shape);
  } else if (model.kind !== 'tfjs') {
    throw new TypeError('a tfjs backend runs exact mixture models or tfjs model functions');
  }
  const numBlocks = Math.ceil(n / BLOCK);
  const rngs = [...Array(numBlocks).keys()].map((b) => new Rng(req.seed, b + 1));
  const Z = new Float64Array(n * d);
  const kept = numSaved(p);
  const traj = kept > 0 ? new Float64Array(kept * n * d) : undefined;
  let slot = 0;
  if (traj && p.save[0]) traj.set(req.x, n * d * slot++);
  let X = tf.tensor2d(Float32Array.from(req.x), [n, d]);
  for (let s = 0; s < p.numSteps; s++) {
    const cz = p.nextZ[s];
    if (cz !== 0) fillBlockNoise(rngs, Z, n, d);
    const next = tf.tidy(() => {
      const M: tfjs.Tensor2D[] = [];
      for (let i = 0; i < p.stages[s]; i++) {
        let y: tfjs.Tensor2D = tf.mul(X, p.evalX[s * S + i]);
        for (let j = 0; j < i; j++) y = tf.add(y, tf.mul(M[j], p.evalM[(s * S + i) * S + j]));
        M.push(
          model.kind === 'mixture'
            ? mixtureStage(tf, model, tab!, (s * S + i) * T)(y)
            : (model as TfjsModel).fn(y, p.evalT[s * S + i]),
        );
      }
      let x: tfjs.Tensor2D = tf.mul(X, p.nextX[s]);
      for (let i = 0; i < M.length; i++) x = tf.add(x, tf.mul(M[i], p.nextM[s * S + i]));
      if (cz !== 0) x = tf.add(x, tf.mul(tf.tensor2d(Float32Array.from(Z), [n, d]), cz));
      return x;
    });
    X.dispose();
    X = next;
    if (traj && p.save[s + 1]) traj.set(await X.data(), n * d * slot++);
    req.onProgress?.((s + 1) / p.numSteps);
  }
  const out = await X.data();
  X.dispose();
  req.x.set(out);
  checkFinite(req.x, d, `tfjs (${tf.getBackend()}) sampler`);
  return { samples: req.x, trajectories: traj, threads: 1 };
}
