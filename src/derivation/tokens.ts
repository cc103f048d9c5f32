// The LaTeX tokenizer, with TeX's own token rules: a control word (`\frac`), a control symbol (`\,`,
// `\\`, `\|`), or one character, digits included (so `\frac12` takes `1` and `2` as its two arguments,
// as TeX does; the parser joins digit runs into numbers). Every token keeps the source span it came
// from, so every later error can name the line and column of the piece it is about; tokens produced by
// a macro keep the span of the macro's call and its name (`via`).
import { InputError } from '../core/errors.js';

export interface Token {
  /**
   * `cmd` (`\frac`, `\,`), `char` (one character), `param` (`#1` in a macro body), or `text`: a command
   * whose argument is text, not math (`\text{data}`), merged with that argument by `mergeText`.
   */
  kind: 'cmd' | 'char' | 'param' | 'text';
  text: string;
  /** The raw text argument of a `text` token. */
  arg?: string;
  /** Source span [at, end) of the token (of the macro call, for tokens a macro produced). */
  at: number;
  end: number;
  /** The macro whose expansion produced this token. */
  via?: string;
}

/** Where a source string starts in its file: lets token offsets become file:line:column. */
export interface Origin {
  file?: string;
  line: number;
  column: number;
}

export const ORIGIN_START: Origin = { line: 1, column: 1 };

/** The 1-based line and column of `offset` in `source`, which starts at `origin` in its file. */
export function locate(source: string, offset: number, origin: Origin): { line: number; column: number } {
  let line = origin.line;
  let column = origin.column;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source[i] === '\n') {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column };
}

/** An InputError positioned at `offset` of a LaTeX source, quoting the offending piece. */
export function texError(
  message: string,
  source: string,
  offset: number,
  origin: Origin,
  quote: string,
): InputError {
  return new InputError(message, { file: origin.file, ...locate(source, offset, origin) }, quote);
}

/** Commands whose single braced argument is text, not math (kept raw). */
export const TEXT_COMMANDS = new Set([
  '\\text',
  '\\textbf',
  '\\textit',
  '\\textrm',
  '\\textsf',
  '\\texttt',
  '\\textnormal',
  '\\mathrm',
  '\\operatorname',
  '\\mbox',
  '\\hbox',
  '\\hspace',
  '\\vspace',
  '\\label',
  '\\tag',
  '\\eqref',
  '\\ref',
  '\\cite',
  '\\citep',
  '\\citet',
]);

/** Unicode symbols authors type directly in Markdown math, read as the command they stand for. */
const UNICODE: Record<string, string> = {
  α: '\\alpha',
  β: '\\beta',
  γ: '\\gamma',
  δ: '\\delta',
  ε: '\\varepsilon',
  ϵ: '\\epsilon',
  ζ: '\\zeta',
  η: '\\eta',
  θ: '\\theta',
  κ: '\\kappa',
  λ: '\\lambda',
  μ: '\\mu',
  ν: '\\nu',
  ξ: '\\xi',
  π: '\\pi',
  ρ: '\\rho',
  σ: '\\sigma',
  τ: '\\tau',
  φ: '\\phi',
  ϕ: '\\phi',
  χ: '\\chi',
  ψ: '\\psi',
  ω: '\\omega',
  Σ: '\\Sigma',
  Δ: '\\Delta',
  Γ: '\\Gamma',
  Λ: '\\Lambda',
  Φ: '\\Phi',
  Ω: '\\Omega',
  '∇': '\\nabla',
  '∂': '\\partial',
  '∫': '\\int',
  '∑': '\\sum',
  '∏': '\\prod',
  '√': '\\sqrt',
  '·': '\\cdot',
  '⋅': '\\cdot',
  '×': '\\times',
  '≤': '\\le',
  '≥': '\\ge',
  '≠': '\\ne',
  '≈': '\\approx',
  '∝': '\\propto',
  '∈': '\\in',
  '→': '\\to',
  '∞': '\\infty',
  '≔': '\\coloneqq',
  '≜': '\\triangleq',
  '≡': '\\equiv',
  '∼': '\\sim',
  '…': '\\ldots',
  '⋯': '\\cdots',
  '‖': '\\|',
  // U+2223 DIVIDES, what some editors put for a conditioning bar: p(A∣B).
  '∣': '\\mid',
};
/** Characters that are plain text in a formula: the unicode minus is a minus, a no-break space a space. */
const UNICODE_CHARS: Record<string, string> = { '−': '-', '–': '-', '\u00a0': ' ', '′': "'" };

/** Split LaTeX into TeX tokens. Never throws: an unsupported character is a `char` the parser reports. */
export function tokenize(source: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < source.length) {
    let c = source[i];
    if (Object.hasOwn(UNICODE_CHARS, c)) c = UNICODE_CHARS[c];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '%') {
      // A comment runs to the end of the line.
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (c === '\\') {
      const m = /^\\(?:[A-Za-z]+|[^A-Za-z])?/s.exec(source.slice(i, i + 64)) as RegExpExecArray;
      out.push({ kind: 'cmd', text: m[0], at: i, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    if (c === '#' && /[1-9]/.test(source[i + 1] ?? '')) {
      out.push({ kind: 'param', text: source.slice(i, i + 2), at: i, end: i + 2 });
      i += 2;
      continue;
    }
    // A character outside the basic plane is one token, not two halves.
    const ch = String.fromCodePoint(source.codePointAt(i) as number);
    const cmd = UNICODE[ch];
    if (cmd) out.push({ kind: 'cmd', text: cmd, at: i, end: i + ch.length });
    else out.push({ kind: 'char', text: c === source[i] ? ch : c, at: i, end: i + ch.length });
    i += ch.length;
  }
  return out;
}

/** Index just past the `}` matching the `{` at token index `open` (-1 when unclosed). */
export function closeGroup(tokens: Token[], open: number, limit = tokens.length): number {
  let depth = 0;
  for (let i = open; i < limit; i++) {
    const t = tokens[i];
    if (t.kind !== 'char') continue;
    if (t.text === '{') depth++;
    else if (t.text === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * Merge each text command with its braced argument into one `text` token (after macro expansion, so a
 * macro's `\mathrm{#1}` sees its argument). The argument is the source slice when its tokens are the
 * source's own, else their spellings joined. `\operatorname*` keeps its star in the command.
 */
export function mergeText(tokens: Token[], source: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'cmd' || !TEXT_COMMANDS.has(t.text)) {
      out.push(t);
      continue;
    }
    let j = i + 1;
    let text = t.text;
    if (tokens[j]?.kind === 'char' && tokens[j].text === '*') {
      text += '*';
      j++;
    }
    if (tokens[j]?.kind !== 'char' || tokens[j].text !== '{') {
      // `\mathrm d` (one token, TeX's rule) or a text command with nothing after it.
      const one = tokens[j];
      if (one && one.kind !== 'param' && !(one.kind === 'char' && one.text === '}')) {
        out.push({ kind: 'text', text, arg: one.text, at: t.at, end: one.end, via: t.via });
        i = j;
      } else out.push(t);
      continue;
    }
    const close = closeGroup(tokens, j);
    if (close < 0) {
      out.push(t);
      continue;
    }
    const inner = tokens.slice(j + 1, close - 1);
    const own = inner.every((x) => x.via === undefined) && t.via === undefined;
    const arg = own
      ? source.slice(tokens[j].end, tokens[close - 1].at)
      : inner.map((x) => x.text).join(inner.some((x) => x.kind === 'cmd') ? ' ' : '');
    out.push({ kind: 'text', text, arg: arg.trim(), at: t.at, end: tokens[close - 1].end, via: t.via });
    i = close - 1;
  }
  return out;
}
