// Where the falsifier looks: fast-check arbitraries of points in the declared domains (simple values,
// the interior, and points 10^-j from each edge) and random smooth instances of undefined functions.
// Values are short decimal strings, so every point is exact and a counterexample reads as written.
import fc from 'fast-check';
import {
  type Expr,
  type SymbolDomain,
  add,
  call,
  decimal,
  derivative,
  div,
  exp,
  mul,
  neg,
  rational,
  substitute,
  sym,
  Decimal,
  type Big,
} from '../symbolic/index.js';

const D = Decimal.clone({ precision: 60 });
const SIMPLE = ['0', '1', '-1', '0.5', '2', '-2', '0.25', '0.75', '3', '-0.5', '0.1', '0.9', '10'];

const inside = (d: SymbolDomain, x: Big): boolean =>
  (d.loOpen ? x.gt(d.lo) : x.gte(d.lo)) && (d.hiOpen ? x.lt(d.hi) : x.lte(d.hi));
const dec = (x: number): Big => new D(String(x));
const str = (x: Big): string => x.toFixed();

/** Decimal strings in the domain: simple values first (so shrinking reaches them), interior, edges and near 0. */
export function valueArbitrary(d: SymbolDomain): fc.Arbitrary<string> {
  const simple = SIMPLE.filter((s) => inside(d, new D(s)));
  const finiteLo = Number.isFinite(d.lo);
  const finiteHi = Number.isFinite(d.hi);
  const mantissa = fc.integer({ min: 1, max: 999 });
  const scale = fc.integer({ min: -4, max: 3 });
  let interior: fc.Arbitrary<string>;
  if (finiteLo && finiteHi) {
    const lo = dec(d.lo);
    const w = dec(d.hi).minus(lo);
    interior = fc.integer({ min: 1, max: 999_999 }).map((k) => str(lo.plus(w.times(k).div(1_000_000))));
  } else if (finiteLo) {
    interior = fc
      .tuple(mantissa, scale)
      .map(([m, j]) => str(dec(d.lo).plus(new D(m).times(new D(10).pow(j)))));
  } else if (finiteHi) {
    interior = fc
      .tuple(mantissa, scale)
      .map(([m, j]) => str(dec(d.hi).minus(new D(m).times(new D(10).pow(j)))));
  } else {
    interior = fc
      .tuple(fc.boolean(), mantissa, scale)
      .map(([s, m, j]) => str(new D(m).times(new D(10).pow(j)).times(s ? -1 : 1)));
  }
  const edges: string[] = [];
  for (let j = 1; j <= 14; j++) {
    const eps = new D(10).pow(-j);
    if (finiteLo) edges.push(str(dec(d.lo).plus(eps)));
    if (finiteHi) edges.push(str(dec(d.hi).minus(eps)));
  }
  // Near zero, where sign-dependent rewrites (sqrt(x^2) = x) go wrong, however narrow that part is.
  for (let j = 1; j <= 30; j++) edges.push(`1e-${j}`, `-1e-${j}`);
  if (finiteLo && !d.loOpen) edges.push(String(d.lo));
  if (finiteHi && !d.hiOpen) edges.push(String(d.hi));
  const edgeValues = edges.filter((s) => inside(d, new D(s)));
  const arbs: fc.WeightedArbitrary<string>[] = [];
  if (simple.length) arbs.push({ arbitrary: fc.constantFrom(...simple), weight: 2 });
  arbs.push({ arbitrary: interior.filter((s) => inside(d, new D(s))), weight: 5 });
  if (edgeValues.length) arbs.push({ arbitrary: fc.constantFrom(...edgeValues), weight: 2 });
  return fc.oneof({ withCrossShrink: true }, ...arbs);
}

/** Coefficients of a random smooth function g(t) = a + b t + c sin(w t + p). */
export interface FnParams {
  a: string;
  b: string;
  c: string;
  w: string;
  p: string;
}
export const FN_PARAMS = ['a', 'b', 'c', 'w', 'p'] as const;

export function fnParamsArbitrary(): fc.Arbitrary<FnParams> {
  const small = fc.oneof(
    { withCrossShrink: true },
    fc.constantFrom('0', '1', '0.5', '-1', '2'),
    fc.integer({ min: -2000, max: 2000 }).map((k) => str(new D(k).div(1000))),
  );
  return fc.record({ a: small, b: small, c: small, w: small, p: small });
}

/**
 * The template f(t) of an undefined function whose values lie in `d`, in the symbols `__t` and the
 * parameters `__a`...: g itself when real, lo + exp(g), hi - exp(g), or lo + (hi - lo) logistic(g).
 */
export function fnTemplate(d: SymbolDomain): Expr {
  const t = sym('__t');
  const g = add(
    sym('__a'),
    mul(sym('__b'), t),
    mul(sym('__c'), call('sin', add(mul(sym('__w'), t), sym('__p')))),
  );
  const lo = Number.isFinite(d.lo) ? decimal(String(Math.abs(d.lo))) : undefined;
  const hi = Number.isFinite(d.hi) ? decimal(String(Math.abs(d.hi))) : undefined;
  const signed = (x: Expr, v: number): Expr => (v < 0 ? neg(x) : x);
  if (lo && hi) {
    const l = signed(lo, d.lo);
    return add(l, div(add(signed(hi, d.hi), neg(l)), add(rational(1n), exp(neg(g)))));
  }
  if (lo) return add(signed(lo, d.lo), exp(g));
  if (hi) return add(signed(hi, d.hi), neg(exp(g)));
  return g;
}

/** The derivatives 0..order of a template with respect to its variable. */
export function templateDerivatives(template: Expr, order: number): Expr[] {
  const out = [template];
  for (let k = 1; k <= order; k++) out.push(derivative(out[k - 1], '__t'));
  return out;
}

/** The instance of a template with given parameters, as an expression in `variable` (for reports). */
export function instantiate(template: Expr, params: FnParams, variable: string): Expr {
  const bindings = new Map<string, Expr>([['__t', sym(variable)]]);
  for (const k of FN_PARAMS) bindings.set(`__${k}`, decimalExpr(params[k]));
  return substitute(template, bindings);
}

const decimalExpr = (s: string): Expr => (s.startsWith('-') ? neg(decimal(s.slice(1))) : decimal(s));
