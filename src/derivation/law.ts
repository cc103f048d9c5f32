// How a step of a paper is meant, before it is checked. Papers write `=` for three different things:
// - an identity in its symbols (most steps);
// - an equality in law: the two sides use different standard normal noise variables
//   (`\sqrt{\alpha_t} x_{t-1} + \sqrt{1-\alpha_t}\epsilon_{t-1} = ... \bar\epsilon_{t-2}`, the merging of
//   Gaussians). Both sides are affine in independent N(0, 1) draws, so they have the same law exactly when
//   their noise-free parts agree and their noise variances (sums of squared coefficients) agree;
// - a step through a relation the formula does not show: the sides hold different members of one indexed
//   family (`x_{t-1}` against `x_{t-2}`), related by a recurrence the step uses. Not checkable as written.
import { type Expr, add, freeSymbols, mul, pow, rational, substitute, sym, ZERO } from '../symbolic/expr.js';
import { derivative } from '../symbolic/derivative.js';
import { familyOf } from './dictionary.js';
import { spelling } from './show.js';

export interface LawCheck {
  /** What this identity establishes: affine form of a side, equal means, equal variances. */
  what: 'affine-lhs' | 'affine-rhs' | 'mean' | 'variance';
  lhs: Expr;
  rhs: Expr;
}

export type StepPlan =
  | { mode: 'identity' }
  | { mode: 'law'; noise: string[]; checks: LawCheck[] }
  | { mode: 'skip'; reason: string };

/**
 * Decide how to check `lhs = rhs`. `noise`: internal names of standard normal variables; `spellings`:
 * internal name -> canonical LaTeX spelling (for families).
 */
export function planStep(
  lhs: Expr,
  rhs: Expr,
  noise: ReadonlySet<string>,
  spellings: ReadonlyMap<string, string>,
): StepPlan {
  const left = freeSymbols(lhs);
  const right = freeSymbols(rhs);
  const shifted = shiftedFamily(left, right, noise, spellings);
  if (shifted)
    return {
      mode: 'skip',
      reason: `the sides hold different members of one family (${spelling(shifted[0])} against ${spelling(shifted[1])}): the step uses a relation between them that the formula does not state`,
    };
  const nl = [...left].filter((n) => noise.has(n)).sort();
  const nr = [...right].filter((n) => noise.has(n)).sort();
  if (nl.join(',') === nr.join(',')) return { mode: 'identity' };
  const all = [...new Set([...nl, ...nr])].sort();
  const zero = new Map(all.map((n) => [n, ZERO]));
  const parts = (e: Expr) => {
    const mean = substitute(e, zero);
    const coefficients = all.map((n) => substitute(derivative(e, n), zero));
    return { mean, coefficients };
  };
  const l = parts(lhs);
  const r = parts(rhs);
  const affine = (e: Expr, p: ReturnType<typeof parts>) =>
    add(p.mean, ...p.coefficients.map((c, i) => mul(c, sym(all[i]))));
  const variance = (p: ReturnType<typeof parts>) => add(...p.coefficients.map((c) => pow(c, rational(2n))));
  const checks: LawCheck[] = [];
  if (nl.length > 0) checks.push({ what: 'affine-lhs', lhs, rhs: affine(lhs, l) });
  if (nr.length > 0) checks.push({ what: 'affine-rhs', lhs: rhs, rhs: affine(rhs, r) });
  checks.push({ what: 'mean', lhs: l.mean, rhs: r.mean });
  checks.push({ what: 'variance', lhs: variance(l), rhs: variance(r) });
  return { mode: 'law', noise: all, checks };
}

/** Two members of one family, one only on each side (`x_{t-1}` vs `x_{t-2}`), if any. */
function shiftedFamily(
  left: Set<string>,
  right: Set<string>,
  noise: ReadonlySet<string>,
  spellings: ReadonlyMap<string, string>,
): [string, string] | undefined {
  const members = (side: Set<string>) => {
    const out = new Map<string, Set<string>>();
    for (const n of side) {
      const c = spellings.get(n);
      if (c === undefined || noise.has(n)) continue;
      const { family, sub } = familyOf(c);
      if (sub === undefined) continue;
      if (!out.has(family)) out.set(family, new Set());
      out.get(family)!.add(c);
    }
    return out;
  };
  const l = members(left);
  const r = members(right);
  for (const [family, ls] of l) {
    const rs = r.get(family);
    if (!rs) continue;
    const onlyL = [...ls].filter((c) => !rs.has(c));
    const onlyR = [...rs].filter((c) => !ls.has(c));
    if (onlyL.length > 0 && onlyR.length > 0) return [onlyL[0], onlyR[0]];
  }
  return undefined;
}

/**
 * Two neighbours of one indexed family free in a step (`\bar\alpha_t` and `\bar\alpha_{t-1}`): a
 * recurrence the paper may use without stating it in math. A refutation of such a step is not trusted.
 * Noise variables are independent draws, never neighbours.
 */
export function indexedPair(
  e: Expr[],
  noise: ReadonlySet<string>,
  spellings: ReadonlyMap<string, string>,
): [string, string] | undefined {
  const byFamily = new Map<string, { canon: string; index: [string, number] }[]>();
  const free = new Set<string>();
  for (const x of e) freeSymbols(x, free);
  for (const n of free) {
    const c = spellings.get(n);
    if (c === undefined || noise.has(n)) continue;
    const { family, sub } = familyOf(c);
    const index = sub === undefined ? undefined : shiftOf(sub);
    if (!index) continue;
    const seen = byFamily.get(family) ?? [];
    const other = seen.find((o) => o.index[0] === index[0] && o.index[1] !== index[1]);
    if (other) return [spelling(other.canon), spelling(c)];
    byFamily.set(family, [...seen, { canon: c, index }]);
  }
  return undefined;
}

/** A subscript `t`, `{ t - 1 }`, `{ t + 2 }` as (index variable, offset). */
export function shiftOf(sub: string): [string, number] | undefined {
  const m = /^(?:\{ )?([A-Za-z]|\\tau)(?: ([+-]) (\d+))?(?: \})?$/.exec(sub);
  if (!m) return undefined;
  return [m[1], m[2] ? (m[2] === '-' ? -1 : 1) * Number(m[3]) : 0];
}
