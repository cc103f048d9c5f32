// Compilation of the expression form to float64 closures.
import { type Expr, isNum } from './expr.js';
import { FUNCTIONS } from './functions.js';

export type Float64Fn = (args: ArrayLike<number>) => number;

/**
 * Compile to a float64 function of `vars` (in that order) as a tree of closures: no code is generated
 * from strings, so an expression can never run JavaScript. Unknown symbols are an error here.
 */
export function compileFloat64(e: Expr, vars: readonly string[]): Float64Fn {
  const index = new Map(vars.map((v, i) => [v, i]));
  const go = (e: Expr): Float64Fn => {
    switch (e.kind) {
      case 'num': {
        const v = Number(e.p) / Number(e.q);
        return () => v;
      }
      case 'const': {
        const v = e.name === 'pi' ? Math.PI : Math.E;
        return () => v;
      }
      case 'sym': {
        const i = index.get(e.name);
        if (i === undefined) throw new RangeError(`unbound symbol '${e.name}'`);
        return (a) => a[i];
      }
      case 'add': {
        const fs = e.terms.map(go);
        return (a) => {
          let s = 0;
          for (const f of fs) s += f(a);
          return s;
        };
      }
      case 'mul': {
        const fs = e.factors.map(go);
        return (a) => {
          let s = 1;
          for (const f of fs) s *= f(a);
          return s;
        };
      }
      case 'pow': {
        const b = go(e.base);
        if (isNum(e.exp) && e.exp.q === 1n && e.exp.p === -1n) return (a) => 1 / b(a);
        if (isNum(e.exp) && e.exp.q === 1n && e.exp.p === 2n)
          return (a) => {
            const v = b(a);
            return v * v;
          };
        if (isNum(e.exp) && e.exp.p === 1n && e.exp.q === 2n) return (a) => Math.sqrt(b(a));
        const x = go(e.exp);
        return (a) => Math.pow(b(a), x(a));
      }
      case 'call': {
        const f = FUNCTIONS[e.fn].float64;
        const g = go(e.arg);
        return (a) => f(g(a));
      }
      case 'fn':
        throw new RangeError(`undefined function '${e.name}' cannot be compiled`);
    }
  };
  return go(e);
}
