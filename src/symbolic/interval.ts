// Closed-interval arithmetic with exact rational bounds, used only to decide signs (is u >= 0 on the
// declared domain?) before an assumption-dependent rewrite. Sums and products are exact; transcendental
// bounds are rounded outward, so a sign the intervals certify is a true sign. `null` is an infinite bound.
import {
  type Rat,
  R0,
  R1,
  radd,
  rcmp,
  rmul,
  rneg,
  rinv,
  rsign,
  rpowInt,
  ratOfFloat,
  ratToFloat,
} from './rational.js';

export interface Interval {
  lo: Rat | null; // null: -infinity
  hi: Rat | null; // null: +infinity
}

export const REAL_LINE: Interval = { lo: null, hi: null };
export const point = (r: Rat): Interval => ({ lo: r, hi: r });
export const isNonneg = (a: Interval): boolean => a.lo !== null && rsign(a.lo) >= 0;
export const isNonpos = (a: Interval): boolean => a.hi !== null && rsign(a.hi) <= 0;

export function iadd(a: Interval, b: Interval): Interval {
  return {
    lo: a.lo && b.lo ? radd(a.lo, b.lo) : null,
    hi: a.hi && b.hi ? radd(a.hi, b.hi) : null,
  };
}

// Extended values for corner products: a rational, or +-Infinity as a number.
type X = Rat | number;
const xmul = (a: X, b: X): X => {
  const sa = typeof a === 'number' ? Math.sign(a) : rsign(a);
  const sb = typeof b === 'number' ? Math.sign(b) : rsign(b);
  if (sa === 0 || sb === 0) return R0; // a closed bound of 0 times anything bounded the hull at 0
  if (typeof a === 'number' || typeof b === 'number') return sa * sb * Infinity;
  return rmul(a, b);
};
const xcmp = (a: X, b: X): number => {
  if (typeof a === 'number' || typeof b === 'number') {
    const fa = typeof a === 'number' ? a : rsign(a) * 1e-300;
    const fb = typeof b === 'number' ? b : rsign(b) * 1e-300;
    if (typeof a !== 'number' && typeof b !== 'number') return rcmp(a, b);
    return fa < fb ? -1 : fa > fb ? 1 : 0;
  }
  return rcmp(a, b);
};

export function imul(a: Interval, b: Interval): Interval {
  const al: X = a.lo ?? -Infinity;
  const ah: X = a.hi ?? Infinity;
  const bl: X = b.lo ?? -Infinity;
  const bh: X = b.hi ?? Infinity;
  const corners = [xmul(al, bl), xmul(al, bh), xmul(ah, bl), xmul(ah, bh)];
  let lo = corners[0];
  let hi = corners[0];
  for (const c of corners) {
    if (xcmp(c, lo) < 0) lo = c;
    if (xcmp(c, hi) > 0) hi = c;
  }
  return { lo: typeof lo === 'number' ? null : lo, hi: typeof hi === 'number' ? null : hi };
}

/** a^k for an integer k. */
export function ipowInt(a: Interval, k: bigint): Interval {
  if (k === 0n) return point(R1);
  if (k < 0n) return iinv(ipowInt(a, -k));
  const up = (r: Rat | null): Rat | null => r && rpowInt(r, k);
  if (k % 2n === 1n) return { lo: up(a.lo), hi: up(a.hi) };
  if (isNonneg(a)) return { lo: up(a.lo), hi: up(a.hi) };
  if (isNonpos(a)) return { lo: up(a.hi), hi: up(a.lo) };
  const m = a.lo === null || a.hi === null ? null : rcmp(rneg(a.lo), a.hi) > 0 ? rneg(a.lo) : a.hi;
  return { lo: R0, hi: up(m) };
}

export function iinv(a: Interval): Interval {
  const strictlyPos = a.lo !== null && rsign(a.lo) > 0;
  const strictlyNeg = a.hi !== null && rsign(a.hi) < 0;
  if (!strictlyPos && !strictlyNeg) return REAL_LINE;
  return { lo: a.hi && rinv(a.hi), hi: a.lo && rinv(a.lo) };
}

// Outward rounding of a float bound to an exact rational; an unusable bound becomes infinite.
const down = (x: number): Rat | null =>
  Number.isFinite(x) ? ratOfFloat(x - Math.abs(x) * 2 ** -45 - 1e-300) : null;
const up = (x: number): Rat | null =>
  Number.isFinite(x) ? ratOfFloat(x + Math.abs(x) * 2 ** -45 + 1e-300) : null;

/** A monotone increasing float function applied to an interval, rounded outward; `floor` bounds it below. */
export function imonotone(a: Interval, f: (x: number) => number, floor?: Rat): Interval {
  let lo = down(f(a.lo === null ? -Infinity : ratToFloat(a.lo)));
  if (floor && (lo === null || rcmp(lo, floor) < 0)) lo = floor;
  return { lo, hi: up(f(a.hi === null ? Infinity : ratToFloat(a.hi))) };
}

/** a^f for a rational f, with a clamped to [0, inf) (fractional powers are defined only there). */
export function ipowFrac(a: Interval, f: Rat): Interval {
  if (a.hi !== null && rsign(a.hi) < 0) return REAL_LINE;
  const lo = a.lo && rsign(a.lo) > 0 ? ratToFloat(a.lo) : 0;
  const hi = a.hi === null ? Infinity : ratToFloat(a.hi);
  const e = ratToFloat(f);
  const l0 = down(Math.pow(lo, e));
  if (e > 0) return { lo: l0 === null || rsign(l0) < 0 ? R0 : l0, hi: up(Math.pow(hi, e)) };
  const l = down(Math.pow(hi, e));
  return { lo: l && rsign(l) < 0 ? R0 : l, hi: lo === 0 ? null : up(Math.pow(lo, e)) };
}
