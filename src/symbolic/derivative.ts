// Differentiation of the expression form; each elementary function's derivative is its row in FUNCTIONS.
import { type Expr, ONE, ZERO, add, applyFn, isZero, log, mul, pow, rational } from './expr.js';
import { FUNCTIONS } from './functions.js';

/** Derivative with respect to the symbol `x`. Exact; no simplification beyond the builders'. */
export function derivative(e: Expr, x: string): Expr {
  switch (e.kind) {
    case 'num':
    case 'const':
      return ZERO;
    case 'sym':
      return e.name === x ? ONE : ZERO;
    case 'add':
      return add(...e.terms.map((t) => derivative(t, x)));
    case 'mul':
      return add(
        ...e.factors.map((f, i) => mul(...e.factors.map((g, j) => (i === j ? derivative(f, x) : g)))),
      );
    case 'pow': {
      const db = derivative(e.base, x);
      const de = derivative(e.exp, x);
      // d(b^c) = c b^(c-1) b' when c is constant; else b^c (c' log b + c b'/b).
      if (isZero(de)) return mul(e.exp, pow(e.base, add(e.exp, rational(-1n))), db);
      return mul(e, add(mul(de, log(e.base)), mul(e.exp, db, pow(e.base, rational(-1n)))));
    }
    case 'call': {
      const da = derivative(e.arg, x);
      if (isZero(da)) return ZERO;
      return mul(FUNCTIONS[e.fn].derivative(e.arg), da);
    }
    case 'fn': {
      // Chain rule: d/dx f^(k)(a) = f^(k+1)(a) a'.
      const da = derivative(e.arg, x);
      return isZero(da) ? ZERO : mul(applyFn(e.name, e.arg, e.order + 1), da);
    }
  }
}
