// Printers of the expression form for the reference systems measured in the benchmarks (SymPy,
// nerdamer). Symbols and undefined-function values become v0, v1, ...; the map says which is which.
import type { Expr } from '../../src/symbolic/index.js';
import { toPlain } from '../../src/symbolic/index.js';

type Dialect = 'sympy' | 'nerdamer';

export function casText(e: Expr, dialect: Dialect, names: Map<string, string>): string {
  const name = (key: string): string => {
    if (!names.has(key)) names.set(key, `v${names.size}`);
    return names.get(key)!;
  };
  const go = (e: Expr): string => {
    switch (e.kind) {
      case 'num':
        return dialect === 'sympy' ? `Rational(${e.p}, ${e.q})` : e.q === 1n ? `(${e.p})` : `(${e.p}/${e.q})`;
      case 'sym':
        return name(e.name);
      case 'fn':
        return name(toPlain(e));
      case 'const':
        return e.name === 'pi' ? 'pi' : dialect === 'sympy' ? 'E' : 'e';
      case 'add':
        return `(${e.terms.map(go).join(' + ')})`;
      case 'mul':
        return `(${e.factors.map(go).join('*')})`;
      case 'pow':
        return `(${go(e.base)})${dialect === 'sympy' ? '**' : '^'}(${go(e.exp)})`;
      case 'call':
        return `${dialect === 'sympy' && e.fn === 'abs' ? 'Abs' : e.fn}(${go(e.arg)})`;
    }
  };
  return go(e);
}

/** The same expression over the renamed symbols (after casText filled `names`), for evaluation. */
export function renamed(e: Expr, names: Map<string, string>): Expr {
  const go = (e: Expr): Expr => {
    switch (e.kind) {
      case 'sym':
        return { kind: 'sym', name: names.get(e.name)! };
      case 'fn':
        return { kind: 'sym', name: names.get(toPlain(e))! };
      case 'add':
        return { kind: 'add', terms: e.terms.map(go) };
      case 'mul':
        return { kind: 'mul', factors: e.factors.map(go) };
      case 'pow':
        return { kind: 'pow', base: go(e.base), exp: go(e.exp) };
      case 'call':
        return { kind: 'call', fn: e.fn, arg: go(e.arg) };
      default:
        return e;
    }
  };
  return go(e);
}
