// Gaussian mixtures with diagonal covariances: data laws whose every marginal along an affine path
// x = alpha data + sigma noise is known exactly. Component k, N(mu_k, diag v_k), becomes at time t
//   N(alpha mu_k, diag var_k),  var_k = alpha^2 v_k + sigma^2,
// so with responsibilities r_k(x) (a log-sum-exp softmax) and g_k = (x - alpha mu_k) / var_k:
//   score = -sum_k r_k g_k,   E[data | x] = sum_k r_k (mu_k + alpha v_k g_k),   E[noise | x] = sigma sum_k r_k g_k,
//   velocity = dAlpha E[data | x] + dSigma E[noise | x]   (stable at sigma = 0),
//   div velocity = sum_k r_k (tr J_k - <m_k, g_k>) - <velocity, score>, with m_k = dAlpha (mu_k + alpha v_k g_k)
//   + dSigma sigma g_k and J_k = diag((dAlpha alpha v_k + dSigma sigma) / var_k) its Jacobian.
import { DomainError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { PathPoint } from '../params/conversions.js';

const LOG_2PI = Math.log(2 * Math.PI);

export interface MixtureSpec {
  weights: readonly number[];
  means: readonly (readonly number[])[];
  /** One variance for all, one per component (isotropic), or one vector per component (diagonal). */
  variances: number | readonly (number | readonly number[])[];
}

/** Everything known exactly about the marginal at one point x and one time. */
export interface PointFields {
  logDensity: number;
  score: Float64Array;
  /** E[data | x_t = x] (Tweedie's posterior mean). */
  data: Float64Array;
  /** E[noise | x_t = x]. */
  eps: Float64Array;
  /** The marginal flow-matching velocity dAlpha E[data | x] + dSigma E[noise | x]. */
  velocity: Float64Array;
  /** Divergence of the velocity field at x (for likelihoods by the instantaneous change of variables). */
  divVelocity: number;
}

export class GaussianMixture {
  readonly d: number;
  readonly numComponents: number;
  readonly weights: Float64Array;
  /** Component means, row-major [numComponents x d]. */
  readonly means: Float64Array;
  /** Component diagonal variances, row-major [numComponents x d]; 0 allowed (an atom). */
  readonly variances: Float64Array;
  /** True when every component's covariance is a multiple of the identity. */
  readonly isotropic: boolean;

  constructor(
    readonly name: string,
    spec: MixtureSpec,
  ) {
    const fn = `GaussianMixture(${name})`;
    const K = spec.weights.length;
    if (K < 1 || spec.means.length !== K) {
      throw new DomainError(fn, 'means', spec.means.length, `must list one mean per weight (${K} weights)`);
    }
    const d = spec.means[0].length;
    if (d < 1) throw new DomainError(fn, 'd', d, 'must be >= 1');
    let total = 0;
    for (const w of spec.weights) {
      if (!(w > 0 && Number.isFinite(w))) throw new DomainError(fn, 'weights', w, 'must be finite and > 0');
      total += w;
    }
    this.d = d;
    this.numComponents = K;
    this.weights = Float64Array.from(spec.weights, (w) => w / total);
    this.means = new Float64Array(K * d);
    this.variances = new Float64Array(K * d);
    for (let k = 0; k < K; k++) {
      if (spec.means[k].length !== d) {
        throw new DomainError(fn, `means[${k}]`, spec.means[k].length, `must have length d = ${d}`);
      }
      for (let j = 0; j < d; j++) {
        const mu = spec.means[k][j];
        const v = varianceOf(spec.variances, k, j, d, fn);
        if (!Number.isFinite(mu)) throw new DomainError(fn, `means[${k}][${j}]`, mu, 'must be finite');
        if (!(v >= 0 && Number.isFinite(v)))
          throw new DomainError(fn, `variances[${k}]`, v, 'must be finite and >= 0');
        this.means[k * d + j] = mu;
        this.variances[k * d + j] = v;
      }
    }
    this.isotropic = [...Array(K).keys()].every((k) =>
      this.variances.subarray(k * d, (k + 1) * d).every((v) => v === this.variances[k * d]),
    );
  }

  /** The exact mean of the law. */
  mean(): Float64Array {
    const { d } = this;
    const m = new Float64Array(d);
    for (let k = 0; k < this.numComponents; k++)
      for (let j = 0; j < d; j++) m[j] += this.weights[k] * this.means[k * d + j];
    return m;
  }

  /** The exact covariance, row-major [d x d]: sum_k w_k (V_k + mu_k mu_k^T) - m m^T. */
  covariance(): Float64Array {
    const { d } = this;
    const m = this.mean();
    const c = new Float64Array(d * d);
    for (let k = 0; k < this.numComponents; k++) {
      const w = this.weights[k];
      for (let i = 0; i < d; i++) {
        const mi = this.means[k * d + i] - m[i];
        c[i * d + i] += w * this.variances[k * d + i];
        for (let j = 0; j < d; j++) c[i * d + j] += w * mi * (this.means[k * d + j] - m[j]);
      }
    }
    return c;
  }

  /** The exact law of alpha data + sigma noise (itself a Gaussian mixture). */
  marginal(alpha: number, sigma: number): GaussianMixture {
    const { d } = this;
    const rows = (a: Float64Array, f: (v: number) => number) =>
      [...Array(this.numComponents).keys()].map((k) => [...a.subarray(k * d, (k + 1) * d)].map(f));
    return new GaussianMixture(`${this.name}@(${alpha},${sigma})`, {
      weights: [...this.weights],
      means: rows(this.means, (mu) => alpha * mu),
      variances: rows(this.variances, (v) => alpha * alpha * v + sigma * sigma),
    });
  }

  /** n draws, row-major [n x d]. */
  sample(n: number, rng: Rng): Float64Array {
    const out = new Float64Array(n * this.d);
    this.sampleInto(out, 0, n, rng, 1, 0);
    return out;
  }

  /**
   * Draws of alpha data + sigma noise into rows [begin, begin + count) of out. The order of draws is
   * fixed (all component uniforms, then all data normals, then all path noise) so a block's draws do not
   * depend on who computes them.
   */
  sampleInto(out: Float64Array, begin: number, count: number, rng: Rng, alpha: number, sigma: number): void {
    const { d, numComponents: K } = this;
    const comp = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      let u = rng.uniform();
      let k = 0;
      while (k < K - 1 && u >= this.weights[k]) u -= this.weights[k++];
      comp[i] = k;
    }
    const z = rng.fillNormal(new Float64Array(count * d));
    const e = sigma !== 0 ? rng.fillNormal(new Float64Array(count * d)) : undefined;
    for (let i = 0; i < count; i++) {
      const k = comp[i];
      for (let j = 0; j < d; j++) {
        const data = this.means[k * d + j] + Math.sqrt(this.variances[k * d + j]) * z[i * d + j];
        out[(begin + i) * d + j] = alpha * data + (e ? sigma * e[i * d + j] : 0);
      }
    }
  }

  /** Every exact field of the marginal at time point c, at one point x (length d). */
  fieldsAt(x: ArrayLike<number>, c: PathPoint): PointFields {
    const { d, numComponents: K } = this;
    const { alpha, sigma, dAlpha, dSigma } = c;
    if (x.length !== d)
      throw new DomainError('GaussianMixture.fieldsAt', 'x.length', x.length, `must be d = ${d}`);
    const logp = new Float64Array(K);
    const g = new Float64Array(K * d);
    let maxLog = -Infinity;
    for (let k = 0; k < K; k++) {
      let q = 0;
      let logDet = 0;
      for (let j = 0; j < d; j++) {
        const v = alpha * alpha * this.variances[k * d + j] + sigma * sigma;
        if (!(v > 0)) {
          throw new DomainError(
            'GaussianMixture.fieldsAt',
            'sigma',
            sigma,
            `is 0 where component ${k} is an atom (singular density)`,
          );
        }
        const r = x[j] - alpha * this.means[k * d + j];
        g[k * d + j] = r / v;
        q += (r * r) / v;
        logDet += Math.log(v);
      }
      logp[k] = Math.log(this.weights[k]) - 0.5 * (q + logDet + d * LOG_2PI);
      if (logp[k] > maxLog) maxLog = logp[k];
    }
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(logp[k] - maxLog);
    const logDensity = maxLog + Math.log(sum);
    const score = new Float64Array(d);
    const data = new Float64Array(d);
    const eps = new Float64Array(d);
    const velocity = new Float64Array(d);
    let divPart = 0;
    for (let k = 0; k < K; k++) {
      const r = Math.exp(logp[k] - logDensity);
      let trJ = 0;
      let mg = 0;
      for (let j = 0; j < d; j++) {
        const v = this.variances[k * d + j];
        const gk = g[k * d + j];
        const dataK = this.means[k * d + j] + alpha * v * gk;
        const mK = dAlpha * dataK + dSigma * sigma * gk;
        score[j] -= r * gk;
        data[j] += r * dataK;
        eps[j] += r * sigma * gk;
        velocity[j] += r * mK;
        trJ += (dAlpha * alpha * v + dSigma * sigma) / (alpha * alpha * v + sigma * sigma);
        mg += mK * gk;
      }
      divPart += r * (trJ - mg);
    }
    let vs = 0;
    for (let j = 0; j < d; j++) vs += velocity[j] * score[j];
    return { logDensity, score, data, eps, velocity, divVelocity: divPart - vs };
  }
}

function varianceOf(spec: MixtureSpec['variances'], k: number, j: number, d: number, fn: string): number {
  if (typeof spec === 'number') return spec;
  const row = spec[k];
  if (row === undefined)
    throw new DomainError(fn, 'variances', spec.length, 'must give one entry per component');
  if (typeof row === 'number') return row;
  if (row.length !== d) throw new DomainError(fn, `variances[${k}]`, row.length, `must have length d = ${d}`);
  return row[j];
}
