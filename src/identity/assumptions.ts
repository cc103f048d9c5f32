// What a verdict assumed, said out loud: each symbol's domain (declared or not), and the conditions
// under which both sides are defined (`log(x)` needs x > 0, `sqrt(u)` needs u >= 0). The falsifier
// samples only where both sides are defined, and the normal form rewrites `exp(log(x))` to `x` there,
// so `exp(log(x)) = x` is proved for x > 0: the verdict must say so. Conditions the declared domains
// already guarantee (certified by interval arithmetic) are not repeated.
import {
  type Domains,
  type Expr,
  type SymbolDomain,
  formatExpr,
  freeSymbols,
  symbolDomain,
} from '../symbolic/index.js';
import {
  type Interval,
  REAL_LINE,
  iadd,
  iinv,
  imonotone,
  imul,
  ipowFrac,
  ipowInt,
  point,
} from '../symbolic/interval.js';
import { R0, radd, rat, ratOfFloat, rmul, rsign } from '../symbolic/rational.js';

/** A positive number below any value a sampled point can give (open ends, exp's lower bound). */
const HAIR = rat(1n, 10n ** 40n);

export interface Assumptions {
  /** `x real (undeclared)`, `abar in (0,1)`: one entry per symbol, in name order. */
  domains: string[];
  /** `x > 0 (for log(x))`: where both sides are defined, beyond what the domains give. */
  definedWhere: string[];
}

export function assumptionsOf(lhs: Expr, rhs: Expr, domains: Domains = {}): Assumptions {
  const names = [...freeSymbols(rhs, freeSymbols(lhs))].sort();
  const described = names.map((n) =>
    Object.hasOwn(domains, n) ? `${n} ${domainText(domains[n])}` : `${n} real (undeclared)`,
  );
  const conditions = new Map<string, string>();
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'add':
        return e.terms.forEach(visit);
      case 'mul':
        return e.factors.forEach(visit);
      case 'pow': {
        visit(e.base);
        visit(e.exp);
        if (e.exp.kind !== 'num' || e.base.kind === 'num') return;
        const r = rangeOf(e.base, domains);
        if (e.exp.q !== 1n && !(r.lo !== null && rsign(r.lo) >= 0))
          need(conditions, `${formatExpr(e.base)} >= 0`, `a fractional power of ${formatExpr(e.base)}`);
        else if (e.exp.p < 0n && !excludesZero(r))
          need(conditions, `${formatExpr(e.base)} != 0`, `a division by ${formatExpr(e.base)}`);
        return;
      }
      case 'call': {
        visit(e.arg);
        const r = rangeOf(e.arg, domains);
        if (e.fn === 'log' && !(r.lo !== null && rsign(r.lo) > 0))
          need(conditions, `${formatExpr(e.arg)} > 0`, `log(${formatExpr(e.arg)})`);
        if (e.fn === 'sqrt' && !(r.lo !== null && rsign(r.lo) >= 0))
          need(conditions, `${formatExpr(e.arg)} >= 0`, `sqrt(${formatExpr(e.arg)})`);
        return;
      }
      case 'fn':
        return visit(e.arg);
      default:
        return;
    }
  };
  visit(lhs);
  visit(rhs);
  return { domains: described, definedWhere: [...conditions].map(([c, why]) => `${c} (for ${why})`) };
}

function need(into: Map<string, string>, condition: string, why: string): void {
  if (!into.has(condition)) into.set(condition, why);
}

function excludesZero(r: Interval): boolean {
  return (r.lo !== null && rsign(r.lo) > 0) || (r.hi !== null && rsign(r.hi) < 0);
}

export function domainText(d: SymbolDomain): string {
  if (d.lo === -Infinity && d.hi === Infinity) return 'real';
  if (d.hi === Infinity) return `${d.loOpen ? '>' : '>='} ${d.lo}`;
  if (d.lo === -Infinity) return `${d.hiOpen ? '<' : '<='} ${d.hi}`;
  return `in ${d.loOpen ? '(' : '['}${d.lo},${d.hi}${d.hiOpen ? ')' : ']'}`;
}

/** An interval holding every value of `e` over the domains (REAL_LINE when nothing better is known). */
function rangeOf(e: Expr, domains: Domains): Interval {
  switch (e.kind) {
    case 'num':
      return point(rat(e.p, e.q));
    case 'sym': {
      // An open end is moved inward by a hair, so `1 - abar` on abar in (0,1) reads as positive (this
      // range only decides which conditions to print, never a verdict).
      const d = symbolDomain(domains, e.name);
      const end = (x: number, open: boolean, dir: 1 | -1) =>
        Number.isFinite(x) ? radd(ratOfFloat(x), open ? rmul(HAIR, rat(BigInt(dir))) : R0) : null;
      return { lo: end(d.lo, d.loOpen, 1), hi: end(d.hi, d.hiOpen, -1) };
    }
    case 'const':
      return e.name === 'pi'
        ? { lo: rat(314n, 100n), hi: rat(315n, 100n) }
        : { lo: rat(271n, 100n), hi: rat(272n, 100n) };
    case 'add':
      return e.terms.map((t) => rangeOf(t, domains)).reduce(iadd);
    case 'mul':
      return e.factors.map((t) => rangeOf(t, domains)).reduce(imul);
    case 'pow': {
      if (e.exp.kind !== 'num') return REAL_LINE;
      const b = rangeOf(e.base, domains);
      if (e.exp.q === 1n) return e.exp.p >= 0n ? ipowInt(b, e.exp.p) : iinv(ipowInt(b, -e.exp.p));
      return ipowFrac(b, rat(e.exp.p, e.exp.q));
    }
    case 'call': {
      const a = rangeOf(e.arg, domains);
      if (e.fn === 'exp') return imonotone(a, Math.exp, HAIR);
      if (e.fn === 'sqrt') return ipowFrac(a, rat(1n, 2n));
      if (e.fn === 'abs') return { lo: R0, hi: null };
      return REAL_LINE;
    }
    default:
      return REAL_LINE;
  }
}
