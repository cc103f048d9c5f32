// Parameters the entropic-OT and Schrödinger-bridge experiments declare alike: the two Gaussian end laws.
import { InputError } from '../../core/errors.js';
import { identity, matmul, transpose, type Matrix } from '../flow/dense.js';
import type { ParamsOf } from '../types.js';
import type { GaussianEnds } from './gaussian.js';

export const gaussianEndsParams = {
  mean0: {
    kind: 'numbers' as const,
    default: [0],
    doc: 'mean m0 of the start law N(m0, A) (its length is the dimension)',
  },
  var0: {
    kind: 'numbers' as const,
    min: 1e-4,
    default: [1],
    doc: 'per-coordinate variances: A = diag(var0)',
  },
  mean1: { kind: 'numbers' as const, default: [2], doc: 'mean m1 of the end law N(m1, B)' },
  var1: { kind: 'numbers' as const, min: 1e-4, default: [0.25], doc: 'eigenvalues of B' },
  rotation: {
    kind: 'number' as const,
    default: 0,
    doc: 'angle (radians) of B = R diag(var1) R^T in the first two coordinates, so A and B need not commute (dimension >= 2)',
  },
};

/** The end laws from the parameters above; mismatched lengths are an InputError naming the parameter. */
export function gaussianEnds(experiment: string, params: ParamsOf<typeof gaussianEndsParams>): GaussianEnds {
  const m0 = [...params.mean0];
  const v0 = params.var0;
  const m1 = [...params.mean1];
  const v1 = params.var1;
  const d = m0.length;
  for (const [key, list] of [
    ['var0', v0],
    ['mean1', m1],
    ['var1', v1],
  ] as const) {
    if (list.length !== d)
      throw new InputError(
        `experiment '${experiment}': parameter '${key}' needs ${d} entries (the length of mean0)`,
        {},
        list.join(','),
      );
  }
  const angle = params.rotation;
  if (angle !== 0 && d < 2)
    throw new InputError(
      `experiment '${experiment}': parameter 'rotation' needs dimension >= 2`,
      {},
      String(angle),
    );
  const r = identity(d);
  if (d >= 2)
    [r[0][0], r[0][1], r[1][0], r[1][1]] = [
      Math.cos(angle),
      -Math.sin(angle),
      Math.sin(angle),
      Math.cos(angle),
    ];
  const diag = (v: number[]): Matrix => identity(d).map((row, i) => row.map((x) => x * v[i]));
  return { m0, a: diag([...v0]), m1, b: matmul(matmul(r, diag([...v1])), transpose(r)) };
}
