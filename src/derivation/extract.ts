// Finding display math in Markdown, plain text or .tex: `$$..$$`, `\[..\]` and the equation / align
// environments, each with the file:line:column where its LaTeX starts. Fenced code blocks are skipped
// (derivation files keep experiment blocks there).
import type { Origin } from './tokens.js';

export interface DisplayMath {
  /** The LaTeX exactly as written between the delimiters (environments keep their \begin/\end). */
  latex: string;
  /** Where `latex` starts. */
  origin: Origin & { file: string };
  delimiter: '$$' | '\\[' | 'environment';
}

const ENV = /\\begin\{(equation\*?|align\*?|gather\*?)\}/y;

/** Every display formula of `text` (the contents of `file`), in order. */
export function extractDisplayMath(text: string, file: string): DisplayMath[] {
  const out: DisplayMath[] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const where = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };
  let i = 0;
  let atLineStart = true;
  while (i < text.length) {
    if (atLineStart && /^ {0,3}(```|~~~)/.test(text.slice(i, i + 7))) {
      i = skipFence(text, i);
      atLineStart = true;
      continue;
    }
    const c = text[i];
    atLineStart = c === '\n';
    if (c === '\\' && text[i + 1] === '\\') {
      i += 2;
      continue;
    }
    if (c === '$' && text[i + 1] === '$') {
      const close = text.indexOf('$$', i + 2);
      if (close < 0) break;
      out.push({ latex: text.slice(i + 2, close), origin: where(i + 2), delimiter: '$$' });
      i = close + 2;
      continue;
    }
    if (c === '\\' && text[i + 1] === '[') {
      const close = text.indexOf('\\]', i + 2);
      if (close < 0) break;
      out.push({ latex: text.slice(i + 2, close), origin: where(i + 2), delimiter: '\\[' });
      i = close + 2;
      continue;
    }
    if (c === '\\') {
      ENV.lastIndex = i;
      const m = ENV.exec(text);
      if (m) {
        const endTag = `\\end{${m[1]}}`;
        const close = text.indexOf(endTag, i);
        if (close < 0) break;
        out.push({ latex: text.slice(i, close + endTag.length), origin: where(i), delimiter: 'environment' });
        i = close + endTag.length;
        continue;
      }
    }
    if (c === '$') {
      // Inline math: skip it so its `$` cannot pair with a later one.
      const close = text.indexOf('$', i + 1);
      i = close < 0 ? text.length : close + 1;
      continue;
    }
    i++;
  }
  return out;
}

/** The offset just past a fenced code block starting at `start` (or the end of the text). */
function skipFence(text: string, start: number): number {
  const fence = /^ {0,3}(`{3,}|~{3,})/.exec(text.slice(start, start + 64))?.[1] ?? '```';
  let i = text.indexOf('\n', start);
  while (i >= 0) {
    const line = text.slice(i + 1, text.indexOf('\n', i + 1) < 0 ? text.length : text.indexOf('\n', i + 1));
    if (line.trimStart().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') {
      const end = text.indexOf('\n', i + 1);
      return end < 0 ? text.length : end + 1;
    }
    i = text.indexOf('\n', i + 1);
  }
  return text.length;
}
