// Finite discrete laws: atoms with weights. Expectations are exact finite sums, and along a path the
// marginal is the Gaussian mixture with zero-variance components (defined wherever sigma > 0).
import { DomainError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { GaussianMixture } from './mixture.js';

export class DiscreteLaw {
  readonly d: number;
  readonly weights: Float64Array;
  /** Atoms, row-major [numAtoms x d]. */
  readonly atoms: Float64Array;
  /** The same law as a mixture of point masses, for its exact marginals along a path. */
  readonly mixture: GaussianMixture;

  constructor(
    readonly name: string,
    atoms: readonly (readonly number[])[],
    weights: readonly number[],
  ) {
    if (atoms.length !== weights.length || atoms.length === 0) {
      throw new DomainError(
        `DiscreteLaw(${name})`,
        'atoms',
        atoms.length,
        `must be non-empty, one per weight (${weights.length})`,
      );
    }
    this.mixture = new GaussianMixture(name, { weights, means: atoms, variances: 0 });
    this.d = this.mixture.d;
    this.weights = this.mixture.weights;
    this.atoms = this.mixture.means;
  }

  get numAtoms(): number {
    return this.weights.length;
  }

  /** E[f(X)] exactly: sum_i w_i f(atom_i). */
  expectation(f: (atom: Float64Array) => number): number {
    let s = 0;
    for (let i = 0; i < this.numAtoms; i++)
      s += this.weights[i] * f(this.atoms.subarray(i * this.d, (i + 1) * this.d));
    return s;
  }

  sample(n: number, rng: Rng): Float64Array {
    return this.mixture.sample(n, rng);
  }
}
