// Mergeable moment accumulators. Updates are Welford's; merging two shards is Chan et al.'s pairwise
// formula (extended to 3rd/4th moments by Pebay), so shards on threads, processes or machines combine
// to the same statistics as one pass over all the data (up to float rounding).
import { DomainError } from '../core/errors.js';

/** Univariate count, mean and central moment sums M2..M4. */
export class Moments {
  n = 0;
  mean = 0;
  m2 = 0;
  m3 = 0;
  m4 = 0;

  push(x: number): this {
    if (!Number.isFinite(x)) throw new DomainError('Moments.push', 'x', x, 'must be a finite number');
    const n1 = this.n;
    this.n += 1;
    const delta = x - this.mean;
    const deltaN = delta / this.n;
    const deltaN2 = deltaN * deltaN;
    const term1 = delta * deltaN * n1;
    this.mean += deltaN;
    this.m4 +=
      term1 * deltaN2 * (this.n * this.n - 3 * this.n + 3) + 6 * deltaN2 * this.m2 - 4 * deltaN * this.m3;
    this.m3 += term1 * deltaN * (this.n - 2) - 3 * deltaN * this.m2;
    this.m2 += term1;
    return this;
  }

  pushAll(xs: ArrayLike<number>): this {
    for (let i = 0; i < xs.length; i++) this.push(xs[i]);
    return this;
  }

  /** Combine another shard into this one (Chan/Pebay). */
  merge(other: Moments): this {
    if (other.n === 0) return this;
    if (this.n === 0) return Object.assign(this, other.toJSON());
    const na = this.n;
    const nb = other.n;
    const n = na + nb;
    const delta = other.mean - this.mean;
    const d2 = delta * delta;
    const m4 =
      this.m4 +
      other.m4 +
      (d2 * d2 * na * nb * (na * na - na * nb + nb * nb)) / (n * n * n) +
      (6 * d2 * (na * na * other.m2 + nb * nb * this.m2)) / (n * n) +
      (4 * delta * (na * other.m3 - nb * this.m3)) / n;
    const m3 =
      this.m3 +
      other.m3 +
      (d2 * delta * na * nb * (na - nb)) / (n * n) +
      (3 * delta * (na * other.m2 - nb * this.m2)) / n;
    this.m2 += other.m2 + (d2 * na * nb) / n;
    this.mean += (delta * nb) / n;
    this.m3 = m3;
    this.m4 = m4;
    this.n = n;
    return this;
  }

  /** Unbiased sample variance. */
  get variance(): number {
    return this.n > 1 ? this.m2 / (this.n - 1) : NaN;
  }

  /** Standard error of the mean. */
  get standardError(): number {
    return Math.sqrt(this.variance / this.n);
  }

  /** Fourth central moment mu4 (plug-in). */
  get centralMoment4(): number {
    return this.m4 / this.n;
  }

  toJSON(): { n: number; mean: number; m2: number; m3: number; m4: number } {
    return { n: this.n, mean: this.mean, m2: this.m2, m3: this.m3, m4: this.m4 };
  }

  static of(xs: ArrayLike<number>): Moments {
    return new Moments().pushAll(xs);
  }
}

/** d-dimensional count, mean vector and co-moment matrix C = sum (x - mean)(x - mean)^T. */
export class CoMoments {
  n = 0;
  readonly mean: Float64Array;
  /** Row-major d x d co-moment matrix. */
  readonly comoment: Float64Array;
  private readonly delta: Float64Array;

  constructor(readonly d: number) {
    if (!(Number.isInteger(d) && d >= 1))
      throw new DomainError('CoMoments', 'd', d, 'must be a positive integer');
    this.mean = new Float64Array(d);
    this.comoment = new Float64Array(d * d);
    this.delta = new Float64Array(d);
  }

  /** Push one point, read from xs[offset .. offset + d). */
  push(xs: ArrayLike<number>, offset = 0): this {
    const d = this.d;
    this.n += 1;
    for (let i = 0; i < d; i++) {
      const x = xs[offset + i];
      if (!Number.isFinite(x))
        throw new DomainError('CoMoments.push', `x[${offset + i}]`, x, 'must be finite');
      this.delta[i] = x - this.mean[i];
      this.mean[i] += this.delta[i] / this.n;
    }
    // C += (x - old mean)(x - new mean)^T  (Welford)
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) this.comoment[i * d + j] += this.delta[i] * (xs[offset + j] - this.mean[j]);
    }
    return this;
  }

  /** Push n points stored row-major (point k at k*d .. k*d + d). */
  pushRows(xs: ArrayLike<number>): this {
    if (xs.length % this.d !== 0) {
      throw new DomainError(
        'CoMoments.pushRows',
        'xs.length',
        xs.length,
        `must be a multiple of d = ${this.d}`,
      );
    }
    for (let k = 0; k < xs.length; k += this.d) this.push(xs, k);
    return this;
  }

  merge(other: CoMoments): this {
    if (other.d !== this.d)
      throw new DomainError('CoMoments.merge', 'other.d', other.d, `must equal ${this.d}`);
    if (other.n === 0) return this;
    const d = this.d;
    const na = this.n;
    const n = na + other.n;
    for (let i = 0; i < d; i++) this.delta[i] = other.mean[i] - this.mean[i];
    // C = Ca + Cb + delta delta^T na nb / n  (Chan)
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        this.comoment[i * d + j] +=
          other.comoment[i * d + j] + (this.delta[i] * this.delta[j] * na * other.n) / n;
      }
    }
    for (let i = 0; i < d; i++) this.mean[i] += (this.delta[i] * other.n) / n;
    this.n = n;
    return this;
  }

  /** Unbiased covariance entry (i, j). */
  covariance(i: number, j: number): number {
    return this.n > 1 ? this.comoment[i * this.d + j] / (this.n - 1) : NaN;
  }
}
