// A readable plain-syntax printer (minimal parentheses, `a - b` for negative terms). Its output parses
// back to an equal expression, like toPlain, but is meant for people.
import type { Expr } from './expr.js';

const PREC = { add: 1, mul: 2, neg: 3, pow: 4, atom: 5 } as const;

function isNegative(e: Expr): boolean {
  return (
    (e.kind === 'num' && e.p < 0n) || (e.kind === 'mul' && e.factors[0].kind === 'num' && e.factors[0].p < 0n)
  );
}

function negate(e: Expr): Expr {
  if (e.kind === 'num') return { ...e, p: -e.p };
  if (e.kind === 'mul') {
    const c = e.factors[0] as Extract<Expr, { kind: 'num' }>;
    const rest = e.factors.slice(1);
    if (c.p === -1n && c.q === 1n) return rest.length === 1 ? rest[0] : { kind: 'mul', factors: rest };
    return { kind: 'mul', factors: [{ ...c, p: -c.p }, ...rest] };
  }
  return e;
}

function go(e: Expr): [string, number] {
  switch (e.kind) {
    case 'num':
      if (e.q === 1n) return [e.p.toString(), e.p < 0n ? PREC.neg : PREC.atom];
      return [`${e.p}/${e.q}`, e.p < 0n ? PREC.neg : PREC.mul];
    case 'sym':
    case 'const':
      return [e.name, PREC.atom];
    case 'call':
      return [`${e.fn}(${go(e.arg)[0]})`, PREC.atom];
    case 'fn':
      return [`${e.name}${"'".repeat(e.order)}(${go(e.arg)[0]})`, PREC.atom];
    case 'add': {
      // The builders keep the constant last; `1 - abar` reads better than `-abar + 1`.
      const last = e.terms[e.terms.length - 1];
      const terms = last.kind === 'num' && last.p > 0n ? [last, ...e.terms.slice(0, -1)] : e.terms;
      let s = wrap(terms[0], PREC.add);
      for (const t of terms.slice(1))
        s += isNegative(t) ? ` - ${wrap(negate(t), PREC.mul)}` : ` + ${wrap(t, PREC.add)}`;
      return [s, PREC.add];
    }
    case 'mul': {
      if (isNegative(e)) return [`-${wrap(negate(e), PREC.mul + 0.5)}`, PREC.neg];
      const num: Expr[] = [];
      const den: Expr[] = [];
      for (const f of e.factors) {
        if (f.kind === 'pow' && f.exp.kind === 'num' && f.exp.p === -1n && f.exp.q === 1n) den.push(f.base);
        else if (f.kind === 'num' && f.p === 1n && f.q !== 1n) den.push({ kind: 'num', p: f.q, q: 1n });
        else num.push(f);
      }
      const top = num.length ? num.map((f) => wrap(f, PREC.mul)).join('*') : '1';
      if (!den.length) return [top, PREC.mul];
      const bottom =
        den.length === 1 ? wrap(den[0], PREC.pow) : `(${den.map((f) => wrap(f, PREC.mul)).join('*')})`;
      return [`${top}/${bottom}`, PREC.mul];
    }
    case 'pow':
      if (e.exp.kind === 'num' && e.exp.p === 1n && e.exp.q === 2n)
        return [`sqrt(${go(e.base)[0]})`, PREC.atom];
      return [`${wrap(e.base, PREC.pow + 0.5)}^${wrap(e.exp, PREC.pow)}`, PREC.pow];
  }
}

function wrap(e: Expr, min: number): string {
  const [s, p] = go(e);
  return p < min ? `(${s})` : s;
}

/** The expression in readable plain syntax. */
export function formatExpr(e: Expr): string {
  return go(e)[0];
}
