// Finite joint laws of (noise, data) with a finite law of times, on the linear flow path
// x_t = (1 - t) noise + t data (flow convention). Atoms are integers and times are i / den, so
// den * x_t is an exact integer and atoms that meet at the same x_t are grouped exactly: that is what
// makes the marginal velocity u_t(x) = E[data - noise | x_t = x] an exact finite average.
import { DomainError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';

export interface JointAtom {
  noise: readonly number[];
  data: readonly number[];
  weight: number;
}

export interface FiniteJoint {
  dim: number;
  atoms: readonly JointAtom[];
  /** Times t = num / den with probabilities. */
  den: number;
  times: readonly { num: number; weight: number }[];
}

/** The atoms of x_t at one time that coincide, with the marginal velocity of their meeting point. */
export interface CollisionGroup {
  t: number;
  timeWeight: number;
  x: Float64Array;
  /** Indices into joint.atoms. */
  members: number[];
  /** Total probability of the group (without the time weight). */
  weight: number;
  /** u_t(x) = sum_j w_j (data_j - noise_j) / sum_j w_j. */
  velocity: Float64Array;
}

function checkJoint(joint: FiniteJoint): void {
  const fn = 'finiteJoint';
  if (!Number.isInteger(joint.dim) || joint.dim < 1)
    throw new DomainError(fn, 'dim', joint.dim, 'must be >= 1');
  if (!Number.isInteger(joint.den) || joint.den < 1)
    throw new DomainError(fn, 'den', joint.den, 'must be >= 1');
  joint.atoms.forEach((a, j) => {
    for (const role of ['noise', 'data'] as const) {
      const v = a[role];
      if (v.length !== joint.dim || !v.every(Number.isSafeInteger)) {
        throw new DomainError(fn, `atoms[${j}].${role}`, v, `must be ${joint.dim} integers`);
      }
    }
    if (!(a.weight > 0)) throw new DomainError(fn, `atoms[${j}].weight`, a.weight, 'must be > 0');
  });
  joint.times.forEach((s, i) => {
    if (!Number.isInteger(s.num) || s.num < 0 || s.num > joint.den) {
      throw new DomainError(fn, `times[${i}].num`, s.num, `must be an integer in [0, ${joint.den}]`);
    }
    if (!(s.weight > 0)) throw new DomainError(fn, `times[${i}].weight`, s.weight, 'must be > 0');
  });
}

/** Groups the atoms of x_t by their exact position, for every time of the law. */
export function collisionGroups(joint: FiniteJoint): CollisionGroup[] {
  checkJoint(joint);
  const { dim, den } = joint;
  const groups: CollisionGroup[] = [];
  for (const { num, weight: timeWeight } of joint.times) {
    const byKey = new Map<string, number[]>();
    joint.atoms.forEach((a, j) => {
      // den * x_t = (den - num) noise + num data, an exact integer vector.
      const key = a.noise.map((n, c) => (den - num) * n + num * a.data[c]).join(',');
      const list = byKey.get(key);
      if (list) list.push(j);
      else byKey.set(key, [j]);
    });
    for (const [key, members] of byKey) {
      const x = Float64Array.from(key.split(','), (k) => Number(k) / den);
      const velocity = new Float64Array(dim);
      let weight = 0;
      for (const j of members) {
        const a = joint.atoms[j];
        weight += a.weight;
        for (let c = 0; c < dim; c++) velocity[c] += a.weight * (a.data[c] - a.noise[c]);
      }
      for (let c = 0; c < dim; c++) velocity[c] /= weight;
      groups.push({ t: num / den, timeWeight, x, members, weight, velocity });
    }
  }
  return groups;
}

/**
 * A random finite joint whose atoms collide often (small integer atoms in [-2, 2], times with a common
 * denominator 2..4), so the FM and CFM losses genuinely differ. Probabilities are normalised to sum to 1.
 */
export function randomFiniteJoint(rng: Rng, opts: { dim: number; maxAtoms: number }): FiniteJoint {
  const { dim, maxAtoms } = opts;
  const between = (lo: number, hi: number): number => lo + rng.int(hi - lo + 1);
  const vec = (): number[] => Array.from({ length: dim }, () => between(-2, 2));
  const den = between(2, 4);
  const atoms = Array.from({ length: between(2, maxAtoms) }, () => ({
    noise: vec(),
    data: vec(),
    weight: between(1, 9),
  }));
  const nums = [...new Set(Array.from({ length: between(1, 3) }, () => between(0, den)))];
  const timeWeights = nums.map(() => between(1, 5));
  const total = atoms.reduce((s, a) => s + a.weight, 0);
  const timeTotal = timeWeights.reduce((s, w) => s + w, 0);
  return {
    dim,
    den,
    atoms: atoms.map((a) => ({ ...a, weight: a.weight / total })),
    times: nums.map((num, i) => ({ num, weight: timeWeights[i] / timeTotal })),
  };
}
