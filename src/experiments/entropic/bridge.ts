// Simulation of the Schrödinger-bridge SDE dX = b_t(X) dt + sigma dW from X_0 ~ N(m0, A), with the exact
// Markov drift b_t(x) = (m1 - m0) + Beta_t (x - mu_t) of gaussian.ts, by the stochastic Heun scheme (weak order
// 2 for additive noise):  x~ = x + h b_k(x) + sigma dW,  x' = x + h/2 (b_k(x) + b_{k+1}(x~)) + sigma dW.
// Particles come in blocks of BLOCK; block j draws its start and every step's noise from stream j + 1 of
// the seed, so a run is the same however its blocks are split over shards.
import { Rng } from '../../core/rng.js';
import { BLOCK } from '../../tensor/program.js';
import { combine, identity, matmul, transpose, type Matrix } from '../flow/dense.js';
import { symmetricFunction } from '../flow/dense.js';
import { bridgeDrift, type GaussianEnds } from './gaussian.js';

export interface BridgeScheme {
  ends: GaussianEnds;
  /** Plan cross-covariance the drift is built from. */
  c: Matrix;
  sigma: number;
  steps: number;
  /** Weight of the (sigma^2/2) grad log p_t term in the drift (1: the bridge). */
  scoreWeight: number;
}

/** Drift coefficients at every grid time k/steps, k = 0..steps. */
function driftTable(s: BridgeScheme): { velocity: number[]; beta: Matrix[]; mean: number[][] } {
  const beta: Matrix[] = [];
  const mean: number[][] = [];
  let velocity: number[] = [];
  for (let k = 0; k <= s.steps; k++) {
    const t = k / s.steps;
    const drift = bridgeDrift(s.ends, s.c, s.sigma, t, s.scoreWeight);
    velocity = drift.velocity;
    beta.push(drift.beta);
    mean.push(s.ends.m0.map((x, i) => (1 - t) * x + t * s.ends.m1[i]));
  }
  return { velocity, beta, mean };
}

export const numBlocks = (n: number) => Math.ceil(n / BLOCK);

/**
 * Particles of blocks [blockBegin, blockEnd) of an n-particle run: their start X_0 and their states at the
 * grid indices `keep` (increasing, in 1..steps), each row-major [count x d].
 */
export function simulateBridge(
  s: BridgeScheme,
  n: number,
  seed: number,
  blockBegin: number,
  blockEnd: number,
  keep: number[],
): { start: Float64Array; states: Float64Array[] } {
  const d = s.ends.m0.length;
  const { velocity, beta, mean } = driftTable(s);
  const first = blockBegin * BLOCK;
  const count = Math.max(0, Math.min(n, blockEnd * BLOCK) - first);
  const start = new Float64Array(count * d);
  const states = keep.map(() => new Float64Array(count * d));
  const rootA = symmetricFunction(s.ends.a, Math.sqrt);
  const h = 1 / s.steps;
  const noiseScale = s.sigma * Math.sqrt(h);
  const x = new Float64Array(BLOCK * d);
  const z = new Float64Array(BLOCK * d);
  const b0 = new Float64Array(d);
  const pred = new Float64Array(d);
  for (let block = blockBegin; block < blockEnd; block++) {
    const offset = block * BLOCK - first;
    const m = Math.min(BLOCK, n - block * BLOCK);
    if (m <= 0) break;
    const rng = new Rng(seed, block + 1);
    rng.fillNormal(z, 0, m * d);
    for (let i = 0; i < m; i++)
      for (let a = 0; a < d; a++) {
        let v = s.ends.m0[a];
        for (let q = 0; q < d; q++) v += rootA[a][q] * z[i * d + q];
        x[i * d + a] = v;
      }
    start.set(x.subarray(0, m * d), offset * d);
    let kept = 0;
    for (let k = 0; k < s.steps; k++) {
      rng.fillNormal(z, 0, m * d);
      const [bk, bk1, mk, mk1] = [beta[k], beta[k + 1], mean[k], mean[k + 1]];
      for (let i = 0; i < m; i++) {
        const p = i * d;
        for (let a = 0; a < d; a++) {
          let v = velocity[a];
          for (let q = 0; q < d; q++) v += bk[a][q] * (x[p + q] - mk[q]);
          b0[a] = v;
          pred[a] = x[p + a] + h * v + noiseScale * z[p + a];
        }
        for (let a = 0; a < d; a++) {
          let v = velocity[a];
          for (let q = 0; q < d; q++) v += bk1[a][q] * (pred[q] - mk1[q]);
          x[p + a] += (h / 2) * (b0[a] + v) + noiseScale * z[p + a];
        }
      }
      if (kept < keep.length && keep[kept] === k + 1) {
        states[kept].set(x.subarray(0, m * d), offset * d);
        kept++;
      }
    }
  }
  return { start, states };
}

/**
 * The exact law of the scheme's states (it is linear in the start and the noise): their mean is mu_t
 * exactly, and Cov(X_k) and Cov(X_0, X_k) follow V' = M V M^T + sigma^2 h N N^T, C' = C M^T with
 * M = I + h/2 (Beta_k + Beta_{k+1} + h Beta_{k+1} Beta_k), N = I + h/2 Beta_{k+1}. Compared with the
 * bridge's exact covariances this is the scheme's discretization bias, free of sampling noise.
 */
export function schemeCovariances(s: BridgeScheme, keep: number[]): { cov: Matrix[]; cross: Matrix[] } {
  const d = s.ends.m0.length;
  const { beta } = driftTable(s);
  const h = 1 / s.steps;
  let v = s.ends.a;
  let c = s.ends.a;
  const cov: Matrix[] = [];
  const cross: Matrix[] = [];
  let kept = 0;
  for (let k = 0; k < s.steps; k++) {
    const m = combine(
      [1, identity(d)],
      [h / 2, beta[k]],
      [h / 2, beta[k + 1]],
      [(h * h) / 2, matmul(beta[k + 1], beta[k])],
    );
    const nn = combine([1, identity(d)], [h / 2, beta[k + 1]]);
    v = combine([1, matmul(matmul(m, v), transpose(m))], [s.sigma * s.sigma * h, matmul(nn, transpose(nn))]);
    c = matmul(c, transpose(m));
    if (kept < keep.length && keep[kept] === k + 1) {
      cov.push(v);
      cross.push(c);
      kept++;
    }
  }
  return { cov, cross };
}
