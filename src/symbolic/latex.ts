// A LaTeX printer for the expression form: how the report typesets what a step was checked as. The
// output reads back through the derivation reader (src/derivation: parseExpression + lowerMember) to an
// expression of the same value, given the same declared symbols; test/symbolic/latex.test.ts checks this
// by round trip. Symbols print in the spelling their file declared (`names`), else a readable fallback.
// Two forms are for reading only (the reader has no syntax for them): |a| and arctan, and Euler's e.
//
// Choices the reader needs: groups are \left( \right), never a bare `(` that could read as a function
// application (`\exp(x)(y)` would be exp(x y)); a function's argument is always such a group; a power's
// base is a symbol, a number or a group; exponents and fractions use braces; no exponent starts with a
// parenthesis (the reader takes `x^{(i)}` as a label); \cdot where juxtaposition would join digits or
// make `d x` a differential.
import type { Expr } from './expr.js';
import { FUNCTIONS, type UnaryFn } from './functions.js';

export interface LatexOptions {
  /** LaTeX spelling of each symbol or function name (e.g. abar -> \bar\alpha_t, m -> m). */
  names?: ReadonlyMap<string, string>;
}

type Num = Extract<Expr, { kind: 'num' }>;

// Precedence of what a printed piece is: a sum binds loosest, an atom tightest.
const SUM = 1;
const PRODUCT = 2;
const NEGATED = 3;
const POWER = 4;
const ATOM = 5;

interface Piece {
  tex: string;
  prec: number;
  /** A symbol spelling with its own superscript or prime: braced before a power. */
  scripted?: boolean;
}

const GREEK =
  /^(alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta|iota|kappa|lambda|mu|nu|xi|rho|varrho|sigma|varsigma|tau|upsilon|phi|varphi|chi|psi|omega|Gamma|Delta|Theta|Lambda|Xi|Sigma|Upsilon|Phi|Psi|Omega)$/;

/** A readable spelling of an internal name with no declared one: `x_0` -> x_{0}, `sigma` -> \sigma. */
export function fallbackName(name: string): string {
  const [head, ...rest] = name.split('_');
  const base = GREEK.test(head) ? `\\${head}` : head.length === 1 ? head : `\\mathrm{${head}}`;
  return rest.length
    ? `${base}_{${rest.map((r) => (/^\w$/.test(r) ? r : `\\mathrm{${r}}`)).join(',')}}`
    : base;
}

export function toLatex(e: Expr, options: LatexOptions = {}): string {
  return new Printer(options.names ?? new Map()).expr(e).tex;
}

const isNegative = (e: Expr): boolean =>
  (e.kind === 'num' && e.p < 0n) || (e.kind === 'mul' && e.factors[0].kind === 'num' && e.factors[0].p < 0n);

function negate(e: Expr): Expr {
  if (e.kind === 'num') return { ...e, p: -e.p };
  if (e.kind !== 'mul') return e;
  const c = e.factors[0] as Num;
  const rest = e.factors.slice(1);
  if (c.p === -1n && c.q === 1n) return rest.length === 1 ? rest[0] : { kind: 'mul', factors: rest };
  return { kind: 'mul', factors: [{ ...c, p: -c.p }, ...rest] };
}

/** The negative rational exponent of a power, as its positive counterpart, if it has one. */
function negativeExponent(e: Expr): Num | undefined {
  return e.kind === 'pow' && e.exp.kind === 'num' && e.exp.p < 0n ? { ...e.exp, p: -e.exp.p } : undefined;
}

const isHalf = (n: Expr): boolean => n.kind === 'num' && n.p === 1n && n.q === 2n;

class Printer {
  constructor(private readonly names: ReadonlyMap<string, string>) {}

  expr(e: Expr): Piece {
    switch (e.kind) {
      case 'num':
        return this.num(e);
      case 'sym': {
        const tex = this.name(e.name);
        return { tex, prec: ATOM, scripted: /[\^']/.test(tex) };
      }
      case 'const':
        return { tex: e.name === 'pi' ? '\\pi' : '\\mathrm{e}', prec: ATOM };
      case 'add':
        return this.sum(e.terms);
      case 'mul':
        return this.product(e);
      case 'pow':
        return this.power(e.base, e.exp);
      case 'call':
        return this.call(e.fn, e.arg);
      case 'fn': {
        const head = this.name(e.name);
        return { tex: `${head}${"'".repeat(e.order)}(${this.expr(e.arg).tex})`, prec: ATOM };
      }
    }
  }

  /** The declared spelling, with a command used as a script braced (`\\beta_\\min` -> `\\beta_{\\min}`, as KaTeX needs). */
  private name(name: string): string {
    const spelled = this.names.get(name) ?? fallbackName(name);
    return spelled.replace(/([_^])\s*(\\[A-Za-z]+(?:\{[^{}]*\})?)/g, '$1{$2}');
  }

  private num(n: Num): Piece {
    const neg = n.p < 0n;
    const p = neg ? -n.p : n.p;
    const body = n.q === 1n ? p.toString() : (decimalText(p, n.q) ?? `\\frac{${p}}{${n.q}}`);
    return {
      tex: neg ? `-${body}` : body,
      prec: neg ? NEGATED : n.q === 1n || !body.startsWith('\\') ? ATOM : PRODUCT,
    };
  }

  private sum(terms: Expr[]): Piece {
    // The builders put the constant last; `1 - t` reads better than `-t + 1`.
    const last = terms[terms.length - 1];
    const ordered = last.kind === 'num' && last.p > 0n ? [last, ...terms.slice(0, -1)] : terms;
    let tex = this.wrap(ordered[0], SUM);
    for (const t of ordered.slice(1))
      tex += isNegative(t) ? ` - ${this.wrap(negate(t), PRODUCT)}` : ` + ${this.wrap(t, SUM)}`;
    return { tex, prec: SUM };
  }

  private product(e: Extract<Expr, { kind: 'mul' }>): Piece {
    if (isNegative(e)) return { tex: `-${this.wrap(negate(e), PRODUCT)}`, prec: NEGATED };
    const top: Expr[] = [];
    const bottom: Expr[] = [];
    let coefficient: Num | undefined;
    for (const f of e.factors) {
      const k = negativeExponent(f);
      if (k && f.kind === 'pow')
        bottom.push(k.p === 1n && k.q === 1n ? f.base : { kind: 'pow', base: f.base, exp: k });
      else if (f.kind === 'num') coefficient = f;
      else top.push(f);
    }
    // A rational coefficient p/q in front: \frac{p}{q} x (or a decimal), unless there is a real denominator.
    if (coefficient && coefficient.q !== 1n && bottom.length === 0 && top.length > 0) {
      const c = this.num(coefficient);
      return { tex: `${c.tex} ${this.juxtapose(top)}`, prec: PRODUCT };
    }
    if (coefficient) {
      if (coefficient.p !== 1n) top.unshift({ kind: 'num', p: coefficient.p, q: 1n });
      if (coefficient.q !== 1n) bottom.unshift({ kind: 'num', p: coefficient.q, q: 1n });
    }
    if (bottom.length === 0) return { tex: this.juxtapose(top), prec: PRODUCT };
    const numerator = top.length ? this.juxtapose(top, SUM) : '1';
    return { tex: `\\frac{${numerator}}{${this.juxtapose(bottom, SUM)}}`, prec: ATOM };
  }

  /** Factors side by side, with \cdot where the reader would otherwise join them (no `\\,`: a macro, and KaTeX caps expansions). */
  private juxtapose(factors: Expr[], min = PRODUCT): string {
    if (factors.length === 1) return this.wrap(factors[0], min === SUM ? SUM : PRODUCT + 0.5);
    let tex = '';
    let previous: Piece | undefined;
    for (const f of factors) {
      const piece = this.expr(f);
      const shown = piece.prec < POWER && piece.prec !== ATOM ? this.group(piece.tex) : piece.tex;
      const needsDot =
        previous !== undefined && (previous.tex === 'd' || /^[\d.]/.test(shown) || shown.startsWith('-'));
      tex += previous === undefined ? shown : needsDot ? ` \\cdot ${shown}` : ` ${shown}`;
      previous = piece.prec < POWER && piece.prec !== ATOM ? { tex: shown, prec: ATOM } : piece;
    }
    return tex;
  }

  private power(base: Expr, exp: Expr): Piece {
    if (isHalf(exp)) return { tex: `\\sqrt{${this.expr(base).tex}}`, prec: ATOM };
    const k = negativeExponent({ kind: 'pow', base, exp });
    if (k) return this.product({ kind: 'mul', factors: [{ kind: 'pow', base, exp }] });
    const b = this.expr(base);
    // The reader takes an exponent that starts with a parenthesis as a label (x^{(i)}): brace it once more.
    const raw = this.expr(exp).tex;
    const exponent = raw.startsWith('\\left(') ? `{${raw}}` : raw;
    let shown: string;
    if (base.kind === 'sym' || base.kind === 'const') shown = b.scripted ? `{${b.tex}}` : b.tex;
    else if (
      (base.kind === 'num' && base.p > 0n && base.q === 1n) ||
      (base.kind === 'call' && base.fn === 'sqrt')
    )
      shown = b.tex;
    else shown = this.group(b.tex);
    return { tex: `${shown}^{${exponent}}`, prec: POWER };
  }

  private call(fn: UnaryFn, arg: Expr): Piece {
    const inner = this.expr(arg).tex;
    if (fn === 'sqrt') return { tex: `\\sqrt{${inner}}`, prec: ATOM };
    if (fn === 'abs') return { tex: `\\left|${inner}\\right|`, prec: ATOM };
    return { tex: `\\${FUNCTIONS[fn].tex[0]}\\left(${inner}\\right)`, prec: ATOM };
  }

  /** The piece of `e`, parenthesised when it binds looser than `min`. */
  private wrap(e: Expr, min: number): string {
    const piece = this.expr(e);
    return piece.prec < min ? this.group(piece.tex) : piece.tex;
  }

  private group(tex: string): string {
    return `\\left(${tex}\\right)`;
  }
}

/** p/q as a decimal when q is a power of ten, or a terminating fraction too long for \frac; else none. */
function decimalText(p: bigint, q: bigint): string | undefined {
  let twos = 0;
  let fives = 0;
  let r = q;
  while (r % 2n === 0n) {
    r /= 2n;
    twos++;
  }
  while (r % 5n === 0n) {
    r /= 5n;
    fives++;
  }
  if (r !== 1n) return undefined;
  const tenPower = twos === fives;
  if (!tenPower && q <= 16n) return undefined;
  const digits = Math.max(twos, fives);
  if (digits > 12) return undefined;
  const scaled = (p * 10n ** BigInt(digits)) / q;
  const s = scaled.toString().padStart(digits + 1, '0');
  return `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}
