// Exact rational arithmetic on bigint pairs, for the canonical form and the interval bounds.

export interface Rat {
  p: bigint;
  q: bigint; // > 0, gcd(p, q) = 1
}

const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
};

export function rat(p: bigint, q: bigint = 1n): Rat {
  if (q === 0n) throw new RangeError('rational with zero denominator');
  if (q < 0n) [p, q] = [-p, -q];
  const g = gcd(p, q) || 1n;
  return { p: p / g, q: q / g };
}

export const R0 = rat(0n);
export const R1 = rat(1n);
export const radd = (a: Rat, b: Rat): Rat => rat(a.p * b.q + b.p * a.q, a.q * b.q);
export const rsub = (a: Rat, b: Rat): Rat => rat(a.p * b.q - b.p * a.q, a.q * b.q);
export const rmul = (a: Rat, b: Rat): Rat => rat(a.p * b.p, a.q * b.q);
export const rneg = (a: Rat): Rat => ({ p: -a.p, q: a.q });
export const rinv = (a: Rat): Rat => rat(a.q, a.p);
export const rcmp = (a: Rat, b: Rat): number => {
  const d = a.p * b.q - b.p * a.q;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};
export const rsign = (a: Rat): number => (a.p < 0n ? -1 : a.p > 0n ? 1 : 0);
export const rabs = (a: Rat): Rat => (a.p < 0n ? rneg(a) : a);
export const risInt = (a: Rat): boolean => a.q === 1n;
export const rfloor = (a: Rat): bigint => (a.p >= 0n ? a.p / a.q : -((-a.p + a.q - 1n) / a.q));
export const rkey = (a: Rat): string => (a.q === 1n ? a.p.toString() : `${a.p}/${a.q}`);
export const rbits = (a: Rat): number => a.p.toString(16).length * 4 + a.q.toString(16).length * 4;

/** a^k for an integer k (a != 0 when k < 0). */
export function rpowInt(a: Rat, k: bigint): Rat {
  const r = rat(a.p ** (k < 0n ? -k : k), a.q ** (k < 0n ? -k : k));
  return k < 0n ? rinv(r) : r;
}

/** The greatest common divisor of two rationals' numerators over the lcm of their denominators. */
export function rgcd(a: Rat, b: Rat): Rat {
  const q = (a.q / gcd(a.q, b.q)) * b.q;
  return rat(gcd(a.p, b.p), q);
}

/** The exact rational value of a finite double. */
export function ratOfFloat(x: number): Rat {
  if (!Number.isFinite(x)) throw new RangeError(`not finite: ${x}`);
  if (x === 0) return R0;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const e = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = e === 0 ? frac : frac | (1n << 52n);
  const shift = (e === 0 ? 1 : e) - 1075;
  return shift >= 0 ? rat(sign * mant * 2n ** BigInt(shift)) : rat(sign * mant, 2n ** BigInt(-shift));
}

export const ratToFloat = (a: Rat): number => {
  const v = Number(a.p) / Number(a.q);
  return Number.isFinite(v) ? v : Number((a.p * 10n ** 20n) / a.q) / 1e20;
};

/** Prime factorization of a positive integer by trial division; a cofactor left after `limit` is kept whole. */
export function factorize(n: bigint, limit = 10_000n): Map<bigint, bigint> {
  const out = new Map<bigint, bigint>();
  for (let d = 2n; d <= limit && d * d <= n; d += d === 2n ? 1n : 2n) {
    while (n % d === 0n) {
      out.set(d, (out.get(d) ?? 0n) + 1n);
      n /= d;
    }
  }
  if (n > 1n) out.set(n, (out.get(n) ?? 0n) + 1n);
  return out;
}
