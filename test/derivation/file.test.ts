// Reading derivation files: the claim model with positions, and every malformed file gives a clear
// InputError naming the file and line. Fuzzed LaTeX never crashes or hangs the reader.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowproofError, InputError } from '../../src/core/errors.js';
import { extractDisplayMath } from '../../src/derivation/extract.js';
import { MAX_FILE_BYTES, readDerivation } from '../../src/derivation/file.js';
import { parseDisplay } from '../../src/derivation/parser.js';

const GOOD = `---
id: demo
title: A demo
sources: ["003_2839541f7a60aeda.txt: Recap"]
convention: diffusion
symbols:
  abar: { latex: '\\bar\\alpha_t', domain: '(0,1)' }
  x_0: real
let:
  x_t: '\\sqrt{\\bar\\alpha_t}\\,x_0'
expect: holds
---
Some prose with inline $a = b$ math that is not a step.

$$
x_t = \\sqrt{\\bar\\alpha_t}\\,x_0
  = x_0\\sqrt{\\bar\\alpha_t}
$$

\`\`\`experiment
name: tweedie-score
samples: 2000
\`\`\`
`;

function inputError(text: string, file = 'bad.md'): InputError {
  try {
    readDerivation(text, file);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('a well-formed file', () => {
  const claim = readDerivation(GOOD, 'demo.md');
  it('has its front matter', () => {
    expect(claim).toMatchObject({
      id: 'demo',
      title: 'A demo',
      convention: 'diffusion',
      expect: 'holds',
      sources: ['003_2839541f7a60aeda.txt: Recap'],
    });
    expect(claim.symbols.map((s) => [s.name, s.latex, s.domain])).toEqual([
      ['abar', '\\bar\\alpha_t', '(0,1)'],
      ['x_0', 'x_0', 'real'],
    ]);
    expect(claim.lets.map((l) => l.key)).toEqual(['x_t']);
  });
  it('has one step per adjacent pair of the chain, each at its line', () => {
    expect(claim.steps.map((s) => [s.lhsLatex, s.rhsLatex, s.position.line, s.position.column])).toEqual([
      ['x_t', '\\sqrt{\\bar\\alpha_t}\\,x_0', 16, 1],
      ['\\sqrt{\\bar\\alpha_t}\\,x_0', 'x_0\\sqrt{\\bar\\alpha_t}', 16, 7],
    ]);
  });
  it("keeps a side's sizing commands, so `\\left(` stays paired with its `\\right)` and the step typesets", () => {
    const sized = readDerivation(
      GOOD.replace(
        /\$\$\n[^$]*\$\$/,
        () =>
          '$$\n\\left(\\sqrt{\\bar\\alpha_t}\\right) x_0 = \\bigl[ x_0 \\bigr] \\sqrt{\\bar\\alpha_t} = \\left. x_t \\right|_{x_0 = x_0}\n$$',
      ),
      'demo.md',
    );
    expect(sized.steps.map((s) => [s.lhsLatex, s.rhsLatex])).toEqual([
      ['\\left(\\sqrt{\\bar\\alpha_t}\\right) x_0', '\\bigl[ x_0 \\bigr] \\sqrt{\\bar\\alpha_t}'],
      ['\\bigl[ x_0 \\bigr] \\sqrt{\\bar\\alpha_t}', '\\left. x_t \\right|_{x_0 = x_0}'],
    ]);
  });
  it('has its experiment block as data, with its line', () => {
    expect(claim.experiments).toEqual([
      {
        name: 'tweedie-score',
        params: { samples: 2000 },
        position: { file: 'demo.md', line: 20, column: 1 },
      },
    ]);
  });
});

describe('sources', () => {
  const withSources = (yaml: string) => GOOD.replace(/sources:.*\n/, `sources:\n${yaml}\n`);

  it('are citations (title, authors, year, arXiv id or URL, section) or plain strings', () => {
    const claim = readDerivation(
      withSources(
        [
          "  - title: 'Score-Based Generative Modeling through Stochastic Differential Equations'",
          "    authors: ['Yang Song', 'Stefano Ermon']",
          '    year: 2021',
          '    arxiv: arXiv:2011.13456v4',
          "    section: 'Section 4.3'",
          '  - title: A course page',
          '    authors: A. Teacher',
          '    url: https://example.org/notes#part-2',
          '  - "003_2839541f7a60aeda.txt: Recap"',
        ].join('\n'),
      ),
      'demo.md',
    );
    expect(claim.sources).toEqual([
      {
        title: 'Score-Based Generative Modeling through Stochastic Differential Equations',
        authors: ['Yang Song', 'Stefano Ermon'],
        year: 2021,
        arxiv: '2011.13456v4',
        section: 'Section 4.3',
      },
      { title: 'A course page', authors: ['A. Teacher'], url: 'https://example.org/notes#part-2' },
      '003_2839541f7a60aeda.txt: Recap',
    ]);
  });

  it.each([
    ['a citation without a title', '  - authors: [A]', /sources\[1\]: a citation needs a title/],
    ['an unknown field', '  - { title: T, doi: "10.1/x" }', /unknown field 'doi'/],
    ['a script URL', '  - { title: T, url: "javascript:alert(1)" }', /'url' must be an http\(s\) address/],
    ['a malformed arXiv id', '  - { title: T, arxiv: "2011.1" }', /'arxiv' must be an arXiv identifier/],
    ['a year that is not one', '  - { title: T, year: 21 }', /'year' must be a four-digit year/],
    ['an empty string', '  - ""', /an empty source/],
    ['a number', '  - 3', /a source is a string or a mapping/],
  ])('%s is an error at the sources line', (_what, yaml, message) => {
    const e = inputError(withSources(yaml));
    expect(e.message).toMatch(message);
    expect(e.position).toMatchObject({ file: 'bad.md', line: 4 });
  });
});

describe('malformed files give the documented error', () => {
  it.each([
    ['an empty file', '', /the file is empty/, 1],
    ['no front matter', '# Title\n$$a=b$$\n', /does not start with a --- front matter/, 1],
    ['bad YAML', '---\nid: x\ntitle: [unclosed\n---\n$$a=b$$\n', /bad YAML front matter/, 3],
    ['an unknown key', GOOD.replace('convention:', 'conventoin:'), /unknown key 'conventoin'/, 5],
    [
      'a bad expect',
      GOOD.replace('expect: holds', 'expect: true'),
      /expect must be 'holds' or 'refuted'/,
      11,
    ],
    ['no sources', GOOD.replace(/sources:.*\n/, ''), /sources must be a non-empty list/, 2],
    ['a bad id', GOOD.replace('id: demo', 'id: Demo Claim'), /id must be lowercase/, 2],
    ['a step with no =', GOOD.replace('= x_0\\sqrt{\\bar\\alpha_t}', '\\leq x_0'), /only '=' chains/, 17],
    ['a display with no relation', GOOD.replace(/\$\$\nx_t[\s\S]*?\$\$/, () => '$$x_t$$'), /no '='/, 15],
    [
      'an unsupported macro',
      GOOD.replace('x_0\\sqrt', 'x_0\\foo'),
      /unknown macro \\foo: define it with \\newcommand/,
      17,
    ],
    ['a bad let key', GOOD.replace("x_t: '", "x_t + 1: '"), /bound name must be a symbol/, 10],
    [
      'a YAML tag (no code in data)',
      GOOD.replace('x_0: real', 'x_0: !!js/function "f"'),
      /bad YAML|unknown tag/i,
      8,
    ],
  ])('%s', (_what, text, message, line) => {
    const e = inputError(text);
    expect(e.message).toMatch(message);
    expect(e.position.file).toBe('bad.md');
    expect(e.position.line).toBe(line);
  });

  it('a binary file', () => {
    expect(inputError('---\u0000\u0001\u0002binary').message).toMatch(/not a text file/);
  });

  it('a file over the size limit is rejected before parsing', () => {
    const big = GOOD + 'x'.repeat(10 * 1024 * 1024);
    expect(inputError(big).message).toMatch(`larger than ${MAX_FILE_BYTES} bytes`);
    // Before parsing: broken front matter in an oversized file is reported as its size.
    expect(inputError('---\n: [\n' + 'x'.repeat(MAX_FILE_BYTES)).message).toMatch(
      `larger than ${MAX_FILE_BYTES} bytes`,
    );
  });
});

describe('display math extraction', () => {
  it('finds $$, \\[ \\] and environments with positions; skips code fences; $$ in a line of prose is inline', () => {
    const text =
      'a $x$ b $$p = q$$\n```\n$$not = math$$\n```\n  \\[ r = s \\]\n\\begin{align} u &= v \\end{align}\n$$\nw = y\n$$';
    const found = extractDisplayMath(text, 'f.md').map((d) => [
      d.latex,
      d.origin.line,
      d.origin.column,
      d.delimiter,
    ]);
    expect(found).toEqual([
      [' r = s ', 5, 5, '\\['],
      ['\\begin{align} u &= v \\end{align}', 6, 1, 'environment'],
      ['\nw = y\n', 7, 3, '$$'],
    ]);
  });
});

describe('fuzzed LaTeX never crashes or hangs the reader', () => {
  const pieces = [
    ..."abxt0123+-*/^_(){}[]=<>,;|'.&".split(''),
    '\\frac',
    '\\sqrt',
    '\\left(',
    '\\right)',
    '\\left[',
    '\\right]',
    '\\|',
    '\\int',
    '\\sum',
    '\\nabla',
    '\\partial',
    '\\mathcal{N}',
    '\\mathbb{E}',
    '\\bar',
    '\\hat',
    '\\alpha',
    '\\log',
    '\\exp',
    '\\cdot',
    '\\,',
    '\\quad',
    '\\\\',
    '\\text{ab}',
    '\\begin{aligned}',
    '\\end{aligned}',
    'd',
    'dt',
    '\\underbrace',
    '\\mid',
    '\\foo',
    '\\',
    ' ',
  ];
  it('random token soup: a parse or an InputError (a hang fails by the test timeout)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => {
        const src = parts.join('');
        // A parser that hangs on some soup fails by the test's own timeout.
        try {
          parseDisplay(src);
        } catch (err) {
          if (!(err instanceof FlowproofError)) throw err;
        }
      }),
      { numRuns: 3000, seed: 42 },
    );
  });
  it('arbitrary unicode strings: a parse or an InputError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (src) => {
        try {
          parseDisplay(src);
        } catch (err) {
          if (!(err instanceof FlowproofError)) throw err;
        }
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
  it('deep nesting is bounded, not a stack overflow', () => {
    const deep = '('.repeat(5000) + 'a' + ')'.repeat(5000);
    expect(() => parseDisplay(deep)).toThrow(InputError);
    const ok = '('.repeat(50) + 'a' + ')'.repeat(50);
    expect(() => parseDisplay(ok)).not.toThrow();
  });
});
