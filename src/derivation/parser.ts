// A recursive-descent parser for exactly the LaTeX vocabulary of the seeds (derivations/README.md lists
// it). Anything else is an InputError quoting the token and its file:line:column: no guessing. The
// precedence choices that LaTeX leaves open are fixed here and pinned by tests:
// - `\log`, `\exp`, `\sqrt x`, `\nabla_x`, `\partial_t`, `\frac{d}{dt}` apply to the next factor
//   (with its sub/superscripts and argument list); a bare argument followed by another factor
//   (`\log a b`) is rejected as ambiguous;
// - `\frac{\partial}{\partial t}(A) + B` differentiates only (A): operators never reach across `+`;
// - `d` followed by a symbol is a differential (`dt`, `dW`), which ends an integrand;
// - a superscript is a power unless it is a label (`^\theta`, `^\star`, `^*`, `^{(i)}`).
import type { DerivOp, Tex } from './ast.js';
import { ORIGIN_START, texError, tokenize, type Origin, type Token } from './tokens.js';

const GREEK = new Set(
  (
    'alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi rho ' +
    'varrho sigma varsigma tau upsilon phi varphi chi psi omega ell Gamma Delta Theta Lambda Xi Sigma ' +
    'Upsilon Phi Psi Omega'
  )
    .split(' ')
    .map((g) => '\\' + g),
);
const DECORATIONS = new Set([
  '\\bar',
  '\\hat',
  '\\dot',
  '\\ddot',
  '\\tilde',
  '\\vec',
  '\\overline',
  '\\widehat',
  '\\widetilde',
  '\\check',
]);
/** Font commands that do not change which symbol is meant (bold x is x, read coordinate-wise). */
const FONTS = new Set(['\\mathbf', '\\boldsymbol', '\\bm', '\\mathit', '\\mathsf']);
/** Font commands that make a different symbol (calligraphic L is not L). */
const LETTER_FONTS = new Set(['\\mathcal', '\\mathbb', '\\mathscr', '\\mathfrak']);
const FUNCTIONS: Record<string, 'exp' | 'log' | 'sin' | 'cos' | 'tan'> = {
  '\\exp': 'exp',
  '\\log': 'log',
  '\\ln': 'log',
  '\\sin': 'sin',
  '\\cos': 'cos',
  '\\tan': 'tan',
};
const SPACING = new Set([
  '\\,',
  '\\!',
  '\\;',
  '\\:',
  '\\ ',
  '\\>',
  '~',
  '&',
  '\\displaystyle',
  '\\limits',
  '\\nolimits',
]);
const BREAKS = new Set(['\\quad', '\\qquad']);
export const RELATIONS: Record<string, string> = {
  '=': '=',
  '<': '<',
  '>': '>',
  ':': ':',
  '\\leq': '<=',
  '\\le': '<=',
  '\\geq': '>=',
  '\\ge': '>=',
  '\\neq': '!=',
  '\\ne': '!=',
  '\\sim': '~',
  '\\in': 'in',
  '\\notin': 'notin',
  '\\approx': '~=',
  '\\simeq': '~=',
  '\\propto': 'propto',
  '\\equiv': '==',
  '\\coloneqq': ':=',
  '\\to': '->',
  '\\rightarrow': '->',
  '\\longrightarrow': '->',
  '\\mapsto': '|->',
  '\\leftarrow': '<-',
  '\\gets': '<-',
  '\\leftrightarrow': '<->',
  '\\longleftrightarrow': '<->',
  '\\Rightarrow': '=>',
  '\\implies': '=>',
  '\\subset': 'subset',
  '\\subseteq': 'subset',
  '\\ll': '<<',
  '\\gg': '>>',
};
const BIG_OPS = new Set([
  '\\sum',
  '\\prod',
  '\\min',
  '\\max',
  '\\inf',
  '\\sup',
  '\\cup',
  '\\cap',
  '\\bigcup',
  '\\bigcap',
  '\\argmin',
  '\\argmax',
]);
const OPAQUE: Record<string, string> = {
  '\\emptyset': 'empty set',
  '\\varnothing': 'empty set',
  '\\infty': 'infinity',
  '\\dots': 'ellipsis',
  '\\ldots': 'ellipsis',
  '\\cdots': 'ellipsis',
};
/** Commands that end a factor (operators, closers, separators): never the start of one. */
const NOT_FACTORS = new Set([
  '\\right',
  '\\cdot',
  '\\times',
  '\\mid',
  '\\\\',
  '\\end',
  '\\begin',
  '\\}',
  '\\rbrace',
  '\\pm',
  '\\mp',
  '\\forall',
  '\\exists',
]);
const LABEL_SCRIPTS = new Set(['\\theta', '\\star', '*', '\\prime', '\\dagger']);
const MAX_NESTING = 120;
const ENVIRONMENTS = new Set([
  'aligned',
  'align',
  'align*',
  'equation',
  'equation*',
  'split',
  'gathered',
  'gather',
  'gather*',
]);

export interface ParseOptions {
  origin?: Origin;
  /** Treat `d` followed by a symbol as a differential (default true; false when `d` is a declared symbol). */
  differentials?: boolean;
}

/** A parsed display block: its statements, plus what is needed to quote and canonicalize pieces. */
export interface ParsedMath {
  source: string;
  origin: Origin;
  tokens: Token[];
  statements: Tex[];
}

export function parseDisplay(source: string, options: ParseOptions = {}): ParsedMath {
  const p = new Parser(source, options);
  return { source, origin: p.origin, tokens: p.toks, statements: p.display() };
}

/** One expression (a `let` body, a symbol spelling): exactly one member, no relation. */
export function parseExpression(source: string, options: ParseOptions = {}): ParsedMath {
  const p = new Parser(source, options);
  const e = p.expressionOnly();
  return { source, origin: p.origin, tokens: p.toks, statements: [e] };
}

/** The canonical spelling of tokens [from, to): spacing and bold dropped, single-token braces removed. */
export function canonical(tokens: Token[], from: number, to: number): string {
  const parts: string[] = [];
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t.kind === 'text') {
      if (t.text === '\\hspace' || t.text === '\\vspace') continue;
      const cmd = t.text === '\\operatorname' ? '\\operatorname' : '\\text';
      parts.push(`${cmd}{${t.arg}}`);
    } else if (t.kind === 'cmd') {
      if (SPACING.has(t.text) || BREAKS.has(t.text) || FONTS.has(t.text)) continue;
      if (t.text === '\\left' || t.text === '\\right') continue;
      parts.push(t.text === '\\mid' ? '|' : t.text);
    } else if (t.text !== '&' && t.text !== '~') parts.push(t.text);
  }
  let s = parts.join(' ');
  for (let prev = ''; prev !== s;) {
    prev = s;
    s = s.replace(/(^|\s)\{ (\S+) \}(?=\s|$)/g, '$1$2');
  }
  return s;
}

class Parser {
  readonly toks: Token[];
  readonly origin: Origin;
  private pos = 0;
  private end: number;
  private depth = 0;
  private intDepth = 0;
  /** Inside a norm, `\|` closes it rather than starting a factor. */
  private normDepth = 0;
  /** Factor recursion depth: bounded, so hostile input cannot overflow the stack. */
  private nesting = 0;
  private readonly differentials: boolean;

  constructor(
    readonly source: string,
    options: ParseOptions,
  ) {
    this.origin = options.origin ?? ORIGIN_START;
    this.differentials = options.differentials ?? true;
    this.toks = tokenize(source, this.origin);
    this.end = this.toks.length;
  }

  // ---- token access -------------------------------------------------------------------------------

  private isSpace(t: Token): boolean {
    if (t.kind === 'text') return t.text === '\\hspace' || t.text === '\\vspace';
    return SPACING.has(t.text) || (this.depth > 0 && BREAKS.has(t.text));
  }

  private peek(): Token | undefined {
    while (this.pos < this.end && this.isSpace(this.toks[this.pos])) this.pos++;
    return this.pos < this.end ? this.toks[this.pos] : undefined;
  }

  /** The token after the next one (spacing skipped). */
  private peek2(): Token | undefined {
    this.peek();
    let i = this.pos + 1;
    while (i < this.end && this.isSpace(this.toks[i])) i++;
    return i < this.end ? this.toks[i] : undefined;
  }

  private next(): Token {
    const t = this.peek();
    if (!t) throw this.fail('the formula ends too early', this.source.length, 'end of formula');
    this.pos++;
    return t;
  }

  private is(text: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind !== 'text' && t.text === text;
  }

  private expect(text: string, what: string): Token {
    const t = this.peek();
    if (!t || t.text !== text) throw this.failAt(t, `expected '${text}' ${what}`);
    this.pos++;
    return t;
  }

  private fail(message: string, offset: number, quote: string) {
    return texError(message, this.source, offset, this.origin, quote);
  }

  private failAt(t: Token | undefined, message: string) {
    if (!t) return this.fail(message + ', but the formula ends', this.source.length, 'end of formula');
    return this.fail(message, t.at, t.kind === 'text' ? `${t.text}{${t.arg}}` : t.text);
  }

  private span<T extends object>(from: number, node: T): T & { from: number; to: number } {
    return { ...node, from, to: this.pos };
  }

  /** Index just past the `}` matching the `{` at token index `open`. */
  private closeBrace(open: number): number {
    let d = 0;
    for (let i = open; i < this.end; i++) {
      const t = this.toks[i];
      if (t.kind !== 'char') continue;
      if (t.text === '{') d++;
      else if (t.text === '}' && --d === 0) return i + 1;
    }
    throw this.failAt(this.toks[open], 'unclosed brace');
  }

  /** Parse tokens [from, to) with `fn`, which must consume all of them. */
  private within<T>(from: number, to: number, fn: () => T): T {
    const [savedPos, savedEnd] = [this.pos, this.end];
    this.pos = from;
    this.end = to;
    this.depth++;
    try {
      const out = fn();
      const left = this.peek();
      if (left) throw this.failAt(left, 'unexpected token');
      return out;
    } finally {
      this.depth--;
      this.pos = Math.max(savedPos, to);
      this.end = savedEnd;
    }
  }

  // ---- statements -----------------------------------------------------------------------------------

  display(): Tex[] {
    const out: Tex[] = [];
    let continuable = false;
    for (let t = this.peek(); t; t = this.peek()) {
      if (t.text === '\\begin' || t.text === '\\end') {
        this.environment();
        continue;
      }
      if (t.text === '\\\\' || BREAKS.has(t.text) || t.text === ',' || t.text === ';' || t.text === '.') {
        this.pos++;
        continue;
      }
      const prev = out[out.length - 1];
      if (continuable && prev && this.relation()) {
        // An aligned row `&= c` continues the chain of the row before.
        out[out.length - 1] = this.chain(prev);
      } else out.push(this.statement());
      continuable = true;
    }
    return out;
  }

  expressionOnly(): Tex {
    const e = this.sum();
    const left = this.peek();
    if (left) throw this.failAt(left, 'unexpected token after the expression');
    return e;
  }

  private environment(): void {
    this.pos++;
    const open = this.pos;
    this.expect('{', 'after \\begin/\\end');
    const close = this.closeBrace(open);
    const name = this.toks
      .slice(open + 1, close - 1)
      .map((t) => t.text)
      .join('');
    if (!ENVIRONMENTS.has(name)) throw this.failAt(this.toks[open], `unsupported environment '${name}'`);
    this.pos = close;
  }

  private statement(): Tex {
    const t = this.peek();
    if (t && (t.text === '\\forall' || t.text === '\\exists')) {
      const from = this.pos++;
      const body = this.chain();
      return this.span(from, { k: 'quantifier' as const, q: t.text.slice(1), body });
    }
    return this.chain();
  }

  private relation(): string | undefined {
    const t = this.peek();
    if (!t || t.kind === 'text') return undefined;
    return Object.hasOwn(RELATIONS, t.text) ? RELATIONS[t.text] : undefined;
  }

  private chain(first?: Tex): Tex {
    const from = first ? first.from : this.pos;
    const members: Tex[] = first ? (first.k === 'chain' ? [...first.members] : [first]) : [this.sum()];
    const ops: string[] = first?.k === 'chain' ? [...first.ops] : [];
    for (let op = this.relation(); op; op = this.relation()) {
      this.pos++;
      // `:=` is one relation.
      if (op === ':' && this.is('=')) {
        this.pos++;
        op = ':=';
      }
      ops.push(op);
      members.push(this.sum());
    }
    if (members.length === 1) return members[0];
    return { k: 'chain', members, ops, from, to: this.pos };
  }

  // ---- sums, products, factors ----------------------------------------------------------------------

  private sum(): Tex {
    const from = this.pos;
    const terms: Tex[] = [];
    const signs: (1 | -1)[] = [];
    let sign: 1 | -1 = 1;
    for (;;) {
      while (this.is('+') || this.is('-')) {
        if (this.next().text === '-') sign = sign === 1 ? -1 : 1;
      }
      const t = this.peek();
      if (t?.text === '\\pm' || t?.text === '\\mp') throw this.failAt(t, 'unsupported LaTeX: \\pm');
      if (!t || !this.startsFactor(t)) throw this.failAt(t, 'expected an expression');
      terms.push(this.term());
      signs.push(sign);
      sign = 1;
      if (!this.is('+') && !this.is('-')) break;
    }
    if (terms.length === 1 && signs[0] === 1) return terms[0];
    return this.span(from, { k: 'add' as const, terms, signs });
  }

  private term(): Tex {
    const from = this.pos;
    const factors: Tex[] = [this.factor()];
    for (let t = this.peek(); t; t = this.peek()) {
      if (t.text === '\\cdot' || t.text === '\\times' || t.text === '*') {
        this.pos++;
        factors.push(this.factor());
      } else if (t.text === '/') {
        this.pos++;
        const den = this.factor();
        const num = factors.pop() as Tex;
        factors.push({ k: 'div', num, den, from: num.from, to: this.pos });
      } else if (this.startsFactor(t) && !(this.intDepth > 0 && this.atDifferential())) {
        factors.push(this.factor());
      } else break;
    }
    return factors.length === 1 ? factors[0] : this.span(from, { k: 'mul' as const, factors });
  }

  private startsFactor(t: Token): boolean {
    if (t.kind === 'num' || t.kind === 'text') return true;
    if (t.kind === 'char') return /[A-Za-z([{]/.test(t.text);
    const c = t.text;
    if (c === '\\|') return this.normDepth === 0;
    // An unknown command starts a factor so that primary() reports it as unsupported, by name.
    if (!NOT_FACTORS.has(c) && !Object.hasOwn(RELATIONS, c) && !BREAKS.has(c)) return true;
    return (
      GREEK.has(c) ||
      DECORATIONS.has(c) ||
      FONTS.has(c) ||
      LETTER_FONTS.has(c) ||
      Object.hasOwn(FUNCTIONS, c) ||
      BIG_OPS.has(c) ||
      Object.hasOwn(OPAQUE, c) ||
      [
        '\\pi',
        '\\frac',
        '\\dfrac',
        '\\tfrac',
        '\\sqrt',
        '\\int',
        '\\left',
        '\\{',
        '\\lbrace',
        '\\nabla',
        '\\partial',
        '\\underbrace',
        '\\overbrace',
      ].includes(c)
    );
  }

  /** Is the next token a `d` (or `\mathrm{d}`) followed by a symbol, i.e. a differential? */
  private atDifferential(): boolean {
    const t = this.peek();
    if (!t || !this.differentials) return false;
    const isD =
      (t.kind === 'char' && t.text === 'd') || (t.kind === 'text' && t.text === '\\mathrm' && t.arg === 'd');
    if (!isD) return false;
    const n = this.peek2();
    if (!n) return false;
    if (n.kind === 'char') return /[A-Za-z]/.test(n.text);
    return n.kind === 'cmd' && (GREEK.has(n.text) || DECORATIONS.has(n.text) || FONTS.has(n.text));
  }

  private factor(): Tex {
    const from = this.pos;
    if (++this.nesting > MAX_NESTING)
      throw this.failAt(this.peek(), `nesting deeper than ${MAX_NESTING} levels`);
    try {
      const { tex, applicable } = this.primary();
      return this.postfix(tex, applicable, from);
    } finally {
      this.nesting--;
    }
  }

  private postfix(base: Tex, applicable: boolean, from: number): Tex {
    let e = base;
    let canApply = applicable;
    let isAtom = e.k === 'atom';
    let hasSub = false;
    for (let t = this.peek(); t; t = this.peek()) {
      if (t.text === '_' && t.kind === 'char') {
        if (!isAtom || hasSub) throw this.failAt(t, 'a subscript is supported only on a symbol (once)');
        this.pos++;
        this.scriptRange();
        hasSub = true;
        e = this.atom(from);
      } else if (t.text === '^' && t.kind === 'char') {
        this.pos++;
        const [a, b] = this.scriptRange();
        const braced = this.toks[a].kind === 'char' && this.toks[a].text === '{';
        const label = braced ? canonical(this.toks, a + 1, b - 1) : canonical(this.toks, a, b);
        if (isAtom && (LABEL_SCRIPTS.has(label) || label.startsWith('( '))) e = this.atom(from);
        else {
          const exp = this.scriptTex(a, b);
          e = { k: 'pow', base: e, exp, from, to: this.pos };
          isAtom = false;
          canApply = false;
        }
      } else if (t.text === "'" && t.kind === 'char') {
        if (!isAtom) throw this.failAt(t, 'a prime is supported only on a symbol');
        this.pos++;
        e = this.atom(from);
      } else if (isAtom && e.k === 'atom' && /^(E|\\mathbb E)( _|$)/.test(e.canon) && this.opensBracket()) {
        const sub = e;
        const { items, given } = this.delimited();
        e = this.span(from, { k: 'expect' as const, sub, body: this.oneItem(items, from), given });
        return e;
      } else if (canApply && t.text === '(' && t.kind === 'char') {
        const { items, given, sep } = this.delimited();
        e = { k: 'apply', head: e, args: items, given, sep, from, to: this.pos };
        isAtom = false;
        canApply = false;
      } else break;
    }
    return e;
  }

  private atom(from: number): Tex {
    return { k: 'atom', canon: canonical(this.toks, from, this.pos), from, to: this.pos };
  }

  private oneItem(items: Tex[], from: number): Tex {
    return items.length === 1 ? items[0] : { k: 'tuple', items, open: '[', from, to: this.pos };
  }

  private opensBracket(): boolean {
    const t = this.peek();
    return t !== undefined && (t.text === '[' || (t.text === '\\left' && this.peek2()?.text === '['));
  }

  /** The token range of a sub/superscript argument (one token, a command with its argument, or a group). */
  private scriptRange(): [number, number] {
    const t = this.peek();
    if (!t) throw this.failAt(t, 'expected a sub/superscript');
    const a = this.pos;
    if (t.text === '{' && t.kind === 'char') this.pos = this.closeBrace(a);
    else if (t.kind === 'cmd' && (DECORATIONS.has(t.text) || FONTS.has(t.text) || LETTER_FONTS.has(t.text))) {
      this.pos++;
      this.scriptRange();
    } else this.pos++;
    return [a, this.pos];
  }

  /** A sub/superscript as an expression (a braced group's inside; commas make a tuple). */
  private scriptTex(a: number, b: number): Tex {
    const braced = this.toks[a].text === '{' && this.toks[a].kind === 'char';
    return this.within(braced ? a + 1 : a, braced ? b - 1 : b, () => {
      const from = this.pos;
      const items = [this.chain()];
      while (this.is(',')) {
        this.pos++;
        items.push(this.chain());
      }
      return items.length === 1 ? items[0] : { k: 'tuple' as const, items, open: '_', from, to: this.pos };
    });
  }

  /** A braced argument `{...}` (or a single token) parsed as a sum. */
  private groupArg(): Tex {
    const [a, b] = this.scriptRange();
    return this.scriptTex(a, b);
  }

  /**
   * A delimited list: `( )`, `[ ]`, `{ }`, `\left( \right)`, `\left[ \right]`. Items are relation chains
   * separated by `,` or `;`; a `|` or `\mid` starts the conditioning part (`given`).
   */
  private delimited(): { items: Tex[]; given: Tex[]; sep: string; open: string } {
    let t = this.next();
    const viaLeft = t.text === '\\left';
    if (viaLeft) t = this.next();
    const open = t.text;
    const close = { '(': ')', '[': ']', '{': '}', '\\{': '\\}', '\\lbrace': '\\rbrace' }[open];
    if (!close) throw this.failAt(t, `unsupported delimiter after \\left`);
    const items: Tex[] = [];
    const given: Tex[] = [];
    let sep = '';
    this.depth++;
    try {
      for (;;) {
        const n = this.peek();
        if (!n) throw this.failAt(t, `unclosed '${open}'`);
        if (viaLeft && n.text === '\\right') {
          this.pos++;
          this.expect(close, `to close \\left${open}`);
          break;
        }
        if (!viaLeft && n.text === close) {
          this.pos++;
          break;
        }
        if (n.text === '|' || n.text === '\\mid') {
          if (items === given || given.length > 0) throw this.failAt(n, 'a second conditioning bar');
          this.pos++;
          given.push(this.item());
          continue;
        }
        if (n.text === ',' || n.text === ';') {
          sep += n.text;
          this.pos++;
          continue;
        }
        if (items.length > sep.length && given.length === 0)
          throw this.failAt(n, `expected ',' or '${close}'`);
        (given.length > 0 ? given : items).push(this.item());
      }
    } finally {
      this.depth--;
    }
    return { items, given, sep, open };
  }

  private item(): Tex {
    const t = this.peek();
    if (t?.text === '\\cdot') {
      // `u_t(\cdot | x_1)`: a placeholder argument.
      const from = this.pos++;
      return this.span(from, { k: 'opaque' as const, what: 'placeholder' });
    }
    return this.chain();
  }

  private primary(): { tex: Tex; applicable: boolean } {
    const from = this.pos;
    const t = this.next();
    const done = (tex: Tex, applicable = false) => ({ tex, applicable });
    if (t.kind === 'num') return done(this.span(from, { k: 'num' as const, text: t.text }));
    if (t.kind === 'text') {
      if (t.text === '\\mathrm' && t.arg === 'd' && this.differentials) {
        this.pos--;
        if (this.atDifferential()) return done(this.differential(from));
        this.pos++;
      }
      return done(this.atom(from), true);
    }
    if (t.kind === 'char') {
      if (/[A-Za-z]/.test(t.text)) {
        if (t.text === 'd') {
          this.pos--;
          if (this.atDifferential()) return done(this.differential(from));
          this.pos++;
        }
        return done(this.atom(from), true);
      }
      if (t.text === '(' || t.text === '[' || t.text === '{') {
        this.pos--;
        const { items, open } = this.delimited();
        if (items.length === 1) return done({ ...items[0], from, to: this.pos }, open === '(');
        return done(this.span(from, { k: 'tuple' as const, items, open }));
      }
      throw this.failAt(t, 'expected an expression');
    }
    const c = t.text;
    if (GREEK.has(c)) return done(this.atom(from), true);
    if (c === '\\pi') return done(this.span(from, { k: 'pi' as const }));
    if (Object.hasOwn(OPAQUE, c)) return done(this.span(from, { k: 'opaque' as const, what: OPAQUE[c] }));
    if (DECORATIONS.has(c)) {
      const [a, b] = this.scriptRange();
      const inner = canonical(this.toks, a, b);
      if (!/^(\\[A-Za-z]+|[A-Za-z])( \\[A-Za-z]+| [A-Za-z])*$/.test(inner) || inner.includes('\\frac'))
        throw this.failAt(t, `${c} of something that is not a symbol`);
      return done(this.atom(from), true);
    }
    if (FONTS.has(c)) {
      const [a, b] = this.scriptRange();
      const inner = canonical(this.toks, a, b);
      if (/^\d+$/.test(inner)) return done(this.span(from, { k: 'num' as const, text: inner }));
      if (!/^(\\[A-Za-z]+|[A-Za-z])$/.test(inner) && !/^\\(bar|hat|dot|tilde) \S+$/.test(inner))
        throw this.failAt(t, `${c} of something that is not a symbol`);
      return done(this.atom(from), true);
    }
    if (LETTER_FONTS.has(c)) {
      const [a, b] = this.scriptRange();
      const inner = canonical(this.toks, a, b);
      if (!/^[A-Za-z]$/.test(inner)) throw this.failAt(t, `${c} of something that is not a letter`);
      if (c === '\\mathcal' && inner === 'N' && (this.is('(') || this.is('\\left'))) {
        const { items, given, sep } = this.delimited();
        if (given.length > 0) throw this.failAt(t, '\\mathcal{N}(...) with a conditioning bar');
        return done(this.span(from, { k: 'normal' as const, args: items, sep }));
      }
      return done(this.atom(from), true);
    }
    if (Object.hasOwn(FUNCTIONS, c)) return done(this.func(t, from));
    switch (c) {
      case '\\frac':
      case '\\dfrac':
      case '\\tfrac':
        return this.frac(t, from);
      case '\\sqrt': {
        let index: Tex | undefined;
        if (this.is('[')) {
          const { items } = this.delimited();
          index = this.oneItem(items, from);
        }
        const arg = this.groupArg();
        return done(this.span(from, { k: 'sqrt' as const, arg, index }));
      }
      case '\\int':
        return done(this.integral(from));
      case '\\left': {
        const d = this.peek();
        if (d?.text === '\\|') {
          this.pos++;
          return done(this.norm(from, true));
        }
        this.pos--;
        const { items, open } = this.delimited();
        if (items.length === 1) return done({ ...items[0], from, to: this.pos }, open === '(');
        return done(this.span(from, { k: 'tuple' as const, items, open }));
      }
      case '\\|':
        return done(this.norm(from, false));
      case '\\{':
      case '\\lbrace': {
        this.pos--;
        const { items } = this.delimited();
        return done(this.span(from, { k: 'set' as const, items }));
      }
      case '\\nabla':
      case '\\partial':
        return done(this.operator(c, from), true);
      case '\\underbrace':
      case '\\overbrace': {
        const body = this.groupArg();
        let note: Tex | undefined;
        if (this.is(c === '\\underbrace' ? '_' : '^')) {
          this.pos++;
          note = this.groupArg();
        }
        return done(this.span(from, { k: 'underbrace' as const, body, note }));
      }
    }
    if (BIG_OPS.has(c)) return done(this.bigop(c, from));
    throw this.failAt(t, `unsupported LaTeX command ${c}`);
  }

  private differential(from: number): Tex {
    this.pos++;
    const atFrom = this.pos;
    const { tex } = this.primary();
    const wrt = this.postfix(tex, false, atFrom);
    if (wrt.k !== 'atom')
      throw this.failAt(this.toks[atFrom], 'a differential of something that is not a symbol');
    return this.span(from, { k: 'differential' as const, wrt });
  }

  private func(t: Token, from: number): Tex {
    if (this.is('^') || this.is('_'))
      throw this.failAt(this.peek(), `unsupported LaTeX: a script on ${t.text}`);
    const n = this.peek();
    if (!n || !this.startsFactor(n)) throw this.failAt(n, `${t.text} needs an argument`);
    const delimited = n.text === '(' || n.text === '\\left' || n.text === '{' || n.text === '[';
    const arg = this.factor();
    const after = this.peek();
    if (!delimited && after && this.startsFactor(after) && !this.atDifferential())
      throw this.failAt(
        after,
        `ambiguous argument of ${t.text}: put the argument in parentheses, e.g. ${t.text}(...)`,
      );
    return this.span(from, { k: 'fn' as const, fn: FUNCTIONS[t.text], arg });
  }

  /** `\frac{a}{b}`, or a derivative `\frac{d}{dt} X`, `\frac{dX}{dt}`, `\frac{\partial X}{\partial t}`. */
  private frac(t: Token, from: number): { tex: Tex; applicable: boolean } {
    const numOpen = this.pos;
    const numTok = this.peek();
    if (numTok?.text === '{' && numTok.kind === 'char') {
      const numClose = this.closeBrace(numOpen);
      const denOpen = numClose;
      const denTok = this.toks[denOpen];
      if (denTok?.text === '{' && denTok.kind === 'char') {
        const denClose = this.closeBrace(denOpen);
        const op = this.derivOp(numOpen + 1) ?? undefined;
        const afterD = this.toks[denOpen + 2]?.text;
        if (
          op &&
          this.derivOp(denOpen + 1) === op &&
          afterD !== '_' &&
          afterD !== '^' &&
          denClose - denOpen > 3
        ) {
          const wrt = this.within(denOpen + 2, denClose - 1, () => {
            const w = this.factor();
            if (w.k !== 'atom')
              throw this.failAt(this.toks[denOpen + 2], 'differentiation with respect to a non-symbol');
            return w;
          });
          const bodyFrom = numOpen + 2;
          this.pos = denClose;
          let body: Tex;
          if (bodyFrom === numClose - 1) {
            const n = this.peek();
            if (!n || !this.startsFactor(n)) throw this.failAt(n, 'a derivative operator needs an operand');
            body = this.factor();
          } else body = this.within(bodyFrom, numClose - 1, () => this.sum());
          this.pos = Math.max(this.pos, denClose);
          return {
            tex: this.span(from, { k: 'deriv' as const, op: op === 'd' ? 'd' : 'partial', wrt, body }),
            applicable: true,
          };
        }
      }
    }
    if (!numTok) throw this.failAt(t, '\\frac needs two arguments');
    const num = this.groupArg();
    const den = this.groupArg();
    return { tex: this.span(from, { k: 'div' as const, num, den }), applicable: false };
  }

  /** 'd' or 'partial' if token index i is `d`, `\mathrm{d}` or `\partial`. */
  private derivOp(i: number): 'd' | 'partial' | undefined {
    const t = this.toks[i];
    if (!t) return undefined;
    if (t.kind === 'cmd' && t.text === '\\partial') return 'partial';
    if (
      (t.kind === 'char' && t.text === 'd') ||
      (t.kind === 'text' && t.text === '\\mathrm' && t.arg === 'd')
    )
      return 'd';
    return undefined;
  }

  private integral(from: number): Tex {
    let lo: Tex | undefined;
    let hi: Tex | undefined;
    for (let k = 0; k < 2; k++) {
      if (this.is('_') && !lo) {
        this.pos++;
        lo = this.groupArg();
      } else if (this.is('^') && !hi) {
        this.pos++;
        hi = this.groupArg();
      }
    }
    this.intDepth++;
    let body: Tex;
    try {
      body = this.sum();
    } finally {
      this.intDepth--;
    }
    if (!this.atDifferential())
      throw this.failAt(this.peek(), 'an integral needs its differential (e.g. ds) after the integrand');
    const d = this.differential(this.pos) as Extract<Tex, { k: 'differential' }>;
    return this.span(from, { k: 'integral' as const, lo, hi, body, wrt: d.wrt });
  }

  private norm(from: number, viaLeft: boolean): Tex {
    this.depth++;
    this.normDepth++;
    let body: Tex;
    try {
      body = this.sum();
    } finally {
      this.depth--;
      this.normDepth--;
    }
    if (viaLeft) this.expect('\\right', 'to close \\left\\|');
    this.expect('\\|', 'to close the norm');
    return this.span(from, { k: 'norm' as const, body });
  }

  /** `\nabla_x X`, `\nabla \cdot X` (divergence), `\partial_t X`. */
  private operator(c: string, from: number): Tex {
    let wrt: Tex | undefined;
    if (this.is('_')) {
      this.pos++;
      const [a, b] = this.scriptRange();
      wrt = this.scriptTex(a, b);
      if (wrt.k !== 'atom')
        throw this.failAt(this.toks[a], `${c} with respect to something that is not a symbol`);
    } else if (c === '\\partial')
      throw this.failAt(this.toks[from], '\\partial needs a subscript variable (\\partial_t) or \\frac form');
    let op: DerivOp = c === '\\nabla' ? 'nabla' : 'partial';
    if (c === '\\nabla' && this.is('\\cdot')) {
      this.pos++;
      op = 'divergence';
    }
    const n = this.peek();
    if (!n || !this.startsFactor(n)) throw this.failAt(n, `${c} needs an operand`);
    const body = this.factor();
    return this.span(from, { k: 'deriv' as const, op, wrt, body });
  }

  private bigop(c: string, from: number): Tex {
    let sub: Tex | undefined;
    let sup: Tex | undefined;
    for (let k = 0; k < 2; k++) {
      if (this.is('_') && !sub) {
        this.pos++;
        sub = this.groupArg();
      } else if (this.is('^') && !sup) {
        this.pos++;
        sup = this.groupArg();
      }
    }
    const n = this.peek();
    if (!n || !this.startsFactor(n)) throw this.failAt(n, `${c} needs an operand`);
    const body = c === '\\sum' || c === '\\prod' ? this.term() : this.factor();
    return this.span(from, { k: 'bigop' as const, op: c.slice(1), sub, sup, body });
  }
}
