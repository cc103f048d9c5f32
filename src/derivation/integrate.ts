// Closed-form antiderivatives for the integrals of schedule functions the seeds write (∫ f, ∫ g^2,
// ∫ g^2 exp(2∫ f)). This is a guesser, not an oracle: it may rewrite without assumptions
// (sqrt(u)^2 -> u, (a^s)^2 -> a^(2s)), so the caller must check d/ds G = F with the identity engine
// (a side condition) before trusting G. Rules, per group of terms sharing an exponential e^Q(s):
//   sum_k c_k s^k          -> sum_k c_k s^(k+1) / (k+1)
//   P(s) e^Q(s)            -> P e^Q / Q'   (right exactly when P / Q' does not depend on s)
import {
  type Expr,
  ONE,
  add,
  div,
  exp,
  freeSymbols,
  isNum,
  log,
  mul,
  pow,
  rational,
  toPlain,
} from '../symbolic/expr.js';
import { derivative } from '../symbolic/derivative.js';

const MAX_TERMS = 400;

const dependsOn = (e: Expr, s: string): boolean => freeSymbols(e).has(s);

/** An antiderivative G of `f` in `s` (a guess to be verified), or undefined when no rule applies. */
export function antiderivative(f: Expr, s: string): Expr | undefined {
  const terms = expand(f, s);
  if (!terms) return undefined;
  // Group by the exponent Q of the term's exponential (none: Q = 0).
  const groups = new Map<string, { q: Expr; parts: Expr[] }>();
  for (const t of terms) {
    const split = splitTerm(t, s);
    if (!split) return undefined;
    const key = toPlain(split.q);
    const g = groups.get(key) ?? { q: split.q, parts: [] };
    g.parts.push(split.p);
    groups.set(key, g);
  }
  const pieces: Expr[] = [];
  for (const { q, parts } of groups.values()) {
    if (!dependsOn(q, s)) {
      for (const p of parts) {
        const g = integratePower(p, s);
        if (!g) return undefined;
        pieces.push(mul(exp(q), g));
      }
    } else pieces.push(div(mul(add(...parts), exp(q)), derivative(q, s)));
  }
  return add(...pieces);
}

/** `e` as a sum of products, distributing products and small integer powers over sums. */
function expand(e: Expr, s: string): Expr[] | undefined {
  if (!dependsOn(e, s)) return [e];
  switch (e.kind) {
    case 'add': {
      const out: Expr[] = [];
      for (const t of e.terms) {
        const x = expand(t, s);
        if (!x) return undefined;
        out.push(...x);
        if (out.length > MAX_TERMS) return undefined;
      }
      return out;
    }
    case 'mul': {
      let acc: Expr[] = [ONE];
      for (const f of e.factors) {
        const x = expand(f, s);
        if (!x || acc.length * x.length > MAX_TERMS) return undefined;
        acc = acc.flatMap((a) => x.map((b) => mul(a, b)));
      }
      return acc;
    }
    case 'pow': {
      const n = e.exp;
      if (isNum(n) && n.q === 1n && n.p >= 2n && n.p <= 8n) {
        if (e.base.kind === 'add')
          return expand(mul(...Array.from({ length: Number(n.p) }, () => e.base)), s);
        if (e.base.kind === 'mul') return expand(mul(...e.base.factors.map((f) => pow(f, n))), s);
        if (e.base.kind === 'call' && e.base.fn === 'sqrt' && n.p === 2n) return expand(e.base.arg, s);
        if (e.base.kind === 'call' && e.base.fn === 'exp') return [exp(mul(n, e.base.arg))];
        if (e.base.kind === 'pow') return expand(pow(e.base.base, mul(e.base.exp, n)), s);
      }
      return [e];
    }
    default:
      return [e];
  }
}

/** A product term as P(s) * e^Q(s): exponentials and s-dependent powers a^h(s) go into Q. */
function splitTerm(t: Expr, s: string): { p: Expr; q: Expr } | undefined {
  const factors = t.kind === 'mul' ? t.factors : [t];
  const p: Expr[] = [];
  const q: Expr[] = [];
  for (const f of factors) {
    if (f.kind === 'call' && f.fn === 'exp' && dependsOn(f.arg, s)) q.push(f.arg);
    else if (f.kind === 'pow' && dependsOn(f.exp, s) && !dependsOn(f.base, s))
      q.push(mul(f.exp, log(f.base)));
    else if (f.kind === 'call' && f.fn === 'sqrt' && f.arg.kind === 'call' && f.arg.fn === 'exp')
      q.push(mul(rational(1n, 2n), f.arg.arg));
    else p.push(f);
  }
  return { p: mul(...p), q: add(...q) };
}

/** ∫ c s^k ds for a term c s^k (k a non-negative integer); undefined for anything else in s. */
function integratePower(t: Expr, s: string): Expr | undefined {
  const factors = t.kind === 'mul' ? t.factors : [t];
  let k = 0n;
  const c: Expr[] = [];
  for (const f of factors) {
    if (f.kind === 'sym' && f.name === s) k += 1n;
    else if (
      f.kind === 'pow' &&
      f.base.kind === 'sym' &&
      f.base.name === s &&
      isNum(f.exp) &&
      f.exp.q === 1n &&
      f.exp.p >= 0n
    )
      k += f.exp.p;
    else if (dependsOn(f, s)) return undefined;
    else c.push(f);
  }
  const sym: Expr = { kind: 'sym', name: s };
  return mul(...c, rational(1n, k + 1n), pow(sym, rational(k + 1n)));
}
