// The built-in targets: data laws whose every marginal along an affine path is known exactly.
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { Rng } from '../core/rng.js';
import { DiscreteLaw } from './discrete.js';
import { GaussianMixture } from './mixture.js';

export { GaussianMixture, type MixtureSpec, type PointFields } from './mixture.js';
export { DiscreteLaw } from './discrete.js';

/** Eight equal components of variance v on a circle of radius r in the plane. */
function ring(name: string, r: number, v: number): GaussianMixture {
  const means = [...Array(8).keys()].map((k) => [
    r * Math.cos((k * Math.PI) / 4),
    r * Math.sin((k * Math.PI) / 4),
  ]);
  return new GaussianMixture(name, { weights: Array(8).fill(1), means, variances: v });
}

/** Eight components in 16 dimensions with means drawn once, N(0, 2^2 I), from seed 16. */
function gmm16d8(): GaussianMixture {
  const rng = new Rng(16);
  const means = [...Array(8).keys()].map(() => [...rng.fillNormal(new Float64Array(16))].map((z) => 2 * z));
  return new GaussianMixture('gmm-16d-8', { weights: [1, 2, 1, 2, 1, 2, 1, 2], means, variances: 0.25 });
}

export const TARGETS: Record<string, { summary: string; make: () => GaussianMixture | DiscreteLaw }> = {
  'gaussian-1d': {
    summary: 'N(1, 0.5^2)',
    make: () => new GaussianMixture('gaussian-1d', { weights: [1], means: [[1]], variances: 0.25 }),
  },
  'gmm-1d-2': {
    summary: '0.3 N(-2, 0.5^2) + 0.7 N(1.5, 0.3^2)',
    make: () =>
      new GaussianMixture('gmm-1d-2', { weights: [0.3, 0.7], means: [[-2], [1.5]], variances: [0.25, 0.09] }),
  },
  'gmm-2d-8': {
    summary: '8 equal components, sd 0.3, on a circle of radius 4',
    make: () => ring('gmm-2d-8', 4, 0.09),
  },
  'gmm-16d-8': {
    summary: '8 components in d = 16, weights 1:2, sd 0.5, means ~ N(0, 4 I) (seed 16)',
    make: gmm16d8,
  },
  'gaussian-2d-aniso': {
    summary: 'N((1, -1), diag(1, 0.25))',
    make: () =>
      new GaussianMixture('gaussian-2d-aniso', { weights: [1], means: [[1, -1]], variances: [[1, 0.25]] }),
  },
  'discrete-1d-3': {
    summary: 'atoms -1, 0, 2 with weights 0.25, 0.25, 0.5',
    make: () => new DiscreteLaw('discrete-1d-3', [[-1], [0], [2]], [0.25, 0.25, 0.5]),
  },
};

export function getTarget(name: string): GaussianMixture | DiscreteLaw {
  const entry = Object.hasOwn(TARGETS, name) ? TARGETS[name] : undefined;
  if (!entry)
    throw new InputError(
      `unknown target '${name}'${didYouMean(name, Object.keys(TARGETS))} (known: ${Object.keys(TARGETS).join(', ')})`,
      {},
      name,
    );
  return entry.make();
}

/** The mixture form of any target (a discrete law is a mixture of point masses). */
export function asMixture(target: GaussianMixture | DiscreteLaw): GaussianMixture {
  return target instanceof DiscreteLaw ? target.mixture : target;
}
