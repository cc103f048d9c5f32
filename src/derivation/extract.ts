// Finding the math of a paper (the "extract" stage): display and inline math in Markdown (Jekyll /
// kramdown, distill, MathJax), .tex and HTML, each with the file:line:column where its LaTeX starts.
// What is never read: `%` comments, `\iffalse..\fi`, `comment` environments, HTML comments, fenced
// code blocks. Blanking (not deleting) them, and blockquote markers (`> $$`), keeps every offset, so
// positions stay exact. `\input` / `\include` of local files are followed (their macros and math), and a
// misspelt math environment (`\begin{equaton}`) is reported, never dropped.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { collectDefinitions, Macros } from './macros.js';
import type { Origin } from './tokens.js';
import { tokenize } from './tokens.js';

export type SourceKind = 'markdown' | 'tex' | 'html';

export interface MathPiece {
  /** The LaTeX as written between the delimiters (environments keep their \begin/\end). */
  latex: string;
  /** Where `latex` starts. */
  origin: Origin & { file: string };
  kind: 'display' | 'inline';
  delimiter: '$$' | '\\[' | 'environment' | '$' | '\\(' | 'd-math';
  /** The prose just before the formula (for "where", "let", "define" cues). */
  prose: string;
  /** Place in the document walk (macros in force are those defined before it). */
  seq: number;
  /** For display math: the text since the display before it in the same file (undefined: none). */
  gap?: string;
}

/** Something in the document the reader could not take in, at its position. */
export interface DocumentProblem {
  /** `formula`: math that could not be delimited (an unclosed $$, a misspelt environment); `file`: an input. */
  kind: 'formula' | 'file';
  message: string;
  file: string;
  line: number;
  column: number;
  quote: string;
}

export interface ReadDocument {
  pieces: MathPiece[];
  macros: Macros;
  problems: DocumentProblem[];
}

/** Display environments: their content is a display formula. */
export const DISPLAY_ENVIRONMENTS = new Set(
  [
    'equation',
    'align',
    'alignat',
    'flalign',
    'gather',
    'multline',
    'eqnarray',
    'displaymath',
    'dmath',
    'dgroup',
    'IEEEeqnarray',
  ].flatMap((e) => [e, `${e}*`]),
);
/** Environments that may appear inside a display formula (handled by the parser). */
export const INNER_ENVIRONMENTS = new Set(
  [
    'aligned',
    'alignedat',
    'gathered',
    'split',
    'multlined',
    'cases',
    'dcases',
    'array',
    'matrix',
    'pmatrix',
    'bmatrix',
    'Bmatrix',
    'vmatrix',
    'Vmatrix',
    'smallmatrix',
    'subarray',
    'subequations',
  ].flatMap((e) => [e, `${e}*`]),
);

export function sourceKind(file: string): SourceKind {
  if (/\.(tex|ltx|sty|latex)$/i.test(file)) return 'tex';
  if (/\.html?$/i.test(file)) return 'html';
  return 'markdown';
}

export interface ReadOptions {
  kind?: SourceKind;
  /** Macro files read before the document (`--macros`). */
  macroFiles?: string[];
  /** Reads an included file; undefined when it does not exist (default: the file system). */
  readFile?: (path: string) => string | undefined;
}

const MAX_INPUT_DEPTH = 8;

/** Every math piece of a document, its macros and the problems met reading it. */
export function readDocument(text: string, file: string, options: ReadOptions = {}): ReadDocument {
  const macros = new Macros();
  const problems: DocumentProblem[] = [];
  const pieces: MathPiece[] = [];
  const readFile = options.readFile ?? readLocal;
  for (const [k, path] of (options.macroFiles ?? []).entries()) {
    const macroText = readFile(path);
    if (macroText === undefined) {
      problems.push({
        kind: 'file',
        message: 'macro file not found',
        file: path,
        line: 1,
        column: 1,
        quote: path,
      });
      continue;
    }
    walk(blankTex(macroText), path, -1 - k, 0, { macros, problems, pieces: [], readFile, seen: new Set() });
  }
  const kind = options.kind ?? sourceKind(file);
  const blanked = kind === 'tex' ? blankTex(text) : blankMarkdown(text);
  walk(blanked, file, 0, 1, { macros, problems, pieces, readFile, seen: new Set([file]), kind });
  return { pieces, macros, problems };
}

/** The display formulas of a Markdown text (derivation files). */
export function extractDisplayMath(text: string, file: string): MathPiece[] {
  return readDocument(text, file, { kind: 'markdown', readFile: () => undefined }).pieces.filter(
    (p) => p.kind === 'display',
  );
}

interface Walk {
  macros: Macros;
  problems: DocumentProblem[];
  pieces: MathPiece[];
  readFile: (path: string) => string | undefined;
  seen: Set<string>;
  kind?: SourceKind;
  depth?: number;
}

/**
 * Read one (blanked) file: definitions, math pieces and included files. `base` and `span` map its
 * offsets into the document walk's order: offset o is at seq `base + span * o / (length + 1)`.
 */
function walk(text: string, file: string, base: number, span: number, w: Walk): void {
  const lines = lineStarts(text);
  const where = (offset: number) => ({ file, ...lineColumn(lines, offset) });
  const seqOf = (offset: number) => base + (span * offset) / (text.length + 1);
  for (const p of collectDefinitions(tokenize(text), w.macros, seqOf, (o) => `${file}:${where(o).line}`))
    w.problems.push({
      kind: 'file',
      message: p.message,
      ...where(p.at),
      quote: text.slice(p.at, p.at + 40).split('\n')[0],
    });
  if (span === 0) return;
  const kind = w.kind ?? 'tex';
  const inputs = kind === 'tex' ? includes(text) : [];
  let lastEnd = 0;
  let lastDisplayEnd = -1;
  const push = (start: number, end: number, kindOf: MathPiece['kind'], delimiter: MathPiece['delimiter']) => {
    const display = kindOf === 'display';
    w.pieces.push({
      latex: text.slice(start, end),
      origin: where(start),
      kind: kindOf,
      delimiter,
      prose: text.slice(Math.max(lastEnd, start - 400), start).replace(/\s+/g, ' '),
      seq: seqOf(start),
      ...(display && lastDisplayEnd >= 0 ? { gap: text.slice(lastDisplayEnd, start) } : {}),
    });
    if (display) lastDisplayEnd = end;
  };
  const problem = (message: string, at: number, quote: string, kind: DocumentProblem['kind'] = 'formula') =>
    w.problems.push({ kind, message, ...where(at), quote });

  let i = 0;
  let nextInput = 0;
  while (i < text.length) {
    while (nextInput < inputs.length && inputs[nextInput].at < i) nextInput++;
    if (nextInput < inputs.length && inputs[nextInput].at === i) {
      const inc = inputs[nextInput++];
      include(inc, file, seqOf(inc.at), span / (text.length + 1), w, problem);
      i = inc.end;
      continue;
    }
    const c = text[i];
    if (c === '\\' && text[i + 1] === '\\') {
      // Markdown that escapes its backslashes writes display math as \\[ .. \\].
      const close = kind === 'markdown' && text[i + 2] === '[' ? text.indexOf('\\\\]', i + 3) : -1;
      if (close >= 0) {
        push(i + 3, close, 'display', '\\[');
        i = lastEnd = close + 3;
        continue;
      }
      i += 2;
      continue;
    }
    if (c === '$' && text[i + 1] === '$') {
      const close = text.indexOf('$$', i + 2);
      if (close < 0) {
        problem('unclosed $$: the rest of the file was not read', i, '$$');
        break;
      }
      const inline = kind === 'markdown' && !standsAlone(text, i, close + 2);
      push(i + 2, close, inline ? 'inline' : 'display', '$$');
      i = lastEnd = close + 2;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '[' || text[i + 1] === '(')) {
      const closer = text[i + 1] === '[' ? '\\]' : '\\)';
      const close = text.indexOf(closer, i + 2);
      if (close < 0) {
        problem(
          `unclosed ${text.slice(i, i + 2)}: the rest of the file was not read`,
          i,
          text.slice(i, i + 2),
        );
        break;
      }
      push(i + 2, close, text[i + 1] === '[' ? 'display' : 'inline', text[i + 1] === '[' ? '\\[' : '\\(');
      i = lastEnd = close + 2;
      continue;
    }
    if (c === '\\' && text.startsWith('\\begin', i)) {
      const m = /^\\begin\s*\{([^}\s]*)\}/.exec(text.slice(i, i + 80));
      if (m) {
        const env = m[1];
        if (DISPLAY_ENVIRONMENTS.has(env) || env === 'math') {
          const endTag = new RegExp(`\\\\end\\s*\\{${env.replace('*', '\\*')}\\}`, 'g');
          endTag.lastIndex = i + m[0].length;
          const close = endTag.exec(text);
          if (!close) {
            problem(`\\begin{${env}} is never closed: the rest of the file was not read`, i, m[0]);
            break;
          }
          const end = close.index + close[0].length;
          push(i, end, env === 'math' ? 'inline' : 'display', 'environment');
          i = lastEnd = end;
          continue;
        }
        const near = misspelt(env);
        if (near)
          problem(
            `unknown environment '${env}' (did you mean '${near}'?): its formulas were not read`,
            i,
            m[0],
          );
        i += m[0].length;
        continue;
      }
    }
    if (kind === 'html' && text.startsWith('<d-math', i)) {
      const open = text.indexOf('>', i);
      const close = text.indexOf('</d-math>', open);
      if (open < 0 || close < 0) {
        problem('unclosed <d-math>', i, '<d-math');
        break;
      }
      const block = /\bblock\b/.test(text.slice(i, open));
      push(open + 1, close, block ? 'display' : 'inline', 'd-math');
      i = lastEnd = close + '</d-math>'.length;
      continue;
    }
    if (c === '$' && text[i + 1] === '`' && kind === 'markdown') {
      // GitHub's inline math: $`\pi_0`$.
      const close = text.indexOf('`$', i + 2);
      if (close >= 0 && !text.slice(i + 2, close).includes('\n')) {
        push(i + 2, close, 'inline', '$');
        i = lastEnd = close + 2;
        continue;
      }
    }
    if (c === '$') {
      const close = findInlineDollar(text, i + 1);
      if (close < 0) {
        i++;
        continue;
      }
      push(i + 1, close, 'inline', '$');
      i = lastEnd = close + 1;
      continue;
    }
    i++;
  }
}

/** Follow `\input{f}` / `\include{f}` / `\subfile{f}` / a local `\usepackage{f}` (its .sty). */
function include(
  inc: Include,
  file: string,
  seq: number,
  span: number,
  w: Walk,
  problem: (message: string, at: number, quote: string, kind?: DocumentProblem['kind']) => void,
): void {
  const dir = dirname(file);
  for (const name of inc.names) {
    const candidates = inc.command === '\\usepackage' ? [`${name}.sty`] : [name, `${name}.tex`];
    const path = candidates.map((n) => join(dir, n)).find((p) => w.readFile(p) !== undefined);
    if (!path) {
      if (inc.command !== '\\usepackage')
        problem(
          `${inc.command}{${name}}: file not found next to ${file} (macros defined there are unknown)`,
          inc.at,
          `${inc.command}{${name}}`,
          'file',
        );
      continue;
    }
    if (w.seen.has(path) || (w.depth ?? 0) >= MAX_INPUT_DEPTH) continue;
    w.seen.add(path);
    walk(blankTex(w.readFile(path) as string), path, seq, span, {
      ...w,
      kind: 'tex',
      depth: (w.depth ?? 0) + 1,
    });
  }
}

interface Include {
  command: string;
  names: string[];
  at: number;
  end: number;
}

function includes(text: string): Include[] {
  const out: Include[] = [];
  const re =
    /\\(input|include|subfile|usepackage)(?![A-Za-z])(?:\[[^\]]*\])?\s*(?:\{([^}]+)\}|([A-Za-z0-9_./-]+))/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const names = (m[2] ?? m[3])
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    out.push({ command: `\\${m[1]}`, names, at: m.index, end: m.index + m[0].length });
  }
  return out;
}

function readLocal(path: string): string | undefined {
  try {
    if (!existsSync(path) || !statSync(path).isFile()) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

// ---- blanking: what is never read becomes spaces (newlines kept), so offsets do not move ------------

const blank = (s: string) => s.replace(/[^\n]/g, ' ');

/** TeX: `%` comments (not `\%`), `\iffalse .. \fi`, `comment` environments. */
export function blankTex(text: string): string {
  let out = text.replace(/(?<!\\)((?:\\\\)*)%[^\n]*/g, (m, esc: string) => esc + blank(m.slice(esc.length)));
  out = out.replace(/\\iffalse\b[\s\S]*?\\fi\b/g, blank);
  out = out.replace(/\\begin\s*\{comment\}[\s\S]*?\\end\s*\{comment\}/g, blank);
  return out;
}

/** Markdown: fenced code blocks, HTML comments, `\$`, blockquote markers (their content is read). */
export function blankMarkdown(text: string): string {
  let out = text.replace(/<!--[\s\S]*?-->/g, blank);
  // A page's scripts and styles are code (`inlineMath: [['\\(', '\\)']]` in a MathJax config), not math.
  out = out.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, blank);
  out = out.replace(/\\\$/g, '  ');
  // Inline code spans (`$x$` in backticks is code, not math); GitHub's $`x_t`$ is math, not code.
  out = out.replace(/(?<![`$])`(?!`)[^`\n]+`(?![`$])/g, blank);
  const lines = out.split('\n');
  let fence: string | undefined;
  let mathFence = false;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      const closes =
        open !== undefined && open[0] === fence[0] && open.length >= fence.length && line.trim() === open;
      if (closes) fence = undefined;
      if (!mathFence) lines[k] = blank(line);
      else if (closes) {
        lines[k] = line.replace(/^( {0,3})\S+/, (m, indent: string) => `${indent}$$`.padEnd(m.length));
        mathFence = false;
      }
      continue;
    }
    if (open) {
      // A ```math fence (Julia Documenter, GitLab) is display math: read it as $$ .. $$.
      if (/^ {0,3}(`{3,}|~{3,})\s*math\s*$/.test(line)) {
        mathFence = true;
        lines[k] = line.replace(/^( {0,3})\S+\s*math/, (m, indent: string) => `${indent}$$`.padEnd(m.length));
      } else lines[k] = blank(line);
      fence = open;
      continue;
    }
    lines[k] = line.replace(/^( {0,3}>)+ ?/, (m) => ' '.repeat(m.length));
  }
  return lines.join('\n');
}

// ---- helpers ------------------------------------------------------------------------------------------

/** Is `$$..$$` spanning [start, end) a block of its own (display), not math inside a line of prose? */
function standsAlone(text: string, start: number, end: number): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const before = text.slice(lineStart, start);
  const lineEnd = text.indexOf('\n', end);
  const after = text.slice(end, lineEnd < 0 ? text.length : lineEnd);
  // List markers and blockquote blanks may precede a display block; punctuation may follow it.
  return (
    /^\s*(?:[-*+]\s+|\d+\.\s+)?$/.test(before) &&
    /^\s*[.,;:]?\s*(?:\(\d+(?:\.\d+)*\)|\{#[^}]*\})?\s*$/.test(after)
  );
}

/** The closing `$` of inline math opened before `from` (not `$$`, not escaped; same paragraph). */
function findInlineDollar(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '\n' && text[j + 1] === '\n') return -1;
    if (c === '$') return text[j + 1] === '$' ? -1 : j;
  }
  return -1;
}

function misspelt(env: string): string | undefined {
  const known = [...DISPLAY_ENVIRONMENTS, ...INNER_ENVIRONMENTS];
  if (known.includes(env)) return undefined;
  const bare = env.replace(/\*$/, '');
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = editDistance(bare, k.replace(/\*$/, ''));
    if (d < bestD && d <= Math.max(1, Math.floor(k.length / 4))) [best, bestD] = [k, d];
  }
  return best;
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function lineColumn(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}
