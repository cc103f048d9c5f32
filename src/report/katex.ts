// LaTeX to HTML with KaTeX, on the server, so the report needs no script and no network to show math.
// The stylesheet comes with its fonts inlined as data: URIs (woff2 only: every browser that runs the
// report reads woff2), which keeps the report one self-contained file.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import katex from 'katex';
import { InputError } from '../core/errors.js';

/** Renders one LaTeX formula to HTML (MathML kept alongside for screen readers). */
export function renderMath(latex: string, options: { display?: boolean; source?: string } = {}): string {
  try {
    return katex.renderToString(latex, {
      displayMode: options.display ?? false,
      throwOnError: true,
      output: 'htmlAndMathml',
      strict: 'ignore',
      trust: false,
    });
  } catch (err) {
    // A formula KaTeX cannot typeset is the author's to fix: name it rather than print raw LaTeX.
    const why = err instanceof Error ? err.message : String(err);
    throw new InputError(`cannot typeset LaTeX: ${why}`, { file: options.source }, latex);
  }
}

let cachedCss: string | undefined;

/** KaTeX's stylesheet with every font inlined; computed once per process. */
export function katexCss(): string {
  cachedCss ??= inlineFonts(readFileSync(join(katexDist(), 'katex.min.css'), 'utf8'), katexDist());
  return cachedCss;
}

/** Replaces each @font-face `src` list by its woff2 entry read from `dir`, as a base64 data: URI. */
export function inlineFonts(css: string, dir: string): string {
  return css.replace(/src:([^;}]*)/g, (whole, list: string) => {
    const woff2 = /url\(([^)]+\.woff2)\)/.exec(list);
    if (!woff2) return whole;
    const file = woff2[1].replace(/^["']|["']$/g, '');
    const data = readFileSync(join(dir, file)).toString('base64');
    return `src:url(data:font/woff2;base64,${data}) format("woff2")`;
  });
}

function katexDist(): string {
  return dirname(createRequire(import.meta.url).resolve('katex'));
}
