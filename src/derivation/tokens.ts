// The LaTeX tokenizer: commands, single characters, numbers and raw text arguments, each with its
// offset in the source, so every later error can name the line and column of the token it is about.
import { InputError } from '../core/errors.js';

export interface Token {
  /**
   * `cmd` (e.g. `\frac`, `\,`), `num` (digits with an optional decimal point), `char` (one character),
   * `text` (a command whose argument is raw text, e.g. `\text{data}`: `text` is the command, `arg` the text).
   */
  kind: 'cmd' | 'num' | 'char' | 'text';
  text: string;
  arg?: string;
  /** Offset of the token's first character in the source string. */
  at: number;
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
  '\\mathrm',
  '\\operatorname',
  '\\mbox',
  '\\hspace',
  '\\vspace',
]);

const SINGLE = new Set([..."{}^_()[]+-*/=<>,;:|'&!.?~"]);

export function tokenize(source: string, origin: Origin = ORIGIN_START): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '%') {
      // A LaTeX comment runs to the end of the line.
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (c === '\\') {
      const m = /^\\([A-Za-z]+\*?|[^A-Za-z])/s.exec(source.slice(i, i + 64));
      if (!m) throw texError('a lone backslash ends the formula', source, i, origin, '\\');
      const start = i;
      i += m[0].length;
      if (TEXT_COMMANDS.has(m[0])) {
        while (i < source.length && /\s/.test(source[i])) i++;
        if (source[i] !== '{') throw texError(`${m[0]} needs a braced argument`, source, start, origin, m[0]);
        const close = matchingBrace(source, i);
        if (close < 0) throw texError(`unclosed argument of ${m[0]}`, source, i, origin, m[0]);
        out.push({ kind: 'text', text: m[0], arg: source.slice(i + 1, close).trim(), at: start });
        i = close + 1;
      } else out.push({ kind: 'cmd', text: m[0], at: start });
      continue;
    }
    const num = /^(?:\d+(?:\.\d+)?|\.\d+)/.exec(source.slice(i, i + 400));
    if (num) {
      out.push({ kind: 'num', text: num[0], at: i });
      i += num[0].length;
      continue;
    }
    if (/[A-Za-z]/.test(c) || SINGLE.has(c)) {
      out.push({ kind: 'char', text: c, at: i });
      i++;
      continue;
    }
    throw texError('unsupported character in LaTeX', source, i, origin, c);
  }
  return out;
}

/** Index of the `}` matching the `{` at `open`, or -1. Escaped braces `\{ \}` do not count. */
function matchingBrace(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}
