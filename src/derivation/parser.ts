// The LaTeX reader's "parse" stage: TeX argument rules first (`\frac`, `\sqrt`, `^`, `_` take one token
// or one group: `\frac12` is 1/2, `x^2_t` is `x_t^2`), then mathematical precedence: a postfix `^` binds
// to the atom or group right before it; juxtaposition binds tighter than `+ -` and looser than `^`;
// `a(b)` is a product unless `a` is a function (bound, declared, or a function in the field's notation:
// `p_t(x)`, `f(t)`, `\epsilon_\theta(x_t, t)`). Layout (`\left`, `\big`, spacing, `\label`, `\color`) is
// dropped before parsing. A display is read row by row (`\\`), so one bad row of an `align` does not hide
// the others; what cannot be read is an InputError quoting the token and its file:line:column.
import { InputError } from '../core/errors.js';
import type { DerivOp, Tex } from './ast.js';
import { looksLikeFunction, ORDER_TERMS } from './dictionary.js';
import { DISPLAY_ENVIRONMENTS, INNER_ENVIRONMENTS, editDistance } from './extract.js';
import { conventionFor } from './conventions.js';
import { ExpansionError, expand, Macros } from './macros.js';
import {
  closeGroup,
  mergeText,
  ORIGIN_START,
  TEXT_COMMANDS,
  texError,
  tokenize,
  type Origin,
  type Token,
} from './tokens.js';

const GREEK = new Set(
  (
    'alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi rho ' +
    'varrho sigma varsigma tau upsilon phi varphi chi psi omega ell Gamma Delta Theta Lambda Xi Sigma ' +
    'Upsilon Pi Phi Psi Omega digamma varkappa varpi'
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
  '\\breve',
  '\\mathring',
  '\\acute',
  '\\grave',
]);
/** Font commands that do not change which symbol is meant (bold x is x, read coordinate-wise). */
const FONTS = new Set([
  '\\mathbf',
  '\\boldsymbol',
  '\\bm',
  '\\mathit',
  '\\mathsf',
  '\\mathbold',
  '\\pmb',
  '\\mathnormal',
  '\\symbf',
  '\\symbfit',
  '\\mathbfit',
  '\\symit',
  '\\symsf',
  '\\symup',
]);
/** Font commands that make a different symbol (calligraphic L is not L). */
const LETTER_FONTS = new Set([
  '\\mathcal',
  '\\mathbb',
  '\\mathscr',
  '\\mathfrak',
  '\\mathbbm',
  '\\mathds',
  '\\mathpzc',
  '\\mathtt',
]);
/** Elementary functions: `\log x`, `\exp(x)`, `\tanh`; the identity engine checks those it knows. */
const FUNCTIONS = new Set(
  'exp log ln lg sin cos tan sinh cosh tanh arcsin arccos arctan sec csc cot coth'
    .split(' ')
    .map((f) => '\\' + f),
);
// `\therefore` / `\because` between two relations work like a wide space: they separate statements.
const SEPARATORS = new Set(['\\quad', '\\qquad', '\\therefore', '\\because']);
/** Implications: one that ends a display leads to the next display, it relates nothing in this one. */
const IMPLICATIONS = new Set(['=>', '<=>']);
export const RELATIONS: Record<string, string> = {
  '=': '=',
  '<': '<',
  '>': '>',
  ':': ':',
  '\\leq': '<=',
  '\\le': '<=',
  '\\leqslant': '<=',
  '\\geq': '>=',
  '\\ge': '>=',
  '\\geqslant': '>=',
  '\\neq': '!=',
  '\\ne': '!=',
  '\\sim': '~',
  '\\in': 'in',
  '\\notin': 'notin',
  '\\approx': '~=',
  '\\simeq': '~=',
  '\\cong': '~=',
  '\\propto': 'propto',
  '\\equiv': ':=',
  '\\coloneqq': ':=',
  '\\coloneq': ':=',
  '\\triangleq': ':=',
  '\\doteq': ':=',
  '\\defeq': ':=',
  '\\eqqcolon': '=:',
  '\\to': '->',
  '\\rightarrow': '->',
  '\\longrightarrow': '->',
  '\\mapsto': '|->',
  '\\leftarrow': '<-',
  '\\gets': '<-',
  '\\leftrightarrow': '<->',
  '\\longleftrightarrow': '<->',
  '\\Leftrightarrow': '<=>',
  '\\iff': '<=>',
  '\\Rightarrow': '=>',
  '\\implies': '=>',
  '\\Longrightarrow': '=>',
  '\\Longleftrightarrow': '<=>',
  '\\Leftarrow': '<=',
  '\\Longleftarrow': '<=',
  '\\longleftarrow': '<-',
  '\\rightleftharpoons': '<=>',
  '\\vdash': '|-',
  '\\models': '|=',
  '\\succ': '>',
  '\\prec': '<',
  '\\succeq': '>=',
  '\\preceq': '<=',
  '\\nsim': '!~',
  '\\subset': 'subset',
  '\\subseteq': 'subset',
  '\\supset': 'supset',
  '\\ll': '<<',
  '\\gg': '>>',
  '\\perp': 'perp',
  '\\parallel': '||',
  '\\asymp': '~=',
  '\\lesssim': '<~',
  '\\gtrsim': '>~',
  '\\eqslantgtr': '>=',
  '\\eqslantless': '<=',
  '\\approxeq': '~=',
  '\\thickapprox': '~=',
  '\\gtrapprox': '>~',
  '\\lessapprox': '<~',
  '\\xrightarrow': '->',
  '\\xleftarrow': '<-',
  '\\xRightarrow': '=>',
  '\\xLeftrightarrow': '<=>',
};
/** Annotations over `=` that make it a definition (`\stackrel{\text{def}}{=}`, `\overset{\Delta}{=}`). */
const DEFINING_NOTES =
  /^(\\text\{\s*def\.?\s*\}|\\operatorname\{def\}|def|\\triangle|\\Delta|\\mathrm\{def\}|:)$/;
const BIG_OPS = new Set([
  '\\sum',
  '\\prod',
  '\\min',
  '\\max',
  '\\inf',
  '\\sup',
  '\\lim',
  '\\liminf',
  '\\limsup',
  '\\bigcup',
  '\\bigcap',
  '\\argmin',
  '\\argmax',
  '\\arg',
  '\\det',
  '\\Pr',
  '\\coprod',
  '\\bigoplus',
  '\\bigotimes',
]);
const INTEGRALS = new Set(['\\int', '\\iint', '\\iiint', '\\oint', '\\intop']);
const OPAQUE: Record<string, string> = {
  '\\emptyset': 'empty set',
  '\\varnothing': 'empty set',
  '\\infty': 'infinity',
  '\\dots': 'ellipsis',
  '\\ldots': 'ellipsis',
  '\\cdots': 'ellipsis',
  '\\vdots': 'ellipsis',
  '\\ddots': 'ellipsis',
  '\\dotsb': 'ellipsis',
  '\\dotsc': 'ellipsis',
  '\\dotsm': 'ellipsis',
  '\\hbar': 'a constant',
  '\\nabla\\!\\!': 'nabla',
};
/** Binary operators the identity engine does not read as a product (`\otimes`, `\circ`, ...). */
const OPAQUE_OPS = new Set([
  '\\otimes',
  '\\oplus',
  '\\ominus',
  '\\circ',
  '\\wedge',
  '\\vee',
  '\\cup',
  '\\cap',
  '\\setminus',
  '\\bullet',
  '\\diamond',
  '\\star',
  '\\ast',
  '\\oslash',
  '\\#',
  '\\land',
  '\\lor',
  '\\sqcup',
  '\\sqcap',
  '\\triangle',
  '\\bigtriangleup',
]);
/** Commands that end a factor (operators, closers, separators): never the start of one. */
const NOT_FACTORS = new Set([
  '\\cdot',
  '\\times',
  '\\odot',
  '\\mid',
  '\\\\',
  '\\end',
  '\\}',
  '\\rangle',
  '\\pm',
  '\\mp',
  '\\forall',
  '\\exists',
  '\\over',
  '\\choose',
  '\\middle',
]);
const LABEL_SCRIPTS = new Set([
  '\\theta',
  '\\star',
  '*',
  '\\prime',
  '\\dagger',
  '\\ast',
  '\\circ',
  '\\natural',
  '\\sharp',
  '\\flat',
  '+',
  '-',
  '\\phi',
  '\\psi',
]);
/**
 * `(\mu_2 - \mu_1)^T \Sigma^{-1}`, `A^T`: a transpose, or the power T of a paper whose T is the number of
 * steps (`(1-\beta)^T`). Either reading may be wrong, so neither is taken.
 */
const AMBIGUOUS_T = 'a transpose or the power T (ambiguous: not read as either)';
const TRANSPOSES = new Set([
  '\\top',
  '\\intercal',
  '\\mathsf T',
  '\\text{T}',
  '\\operatorname{T}',
  '\\T',
  '\\transpose',
  '\\mathrm T',
  '\\rm T',
]);
const MAX_NESTING = 120;
/** Divergences written `D(p \| q)`: inside their parentheses `\|` separates the two arguments. */
const DIVERGENCES = /^(D|\\mathbb D|\\mathcal D|KL|\\text\{(KL|D|JS|TV)\}|\\operatorname\{(KL|D)\})( |$)/;
/** Text commands whose argument may be prose (`\mathrm`, `\operatorname` are always names). */
const PROSE_COMMANDS = new Set([
  '\\text',
  '\\mbox',
  '\\textrm',
  '\\textit',
  '\\textbf',
  '\\textnormal',
  '\\textsf',
]);
/** Symbols that are names of their own. */
const KNOWN_ATOMS = new Set([
  '\\aleph',
  '\\wp',
  '\\Re',
  '\\Im',
  '\\imath',
  '\\jmath',
  '\\hslash',
  '\\bot',
  '\\top',
  '\\sharp',
  '\\flat',
  '\\natural',
  '\\dagger',
  '\\ddagger',
  '\\blacktriangleright',
  '\\triangleright',
  '\\triangleleft',
  '\\blacksquare',
  '\\square',
  '\\Box',
  '\\checkmark',
  '\\S',
  '\\P',
  '\\clubsuit',
  '\\spadesuit',
  '\\heartsuit',
  '\\diamondsuit',
  '\\bigstar',
  '\\dag',
]);
/** Environments that only lay out rows: their \begin/\end are dropped and `\\` splits rows. */
const ROW_ENVIRONMENTS = new Set(
  [...DISPLAY_ENVIRONMENTS, 'aligned', 'alignedat', 'gathered', 'split', 'multlined', 'subequations'].flatMap(
    (e) => [e, e.replace(/\*$/, ''), `${e.replace(/\*$/, '')}*`],
  ),
);
/** Environments read as one opaque value (a case distinction, a matrix). */
const VALUE_ENVIRONMENTS: Record<string, string> = {
  cases: 'a case distinction',
  dcases: 'a case distinction',
  array: 'an array',
  matrix: 'a matrix',
  pmatrix: 'a matrix',
  bmatrix: 'a matrix',
  Bmatrix: 'a matrix',
  vmatrix: 'a determinant',
  Vmatrix: 'a matrix norm',
  smallmatrix: 'a matrix',
  subarray: 'an index array',
};

/** Is this canonical spelling a function, so that `name(a)` applies it? (`inner`: the argument's spelling.) */
export type FunctionTest = (head: string, inner: string) => boolean | undefined;

export interface ParseOptions {
  origin?: Origin;
  /** Treat `d` followed by a symbol as a differential (default true; false when `d` is a declared symbol). */
  differentials?: boolean;
  /** The document's macros, and the document position whose definitions are in force. */
  macros?: Macros;
  seq?: number;
  /** The document's own answer (bound or declared names); undefined defers to the field's notation. */
  isFunction?: FunctionTest;
}

/** One statement of a display: what was read, or why it could not be. */
export interface Statement {
  tex?: Tex;
  error?: InputError;
  /** Prose written in the row before the statement (`\text{where}`), lower-cased. */
  note?: string;
  /** Index of the row of the display the statement starts in. */
  row: number;
}

/** A parsed display block: its statements, plus what is needed to quote and canonicalize pieces. */
export interface ParsedMath {
  source: string;
  origin: Origin;
  tokens: Token[];
  /** The statements that were read (a strict parse throws instead of skipping). */
  statements: Tex[];
  items: Statement[];
  /** Commands the file does not define, read by a field convention (`\rvx` as `\mathbf{x}`). */
  conventions: string[];
}

/**
 * The author's LaTeX of tokens [from, to) of a display, with the sizing commands the reader dropped
 * just before it (`\left(`, `\bigl[`, `\left.`), so the slice typesets: `\left(a\right)` stays paired.
 */
export function sourceOf(math: ParsedMath, from: number, to: number): string {
  const first = math.tokens[from];
  if (!first) return '';
  // Trailing alignment tokens are layout; an environment's `\end{..}` is read as one of them.
  let last = to - 1;
  while (last > from && math.tokens[last].text === '&') last--;
  const end = math.tokens[last]?.end ?? first.end;
  const before = /(?:\\(?:left|middle|[bB]igg?l?)(?![A-Za-z])\s*\.?\s*)+$/.exec(
    math.source.slice(0, first.at),
  );
  return math.source.slice(before ? before.index : first.at, end).trim();
}

/** Every statement of a display; the first error is thrown (derivation files are strict). */
export function parseDisplay(source: string, options: ParseOptions = {}): ParsedMath {
  const math = readDisplay(source, options);
  const bad = math.items.find((s) => s.error);
  if (bad?.error) throw bad.error;
  return math;
}

/** Every statement of a display; an unreadable row is an item with its error, and the others are read. */
export function readDisplay(source: string, options: ParseOptions = {}): ParsedMath {
  const p = new Parser(source, options);
  const items = p.display();
  return {
    source,
    origin: p.origin,
    tokens: p.toks,
    statements: items.flatMap((s) => (s.tex ? [s.tex] : [])),
    items,
    conventions: [...p.conventions],
  };
}

/** One expression (a `let` body, a symbol spelling): exactly one member, no relation. */
export function parseExpression(source: string, options: ParseOptions = {}): ParsedMath {
  const p = new Parser(source, options);
  const e = p.expressionOnly();
  return {
    source,
    origin: p.origin,
    tokens: p.toks,
    statements: [e],
    items: [{ tex: e, row: 0 }],
    conventions: [...p.conventions],
  };
}

/** The canonical spelling of tokens [from, to): spacing and bold dropped, single-token braces removed. */
export function canonical(tokens: Token[], from: number, to: number): string {
  const parts: string[] = [];
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t.kind === 'text') {
      const cmd = t.text.startsWith('\\operatorname') ? '\\operatorname' : '\\text';
      // A roman single letter is the letter (`\mathrm{x}_t` is `x_t`), except d and e, which it marks.
      if (t.text === '\\mathrm' && /^[A-Za-ce-z]$/.test(t.arg ?? '')) parts.push(t.arg as string);
      else parts.push(`${cmd}{${t.arg}}`);
    } else if (t.kind === 'cmd') {
      if (FONTS.has(t.text) || SEPARATORS.has(t.text)) continue;
      parts.push(t.text === '\\mid' ? '|' : t.text === '\\varepsilon' ? '\\epsilon' : t.text);
    } else if (t.text !== '&' && t.text !== '~') parts.push(t.text);
  }
  let s = parts.join(' ');
  for (let prev = ''; prev !== s;) {
    prev = s;
    s = s.replace(/(^|\s)\{ (\S+) \}(?=\s|$)/g, '$1$2');
    s = s.replace(/^\{ (.*) \}$/, (m, inner: string) => (balanced(inner) ? inner : m));
  }
  return s;
}

function balanced(s: string): boolean {
  let d = 0;
  for (const part of s.split(' ')) {
    if (part === '{') d++;
    else if (part === '}' && --d < 0) return false;
  }
  return d === 0;
}

// ---- token preparation: expand macros, merge text arguments, drop layout ----------------------------

const isChar = (t: Token | undefined, c: string) => t?.kind === 'char' && t.text === c;

/** Commands dropped with nothing else. */
const DROP = new Set([
  '\\,',
  '\\!',
  '\\;',
  '\\:',
  '\\ ',
  '\\>',
  '\\/',
  '\\displaystyle',
  '\\textstyle',
  '\\scriptstyle',
  '\\scriptscriptstyle',
  '\\limits',
  '\\nolimits',
  '\\nonumber',
  '\\notag',
  '\\allowbreak',
  '\\mathstrut',
  '\\strut',
  '\\hfill',
  '\\hfil',
  '\\medskip',
  '\\smallskip',
  '\\bigskip',
  '\\noindent',
  '\\rm',
  '\\it',
  '\\sf',
  '\\tt',
  '\\normalfont',
  '\\boldmath',
  '\\unboldmath',
  '\\left',
  '\\right',
  '\\middle',
  '\\big',
  '\\Big',
  '\\bigg',
  '\\Bigg',
  '\\bigl',
  '\\Bigl',
  '\\biggl',
  '\\Biggl',
  '\\bigr',
  '\\Bigr',
  '\\biggr',
  '\\Biggr',
  '\\bigm',
  '\\Bigm',
  '\\biggm',
  '\\Biggm',
  '\\relax',
  '\\allowdisplaybreaks',
  '\\displaybreak',
  '\\intertext',
  '\\shortintertext',
  '\\centering',
  '\\raggedright',
  '\\protect',
  '\\hline',
  '\\cr',
  '\\enspace',
  '\\enskip',
  '\\space',
  '\\thinspace',
  '\\medspace',
  '\\thickspace',
  '\\negthinspace',
  '\\negmedspace',
  '\\negthickspace',
  '\\tiny',
  '\\scriptsize',
  '\\footnotesize',
  '\\small',
  '\\normalsize',
  '\\large',
  '\\Large',
  '\\LARGE',
  '\\huge',
  '\\Huge',
]);
/** Commands dropped with their one braced argument. */
const DROP_WITH_ARGUMENT = new Set([
  '\\color',
  '\\phantom',
  '\\vphantom',
  '\\hphantom',
  '\\kern',
  '\\mkern',
  '\\hskip',
]);
/** Commands dropped, keeping their (last) argument as a group. */
const KEEP_ARGUMENT: Record<string, number> = {
  '\\textcolor': 2,
  '\\colorbox': 2,
  '\\fcolorbox': 3,
  '\\underline': 1,
  '\\cancel': 1,
  '\\bcancel': 1,
  '\\xcancel': 1,
  '\\cancelto': 2,
  '\\mathop': 1,
  '\\mathbin': 1,
  '\\mathord': 1,
  '\\mathclap': 1,
  '\\mathllap': 1,
  '\\mathrlap': 1,
  '\\smash': 1,
  '\\ensuremath': 1,
  '\\mathpunct': 1,
  '\\mathinner': 1,
  '\\bbox': 1,
  '\\class': 2,
  '\\cssId': 2,
  '\\style': 2,
  '\\unicode': 1,
};
/** Spellings of the same delimiter or operator. */
const SAME: Record<string, string> = {
  '\\lVert': '\\|',
  '\\rVert': '\\|',
  '\\Vert': '\\|',
  '\\lvert': '|',
  '\\rvert': '|',
  '\\vert': '|',
  '\\lbrace': '\\{',
  '\\rbrace': '\\}',
  '\\lbrack': '[',
  '\\rbrack': ']',
  '\\lparen': '(',
  '\\rparen': ')',
  '\\_': '_',
  '\\cal': '\\mathcal',
  '\\symcal': '\\mathcal',
  '\\symbb': '\\mathbb',
  '\\symscr': '\\mathscr',
  '\\symfrak': '\\mathfrak',
  '\\bf': '\\mathbf',
  '\\bold': '\\mathbf',
  '\\Bbb': '\\mathbb',
  '\\dfrac': '\\frac',
  '\\tfrac': '\\frac',
  '\\cfrac': '\\frac',
  '\\nicefrac': '\\frac',
  '\\sfrac': '\\frac',
  '\\odot': '\\cdot',
  '\\nabla\\!': '\\nabla',
  '\\langle': '\\langle',
  '\\leqq': '\\le',
  '\\geqq': '\\ge',
  '\\varepsilon': '\\epsilon',
  '\\operatornamewithlimits': '\\operatorname',
  '\\colon': ':',
  '\\vcentcolon': ':',
  '\\lt': '<',
  '\\gt': '>',
};
const LAYOUT_TEXT = new Set(['\\label', '\\tag', '\\hspace', '\\vspace', '\\hbox']);

/** Tokens ready to parse: macros expanded, text arguments merged, layout dropped. */
function prepare(source: string, options: ParseOptions, origin: Origin, conventions: Set<string>): Token[] {
  let toks = tokenize(source);
  const fallback = (name: string) => {
    const d = conventionFor(name, knownCommand);
    if (d) conventions.add(name);
    return d;
  };
  try {
    toks = expand(toks, options.macros ?? NO_MACROS, options.seq, fallback);
  } catch (err) {
    if (!(err instanceof ExpansionError)) throw err;
    throw texError(err.message, source, err.token.at, origin, source.slice(err.token.at, err.token.end));
  }
  toks = dropRowNumbers(dropEndLabel(mergeText(toks, source)));
  const out: Token[] = [];
  /** Closing braces of `\boxed{...}` and `\color{c}{...}` groups, dropped with their command. */
  const unboxed = new Set<number>();
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (unboxed.has(i)) continue;
    // `\boxed{x = y.}`: a whole formula in a frame; its braces are not a group.
    if ((t.text === '\\boxed' || t.text === '\\Aboxed') && isChar(toks[i + 1], '{')) {
      unboxed.add(closeGroup(toks, i + 1) - 1);
      i++;
      continue;
    }
    if (t.kind === 'text' && LAYOUT_TEXT.has(t.text.replace(/\*$/, ''))) continue;
    if (t.kind === 'char' && t.text === '~') continue;
    // `var(X)`, `Cov(X, Y)` typed in plain letters: the operator, not the product v a r (X).
    const word = plainWord(toks, i);
    if (
      word &&
      /^(var|Var|cov|Cov)$/.test(word.text) &&
      (isChar(toks[word.next], '(') || isChar(toks[word.next], '['))
    ) {
      const prev = out[out.length - 1];
      if (!(prev && prev.kind === 'char' && /^[A-Za-z]$/.test(prev.text) && prev.end === t.at)) {
        const name = word.text[0].toUpperCase() + word.text.slice(1);
        out.push({ kind: 'text', text: '\\operatorname', arg: name, at: t.at, end: toks[word.next - 1].end });
        i = word.next - 1;
        continue;
      }
    }
    // `\Pi_{i=1}^t \alpha_i`: the capital letter written for the product sign.
    if (t.text === '\\Pi' && isChar(toks[i + 1], '_') && isChar(toks[i + 2], '{')) {
      const close = closeGroup(toks, i + 2);
      if (toks.slice(i + 3, close - 1).some((u) => isChar(u, '='))) {
        out.push({ ...t, text: '\\prod' });
        continue;
      }
    }
    // `x^1, ..., x^d`: three periods are an ellipsis.
    if (isChar(t, '.') && isChar(toks[i + 1], '.') && isChar(toks[i + 2], '.')) {
      out.push({ ...t, kind: 'cmd', text: '\\ldots', end: toks[i + 2].end });
      i += 2;
      continue;
    }
    // `\ell(\theta) :&= ...`: the alignment mark inside `:=` goes before it.
    if (isChar(t, ':') && isChar(toks[i + 1], '&') && isChar(toks[i + 2], '=')) {
      out.push(toks[i + 1], t);
      i++;
      continue;
    }
    // `\sigma_1 >> 1`: much greater (less) than.
    const last = out[out.length - 1];
    if ((isChar(t, '>') || isChar(t, '<')) && isChar(last, t.text) && last.end === t.at) {
      out[out.length - 1] = { ...last, kind: 'cmd', text: t.text === '>' ? '\\gg' : '\\ll', end: t.end };
      continue;
    }
    if (isChar(t, '|') && out.length > 0 && isChar(out[out.length - 1], '|')) {
      out[out.length - 1] = { ...out[out.length - 1], kind: 'cmd', text: '\\|', end: t.end };
      continue;
    }
    if (t.kind !== 'cmd') {
      out.push(t);
      continue;
    }
    if (DROP.has(t.text)) {
      // `\left.` / `\right.`: an invisible delimiter.
      if ((t.text === '\\left' || t.text === '\\right' || t.text === '\\middle') && isChar(toks[i + 1], '.'))
        i++;
      continue;
    }
    if (DROP_WITH_ARGUMENT.has(t.text)) {
      i = skipArgument(toks, i + 1) - 1;
      // `\color{red}{x \big)}`: the switch's group colours a stretch of the formula, which may close
      // brackets opened before it; its braces are not a group of the formula.
      if (t.text === '\\color' && isChar(toks[i + 1], '{')) {
        unboxed.add(closeGroup(toks, i + 1) - 1);
        i++;
      }
      continue;
    }
    const keep = KEEP_ARGUMENT[t.text];
    if (keep) {
      // Drop the command and all but its last argument (`\textcolor{red}{x}` keeps `{x}`).
      let j = i + 1;
      if (isChar(toks[j], '[')) {
        while (j < toks.length && !isChar(toks[j], ']')) j++;
        j++;
      }
      for (let k = 1; k < keep; k++) j = skipArgument(toks, j);
      // An empty kept group (`\mathop{}`) is nothing at all.
      if (isChar(toks[j], '{') && isChar(toks[j + 1], '}')) j += 2;
      i = j - 1;
      continue;
    }
    if (t.text === '\\substack') {
      // `\substack{a \\ b}`: the rows of a subscript, read as a list.
      out.push({ ...t, kind: 'char', text: '{' });
      const close = isChar(toks[i + 1], '{') ? closeGroup(toks, i + 1) : -1;
      if (close < 0) continue;
      for (let k = i + 2; k < close - 1; k++)
        out.push(toks[k].text === '\\\\' ? { ...toks[k], kind: 'char', text: ',' } : toks[k]);
      out.push({ ...toks[close - 1] });
      i = close - 1;
      continue;
    }
    if (t.text === '\\\\') {
      out.push(t);
      // `\\*`, `\\[2pt]`: TeX reads a star and a bracket after \\ as part of it.
      if (isChar(toks[i + 1], '*')) i++;
      if (isChar(toks[i + 1], '[')) {
        const close = toks.findIndex((u, k) => k > i + 1 && isChar(u, ']'));
        if (close > 0) i = close;
      }
      continue;
    }
    // `||x||`, `\vert\vert x \vert\vert`, `\left|\left| x \right|\right|`: a norm.
    const same = SAME[t.text];
    if (same === '|' && out.length > 0 && isChar(out[out.length - 1], '|')) {
      out[out.length - 1] = { ...out[out.length - 1], kind: 'cmd', text: '\\|', end: t.end };
      continue;
    }
    if (
      same === '_' ||
      same === '(' ||
      same === ')' ||
      same === '[' ||
      same === ']' ||
      same === '|' ||
      same === ':' ||
      same === '<' ||
      same === '>'
    )
      out.push({ ...t, kind: 'char', text: same });
    else out.push(same ? { ...t, text: same } : t);
  }
  return out;
}

/** `... = b. (*)`: a mark the author refers back to, after the formula's last symbol; not a factor. */
function dropEndLabel(toks: Token[]): Token[] {
  let end = toks.length;
  while (end > 0 && (toks[end - 1].text === '&' || toks[end - 1].kind === 'text')) end--;
  if (!isChar(toks[end - 1], ')')) return toks;
  let open = end - 2;
  while (open >= 0 && /^(\*|\\star|\\ast|\\dagger|\\ddagger|\\clubsuit|\\spadesuit)$/.test(toks[open].text))
    open--;
  if (open === end - 2 || !isChar(toks[open], '(')) return toks;
  // `f(*)` written tight is an application; a mark stands apart or after the closing period.
  const before = toks[open - 1];
  if (before && before.end === toks[open].at && !isChar(before, '.') && !isChar(before, ',')) return toks;
  return [...toks.slice(0, open), ...toks.slice(end)];
}

/** Letters written together from token i (`var` in `var(X)`), and the index just past them. */
function plainWord(toks: Token[], i: number): { text: string; next: number } | undefined {
  let j = i;
  let text = '';
  while (
    j < toks.length &&
    toks[j].kind === 'char' &&
    /^[A-Za-z]$/.test(toks[j].text) &&
    toks[j].via === undefined &&
    (j === i || toks[j - 1].end === toks[j].at)
  )
    text += toks[j++].text;
  return text.length > 1 ? { text, next: j } : undefined;
}

/** Explicit spaces before a hand-typed equation number: `a = b \ \ (3)`, `a = b \qquad (2.1)`. */
const NUMBER_SPACES = new Set(['\\ ', '\\quad', '\\qquad', '\\;', '\\:', '\\enspace', '\\hfill']);

/**
 * `q(x_t) = ... \ \ (1) \\`: a number the author typed at the end of a row (or of the formula),
 * set apart by explicit space. Not a factor: TeX would print it as a tag.
 */
function dropRowNumbers(toks: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (NUMBER_SPACES.has(t.text) || (t.kind === 'char' && t.text === '~')) {
      let j = i;
      while (j < toks.length && (NUMBER_SPACES.has(toks[j].text) || isChar(toks[j], '~'))) j++;
      let k = j + 1;
      if (isChar(toks[j], '(') && /^\d$/.test(toks[k]?.text ?? '')) {
        while (k < toks.length && (/^\d$/.test(toks[k].text) || isChar(toks[k], '.'))) k++;
        const after = toks[k + 1];
        if (isChar(toks[k], ')') && (!after || after.text === '\\\\' || isChar(after, '&'))) {
          i = k;
          continue;
        }
      }
    }
    out.push(t);
  }
  return out;
}

const NO_MACROS = new Macros();

let KNOWN: Set<string> | undefined;
/** Commands the reader itself gives a meaning (a convention never shadows them). */
function knownCommand(cmd: string): boolean {
  KNOWN ??= new Set([
    ...GREEK,
    ...DECORATIONS,
    ...FONTS,
    ...LETTER_FONTS,
    ...FUNCTIONS,
    ...Object.keys(RELATIONS),
    ...BIG_OPS,
    ...INTEGRALS,
    ...Object.keys(OPAQUE),
    ...OPAQUE_OPS,
    ...NOT_FACTORS,
    ...KNOWN_ATOMS,
    ...DROP,
    ...DROP_WITH_ARGUMENT,
    ...Object.keys(KEEP_ARGUMENT),
    '\\boxed',
    '\\Aboxed',
    ...Object.keys(SAME),
    ...TEXT_COMMANDS,
    ...SEPARATORS,
    ...VALUE_COMMANDS,
  ]);
  return KNOWN.has(cmd);
}
/** Commands primary() reads that no table above lists. */
const VALUE_COMMANDS = [
  '\\frac',
  '\\sqrt',
  '\\binom',
  '\\dbinom',
  '\\tbinom',
  '\\overset',
  '\\underset',
  '\\stackrel',
  '\\underbrace',
  '\\overbrace',
  '\\nabla',
  '\\partial',
  '\\begin',
  '\\end',
  '\\pi',
  '\\substack',
  '\\over',
  '\\choose',
  '\\|',
  '\\{',
  '\\}',
  '\\langle',
  '\\rangle',
  '\\\\',
  '\\operatorname',
];

/** Index just past the argument (a group or one token) starting at i. */
function skipArgument(toks: Token[], i: number): number {
  if (!isChar(toks[i], '{')) return Math.min(i + 1, toks.length);
  const close = closeGroup(toks, i);
  return close < 0 ? toks.length : close;
}

class Parser {
  readonly toks: Token[];
  readonly origin: Origin;
  readonly conventions = new Set<string>();
  private pos = 0;
  private end: number;
  private depth = 0;
  private intDepth = 0;
  /** Inside a norm, `\|` closes it; inside an absolute value, `|` closes it. */
  private normDepth = 0;
  private absDepth = 0;
  /** Inside a delimited list, `|`, `\|` after an item separate (conditioning, KL). */
  private listDepth = 0;
  /** Inside the argument list of an application, where `\|` separates (`D_{KL}(p \| q)`). */
  private klList = false;
  /** Factor recursion depth: bounded, so hostile input cannot overflow the stack. */
  private nesting = 0;
  private readonly differentials: boolean;
  private readonly isFunction: FunctionTest;

  constructor(
    readonly source: string,
    options: ParseOptions,
  ) {
    this.origin = options.origin ?? ORIGIN_START;
    this.differentials = options.differentials ?? true;
    this.isFunction = options.isFunction ?? (() => undefined);
    this.toks = prepare(source, options, this.origin, this.conventions);
    this.end = this.toks.length;
  }

  // ---- token access -------------------------------------------------------------------------------

  private isSpace(t: Token): boolean {
    return (t.kind === 'char' && t.text === '&') || (this.depth > 0 && SEPARATORS.has(t.text));
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

  failAt(t: Token | undefined, message: string) {
    if (!t) return this.fail(message + ', but the formula ends', this.source.length, 'end of formula');
    const quote = t.kind === 'text' ? `${t.text}{${t.arg}}` : t.via ? this.source.slice(t.at, t.end) : t.text;
    return this.fail(t.via ? `${message} (in the expansion of ${t.via})` : message, t.at, quote);
  }

  private span<T extends object>(from: number, node: T): T & { from: number; to: number } {
    return { ...node, from, to: this.pos };
  }

  /** Index just past the `}` matching the `{` at token index `open`. */
  private closeBrace(open: number): number {
    const close = closeGroup(this.toks, open, this.end);
    if (close < 0) throw this.failAt(this.toks[open], 'unclosed brace');
    return close;
  }

  /** Parse tokens [from, to) with `fn`, which must consume all of them. */
  private within<T>(from: number, to: number, fn: () => T): T {
    const saved = [this.pos, this.end, this.listDepth, this.normDepth, this.absDepth];
    const [savedPos, savedEnd] = saved;
    this.pos = from;
    this.end = to;
    this.depth++;
    // A group is a context of its own: `\|` and `|` inside it open norms, whatever is outside.
    [this.listDepth, this.normDepth, this.absDepth] = [0, 0, 0];
    try {
      const out = fn();
      const left = this.peek();
      if (left) throw this.failAt(left, 'unexpected token');
      return out;
    } finally {
      this.depth--;
      this.pos = Math.max(savedPos, to);
      this.end = savedEnd;
      [this.listDepth, this.normDepth, this.absDepth] = saved.slice(2);
    }
  }

  // ---- rows and statements --------------------------------------------------------------------------

  display(): Statement[] {
    const out: Statement[] = [];
    let previous: { tex: Tex; item: Statement } | undefined;
    let previousFailed = false;
    for (const [row, [from, to]] of this.rows().entries()) {
      this.pos = from;
      this.end = to;
      let note: string | undefined;
      try {
        for (let t = this.peek(); t; t = this.peek()) {
          if (this.isProse(t)) {
            note = `${note ? note + ' ' : ''}${(t.arg ?? '').toLowerCase()}`;
            this.pos++;
            continue;
          }
          if (t.kind === 'cmd' && t.text === '\\\\') {
            this.pos++;
            continue;
          }
          if (SEPARATORS.has(t.text) || isChar(t, ',') || isChar(t, ';') || isChar(t, '.')) {
            this.pos++;
            continue;
          }
          if (!previous && previousFailed && this.relation())
            throw this.failAt(t, 'this row continues a row that could not be read');
          const leading = this.relation();
          if (!previous && !previousFailed && leading && leading !== 'given') {
            // `$$ = \mathbb{E}[...] $$`: a display continuing the formula before it (a chain split
            // over several displays); its left side is that formula's last, not read here.
            const before: Tex = {
              k: 'opaque',
              what: 'the side of the formula before',
              from: this.pos,
              to: this.pos,
            };
            const item: Statement = { row, ...(note ? { note } : {}) };
            item.tex = this.chain(before);
            out.push(item);
            previous = { tex: item.tex, item };
            continue;
          }
          if (previous && this.relation()) {
            // An aligned row `&= c` continues the chain of the row before.
            const tex = this.chain(previous.tex);
            previous.item.tex = tex;
            previous.tex = tex;
            continue;
          }
          const item: Statement = { row, ...(note ? { note } : {}) };
          item.tex = this.statement();
          out.push(item);
          // What follows prose in a row (`& \text{where } \epsilon \sim ...`) annotates it: the next
          // row's `&= ...` continues the row's own chain, not the annotation.
          if (!note) {
            previous = { tex: item.tex, item };
            previousFailed = false;
          }
        }
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        out.push({ error: err, row, ...(note ? { note } : {}) });
        previousFailed = true;
        previous = undefined;
      }
    }
    this.pos = this.toks.length;
    this.end = this.toks.length;
    return out;
  }

  /** Prose inside math (`\text{ where }`, `\quad\text{for all}`), not a name such as `\text{SNR}(t)`. */
  private isProse(t: Token): boolean {
    if (t.kind !== 'text' || !PROSE_COMMANDS.has(t.text)) return false;
    // `\text{SNR}(t)`, `\text{KL}_t`, `\text{Divergence} \geq 0`: a name in the formula.
    const n = this.peek2();
    if (!n) return true;
    if (isChar(n, '_') || isChar(n, '^') || isChar(n, '(')) return false;
    return !Object.hasOwn(RELATIONS, n.text) && !['+', '-', '*', '/', '\\cdot', '\\times'].includes(n.text);
  }

  /**
   * Token ranges of the display's rows: `\\` at depth 0 splits (row environments' \begin/\end are
   * transparent). A row that ends inside brackets, ends with an operator, or a row that starts with a
   * binary operator, is joined to its neighbour (a long expression broken over lines).
   */
  private rows(): [number, number][] {
    const raw: [number, number][] = [];
    let start = 0;
    let braces = 0;
    let envs = 0;
    for (let i = 0; i < this.toks.length; i++) {
      const t = this.toks[i];
      if (isChar(t, '{')) braces++;
      else if (isChar(t, '}')) braces--;
      else if (t.kind === 'cmd' && (t.text === '\\begin' || t.text === '\\end')) {
        const name = this.environmentName(i);
        if (name !== undefined && !ROW_ENVIRONMENTS.has(name)) envs += t.text === '\\begin' ? 1 : -1;
      } else if (t.kind === 'cmd' && t.text === '\\\\' && braces === 0 && envs === 0) {
        raw.push([start, i]);
        start = i + 1;
      }
    }
    raw.push([start, this.toks.length]);
    // Drop the \begin{align}..\end{align} wrappers: mark them as spacing by skipping in peek().
    for (let i = 0; i < this.toks.length; i++) {
      const t = this.toks[i];
      if (t.kind !== 'cmd' || (t.text !== '\\begin' && t.text !== '\\end')) continue;
      const name = this.environmentName(i);
      if (name === undefined || !ROW_ENVIRONMENTS.has(name)) continue;
      let close = closeGroup(this.toks, i + 1);
      // alignat{2}, IEEEeqnarray{rCl}: one more argument.
      if (
        t.text === '\\begin' &&
        /^(alignat|alignedat|IEEEeqnarray|subarray)/.test(name) &&
        isChar(this.toks[close], '{')
      )
        close = closeGroup(this.toks, close);
      // \begin{aligned}[t]: a vertical-position option.
      if (t.text === '\\begin' && isChar(this.toks[close], '[')) {
        const end = this.toks.findIndex((u, k) => k > close && isChar(u, ']'));
        if (end > 0) close = end + 1;
      }
      for (let k = i; k < close; k++) this.toks[k] = { ...this.toks[k], kind: 'char', text: '&' };
    }
    const merged: [number, number][] = [];
    for (const r of raw) {
      const prev = merged[merged.length - 1];
      const closes = prev && this.depthAt(prev) > 0 && this.depthAt([prev[0], r[1]]) <= 0;
      if (prev && (closes || this.endsWithOperator(prev) || this.startsWithOperator(r))) {
        // One expression broken over lines: the line break inside it is layout.
        this.toks[prev[1]] = { ...this.toks[prev[1]], kind: 'char', text: '&' };
        prev[1] = r[1];
      } else merged.push([...r]);
    }
    return merged;
  }

  private environmentName(i: number): string | undefined {
    if (!isChar(this.toks[i + 1], '{')) return undefined;
    const close = closeGroup(this.toks, i + 1);
    if (close < 0) return undefined;
    return this.toks
      .slice(i + 2, close - 1)
      .map((t) => t.text)
      .join('');
  }

  private significant(from: number, to: number): Token[] {
    return this.toks.slice(from, to).filter((t) => !isChar(t, '&') && !SEPARATORS.has(t.text));
  }

  /** Brackets left open at the end of tokens [from, to). */
  private depthAt([from, to]: [number, number]): number {
    let d = 0;
    for (const t of this.significant(from, to)) {
      if (t.kind === 'char' && (t.text === '(' || t.text === '[')) d++;
      else if (t.kind === 'char' && (t.text === ')' || t.text === ']')) d--;
      else if (t.text === '\\{' || t.text === '\\langle') d++;
      else if (t.text === '\\}' || t.text === '\\rangle') d--;
    }
    return d;
  }

  private endsWithOperator([from, to]: [number, number]): boolean {
    const s = this.significant(from, to);
    const t = s[s.length - 1];
    return (
      t !== undefined &&
      (['+', '-', '*', '/', '\\cdot', '\\times', '\\pm', '\\mp'].includes(t.text) ||
        Object.hasOwn(RELATIONS, t.text))
    );
  }

  private startsWithOperator([from, to]: [number, number]): boolean {
    const t = this.significant(from, to)[0];
    return t !== undefined && ['+', '-', '*', '/', '\\cdot', '\\times', '\\pm', '\\mp'].includes(t.text);
  }

  expressionOnly(): Tex {
    const e = this.sum();
    const left = this.peek();
    if (left) throw this.failAt(left, 'unexpected token after the expression');
    return e;
  }

  private statement(): Tex {
    const t = this.peek();
    if (t && (t.text === '\\forall' || t.text === '\\exists')) {
      const from = this.pos++;
      const body = this.chain();
      return this.span(from, { k: 'quantifier' as const, q: t.text.slice(1), body });
    }
    return this.listChain() ?? this.chain();
  }

  /** `a, b, \dots \sim \mathcal{N}(0, I)`: a list on the left of a relation (undefined: not one). */
  private listChain(): Tex | undefined {
    const from = this.pos;
    let comma = -1;
    let d = 0;
    for (let i = this.pos; i < this.end; i++) {
      const u = this.toks[i];
      if (isChar(u, '(') || isChar(u, '[') || isChar(u, '{')) d++;
      else if (isChar(u, ')') || isChar(u, ']') || isChar(u, '}')) d--;
      else if (d === 0 && isChar(u, ',')) {
        comma = i;
        break;
      } else if (d === 0 && (Object.hasOwn(RELATIONS, u.text) || SEPARATORS.has(u.text) || u.kind === 'text'))
        return undefined;
    }
    if (comma < 0) return undefined;
    try {
      const items: Tex[] = [this.item()];
      while (this.is(',')) {
        this.pos++;
        items.push(this.item());
      }
      if (items.length < 2 || !this.relation() || items.some((x) => x.k === 'chain'))
        throw new Error('not a list');
      return this.chain({ k: 'tuple', items, open: ',', from, to: this.pos });
    } catch {
      this.pos = from;
      return undefined;
    }
  }

  /** The relation at the cursor (without consuming it), and how many tokens it spans. */
  private relationAt(): { op: string; width: number } | undefined {
    const t = this.peek();
    if (!t || t.kind === 'text') return undefined;
    if (t.kind === 'cmd' && (t.text === '\\stackrel' || t.text === '\\overset' || t.text === '\\underset')) {
      // `\stackrel{note}{=}`: a relation with a note over it; `def` and friends make it a definition.
      const a = this.pos + 1;
      const b = skipArgument(this.toks, a);
      const c = skipArgument(this.toks, b);
      const inner = canonical(
        this.toks,
        isChar(this.toks[b], '{') ? b + 1 : b,
        isChar(this.toks[b], '{') ? c - 1 : c,
      );
      if (!Object.hasOwn(RELATIONS, inner)) return undefined;
      const note = canonical(
        this.toks,
        isChar(this.toks[a], '{') ? a + 1 : a,
        isChar(this.toks[a], '{') ? b - 1 : b,
      );
      const op = RELATIONS[inner] === '=' && DEFINING_NOTES.test(note) ? ':=' : RELATIONS[inner];
      return { op, width: c - this.pos };
    }
    // `X_t | X_0 = z \sim ...` outside parentheses: a conditioning bar, read as a relation.
    // A bar closed again before any relation (`p(x)|a - b|^2`) opens an absolute value instead.
    if (isChar(t, '|') && this.absDepth === 0 && this.listDepth === 0 && !this.closedBeforeRelation())
      return { op: 'given', width: 1 };
    if (!Object.hasOwn(RELATIONS, t.text)) return undefined;
    if (t.text === '\\parallel' && this.klList) return undefined;
    let op = RELATIONS[t.text];
    if (/^\\x[A-Za-z]+arrow$/.test(t.text)) {
      // `\xrightarrow[below]{above}`: an arrow with notes, one relation.
      let j = this.pos + 1;
      if (isChar(this.toks[j], '[')) while (j < this.end && !isChar(this.toks[j++], ']'));
      return { op, width: skipArgument(this.toks, j) - this.pos };
    }
    const n = this.toks[this.pos + 1];
    // `:=` and `=:` are one relation each.
    if (op === ':' && isChar(n, '=')) return { op: ':=', width: 2 };
    if (op === '=' && isChar(n, ':')) return { op: '=:', width: 2 };
    if (op === '<' && isChar(n, '=')) op = '<=';
    return { op, width: 1 };
  }

  private relation(): string | undefined {
    return this.relationAt()?.op;
  }

  private chain(first?: Tex): Tex {
    const from = first ? first.from : this.pos;
    const members: Tex[] = first ? (first.k === 'chain' ? [...first.members] : [first]) : [this.sum()];
    const ops: string[] = first?.k === 'chain' ? [...first.ops] : [];
    for (let r = this.relationAt(); r; r = this.relationAt()) {
      this.pos += r.width;
      // `a = b \implies` ending a display: the next display goes on from it; nothing follows here.
      if (!this.peek() && IMPLICATIONS.has(r.op) && members.length > 0) break;
      ops.push(r.op);
      // `a \quad \Rightarrow \quad b`: spacing after a relation.
      while (this.peek() && SEPARATORS.has(this.peek()!.text)) this.pos++;
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
    let alternative = false;
    for (;;) {
      for (
        let t = this.peek();
        t && (t.text === '+' || t.text === '-' || t.text === '\\pm' || t.text === '\\mp');
        t = this.peek()
      ) {
        this.pos++;
        if (t.text === '-') sign = sign === 1 ? -1 : 1;
        else if (t.text !== '+') alternative = true;
      }
      const t = this.peek();
      if (!t || !this.startsFactor(t, true)) throw this.failAt(t, 'expected an expression');
      terms.push(this.term());
      signs.push(sign);
      sign = 1;
      const n = this.peek();
      if (!n || !['+', '-', '\\pm', '\\mp'].includes(n.text) || n.kind === 'text') break;
    }
    if (alternative)
      return this.span(from, { k: 'opaque' as const, what: 'a ± alternative (two formulas in one)' });
    if (terms.length === 1 && signs[0] === 1) return terms[0];
    return this.span(from, { k: 'add' as const, terms, signs });
  }

  private term(): Tex {
    const from = this.pos;
    const factors: Tex[] = [this.factor()];
    let opaque: string | undefined;
    for (let t = this.peek(); t; t = this.peek()) {
      if (this.evaluationBar()) {
        // `f(x)\big|_{x=0}`, `\left. g \right|_{\theta = \theta^-}`, `F(s) \Big|_0^t`: evaluated.
        opaque ??= 'an evaluation at a point (|_{...})';
        continue;
      }
      if (t.kind !== 'text' && (t.text === '\\cdot' || t.text === '\\times' || t.text === '*')) {
        this.pos++;
        // `f(\cdot)`-style placeholder ends: `\cdot` before a closer is not a product.
        const n = this.peek();
        if (!n || !this.startsFactor(n, true)) throw this.failAt(n, `expected a factor after ${t.text}`);
        factors.push(this.factor());
      } else if (t.kind === 'cmd' && OPAQUE_OPS.has(t.text)) {
        this.pos++;
        opaque ??= `the operator ${t.text}`;
        const n = this.peek();
        if (n && this.startsFactor(n, true)) factors.push(this.factor());
      } else if (isChar(t, '/')) {
        this.pos++;
        const den = this.factor();
        const num = factors.pop() as Tex;
        factors.push({ k: 'div', num, den, from: num.from, to: this.pos });
      } else if (isChar(t, '!')) {
        this.pos++;
        opaque ??= 'a factorial';
      } else if (
        this.startsFactor(t, false) &&
        !this.isProse(t) &&
        !this.relationAt() &&
        !(this.intDepth > 0 && this.atDifferential())
      ) {
        factors.push(this.factor());
      } else break;
    }
    if (opaque) return this.span(from, { k: 'opaque' as const, what: opaque });
    return factors.length === 1 ? factors[0] : this.span(from, { k: 'mul' as const, factors });
  }

  /** Can `t` start a factor? `operand`: at the start of an operand (where `|` opens an absolute value). */
  private startsFactor(t: Token, operand: boolean): boolean {
    if (t.kind === 'text') return true;
    if (t.kind === 'param') return true;
    if (t.kind === 'char') {
      if (/[A-Za-z0-9([{]/.test(t.text)) return true;
      if (t.text === '.') return /^\d$/.test(this.toks[this.pos + 1]?.text ?? '');
      if (t.text === '|')
        return this.absDepth === 0 && (operand || (this.listDepth === 0 && this.closedBeforeRelation()));
      if (t.text === "'" || t.text === '!' || t.text === '?' || t.text === '@' || t.text === '"')
        return false;
      // Any other character starts a factor so that primary() names it.
      return !'+-*/=<>,;:)]}^_&'.includes(t.text);
    }
    const c = t.text;
    if (c === '\\|') return this.normDepth === 0 && (operand || !this.klList);
    if (c === '\\\\' || c === '\\begin' || c === '\\end') return c === '\\begin';
    if ((c === '\\cup' || c === '\\cap') && operand) return true;
    return !NOT_FACTORS.has(c) && !Object.hasOwn(RELATIONS, c) && !SEPARATORS.has(c) && !OPAQUE_OPS.has(c);
  }

  /** Is there a closing `|` after the one at the cursor, before a relation or the end (an absolute value)? */
  private closedBeforeRelation(): boolean {
    for (let i = this.pos + 1; i < this.end; i++) {
      const u = this.toks[i];
      if (isChar(u, '|')) return true;
      if (u.kind !== 'text' && Object.hasOwn(RELATIONS, u.text)) return false;
    }
    return false;
  }

  /** Is the next token a `d` (or `\mathrm{d}`) followed by a symbol, i.e. a differential? */
  private atDifferential(): boolean {
    const t = this.peek();
    if (!t || !this.differentials) return false;
    const isD = (t.kind === 'char' && t.text === 'd') || (t.kind === 'text' && t.arg === 'd');
    if (!isD) return false;
    const n = this.peek2();
    if (!n) return false;
    if (n.kind === 'char' && n.text === '{') {
      // `\mathrm{d}{\mathbf{x}}` (a macro's braces): a differential when the group is one symbol.
      const i = this.toks.indexOf(n);
      const close = closeGroup(this.toks, i, this.end);
      return (
        close > 0 &&
        /^(\\[A-Za-z]+ )*(\\[A-Za-z]+|[A-Za-z])( _ \S+)?$/.test(canonical(this.toks, i + 1, close - 1))
      );
    }
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

  /** Sub- and superscripts (either order, once each), primes, applications, expectations. */
  private postfix(base: Tex, applicable: boolean, from: number): Tex {
    let e = base;
    let canApply = applicable;
    if (e.k === 'atom') {
      const named = this.scripts(e, from);
      e = named.tex;
      if (named.powered) canApply = false;
    } else if (this.is('_') || this.is('^')) {
      const scripted = this.scriptsOn(e, from);
      e = scripted;
      canApply = false;
    }
    for (let t = this.peek(); t; t = this.peek()) {
      if (
        e.k === 'atom' &&
        /^(E|\\mathbb E)( _|$)/.test(e.canon) &&
        this.opensBracket(e.canon.startsWith('\\mathbb'))
      ) {
        const sub = e;
        const { items, given } = this.delimited();
        const expectation = this.span(from, {
          k: 'expect' as const,
          sub,
          body: this.oneItem(items, from),
          given,
        });
        return this.postfixOf(expectation, from);
      }
      if (e.k === 'atom' && /^\\mathcal N$/.test(e.canon) && isChar(t, '(')) {
        const { items, given, sep } = this.delimited();
        // `\mathcal{N}(x \mid \mu, \Sigma)` (Bishop's spelling) is the density N(x; \mu, \Sigma).
        if (given.length === 2 && items.length === 1 && sep === ',')
          return this.postfixOf(
            this.span(from, { k: 'normal' as const, args: [...items, ...given], sep: ';,' }),
            from,
          );
        if (given.length > 0) throw this.failAt(t, '\\mathcal{N}(...) with a conditioning bar');
        return this.postfixOf(this.span(from, { k: 'normal' as const, args: items, sep }), from);
      }
      if (canApply && isChar(t, '(') && this.applies(e)) {
        const { items, given, sep } = this.delimited(e.k === 'atom' && DIVERGENCES.test(e.canon));
        if (e.k === 'atom' && ORDER_TERMS.has(e.canon))
          return this.postfixOf(
            this.span(from, { k: 'opaque' as const, what: `an order term ${e.canon}(..)` }),
            from,
          );
        e = { k: 'apply', head: e, args: items, given, sep, from, to: this.pos };
        canApply = false;
        e = this.postfixOf(e, from);
        continue;
      }
      break;
    }
    return e;
  }

  /** Powers after a non-atom: `(a+b)^2`, `f(x)^2`, `\|x\|_2^2`. */
  private postfixOf(e: Tex, from: number): Tex {
    return this.is('^') || this.is('_') ? this.scriptsOn(e, from) : e;
  }

  private scriptsOn(e: Tex, from: number): Tex {
    let out = e;
    for (let t = this.peek(); t && (isChar(t, '^') || isChar(t, '_')); t = this.peek()) {
      this.pos++;
      const [a, b] = this.scriptRange();
      if (t.text === '^') {
        const label = this.scriptCanon(a, b);
        if (TRANSPOSES.has(label)) out = this.span(from, { k: 'opaque' as const, what: 'a transpose' });
        else if (label === 'T') out = this.span(from, { k: 'opaque' as const, what: AMBIGUOUS_T });
        else out = { k: 'pow', base: out, exp: this.scriptTex(a, b), from, to: this.pos };
      } else if (out.k === 'sqrt' && !out.index && out.arg.k === 'atom' && !/(^| )_ /.test(out.arg.canon))
        // `\sqrt\beta_t`, `\sqrt{\alpha}_t`: TeX sets the index after the radical, but the only value it
        // can name is the root of \beta_t (a root has no index of its own).
        out = {
          ...out,
          arg: { ...out.arg, canon: `${out.arg.canon} _ ${wrap(canonical(this.toks, a, b))}` },
          to: this.pos,
        };
      else if (out.k === 'norm' && !out.index) out = { ...out, index: this.scriptTex(a, b), to: this.pos };
      else if (out.k === 'pow' && out.base.k === 'norm' && !out.base.index)
        // `\|x\|^2_2`: the index belongs to the norm.
        out = { ...out, base: { ...out.base, index: this.scriptTex(a, b) }, to: this.pos };
      else
        out = this.span(from, {
          k: 'opaque' as const,
          what: 'a subscript on an expression (an evaluation or index)',
        });
    }
    return out;
  }

  /** Name scripts of a symbol: its subscript, a label superscript, primes; a power comes last. */
  private scripts(base: Extract<Tex, { k: 'atom' }>, from: number): { tex: Tex; powered: boolean } {
    let sub: string | undefined;
    let label = '';
    let primes = 0;
    let power: Tex | undefined;
    let transposed = false;
    let ambiguous = false;
    for (let t = this.peek(); t; t = this.peek()) {
      if (isChar(t, '_') && sub === undefined) {
        this.pos++;
        const [a, b] = this.scriptRange();
        sub = canonical(this.toks, a, b);
      } else if (isChar(t, '^') && !power && !transposed && !ambiguous) {
        this.pos++;
        const [a, b] = this.scriptRange();
        const c = this.scriptCanon(a, b);
        if (/^((\\prime|') ?)+$/.test(c)) primes += c.split(/\\prime|'/).length - 1;
        else if (TRANSPOSES.has(c)) transposed = true;
        else if (c === 'T') ambiguous = true;
        else if (
          !label &&
          (LABEL_SCRIPTS.has(c) ||
            /^\( [^ ]+ \)$/.test(c) ||
            /^\\(text|operatorname)\{/.test(c) ||
            /^\\(theta|phi|psi)( |$)/.test(c))
        )
          label = c.startsWith('(') || c.includes(' ') ? `{ ${c} }` : c;
        else power = this.scriptTex(a, b);
      } else if (isChar(t, "'")) {
        this.pos++;
        primes++;
      } else break;
    }
    const name = [
      base.canon,
      sub !== undefined ? `_ ${wrap(sub)}` : '',
      label ? `^ ${label}` : '',
      " '".repeat(primes).trim(),
    ]
      .filter(Boolean)
      .join(' ');
    let tex: Tex = { k: 'atom', canon: name, from, to: this.pos };
    if (transposed) tex = this.span(from, { k: 'opaque' as const, what: 'a transpose' });
    else if (ambiguous) tex = this.span(from, { k: 'opaque' as const, what: AMBIGUOUS_T });
    else if (power && isChar(this.peek(), '(') && this.applies(tex)) {
      // `g^2(t)`, `\sigma^2(s)`: the function's value, squared.
      const { items, given, sep } = this.delimited(true);
      tex = { k: 'apply', head: tex, args: items, given, sep, from, to: this.pos };
    }
    if (power) tex = { k: 'pow', base: tex, exp: power, from, to: this.pos };
    return { tex, powered: power !== undefined || transposed || ambiguous };
  }

  private scriptCanon(a: number, b: number): string {
    const braced = isChar(this.toks[a], '{');
    return braced ? canonical(this.toks, a + 1, b - 1) : canonical(this.toks, a, b);
  }

  /** Does `e` followed by `(` apply it? Bound names and the field's notation decide; see FunctionTest. */
  private applies(e: Tex): boolean {
    // `(p_t u_t)(x)`, `\frac{\partial p_t}{\partial t}(x)`: applied when a function is named inside.
    if (e.k !== 'atom') return this.namesFunction(e);
    const open = this.pos;
    const close = this.matchingParen(open);
    if (close < 0) return true;
    const inner = canonical(this.toks, open + 1, close - 1);
    // A list, a conditioning bar or a placeholder cannot be a factor: it is an application.
    if (/(^| )(,|\||;|\\mid)( |$)/.test(inner)) return true;
    // `f(\cdot)`, `k(\cdot, y)`: a placeholder argument.
    if (/(^|, )\\cdot( ,|$)/.test(inner)) return true;
    const own = this.isFunction(e.canon, inner);
    return own ?? looksLikeFunction(e.canon, inner);
  }

  /** Does `e` mention a function by its bare name (not already applied)? */
  private namesFunction(e: Tex): boolean {
    switch (e.k) {
      case 'atom':
        return this.isFunction(e.canon, '') ?? looksLikeFunction(e.canon, '');
      case 'apply':
        return false;
      case 'mul':
        return e.factors.some((f) => this.namesFunction(f));
      case 'add':
        return e.terms.some((f) => this.namesFunction(f));
      case 'div':
        return this.namesFunction(e.num) || this.namesFunction(e.den);
      case 'deriv':
        return this.namesFunction(e.body);
      default:
        return false;
    }
  }

  private matchingParen(open: number): number {
    let d = 0;
    for (let i = open; i < this.end; i++) {
      const t = this.toks[i];
      if (t.kind !== 'char') continue;
      if (t.text === '(' || t.text === '{' || t.text === '[') d++;
      else if ((t.text === ')' || t.text === '}' || t.text === ']') && --d === 0) return i + 1;
    }
    return -1;
  }

  private oneItem(items: Tex[], from: number): Tex {
    return items.length === 1 ? items[0] : { k: 'tuple', items, open: '[', from, to: this.pos };
  }

  /** `[`, `\{` (and `(` after `\mathbb{E}`) open an expectation's body. */
  private opensBracket(parens: boolean): boolean {
    const t = this.peek();
    return t !== undefined && (isChar(t, '[') || t.text === '\\{' || (parens && isChar(t, '(')));
  }

  /** The token range of a sub/superscript argument (one token, a command with its argument, or a group). */
  private scriptRange(): [number, number] {
    const t = this.peek();
    if (!t) throw this.failAt(t, 'expected a sub/superscript');
    const a = this.pos;
    if (isChar(t, '{')) this.pos = this.closeBrace(a);
    else if (t.kind === 'cmd' && (DECORATIONS.has(t.text) || FONTS.has(t.text) || LETTER_FONTS.has(t.text))) {
      this.pos++;
      this.scriptRange();
    } else if (isChar(t, '}') || isChar(t, '^') || isChar(t, '_'))
      throw this.failAt(t, 'expected a sub/superscript');
    else this.pos++;
    return [a, this.pos];
  }

  /**
   * An evaluation bar at the cursor (`|_{x=0}`, `|_0^t`, `|^{b}_{a}`): consumed, with both limits.
   * A bar without a script is not one (it may close an absolute value).
   */
  private evaluationBar(): boolean {
    if (!isChar(this.peek(), '|')) return false;
    const n = this.peek2();
    if (!isChar(n, '_')) {
      // `|^{b}_{a}`; a bar with a power only (`|a - b|^2`) closes an absolute value.
      if (!isChar(n, '^')) return false;
      const at = this.pos + 2;
      const after = isChar(this.toks[at], '{') ? closeGroup(this.toks, at, this.end) : at + 1;
      if (after < 0 || !isChar(this.toks[after], '_')) return false;
    }
    this.pos++;
    for (let k = 0; k < 2 && (this.is('_') || this.is('^')); k++) {
      this.pos++;
      this.scriptRange();
    }
    return true;
  }

  /** A sub/superscript as an expression (a braced group's inside; commas make a tuple). */
  private scriptTex(a: number, b: number): Tex {
    const braced = isChar(this.toks[a], '{');
    return this.within(braced ? a + 1 : a, braced ? b - 1 : b, () => {
      const from = this.pos;
      if (!this.peek()) return this.span(from, { k: 'opaque' as const, what: 'an empty script' });
      const items = [this.chain()];
      while (this.is(',') || this.is(';')) {
        this.pos++;
        if (this.peek()) items.push(this.chain());
      }
      return items.length === 1 ? items[0] : { k: 'tuple' as const, items, open: '_', from, to: this.pos };
    });
  }

  /** A braced argument `{...}` (or a single token) parsed as a sum. */
  private groupArg(): Tex {
    const [a, b] = this.scriptRange();
    const braced = isChar(this.toks[a], '{');
    return this.within(braced ? a + 1 : a, braced ? b - 1 : b, () => this.groupBody());
  }

  /** The inside of a group: a sum, or TeX's `a \over b`. */
  private groupBody(): Tex {
    const from = this.pos;
    const over = this.findAtDepth0('\\over');
    if (over >= 0) {
      const end = this.end;
      const num = this.within(this.pos, over, () => this.sum());
      this.pos = over + 1;
      this.end = end;
      const den = this.sum();
      return { k: 'div', num, den, from, to: this.pos };
    }
    if (this.findAtDepth0('\\choose') >= 0) {
      this.pos = this.end;
      return this.span(from, { k: 'opaque' as const, what: 'a binomial coefficient' });
    }
    if (!this.peek()) return this.span(from, { k: 'opaque' as const, what: 'an empty group' });
    return this.chain();
  }

  private findAtDepth0(cmd: string): number {
    let d = 0;
    for (let i = this.pos; i < this.end; i++) {
      const t = this.toks[i];
      if (isChar(t, '{')) d++;
      else if (isChar(t, '}')) d--;
      else if (d === 0 && t.kind === 'cmd' && t.text === cmd) return i;
    }
    return -1;
  }

  /**
   * A delimited list: `( )`, `[ ]`, `{ }`, `\{ \}`, `\langle \rangle`. Items are relation chains
   * separated by `,` or `;`; a `|` or `\mid` starts the conditioning part (`given`); `\|` or `\parallel`
   * after an item separates the two arguments of a divergence (`D_{KL}(p \| q)`).
   */
  private delimited(arguments_ = false): {
    items: Tex[];
    given: Tex[];
    sep: string;
    open: string;
    close: string;
  } {
    const t = this.next();
    const open = t.text;
    const closers: Record<string, string[]> = {
      '(': [')', ']'],
      '[': [']', ')'],
      '{': ['}'],
      '\\{': ['\\}'],
      '\\langle': ['\\rangle'],
    };
    const close = closers[open];
    if (!close) throw this.failAt(t, `unsupported delimiter`);
    const items: Tex[] = [];
    const given: Tex[] = [];
    let sep = '';
    let closedBy = close[0];
    this.depth++;
    this.listDepth++;
    const [savedNorm, savedAbs, savedKl] = [this.normDepth, this.absDepth, this.klList];
    this.klList = arguments_;
    this.normDepth = 0;
    this.absDepth = 0;
    try {
      for (;;) {
        const n = this.peek();
        if (!n) throw this.failAt(t, `unclosed '${open}'`);
        if (n.kind !== 'text' && close.includes(n.text)) {
          // `(0, 1]`: a half-open interval may close with the other bracket.
          if (n.text !== close[0] && items.length < 2)
            throw this.failAt(n, `'${open}' closed by '${n.text}'`);
          closedBy = n.text;
          this.pos++;
          break;
        }
        const afterItem = items.length + given.length > sep.length;
        if (
          afterItem &&
          arguments_ &&
          given.length === 0 &&
          n.text === '\\mid' &&
          this.peek2()?.text === '\\mid'
        ) {
          // `\text{KL}(q \mid \mid p)`: two bars spelled out, the divergence's separator.
          sep += '||';
          this.pos += 2;
          given.push(this.item());
          continue;
        }
        if (
          (n.text === '|' && afterItem) ||
          n.text === '\\mid' ||
          (afterItem && arguments_ && (n.text === '\\|' || n.text === '\\parallel'))
        ) {
          if (given.length > 0) throw this.failAt(n, 'a second conditioning bar');
          if (n.text === '\\|' || n.text === '\\parallel') sep += '||';
          this.pos++;
          given.push(this.item());
          continue;
        }
        if (n.text === ',' || n.text === ';') {
          sep += n.text;
          this.pos++;
          continue;
        }
        if (afterItem && given.length === 0) throw this.failAt(n, `expected ',' or '${close[0]}'`);
        (given.length > 0 ? given : items).push(this.item());
      }
    } finally {
      this.depth--;
      this.listDepth--;
      this.normDepth = savedNorm;
      this.absDepth = savedAbs;
      this.klList = savedKl;
    }
    return { items, given, sep, open, close: closedBy };
  }

  private item(): Tex {
    const t = this.peek();
    const side = this.relationAt();
    if (side) {
      // `(\ge 0)`, `(= 1)`: a side condition written in parentheses.
      const from = this.pos;
      this.pos += side.width;
      if (this.peek() && this.startsFactor(this.peek()!, true)) this.sum();
      return this.span(from, { k: 'opaque' as const, what: 'a side condition' });
    }
    if (t?.text === '\\cdot' || t?.text === '\\bullet' || t?.text === '\\ast') {
      // `u_t(\cdot | x_1)`: a placeholder argument.
      const from = this.pos++;
      return this.span(from, { k: 'opaque' as const, what: 'placeholder' });
    }
    if (t?.text === '\\ldots' || t?.text === '\\dots' || t?.text === '\\cdots') {
      const from = this.pos++;
      return this.span(from, { k: 'opaque' as const, what: 'ellipsis' });
    }
    return this.chain();
  }

  private primary(): { tex: Tex; applicable: boolean } {
    const from = this.pos;
    const t = this.next();
    const done = (tex: Tex, applicable = false) => ({ tex, applicable });
    if (t.kind === 'text') {
      if (t.arg === 'd' && this.differentials) {
        this.pos--;
        if (this.atDifferential()) return done(this.differential(from));
        this.pos++;
      }
      if (t.text === '\\mathrm' && t.arg === 'e') return done(this.atom(from), false);
      return done(this.atom(from), true);
    }
    if (t.kind === 'param') throw this.failAt(t, `a macro parameter ${t.text} outside a macro`);
    if (t.kind === 'char') {
      if (/[0-9.]/.test(t.text)) return done(this.number(from));
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
        if (t.text === '{') {
          const close = this.closeBrace(this.pos);
          const inner = this.within(this.pos + 1, close - 1, () => this.groupBody());
          this.pos = close;
          return done({ ...inner, from, to: this.pos }, inner.k === 'atom');
        }
        const { items, open, close } = this.delimited();
        if (items.length === 1 && open === close.replace(')', '(').replace(']', '['))
          return done({ ...items[0], from, to: this.pos }, open === '(');
        return done(this.span(from, { k: 'tuple' as const, items, open }));
      }
      if (t.text === '|') return done(this.absolute(from));
      throw this.failAt(
        t,
        "+-*/=<>,;:)]}^_&!'?".includes(t.text) ? 'expected an expression' : 'unsupported character in LaTeX',
      );
    }
    const c = t.text;
    if (GREEK.has(c) || KNOWN_ATOMS.has(c)) return done(this.atom(from), true);
    if (c === '\\pi') return done(this.span(from, { k: 'pi' as const }), true);
    if (Object.hasOwn(OPAQUE, c)) return done(this.span(from, { k: 'opaque' as const, what: OPAQUE[c] }));
    if (DECORATIONS.has(c)) {
      const [a, b] = this.scriptRange();
      const inner = canonical(this.toks, a, b);
      if (
        !/^(\\[A-Za-z]+|[A-Za-z0-9]|\\text\{[^}]*\})( \\[A-Za-z]+| [A-Za-z])*$/.test(inner) ||
        inner.includes('\\frac')
      )
        return done(this.span(from, { k: 'opaque' as const, what: `${c} of an expression` }));
      return done(this.atom(from), true);
    }
    if (FONTS.has(c)) {
      const [a, b] = this.scriptRange();
      const inner = canonical(this.toks, a, b);
      if (/^\d+$/.test(inner)) return done(this.span(from, { k: 'num' as const, text: inner }));
      if (
        /^(\\[A-Za-z]+|[A-Za-z]|\\(bar|hat|dot|tilde|vec|check) \S+)$/.test(inner) &&
        !inner.startsWith('\\frac')
      )
        return done(this.atom(from), true);
      // `\mathbf{x_t}`, `\boldsymbol{\mu_\theta}`: the font of a whole expression is the expression.
      const braced = isChar(this.toks[a], '{');
      const body = this.within(braced ? a + 1 : a, braced ? b - 1 : b, () => this.groupBody());
      return done({ ...body, from, to: this.pos }, body.k === 'atom');
    }
    if (LETTER_FONTS.has(c)) {
      const [a, b] = this.scriptRange();
      const inner = canonical(this.toks, a, b);
      if (!/^([A-Za-z]+|\d)$/.test(inner)) throw this.failAt(t, `${c} of something that is not a letter`);
      return done(this.atom(from), true);
    }
    if (FUNCTIONS.has(c)) return done(this.func(t, from));
    if (c === '\\frac' || c === '\\binom' || c === '\\dbinom' || c === '\\tbinom') {
      if (c !== '\\frac') {
        this.groupArg();
        this.groupArg();
        return done(this.span(from, { k: 'opaque' as const, what: 'a binomial coefficient' }));
      }
      return this.frac(t, from);
    }
    switch (c) {
      case '\\sqrt': {
        let index: Tex | undefined;
        if (this.is('[')) {
          const { items } = this.delimited();
          index = this.oneItem(items, from);
        }
        const arg = this.groupArg();
        return done(this.span(from, { k: 'sqrt' as const, arg, index }));
      }
      case '\\|':
        return done(this.norm(from));
      case '\\{':
      case '\\langle': {
        this.pos--;
        const { items } = this.delimited();
        if (c === '\\langle') return done(this.span(from, { k: 'tuple' as const, items, open: '<' }));
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
          // The note is commentary (`_{= s(x)}`, `_{\text{by (3)}}`): read it if possible, else keep it opaque.
          const at = this.pos;
          try {
            note = this.groupArg();
          } catch (err) {
            if (!(err instanceof InputError)) throw err;
            this.pos = at;
            const [a, b] = this.scriptRange();
            note = { k: 'opaque', what: 'a note', from: a, to: b };
          }
        }
        return done(this.span(from, { k: 'underbrace' as const, body, note }), body.k === 'atom');
      }
      case '\\overset':
      case '\\underset':
      case '\\stackrel': {
        // The note over or under a symbol is decoration (any text, even `*`); the base is what is meant.
        this.scriptRange();
        const body = this.groupArg();
        return done({ ...body, from, to: this.pos }, body.k === 'atom');
      }
      case '\\begin':
        return done(this.environment(t, from));
      case '\\operatorname':
        return done(this.atom(from), true);
    }
    if (INTEGRALS.has(c)) return done(this.integral(from, c === '\\int' || c === '\\intop'));
    if (BIG_OPS.has(c) || c === '\\cup' || c === '\\cap') return done(this.bigop(c, from));
    if (OPAQUE_OPS.has(c)) throw this.failAt(t, `expected an expression before ${c}`);
    throw this.failAt(
      t,
      t.via
        ? `unsupported LaTeX command ${c}`
        : `unknown macro ${c}: define it with \\newcommand (in the file or an \\input file) or --macros FILE`,
    );
  }

  /** A number: a run of digits with at most one decimal point. */
  private number(from: number): Tex {
    let text = this.toks[from].text;
    let dot = text === '.';
    while (this.pos < this.end) {
      const n = this.toks[this.pos];
      if (n.kind !== 'char') break;
      if (/\d/.test(n.text)) text += n.text;
      else if (
        n.text === '.' &&
        !dot &&
        /\d/.test(this.toks[this.pos + 1]?.text ?? '') &&
        this.toks[this.pos + 1]?.kind === 'char'
      ) {
        dot = true;
        text += '.';
      } else break;
      this.pos++;
    }
    if (text.startsWith('.')) text = '0' + text;
    return this.span(from, { k: 'num' as const, text });
  }

  private atom(from: number): Extract<Tex, { k: 'atom' }> {
    return { k: 'atom', canon: canonical(this.toks, from, this.pos), from, to: this.pos };
  }

  /** `cases`, `matrix`, `array`: one opaque value; an unknown environment is an error naming it. */
  private environment(t: Token, from: number): Tex {
    this.pos--;
    const name = this.environmentName(this.pos) ?? '';
    const what = VALUE_ENVIRONMENTS[name.replace(/\*$/, '')];
    if (!what) {
      const known = [...Object.keys(VALUE_ENVIRONMENTS), ...INNER_ENVIRONMENTS, ...ROW_ENVIRONMENTS];
      const near = known.find((k) => editDistance(k, name) <= 2);
      throw this.failAt(t, `unknown environment '${name}'${near ? ` (did you mean '${near}'?)` : ''}`);
    }
    let depth = 0;
    for (let i = this.pos; i < this.end; i++) {
      const u = this.toks[i];
      if (u.kind !== 'cmd' || (u.text !== '\\begin' && u.text !== '\\end')) continue;
      if (this.environmentName(i) !== name) continue;
      depth += u.text === '\\begin' ? 1 : -1;
      if (depth === 0) {
        this.pos = closeGroup(this.toks, i + 1);
        return this.span(from, { k: 'opaque' as const, what });
      }
    }
    throw this.failAt(t, `\\begin{${name}} is never closed`);
  }

  private differential(from: number): Tex {
    this.pos++;
    const atFrom = this.pos;
    const { tex } = this.primary();
    const wrt = tex.k === 'atom' ? this.scripts(tex, atFrom).tex : tex;
    if (wrt.k !== 'atom')
      return this.span(from, { k: 'opaque' as const, what: 'a differential of an expression' });
    return this.span(from, { k: 'differential' as const, wrt });
  }

  /** `\log x`, `\exp(x)`, `\log_2 x`, `\sin^2 x`: a function of the next factor. */
  private func(t: Token, from: number): Tex {
    let base: Tex | undefined;
    let power: Tex | undefined;
    for (let k = 0; k < 2; k++) {
      if (this.is('_') && !base) {
        this.pos++;
        base = this.groupArg();
      } else if (this.is('^') && !power) {
        this.pos++;
        power = this.groupArg();
      }
    }
    const n = this.peek();
    if (!n || !this.startsFactor(n, true)) throw this.failAt(n, `${t.text} needs an argument`);
    const delimited = ['(', '[', '{', '\\{', '|', '\\|'].includes(n.text);
    let arg = this.factor();
    if (arg.k === 'set' && arg.items.length === 1) arg = { ...arg.items[0], from: arg.from, to: arg.to };
    const after = this.peek();
    if (
      !delimited &&
      after &&
      this.startsFactor(after, false) &&
      !this.atDifferential() &&
      !this.startsLowerPrecedence(after)
    ) {
      // `\log a b`: TeX does not say whether b is inside; flowproof does not guess.
      this.term();
      const what = `an ambiguous argument of ${t.text} (write ${t.text}(...) to say where it ends)`;
      return this.span(from, { k: 'opaque' as const, what });
    }
    const fn = t.text === '\\ln' ? 'log' : t.text.slice(1);
    let out: Tex = this.span(from, { k: 'fn' as const, fn, arg, ...(base ? { base } : {}) });
    if (power) out = { k: 'pow', base: out, exp: power, from, to: this.pos };
    return out;
  }

  /** A factor that binds looser than a function argument would (an operator, an integral's differential). */
  private startsLowerPrecedence(t: Token): boolean {
    return t.kind === 'cmd' && (BIG_OPS.has(t.text) || INTEGRALS.has(t.text));
  }

  /** `\frac{a}{b}`, or a derivative `\frac{d}{dt} X`, `\frac{dX}{dt}`, `\frac{\partial^2 X}{\partial x^2}`. */
  private frac(t: Token, from: number): { tex: Tex; applicable: boolean } {
    const numOpen = this.pos;
    const numTok = this.peek();
    if (!numTok) throw this.failAt(t, '\\frac needs two arguments');
    if (isChar(numTok, '{')) {
      const numClose = this.closeBrace(numOpen);
      const denOpen = numClose;
      if (isChar(this.toks[denOpen], '{')) {
        const denClose = this.closeBrace(denOpen);
        const d = this.leibniz(numOpen + 1, numClose - 1, denOpen + 1, denClose - 1);
        if (d) {
          this.pos = denClose;
          let body: Tex;
          if (d.bodyFrom === numClose - 1) {
            if (this.evaluationBar()) {
              // `\left.\frac{d}{dh}\right|_{h=0} \psi_h(x)`: the derivative's value at a point.
              const n = this.peek();
              if (n && this.startsFactor(n, true)) this.factor();
              return {
                tex: this.span(from, { k: 'opaque' as const, what: 'an evaluation at a point (|_{...})' }),
                applicable: false,
              };
            }
            const n = this.peek();
            if (!n || !this.startsFactor(n, true))
              throw this.failAt(n, 'a derivative operator needs an operand');
            body = this.factor();
          } else body = this.within(d.bodyFrom, numClose - 1, () => this.sum());
          this.pos = Math.max(this.pos, denClose);
          let tex = body;
          for (const wrt of d.wrts) tex = this.span(from, { k: 'deriv' as const, op: d.op, wrt, body: tex });
          return { tex, applicable: true };
        }
      }
    }
    const num = this.groupArg();
    const den = this.groupArg();
    return { tex: this.span(from, { k: 'div' as const, num, den }), applicable: false };
  }

  /**
   * Leibniz notation in `\frac{num}{den}`: `d`/`\partial` (with an optional order `^n`) over one or
   * more `d x` / `\partial x^k` factors. Undefined when the fraction is not a derivative.
   */
  private leibniz(
    numFrom: number,
    numTo: number,
    denFrom: number,
    denTo: number,
  ): { op: 'd' | 'partial'; wrts: Tex[]; bodyFrom: number } | undefined {
    const op = this.derivOp(numFrom);
    if (!op) return undefined;
    let bodyFrom = numFrom + 1;
    let order = 1;
    if (isChar(this.toks[bodyFrom], '^')) {
      const o = this.toks[bodyFrom + 1];
      if (!o || !/^\d$/.test(o.text)) return undefined;
      order = Number(o.text);
      bodyFrom += 2;
    }
    if (
      bodyFrom < numTo &&
      op === 'd' &&
      this.toks[bodyFrom].kind === 'char' &&
      /[0-9_]/.test(this.toks[bodyFrom].text)
    )
      return undefined;
    const wrts: Tex[] = [];
    let i = denFrom;
    while (i < denTo) {
      if (this.derivOp(i) !== op) return undefined;
      const start = i + 1;
      if (start >= denTo || isChar(this.toks[start], '_') || isChar(this.toks[start], '^')) return undefined;
      // The variable runs to the next operator; `x^2` inside it is the order.
      let j = start;
      while (j < denTo && this.derivOp(j) !== op) j++;
      let varEnd = j;
      let times = 1;
      const caret = this.toks.slice(start, j).findIndex((u) => isChar(u, '^'));
      if (caret >= 0) {
        const k = start + caret;
        const o = this.toks[k + 1];
        if (!o || !/^\d$/.test(o.text) || k + 2 !== j) return undefined;
        times = Number(o.text);
        varEnd = k;
      }
      let wrt: Tex;
      try {
        wrt = this.within(start, varEnd, () => {
          const w = this.factor();
          if (w.k !== 'atom')
            throw this.failAt(this.toks[start], 'differentiation with respect to a non-symbol');
          return w;
        });
      } catch {
        return undefined;
      }
      for (let k = 0; k < times; k++) wrts.push(wrt);
      i = j;
    }
    if (wrts.length === 0 || wrts.length !== order) return undefined;
    return { op, wrts, bodyFrom };
  }

  /** 'd' or 'partial' if token index i is `d`, `\mathrm{d}` or `\partial`. */
  private derivOp(i: number): 'd' | 'partial' | undefined {
    const t = this.toks[i];
    if (!t) return undefined;
    if (t.kind === 'cmd' && t.text === '\\partial') return 'partial';
    if ((t.kind === 'char' && t.text === 'd') || (t.kind === 'text' && t.arg === 'd')) return 'd';
    return undefined;
  }

  private integral(from: number, single: boolean): Tex {
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
    if (!single) lo = hi = undefined;
    // `\int_0^t ds\, f(s)`: the differential may come first.
    if (this.atDifferential()) {
      const d = this.differential(this.pos) as Extract<Tex, { k: 'differential' }>;
      const n = this.peek();
      // `\int_0^s \mathrm{d}\xi`: the integrand is 1.
      const body: Tex =
        n && this.startsFactor(n, false) ? this.term() : { k: 'num', text: '1', from: d.from, to: d.from };
      return this.span(from, { k: 'integral' as const, lo, hi, body, wrt: d.wrt });
    }
    this.intDepth++;
    let body: Tex;
    try {
      body = this.sum();
    } finally {
      this.intDepth--;
    }
    if (!this.atDifferential()) {
      // `\int_x f(x)` (the variable as a subscript) or a differential inside a fraction: read, not checked.
      return this.span(from, {
        k: 'opaque' as const,
        what: 'an integral whose differential is not at its end',
      });
    }
    const d = this.differential(this.pos) as Extract<Tex, { k: 'differential' }>;
    // `\int ... dx\,dy`: further differentials of a multiple integral.
    while (this.atDifferential()) this.differential(this.pos);
    return this.span(from, { k: 'integral' as const, lo, hi, body, wrt: d.wrt });
  }

  private norm(from: number): Tex {
    this.depth++;
    this.normDepth++;
    const savedList = this.listDepth;
    this.listDepth = 0;
    let body: Tex;
    try {
      body = this.is('\\cdot') ? this.item() : this.sum();
    } finally {
      this.depth--;
      this.normDepth--;
      this.listDepth = savedList;
    }
    this.expect('\\|', 'to close the norm');
    return this.span(from, { k: 'norm' as const, body });
  }

  private absolute(from: number): Tex {
    this.depth++;
    this.absDepth++;
    const savedList = this.listDepth;
    this.listDepth = 0;
    let body: Tex;
    try {
      body = this.is('\\cdot') ? this.item() : this.sum();
    } finally {
      this.depth--;
      this.absDepth--;
      this.listDepth = savedList;
    }
    this.expect('|', 'to close the absolute value');
    return this.span(from, { k: 'abs' as const, body });
  }

  /** `\nabla_x X`, `\nabla \cdot X` (divergence), `\nabla^2_x X` (Laplacian), `\partial_t X`. */
  private operator(c: string, from: number): Tex {
    let wrt: Tex | undefined;
    let order = 1;
    for (let k = 0; k < 2; k++) {
      if (this.is('_') && !wrt) {
        this.pos++;
        const [a, b] = this.scriptRange();
        wrt = this.scriptTex(a, b);
        if (wrt.k !== 'atom') {
          // `\partial_{xx}`, `\partial_{t,x}`: not one variable.
          return this.span(from, { k: 'opaque' as const, what: `${c} with respect to several variables` });
        }
      } else if (this.is('^') && order === 1) {
        this.pos++;
        const [a, b] = this.scriptRange();
        const o = this.scriptCanon(a, b);
        if (!/^\d$/.test(o))
          throw this.failAt(this.toks[a], `${c}^${o}: the order of a derivative must be a digit`);
        order = Number(o);
      }
    }
    if (!wrt && c === '\\partial') {
      // `\partial x` outside a fraction, `\partial^2` over a loose denominator: no variable to read.
      const n = this.peek();
      if (n && this.startsFactor(n, false)) this.factor();
      return this.span(from, {
        k: 'opaque' as const,
        what: '\\partial without a subscript variable (write \\partial_t or \\frac{\\partial}{\\partial t})',
      });
    }
    let op: DerivOp = c === '\\nabla' ? 'nabla' : 'partial';
    if (c === '\\nabla' && this.is('\\cdot')) {
      this.pos++;
      op = 'divergence';
    }
    const n = this.peek();
    if (!n || !this.startsFactor(n, true)) {
      // `\nabla_x^2 : A`, `\nabla` alone: an operator written without its operand.
      if (n && (isChar(n, ':') || isChar(n, ')') || isChar(n, ']') || isChar(n, ',')))
        return this.span(from, { k: 'opaque' as const, what: `${c} without an operand` });
      throw this.failAt(n, `${c} needs an operand`);
    }
    let body = this.factor();
    for (let k = 0; k < order; k++) body = this.span(from, { k: 'deriv' as const, op, wrt, body });
    return body;
  }

  private bigop(c: string, from: number): Tex {
    let sub: Tex | undefined;
    let sup: Tex | undefined;
    let op = c.slice(1);
    // `\arg\min`, `\arg\max`.
    if (c === '\\arg' && (this.is('\\min') || this.is('\\max'))) op += this.next().text.slice(1);
    for (let k = 0; k < 2; k++) {
      if (this.is('_') && !sub) {
        this.pos++;
        const [a, b] = this.scriptRange();
        sub = this.scriptTex(a, b);
      } else if (this.is('^') && !sup) {
        this.pos++;
        const [a, b] = this.scriptRange();
        sup = this.scriptTex(a, b);
      }
    }
    const n = this.peek();
    if (!n || !this.startsFactor(n, true))
      return this.span(from, { k: 'opaque' as const, what: `\\${op} without an operand` });
    const body = op === 'sum' || op === 'prod' || op === 'lim' ? this.term() : this.factor();
    return this.span(from, { k: 'bigop' as const, op, sub, sup, body });
  }
}

function wrap(script: string): string {
  return script.includes(' ') ? `{ ${script} }` : script;
}
