// The internal expression form shared by every part of flowproof that does algebra. Numbers are exact
// rationals (bigint numerator / denominator), so `0.008` or `1e-4` mean exactly what was written and a
// high-precision evaluator sees no float64 rounding. Builders flatten sums and products and fold
// rational constants; they never apply a rewrite that needs an assumption.

import type { UnaryFn } from './functions.js';
import { type Rat, radd, rat, rmul } from './rational.js';

export type { UnaryFn };

export type Expr =
  | ({ kind: 'num' } & Rat) // p / q in lowest terms
  | { kind: 'sym'; name: string }
  | { kind: 'const'; name: 'pi' | 'e' }
  | { kind: 'add'; terms: Expr[] }
  | { kind: 'mul'; factors: Expr[] }
  | { kind: 'pow'; base: Expr; exp: Expr }
  | { kind: 'call'; fn: UnaryFn; arg: Expr }
  // The `order`-th derivative of an undefined smooth function `name` of one variable, at `arg`
  // (order 0 is the value): m(t), m'(t), ... for "any Gaussian path" identities.
  | { kind: 'fn'; name: string; order: number; arg: Expr };

/** The number p / q in lowest terms (the rational type of src/symbolic/rational.ts, as an expression). */
export function rational(p: bigint, q: bigint = 1n): Expr {
  return { kind: 'num', ...rat(p, q) };
}

/** An exact rational from a decimal literal such as `0.008`, `1e-4`, `20`. */
export function decimal(text: string): Expr {
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw new RangeError(`not a decimal literal: ${text}`);
  const frac = m[2] ?? '';
  const exp = Number(m[3] ?? '0') - frac.length;
  const digits = BigInt((m[1] || '0') + frac);
  return exp >= 0 ? rational(digits * 10n ** BigInt(exp)) : rational(digits, 10n ** BigInt(-exp));
}

/** An exact rational equal to a float64 (every finite double is a dyadic rational). */
export function num(x: number): Expr {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  return x < 0 ? neg(decimal(String(-x))) : decimal(String(x));
}

export const sym = (name: string): Expr => ({ kind: 'sym', name });
export const PI: Expr = { kind: 'const', name: 'pi' };
export const E: Expr = { kind: 'const', name: 'e' };
export const ZERO = rational(0n);
export const ONE = rational(1n);

export const isNum = (e: Expr): e is Extract<Expr, { kind: 'num' }> => e.kind === 'num';
export const isZero = (e: Expr): boolean => isNum(e) && e.p === 0n;
export const isOne = (e: Expr): boolean => isNum(e) && e.p === 1n && e.q === 1n;

function addNums(a: Extract<Expr, { kind: 'num' }>, b: Extract<Expr, { kind: 'num' }>): Expr {
  return { kind: 'num', ...radd(a, b) };
}
function mulNums(a: Extract<Expr, { kind: 'num' }>, b: Extract<Expr, { kind: 'num' }>): Expr {
  return { kind: 'num', ...rmul(a, b) };
}

export function add(...terms: Expr[]): Expr {
  const flat: Expr[] = [];
  let c = ZERO as Extract<Expr, { kind: 'num' }>;
  for (const t of terms) {
    for (const u of t.kind === 'add' ? t.terms : [t]) {
      if (isNum(u)) c = addNums(c, u) as typeof c;
      else flat.push(u);
    }
  }
  if (!isZero(c)) flat.push(c);
  if (flat.length === 0) return ZERO;
  return flat.length === 1 ? flat[0] : { kind: 'add', terms: flat };
}

export function mul(...factors: Expr[]): Expr {
  const flat: Expr[] = [];
  let c = ONE as Extract<Expr, { kind: 'num' }>;
  for (const f of factors) {
    for (const u of f.kind === 'mul' ? f.factors : [f]) {
      if (isNum(u)) c = mulNums(c, u) as typeof c;
      else flat.push(u);
    }
  }
  if (isZero(c)) return ZERO;
  if (!isOne(c)) flat.unshift(c);
  if (flat.length === 0) return ONE;
  return flat.length === 1 ? flat[0] : { kind: 'mul', factors: flat };
}

/** base^exp; folds integer powers of rationals, x^1 and x^0 (x^0 = 1 is the usual convention). */
export function pow(base: Expr, exp: Expr): Expr {
  if (isNum(exp) && exp.q === 1n) {
    if (exp.p === 1n) return base;
    if (exp.p === 0n) return ONE;
    if (isNum(base) && (base.p !== 0n || exp.p > 0n)) {
      const k = exp.p < 0n ? -exp.p : exp.p;
      // Fold only while the result stays small (untrusted input must not build huge integers).
      const bits = BigInt(base.p.toString(2).length + base.q.toString(2).length);
      if (k <= 64n && k * bits <= 4096n) {
        const r = rational(base.p ** k, base.q ** k) as Extract<Expr, { kind: 'num' }>;
        return exp.p < 0n ? rational(r.q, r.p) : r;
      }
    }
  }
  return { kind: 'pow', base, exp };
}

export const neg = (e: Expr): Expr => mul(rational(-1n), e);
export const sub = (a: Expr, b: Expr): Expr => add(a, neg(b));
export const div = (a: Expr, b: Expr): Expr => mul(a, pow(b, rational(-1n)));
export const call = (fn: UnaryFn, arg: Expr): Expr => ({ kind: 'call', fn, arg });
export const sqrt = (e: Expr): Expr => call('sqrt', e);
/** The `order`-th derivative of the undefined function `name` at `arg`. */
export const applyFn = (name: string, arg: Expr, order = 0): Expr => ({ kind: 'fn', name, order, arg });
export const exp = (e: Expr): Expr => call('exp', e);
export const log = (e: Expr): Expr => call('log', e);

/** The Gaussian density N(x; mean, variance) = exp(-(x-mean)^2 / (2 variance)) / sqrt(2 pi variance). */
export function normalPdf(x: Expr, mean: Expr, variance: Expr): Expr {
  const d = sub(x, mean);
  return div(
    exp(neg(div(pow(d, rational(2n)), mul(rational(2n), variance)))),
    sqrt(mul(rational(2n), PI, variance)),
  );
}

/** Replace symbols by expressions (simultaneously). */
export function substitute(e: Expr, bindings: ReadonlyMap<string, Expr>): Expr {
  switch (e.kind) {
    case 'num':
    case 'const':
      return e;
    case 'sym':
      return bindings.get(e.name) ?? e;
    case 'add':
      return add(...e.terms.map((t) => substitute(t, bindings)));
    case 'mul':
      return mul(...e.factors.map((f) => substitute(f, bindings)));
    case 'pow':
      return pow(substitute(e.base, bindings), substitute(e.exp, bindings));
    case 'call':
      return call(e.fn, substitute(e.arg, bindings));
    case 'fn':
      return applyFn(e.name, substitute(e.arg, bindings), e.order);
  }
}

export function freeSymbols(e: Expr, into: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case 'sym':
      into.add(e.name);
      break;
    case 'add':
      e.terms.forEach((t) => freeSymbols(t, into));
      break;
    case 'mul':
      e.factors.forEach((f) => freeSymbols(f, into));
      break;
    case 'pow':
      freeSymbols(e.base, into);
      freeSymbols(e.exp, into);
      break;
    case 'call':
    case 'fn':
      freeSymbols(e.arg, into);
      break;
  }
  return into;
}

/** The undefined functions applied in `e`, with the highest derivative order of each. */
export function freeFunctions(e: Expr, into: Map<string, number> = new Map()): Map<string, number> {
  switch (e.kind) {
    case 'add':
      e.terms.forEach((t) => freeFunctions(t, into));
      break;
    case 'mul':
      e.factors.forEach((f) => freeFunctions(f, into));
      break;
    case 'pow':
      freeFunctions(e.base, into);
      freeFunctions(e.exp, into);
      break;
    case 'call':
      freeFunctions(e.arg, into);
      break;
    case 'fn':
      into.set(e.name, Math.max(into.get(e.name) ?? 0, e.order));
      freeFunctions(e.arg, into);
      break;
  }
  return into;
}

/** Plain syntax (the `flowproof check` input language); parses back to an equal expression. */
export function toPlain(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return e.q === 1n ? e.p.toString() : `(${e.p}/${e.q})`;
    case 'sym':
    case 'const':
      return e.name;
    case 'add':
      return `(${e.terms.map(toPlain).join(' + ')})`;
    case 'mul':
      return `(${e.factors.map(toPlain).join('*')})`;
    case 'pow':
      return `(${toPlain(e.base)})^(${toPlain(e.exp)})`;
    case 'call':
      return `${e.fn}(${toPlain(e.arg)})`;
    case 'fn':
      return `${e.name}${"'".repeat(e.order)}(${toPlain(e.arg)})`;
  }
}
