// High-precision evaluation of an expression (decimal.js, the BigNumber engine of mathjs) as a tree of
// closures: no code is generated from strings. Any step outside its domain (sqrt or a fractional power
// of a negative, log of a non-positive, division by zero, overflow) throws UndefinedPoint instead of
// returning NaN or Infinity, so a point where a side is undefined is never mistaken for a value.
import { UndefinedPoint, bigContext, type Big } from './decimal.js';
import type { Expr } from './expr.js';
import { FUNCTIONS } from './functions.js';

/** The k-th derivative of an undefined function at x (instantiated by the caller). */
export type FnImpl = (name: string, order: number, x: Big) => Big;

export type BigFn = (args: readonly Big[], fns?: FnImpl) => Big;

const check = (x: Big): Big => {
  if (!x.isFinite()) throw new UndefinedPoint('non-finite intermediate value');
  return x;
};

function power(b: Big, x: Big, integer: boolean): Big {
  if (b.isZero()) {
    if (x.lte(0)) throw new UndefinedPoint('zero to a non-positive power');
    return b;
  }
  if (b.isNegative() && !integer) throw new UndefinedPoint('fractional power of a negative number');
  return b.pow(x);
}

/**
 * Compile to a function of `vars` (in that order) evaluated at `digits` significant digits. Equal
 * subtrees (the repeated densities and function values a derivative produces) share one slot and are
 * evaluated once per call.
 */
export function compileBig(e: Expr, vars: readonly string[], digits: number): BigFn {
  const D = bigContext(digits);
  const index = new Map(vars.map((v, i) => [v, i]));
  type Slot = (a: readonly Big[], f: FnImpl | undefined, memo: (Big | undefined)[]) => Big;
  const slots: Slot[] = [];
  const slotByKey = new Map<string, number>();
  const get = (i: number, a: readonly Big[], f: FnImpl | undefined, memo: (Big | undefined)[]): Big =>
    (memo[i] ??= slots[i](a, f, memo));
  const intern = (key: string, make: () => Slot): number => {
    let i = slotByKey.get(key);
    if (i === undefined) {
      i = slots.length;
      slots.push(make());
      slotByKey.set(key, i);
    }
    return i;
  };
  const go = (e: Expr): number => {
    switch (e.kind) {
      case 'num': {
        const v = new D(e.p.toString()).div(e.q.toString());
        return intern(`n${e.p}/${e.q}`, () => () => v);
      }
      case 'const': {
        const v = e.name === 'pi' ? D.acos(-1) : new D(1).exp();
        return intern(`c${e.name}`, () => () => v);
      }
      case 'sym': {
        const i = index.get(e.name);
        if (i === undefined) throw new RangeError(`unbound symbol '${e.name}'`);
        return intern(`s${i}`, () => (a) => a[i]);
      }
      case 'add':
      case 'mul': {
        const kids = (e.kind === 'add' ? e.terms : e.factors).map(go);
        const plus = e.kind === 'add';
        return intern(`${e.kind}(${kids.join(',')})`, () => (a, f, m) => {
          let s = get(kids[0], a, f, m);
          for (let i = 1; i < kids.length; i++)
            s = plus ? s.plus(get(kids[i], a, f, m)) : s.times(get(kids[i], a, f, m));
          return check(s);
        });
      }
      case 'pow': {
        const b = go(e.base);
        const ex = e.exp;
        if (ex.kind === 'num' && ex.q === 1n) {
          const k = new D(ex.p.toString());
          return intern(`pow(${b},${ex.p})`, () => (a, f, m) => check(power(get(b, a, f, m), k, true)));
        }
        if (ex.kind === 'num' && ex.p === 1n && ex.q === 2n)
          return intern(`sqrt(${b})`, () => (a, f, m) => check(FUNCTIONS.sqrt.big(get(b, a, f, m), D)));
        const x = go(ex);
        return intern(`pow(${b},#${x})`, () => (a, f, m) => {
          const xv = get(x, a, f, m);
          return check(power(get(b, a, f, m), xv, xv.isInteger()));
        });
      }
      case 'call': {
        const g = go(e.arg);
        const h = FUNCTIONS[e.fn].big;
        return intern(`${e.fn}(${g})`, () => (a, f, m) => check(h(get(g, a, f, m), D)));
      }
      case 'fn': {
        const g = go(e.arg);
        const { name, order } = e;
        return intern(`f${name}:${order}(${g})`, () => (a, f, m) => {
          if (!f) throw new RangeError(`undefined function '${name}' has no instance`);
          return check(f(name, order, get(g, a, f, m)));
        });
      }
    }
  };
  const root = go(e);
  return (a, f) => get(root, a, f, new Array<Big | undefined>(slots.length));
}
