// flowproof's own prover: an assumption-aware normal form in which lhs - rhs is tested for zero.
//
// An expression becomes a rational function N / (F1^k1 ... Fn^kn): N is an expanded sum of terms
// c * prod(atom^e) * exp(A), each Fi a multi-term polynomial. Every rewrite is an identity wherever the
// expression is defined; the named rewrites, and the sign each needs, are the table RULES
// (src/symbolic/rules.ts), applied only when exact interval arithmetic over the declared domains
// certifies that sign. Besides them: u^a u^b = u^(a+b) for integer a, b, and exp(A) exp(B) = exp(A + B).
// A proof returns the rules it used, each with its operand. Zero means every coefficient of N cancels (terms whose exp arguments are themselves provably equal
// are merged), so a "zero" is a proof; anything else, or running out of budget, is no verdict.
import type { RuleUse } from '../core/verdict.js';
import { type Expr, sub } from './expr.js';
import { FUNCTIONS } from './functions.js';
import { type Rule, RULES, certifies, ruleUse } from './rules.js';
import { type Domains, declaredFunctions, symbolDomain } from './domain.js';
import {
  type Rat,
  R0,
  R1,
  factorize,
  rabs,
  radd,
  rat,
  rbits,
  rcmp,
  rfloor,
  rgcd,
  rinv,
  risInt,
  rkey,
  rmul,
  rneg,
  ratOfFloat,
  rsign,
  rsub,
} from './rational.js';
import {
  type Interval,
  REAL_LINE,
  iadd,
  iinv,
  imonotone,
  imul,
  ipowFrac,
  ipowInt,
  isNonneg,
  point,
} from './interval.js';

/** The prover ran out of its work or time budget. */
export class CanonicalBudgetError extends Error {}
/** The expression divides by an identically zero quantity. */
class UndefinedExpression extends Error {}

interface Atom {
  key: string;
  /** Every value, wherever the atom is defined, is >= 0: rational exponents may combine. */
  nonneg: boolean;
  range: () => Interval;
  /** The atom in the plain syntax (for the operands of the rules a proof used). */
  show: () => string;
  /** Its sign comes from a declared domain (a symbol's or a function's): rules that use it say so. */
  declared?: boolean;
  /** The atom is base^1 for this base: exponents are kept in (0, 1) and integer parts expanded. */
  base?: Ratfn;
  /** Records the rule that makes it equal to its base, whenever the base replaces it. */
  useBase?: () => void;
  /** The atom is log(logOf). */
  logOf?: Atom;
  /** For sin atoms: 1 - cos(arg)^2. */
  sinSquared?: () => Ratfn;
}

interface Term {
  c: Rat;
  atoms: Map<string, { atom: Atom; e: Rat }>;
  exp: Ratfn | null;
}
type Poly = Term[];
interface Ratfn {
  num: Poly;
  den: Map<string, { poly: Poly; k: number }>;
}

const HALF = rat(1n, 2n);
const MAX_COEFF_BITS = 20_000;
const MAX_INT_POWER = 64n;

export interface CanonicalOptions {
  domains?: Domains;
  /** Wall-clock deadline (Date.now() ms). */
  deadline?: number;
  /** Maximum number of term operations. */
  maxWork?: number;
}

/**
 * Whether lhs - rhs reduces to 0 in the normal form: with the rules the proof used (in the order first
 * used), or else with the budget that ran out (work, time, a coefficient or a power too large), if one did.
 */
export type CanonicalOutcome = { zero: true; rules: RuleUse[] } | { zero: false; exhausted?: string };

export function canonicalProof(lhs: Expr, rhs: Expr, options: CanonicalOptions = {}): CanonicalOutcome {
  const c = new Canon(options);
  try {
    return c.fromExpr(sub(lhs, rhs)).num.length === 0
      ? { zero: true, rules: c.rulesUsed() }
      : { zero: false };
  } catch (err) {
    if (err instanceof CanonicalBudgetError) return { zero: false, exhausted: err.message };
    if (err instanceof UndefinedExpression) return { zero: false };
    throw err;
  }
}

/** True when lhs - rhs reduces to 0 in the normal form; false when it does not (or the budget ran out). */
export function canonicalEqual(lhs: Expr, rhs: Expr, options: CanonicalOptions = {}): boolean {
  return canonicalProof(lhs, rhs, options).zero;
}

class Canon {
  private work = 0;
  private readonly atoms = new Map<string, Atom>();
  private readonly keys = new WeakMap<object, string>();
  private readonly expEq = new Map<string, boolean>();
  /** Rule uses by rule and operand key, in the order first used. */
  private readonly used = new Map<string, { rule: Rule; show: () => string }>();
  private readonly functions: ReturnType<typeof declaredFunctions>;
  private readonly deadline: number;
  private readonly maxWork: number;

  constructor(private readonly options: CanonicalOptions) {
    this.functions = declaredFunctions(options.domains);
    this.deadline = options.deadline ?? Infinity;
    this.maxWork = options.maxWork ?? 300_000;
  }

  /**
   * Whether `rule` applies to an operand of this range (the table decides); records the use when it does.
   * A use inside an attempt that fails is taken back by `rollback`.
   */
  private apply(rule: Rule, key: string, show: () => string, range?: () => Interval): boolean {
    if (rule.needs && !certifies(rule, range!())) return false;
    const k = `${rule.name}|${key}`;
    if (!this.used.has(k)) this.used.set(k, { rule, show });
    return true;
  }
  private applyR(rule: Rule, r: Ratfn): boolean {
    return this.apply(
      rule,
      this.key(r),
      () => this.show(r),
      () => this.range(r),
    );
  }
  private applyA(rule: Rule, a: Atom): boolean {
    return this.apply(rule, a.key, a.show, a.range);
  }
  private mark(): number {
    return this.used.size;
  }
  private rollback(mark: number): void {
    for (const k of [...this.used.keys()].slice(mark)) this.used.delete(k);
  }
  rulesUsed(): RuleUse[] {
    return [...this.used.values()].map((u) => ruleUse(u.rule, u.show()));
  }

  private tick(n = 1): void {
    this.work += n;
    if (this.work > this.maxWork) throw new CanonicalBudgetError('work budget exhausted');
    if ((this.work & 1023) < n && Date.now() > this.deadline)
      throw new CanonicalBudgetError('time budget exhausted');
  }

  // ---- keys (deterministic printing; equal keys mean structurally equal) ----
  private termKey(t: Term, withCoeff: boolean): string {
    const parts = [...t.atoms.keys()].sort().map((k) => `${k}^${rkey(t.atoms.get(k)!.e)}`);
    if (t.exp) parts.push(`exp{${this.key(t.exp)}}`);
    return (withCoeff ? rkey(t.c) + '*' : '') + parts.join('*');
  }
  private polyKey(p: Poly): string {
    let k = this.keys.get(p);
    if (k === undefined) {
      k = p
        .map((t) => this.termKey(t, true))
        .sort()
        .join(' + ');
      this.keys.set(p, k);
    }
    return k;
  }
  private key(r: Ratfn): string {
    let k = this.keys.get(r);
    if (k === undefined) {
      const den = [...r.den.keys()].sort().map((d) => `(${d})^${r.den.get(d)!.k}`);
      k = `[${this.polyKey(r.num)}]${den.length ? '/' + den.join('') : ''}`;
      this.keys.set(r, k);
    }
    return k;
  }

  // ---- the plain syntax (operands of rule uses) ----
  private showTerm(t: Term): string {
    const parts = [...t.atoms.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, { atom, e }]) => {
        const s = atom.show();
        const b = s.includes(' ') ? `(${s})` : s;
        return rcmp(e, R1) === 0 ? b : `${b}^${e.q === 1n ? e.p : `(${e.p}/${e.q})`}`;
      });
    if (t.exp) parts.push(`exp(${this.show(t.exp)})`);
    const c = rabs(t.c);
    const cs = c.q === 1n ? `${c.p}` : `${c.p}/${c.q}`;
    const body = parts.length === 0 ? cs : rcmp(c, R1) === 0 ? parts.join('*') : `${cs}*${parts.join('*')}`;
    return rsign(t.c) < 0 ? `-${body}` : body;
  }
  private showPoly(p: Poly): string {
    if (p.length === 0) return '0';
    const terms = [...p]
      .sort((x, y) => (this.termKey(x, false) < this.termKey(y, false) ? -1 : 1))
      .map((t) => this.showTerm(t));
    return terms.reduce((acc, t) => (t.startsWith('-') ? `${acc} - ${t.slice(1)}` : `${acc} + ${t}`));
  }
  show(r: Ratfn): string {
    const num = this.showPoly(r.num);
    if (r.den.size === 0) return num;
    const den = [...r.den.keys()].sort().map((k) => {
      const { poly, k: n } = r.den.get(k)!;
      return n === 1 ? `(${this.showPoly(poly)})` : `(${this.showPoly(poly)})^${n}`;
    });
    return `${num.includes(' ') ? `(${num})` : num}/${den.join('/')}`;
  }

  // ---- constructors ----
  private constR(c: Rat): Ratfn {
    return { num: rsign(c) === 0 ? [] : [{ c, atoms: new Map(), exp: null }], den: new Map() };
  }
  private termR(t: Term): Ratfn {
    return { num: rsign(t.c) === 0 ? [] : [t], den: new Map() };
  }
  private atom(key: string, make: () => Omit<Atom, 'key'>): Atom {
    let a = this.atoms.get(key);
    if (!a) {
      const spec = make();
      let cached: Interval | undefined;
      let shown: string | undefined;
      a = { ...spec, key, range: () => (cached ??= spec.range()), show: () => (shown ??= spec.show()) };
      this.atoms.set(key, a);
    }
    return a;
  }
  /** atom^e, with base atoms' integer part expanded. */
  private atomPow(a: Atom, e: Rat): Ratfn {
    if (rsign(e) === 0) return this.constR(R1);
    if (a.base) {
      const n = rfloor(e);
      const f = rsub(e, rat(n));
      if (n !== 0n) a.useBase?.();
      const frac =
        rsign(f) === 0
          ? this.constR(R1)
          : this.termR({ c: R1, atoms: new Map([[a.key, { atom: a, e: f }]]), exp: null });
      return n === 0n ? frac : this.mul(frac, this.powInt(a.base, n));
    }
    return this.termR({ c: R1, atoms: new Map([[a.key, { atom: a, e }]]), exp: null });
  }

  // ---- polynomial arithmetic ----
  private termMul(a: Term, b: Term): Term {
    this.tick();
    const c = rmul(a.c, b.c);
    if (rbits(c) > MAX_COEFF_BITS) throw new CanonicalBudgetError('coefficient too large');
    const atoms = new Map(a.atoms);
    for (const [k, v] of b.atoms) {
      const prev = atoms.get(k);
      const e = prev ? radd(prev.e, v.e) : v.e;
      if (rsign(e) === 0) atoms.delete(k);
      else atoms.set(k, { atom: v.atom, e });
    }
    const exp = a.exp && b.exp ? this.nonzeroOrNull(this.add(a.exp, b.exp)) : (a.exp ?? b.exp);
    return { c, atoms, exp };
  }
  private nonzeroOrNull(r: Ratfn): Ratfn | null {
    return r.num.length === 0 ? null : r;
  }
  private sameExp(a: Ratfn | null, b: Ratfn | null): boolean {
    if (a === b) return true;
    if (!a || !b) return false;
    const ka = this.key(a);
    const kb = this.key(b);
    if (ka === kb) return true;
    const pair = ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
    let eq = this.expEq.get(pair);
    if (eq === undefined) {
      eq = this.add(a, this.neg(b)).num.length === 0;
      this.expEq.set(pair, eq);
    }
    return eq;
  }
  /** Sum of terms, like terms merged (same atoms and provably equal exp arguments). */
  private collect(terms: Iterable<Term>): Poly {
    const groups = new Map<string, Term[]>();
    for (const t of terms) {
      this.tick();
      const k = this.termKey({ ...t, exp: null }, false);
      const g = groups.get(k);
      if (!g) {
        groups.set(k, [{ ...t }]);
        continue;
      }
      const same = g.find((u) => this.sameExp(u.exp, t.exp));
      if (same) same.c = radd(same.c, t.c);
      else g.push({ ...t });
    }
    const out: Poly = [];
    for (const g of groups.values()) for (const t of g) if (rsign(t.c) !== 0) out.push(t);
    return out;
  }
  /** A term with every atom in normal range: base atoms' exponents in (0,1), sin powers below 2. */
  private normalizeTerm(t: Term): Ratfn {
    let needs = false;
    for (const { atom, e } of t.atoms.values())
      if ((atom.base && (rcmp(e, R1) >= 0 || rsign(e) < 0)) || (atom.sinSquared && rcmp(e, R1) > 0))
        needs = true;
    if (!needs) return this.termR(t);
    const keep = new Map<string, { atom: Atom; e: Rat }>();
    const factors: Ratfn[] = [];
    for (const [k, v] of t.atoms) {
      if (v.atom.base && (rcmp(v.e, R1) >= 0 || rsign(v.e) < 0)) factors.push(this.atomPow(v.atom, v.e));
      else if (v.atom.sinSquared && rcmp(v.e, R1) > 0) {
        const n = v.e.p / 2n;
        const r = v.e.p % 2n;
        if (r) keep.set(k, { atom: v.atom, e: R1 });
        factors.push(this.powInt(v.atom.sinSquared(), n));
      } else keep.set(k, v);
    }
    return factors.reduce((acc, f) => this.mul(acc, f), this.termR({ c: t.c, atoms: keep, exp: t.exp }));
  }
  private polyMul(a: Poly, b: Poly): Ratfn {
    const plain: Term[] = [];
    let rest: Ratfn | null = null;
    for (const s of a)
      for (const t of b) {
        const n = this.normalizeTerm(this.termMul(s, t));
        if (n.den.size === 0) plain.push(...n.num);
        else rest = rest ? this.add(rest, n) : n;
      }
    const r: Ratfn = { num: this.collect(plain), den: new Map() };
    return rest ? this.add(r, rest) : r;
  }

  // ---- rational-function arithmetic ----
  add(a: Ratfn, b: Ratfn): Ratfn {
    if (a.den.size === 0 && b.den.size === 0)
      return { num: this.collect([...a.num, ...b.num]), den: new Map() };
    const den = new Map(a.den);
    for (const [k, v] of b.den) if (!den.has(k) || den.get(k)!.k < v.k) den.set(k, v);
    const lift = (r: Ratfn): Ratfn => {
      let num: Ratfn = { num: r.num, den: new Map() };
      for (const [k, v] of den) {
        const missing = v.k - (r.den.get(k)?.k ?? 0);
        if (missing > 0) num = this.mul(num, this.powInt({ num: v.poly, den: new Map() }, BigInt(missing)));
      }
      return num;
    };
    const la = lift(a);
    const lb = lift(b);
    const sum = this.add(la, lb);
    return { num: sum.num, den: this.mergeDen(den, sum.den) };
  }
  neg(a: Ratfn): Ratfn {
    return { num: a.num.map((t) => ({ ...t, c: rneg(t.c) })), den: a.den };
  }
  private mergeDen(a: Ratfn['den'], b: Ratfn['den']): Ratfn['den'] {
    if (b.size === 0) return a;
    const den = new Map(a);
    for (const [k, v] of b) den.set(k, { poly: v.poly, k: (den.get(k)?.k ?? 0) + v.k });
    return den;
  }
  mul(a: Ratfn, b: Ratfn): Ratfn {
    const p = this.polyMul(a.num, b.num);
    return { num: p.num, den: this.mergeDen(this.mergeDen(a.den, b.den), p.den) };
  }
  private expandDen(den: Ratfn['den']): Ratfn {
    let r = this.constR(R1);
    for (const v of den.values()) r = this.mul(r, this.powInt({ num: v.poly, den: new Map() }, BigInt(v.k)));
    return r;
  }
  /** 1 / t for one term. */
  private invTerm(t: Term): Ratfn {
    const atoms = new Map<string, { atom: Atom; e: Rat }>();
    const factors: Ratfn[] = [];
    for (const [k, v] of t.atoms) {
      if (v.atom.base) factors.push(this.atomPow(v.atom, rneg(v.e)));
      else atoms.set(k, { atom: v.atom, e: rneg(v.e) });
    }
    const exp = t.exp && this.neg(t.exp);
    return factors.reduce((acc, f) => this.mul(acc, f), this.termR({ c: rinv(t.c), atoms, exp }));
  }
  /** Split a multi-term polynomial into a monomial content and a primitive remainder with a fixed sign. */
  private content(p: Poly): { m: Term; rest: Poly } {
    const sorted = [...p].sort((x, y) => (this.termKey(x, false) < this.termKey(y, false) ? -1 : 1));
    let g = rabs(sorted[0].c);
    for (const t of sorted) g = rgcd(g, rabs(t.c));
    const c = rsign(sorted[0].c) < 0 ? rneg(g) : g;
    // Each atom's smallest exponent over the terms (absent counts as 0): a common factor, or a
    // common denominator such as abar^-1 in abar^-1 - 1.
    const atoms = new Map<string, { atom: Atom; e: Rat }>();
    for (const t of sorted)
      for (const [k, v] of t.atoms) {
        if (atoms.has(k)) continue;
        let e = v.e;
        for (const u of sorted) {
          const w = u.atoms.get(k)?.e ?? R0;
          if (rcmp(w, e) < 0) e = w;
        }
        if (rsign(e) !== 0) atoms.set(k, { atom: v.atom, e });
      }
    const exp = sorted.every((t) => t.exp) ? sorted[0].exp : null;
    const m: Term = { c, atoms, exp };
    const rest = sorted.map((t) => {
      const a = new Map(t.atoms);
      for (const [k, v] of atoms) {
        const e = rsub(a.get(k)?.e ?? R0, v.e);
        if (rsign(e) === 0) a.delete(k);
        else a.set(k, { atom: v.atom, e });
      }
      return {
        c: rmul(t.c, rinv(c)),
        atoms: a,
        exp: exp && t.exp ? this.nonzeroOrNull(this.add(t.exp, this.neg(exp))) : t.exp,
      };
    });
    return { m, rest };
  }
  inv(a: Ratfn): Ratfn {
    if (a.num.length === 0) throw new UndefinedExpression('division by zero');
    const den = this.expandDen(a.den);
    if (a.num.length === 1) return this.mul(this.invTerm(a.num[0]), den);
    const { m, rest } = this.content(a.num);
    const r = this.mul(this.invTerm(m), den);
    const k = this.polyKey(rest);
    const prev = r.den.get(k);
    const d = new Map(r.den);
    d.set(k, { poly: rest, k: (prev?.k ?? 0) + 1 });
    return { num: r.num, den: d };
  }
  powInt(a: Ratfn, k: bigint): Ratfn {
    if (k < 0n) return this.inv(this.powInt(a, -k));
    if (k > MAX_INT_POWER) throw new CanonicalBudgetError('power too large');
    let result = this.constR(R1);
    let base = a;
    for (let n = k; n > 0n; n >>= 1n) {
      if (n & 1n) result = this.mul(result, base);
      if (n > 1n) base = this.mul(base, base);
    }
    return result;
  }
  pow(a: Ratfn, r: Rat): Ratfn {
    if (risInt(r)) return this.powInt(a, r.p);
    const n = rfloor(r);
    const f = rsub(r, rat(n));
    if (a.num.length === 0) {
      if (rsign(r) < 0) throw new UndefinedExpression('zero to a negative power');
      return this.constR(R0); // 0^r = 0 for r > 0
    }
    const frac = this.fracPow(a, f) ?? this.atomPow(this.rootAtom(a), f);
    return n === 0n ? frac : this.mul(this.powInt(a, n), frac);
  }
  /** An atom standing for a^1 with a >= 0 wherever its fractional powers are defined. */
  private rootAtom(a: Ratfn): Atom {
    return this.atom(`root(${this.key(a)})`, () => ({
      nonneg: true,
      show: () => this.show(a),
      base: a,
      range: () => ipowFrac(this.range(a), R1),
    }));
  }
  private polyAtom(p: Poly): Atom {
    const base: Ratfn = { num: p, den: new Map() };
    return this.atom(`P(${this.polyKey(p)})`, () => ({
      nonneg: true,
      show: () => this.showPoly(p),
      base,
      range: () => ipowFrac(this.range(base), R1),
    }));
  }
  private primeAtom(p: bigint): Atom {
    return this.atom(`n:${p}`, () => ({
      nonneg: true,
      show: () => `${p}`,
      base: this.constR(rat(p)),
      range: () => point(rat(p)),
    }));
  }
  /** |a|^f as factors whose signs are certified; null when a sign is unknown or a is negative. */
  private fracPow(a: Ratfn, f: Rat): Ratfn | null {
    let sign = 1;
    const factors: Ratfn[] = [];
    // A multi-term polynomial factor P^e (e = +-f k): its sign from intervals.
    const polyFactor = (p: Poly, e: Rat, k: number): boolean => {
      const u: Ratfn = { num: p, den: new Map() };
      if (this.applyR(RULES.powerOfNonneg, u)) factors.push(this.atomPow(this.polyAtom(p), e));
      else if (this.applyR(RULES.powerOfNonpos, u)) {
        if (k % 2) sign = -sign;
        factors.push(this.atomPow(this.polyAtom(p.map((t) => ({ ...t, c: rneg(t.c) }))), e));
      } else return false;
      return true;
    };
    const mark = this.mark();
    const fail = (): null => {
      this.rollback(mark);
      return null;
    };
    let m: Term;
    if (a.num.length === 1) m = a.num[0];
    else {
      const split = this.content(a.num);
      m = split.m;
      if (!polyFactor(split.rest, f, 1)) return fail();
    }
    if (rsign(m.c) < 0) sign = -sign;
    factors.push(this.ratPow(rabs(m.c), f));
    for (const { atom, e } of m.atoms.values()) {
      if (atom.nonneg) {
        if (atom.declared) this.applyA(RULES.powerOfNonneg, atom);
        factors.push(this.atomPow(atom, rmul(e, f)));
      } else if (risInt(e) && e.p % 2n === 0n) {
        this.applyA(RULES.powerOfEvenPower, atom);
        factors.push(this.atomPow(this.absAtom(atom), rmul(e, f)));
      } else if (risInt(e) && this.applyA(RULES.powerOfNonpos, atom)) {
        sign = -sign; // x^e <= 0 for odd e when x <= 0, and |x^e| = |x|^e
        factors.push(this.atomPow(this.absAtom(atom), rmul(e, f)));
      } else return fail();
    }
    if (m.exp) factors.push(this.termR({ c: R1, atoms: new Map(), exp: this.scale(m.exp, f) }));
    for (const v of a.den.values())
      if (!polyFactor(v.poly, rneg(rmul(f, rat(BigInt(v.k)))), v.k)) return fail();
    if (sign < 0) return fail();
    return factors.reduce((acc, x) => this.mul(acc, x), this.constR(R1));
  }
  /** c^f for a rational c >= 0, through its prime factors. */
  private ratPow(c: Rat, f: Rat): Ratfn {
    if (rsign(c) === 0) return this.constR(R0);
    let r = this.constR(R1);
    for (const [n, sgn] of [
      [c.p, 1n],
      [c.q, -1n],
    ] as const)
      for (const [p, k] of factorize(n))
        r = this.mul(r, this.atomPow(this.primeAtom(p), rmul(f, rat(k * sgn))));
    return r;
  }
  private scale(a: Ratfn, c: Rat): Ratfn {
    return { num: a.num.map((t) => ({ ...t, c: rmul(t.c, c) })), den: a.den };
  }
  /** |a|; when a <= 0 on the domain it is the base atom -a (so |a|^2 expands to a^2). */
  private absAtom(a: Atom): Atom {
    return this.atom(`abs(${a.key})`, () => {
      const r = a.range();
      const nonpos = certifies(RULES.absOfNonpos, r);
      return {
        nonneg: true,
        show: () => `|${a.show()}|`,
        base: nonpos ? this.neg(this.atomPow(a, R1)) : undefined,
        useBase: nonpos ? () => this.applyA(RULES.absOfNonpos, a) : undefined,
        range: () => {
          if (isNonneg(r)) return r;
          const hi = r.lo === null || r.hi === null ? null : rcmp(rneg(r.lo), r.hi) > 0 ? rneg(r.lo) : r.hi;
          return { lo: R0, hi };
        },
      };
    });
  }
  exp(a: Ratfn): Ratfn {
    if (a.num.length === 0) return this.constR(R1);
    const factors: Ratfn[] = [];
    let rest = a;
    if (a.den.size === 0) {
      // exp(k log u) = u^k, for the log atoms of the argument.
      const keep: Term[] = [];
      for (const t of a.num) {
        const only = t.atoms.size === 1 && !t.exp ? [...t.atoms.values()][0] : undefined;
        if (only && only.atom.logOf && rcmp(only.e, R1) === 0) {
          this.applyA(RULES.expOfLog, only.atom.logOf);
          factors.push(this.atomPow(only.atom.logOf, t.c));
        } else keep.push(t);
      }
      rest = { num: keep, den: new Map() };
    }
    const e = this.nonzeroOrNull(rest);
    return factors.reduce((acc, f) => this.mul(acc, f), this.termR({ c: R1, atoms: new Map(), exp: e }));
  }
  private logAtom(a: Atom): Atom {
    return this.atom(`log(${a.key})`, () => ({
      nonneg: false,
      show: () => `log(${a.show()})`,
      logOf: a,
      range: () => imonotone(a.range(), Math.log),
    }));
  }
  log(a: Ratfn): Ratfn {
    const parts: Ratfn[] = [];
    const logPoly = (p: Poly, e: Rat): boolean => {
      if (!this.applyR(RULES.logOfProduct, { num: p, den: new Map() })) return false;
      parts.push(this.scale(this.atomPow(this.logAtom(this.polyAtom(p)), R1), e));
      return true;
    };
    const decompose = (): boolean => {
      if (a.num.length === 0) return false;
      let m: Term;
      if (a.num.length === 1) m = a.num[0];
      else {
        const split = this.content(a.num);
        m = split.m;
        if (!logPoly(split.rest, R1)) return false;
      }
      if (rsign(m.c) <= 0) return false;
      for (const [n, sgn] of [
        [m.c.p, 1n],
        [m.c.q, -1n],
      ] as const)
        for (const [p, k] of factorize(n))
          parts.push(this.scale(this.atomPow(this.logAtom(this.primeAtom(p)), R1), rat(k * sgn)));
      for (const { atom, e } of m.atoms.values()) {
        if (atom.nonneg) {
          if (atom.declared) this.applyA(RULES.logOfProduct, atom);
          parts.push(this.scale(this.atomPow(this.logAtom(atom), R1), e));
        } else if (risInt(e) && e.p % 2n === 0n) {
          this.applyA(RULES.logOfEvenPower, atom);
          parts.push(this.scale(this.atomPow(this.logAtom(this.absAtom(atom)), R1), e));
        } else return false;
      }
      if (m.exp) parts.push(m.exp);
      for (const v of a.den.values()) if (!logPoly(v.poly, rat(BigInt(-v.k)))) return false;
      return true;
    };
    const mark = this.mark();
    if (decompose()) return parts.reduce((acc, x) => this.add(acc, x), this.constR(R0));
    this.rollback(mark);
    // log(u) is defined only where u > 0, so exp(k log u) = u^k wherever it is defined.
    const opaque = this.atom(`log[${this.key(a)}]`, () => ({
      nonneg: false,
      show: () => `log(${this.show(a)})`,
      logOf: this.rootAtom(a),
      range: () => imonotone(this.range(a), (x) => (x <= 0 ? -Infinity : Math.log(x))),
    }));
    return this.atomPow(opaque, R1);
  }

  // ---- ranges over the declared domains ----
  range(a: Ratfn): Interval {
    let num: Interval = point(R0);
    for (const t of a.num) {
      let r: Interval = point(t.c);
      for (const { atom, e } of t.atoms.values())
        r = imul(r, risInt(e) ? ipowInt(atom.range(), e.p) : ipowFrac(atom.range(), e));
      if (t.exp) r = imul(r, imonotone(this.range(t.exp), Math.exp, R0));
      num = iadd(num, r);
    }
    let den: Interval = point(R1);
    for (const v of a.den.values())
      den = imul(den, ipowInt(this.range({ num: v.poly, den: new Map() }), BigInt(v.k)));
    return a.den.size ? imul(num, iinv(den)) : num;
  }
  private boundsOf(lo: number, hi: number): Interval {
    return {
      lo: Number.isFinite(lo) ? ratOfFloat(lo) : null,
      hi: Number.isFinite(hi) ? ratOfFloat(hi) : null,
    };
  }

  // ---- from the expression form ----
  fromExpr(e: Expr): Ratfn {
    this.tick();
    switch (e.kind) {
      case 'num':
        return this.constR(rat(e.p, e.q));
      case 'const':
        if (e.name === 'e') return this.exp(this.constR(R1));
        return this.atomPow(
          this.atom('pi', () => ({
            nonneg: true,
            show: () => 'pi',
            range: () => ({ lo: rat(314159265358979n, 10n ** 14n), hi: rat(314159265358980n, 10n ** 14n) }),
          })),
          R1,
        );
      case 'sym': {
        const d = symbolDomain(this.options.domains, e.name);
        return this.atomPow(
          this.atom(`s:${e.name}`, () => ({
            nonneg: d.lo >= 0,
            declared: true,
            show: () => e.name,
            range: () => this.boundsOf(d.lo, d.hi),
          })),
          R1,
        );
      }
      case 'fn': {
        const arg = this.fromExpr(e.arg);
        const d = e.order === 0 ? this.functions.get(e.name) : undefined;
        return this.atomPow(
          this.atom(`f:${e.name}:${e.order}(${this.key(arg)})`, () => ({
            nonneg: d !== undefined && d.lo >= 0,
            declared: true,
            show: () => `${e.name}${"'".repeat(e.order)}(${this.show(arg)})`,
            range: () => (d ? this.boundsOf(d.lo, d.hi) : REAL_LINE),
          })),
          R1,
        );
      }
      case 'add':
        return e.terms.reduce((acc, t) => this.add(acc, this.fromExpr(t)), this.constR(R0));
      case 'mul':
        return e.factors.reduce((acc, f) => this.mul(acc, this.fromExpr(f)), this.constR(R1));
      case 'pow': {
        const base = this.fromExpr(e.base);
        if (e.exp.kind === 'num') return this.pow(base, rat(e.exp.p, e.exp.q));
        const x = this.fromExpr(e.exp);
        // b^x = exp(x log b) for b >= 0; otherwise an opaque real.
        if (this.applyR(RULES.powerAsExp, base)) return this.exp(this.mul(x, this.log(base)));
        return this.atomPow(
          this.atom(`pow(${this.key(base)};${this.key(x)})`, () => ({
            nonneg: false,
            show: () => `(${this.show(base)})^(${this.show(x)})`,
            range: () => REAL_LINE,
          })),
          R1,
        );
      }
      case 'call': {
        // A function defined by others is expanded (sinh(u) = (exp(u) - exp(-u))/2).
        const definition = FUNCTIONS[e.fn].definition;
        if (!definition) return this.callOf(e.fn, this.fromExpr(e.arg));
        const u = this.fromExpr(e.arg);
        this.applyR({ name: `${e.fn}-definition`, formula: definition.formula }, u);
        return this.fromExpr(definition.expand(e.arg));
      }
    }
  }
  private trig(name: 'sin' | 'cos', a: Ratfn): Atom {
    return this.atom(`${name}(${this.key(a)})`, () => ({
      nonneg: false,
      show: () => `${name}(${this.show(a)})`,
      range: () => ({ lo: rat(-1n), hi: R1 }),
      sinSquared:
        name === 'sin'
          ? () => {
              this.applyR(RULES.sinSquared, a);
              return this.add(this.constR(R1), this.neg(this.atomPow(this.trig('cos', a), rat(2n))));
            }
          : undefined,
    }));
  }
  private callOf(fn: Extract<Expr, { kind: 'call' }>['fn'], a: Ratfn): Ratfn {
    switch (fn) {
      case 'sqrt':
        return this.pow(a, HALF);
      case 'exp':
        return this.exp(a);
      case 'log':
        return this.log(a);
      case 'sin':
      case 'cos':
        return this.atomPow(this.trig(fn, a), R1);
      case 'tan':
        this.applyR(RULES.tanQuotient, a);
        return this.mul(this.atomPow(this.trig('sin', a), R1), this.atomPow(this.trig('cos', a), rat(-1n)));
      default: {
        // Any other function: an opaque atom whose values lie in its table range.
        const range = FUNCTIONS[fn].range;
        return this.atomPow(
          this.atom(`${fn}(${this.key(a)})`, () => ({
            nonneg: range !== undefined && range[0] >= 0,
            show: () => `${fn}(${this.show(a)})`,
            range: () => (range ? this.boundsOf(range[0], range[1]) : REAL_LINE),
          })),
          R1,
        );
      }
      case 'abs': {
        // |u| = +-u when the sign is known, else sqrt(u^2): the same normal form as sqrt(x^2).
        if (this.applyR(RULES.absOfNonneg, a)) return a;
        if (this.applyR(RULES.absOfNonpos, a)) return this.neg(a);
        this.applyR(RULES.absAsRoot, a);
        return this.pow(this.mul(a, a), HALF);
      }
    }
  }
}
