// The reader on real authors' LaTeX: TeX's argument rules and precedence (each misread that once turned
// a true derivation into a refutation has a regression here, checked by value), a file's own macros,
// layout, environments and rows, comments, and how a paper's statements are classified.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { readDocument } from '../../src/derivation/extract.js';
import { readPaper } from '../../src/derivation/paper.js';
import { lowerMember, type Scope } from '../../src/derivation/lower.js';
import { parseDisplay, readDisplay } from '../../src/derivation/parser.js';
import { declare, functionTest } from '../../src/derivation/scope.js';
import { show } from '../../src/derivation/show.js';
import { parseDomain } from '../../src/identity/index.js';
import { freeSymbols } from '../../src/symbolic/expr.js';
import { compileFloat64 } from '../../src/symbolic/float64.js';

const SYMBOLS = ['a', 'b', 'c', 'x', 't', '\\sigma_t', 'x_t', 'x_0'].map((latex) => ({
  name: latex.replace(/\\/g, '').replace(/[^A-Za-z0-9_]/g, '_'),
  latex,
  domain: 'real',
  position: { file: 't', line: 1, column: 1 },
}));

/** The value of a formula at a point, read in a scope where a, b, c, x, t, ... are declared variables. */
function valueOf(
  latex: string,
  at: Record<string, number>,
  scope: Scope = declare(SYMBOLS, [], parseDomain).scope,
): number {
  const math = parseDisplay(latex, { isFunction: functionTest(scope) });
  const e = lowerMember(math.statements[0], math, scope).expr;
  const vars = [...freeSymbols(e)];
  return compileFloat64(e, vars)(vars.map((v) => at[v] ?? NaN));
}

const read = (latex: string) => parseDisplay(latex).statements.map(show).join(' ;; ');

describe('misreads that refuted true derivations', () => {
  const at = { a: 0.3, b: 0.7, c: 1.9, x: 2.5 };
  it.each([
    ['a(1-b)^2', 0.3 * 0.3 ** 2],
    ['a\\,(1-b)^2', 0.3 * 0.3 ** 2],
    ['(1-a)(1-b)^2', 0.7 * 0.3 ** 2],
    ['a b(1-b)^2', 0.3 * 0.7 * 0.3 ** 2],
    ['a(1-b)^{-1}', 0.3 / 0.3],
    ['\\frac12 x', 1.25],
    ['\\tfrac12 x', 1.25],
    ['\\dfrac12x', 1.25],
    ['\\frac1{2}x', 1.25],
    ['\\frac{1}2 x', 1.25],
    ['\\sqrt2 x', Math.SQRT2 * 2.5],
    ['\\frac{a}{b}c', (0.3 / 0.7) * 1.9],
    ['-a^2', -0.09],
    ['2^{-1}x', 1.25],
    ['a/b\\,c', (0.3 / 0.7) * 1.9],
    ['{a}{(b)}^2', 0.3 * 0.49],
    ['\\left(a+b\\right)^{2}c', 1.9],
    ['\\big(a + b\\big)\\Big(c\\Big)', 1.9],
    ['{1 \\over 2} x', 1.25],
  ])('%s', (latex, value) => expect(valueOf(latex, at)).toBeCloseTo(value, 12));

  it('sub- and superscripts in either order name the same symbol', () => {
    expect(read('x^2_t = x_t^2')).toBe('(x_t)^(2) = (x_t)^(2)');
    expect(read('\\sigma^2_t')).toBe('(\\sigma_t)^(2)');
    expect(read("x'_0 = x_0'")).toBe("x_0' = x_0'");
    expect(valueOf('x^2_t - x_t^2', { x_t: 3 })).toBe(0);
  });

  it('a name before parentheses applies only when it is a function', () => {
    expect(read('a(b)')).toBe('(a * b)');
    expect(read('p_t(x)')).toBe('p_t[x]');
    expect(read('\\beta(t)')).toBe('\\beta[t]');
    expect(read('\\epsilon_\\theta(x_t, t)')).toBe('\\epsilon_\\theta[x_t, t]');
    expect(read('g^2(t)')).toBe('(g[t])^(2)');
    expect(read('\\sigma_t(1-t)')).toBe('(\\sigma_t * (1 - t))');
    // What the file binds decides first: a bound function applies, a declared variable multiplies.
    const scope = declare([...SYMBOLS, { ...SYMBOLS[0], name: 'f', latex: 'f(t)' }], [], parseDomain).scope;
    expect(parseDisplay('a(t)', { isFunction: functionTest(scope) }).statements.map(show)).toEqual([
      '(a * t)',
    ]);
    expect(parseDisplay('f(t)', { isFunction: functionTest(scope) }).statements.map(show)).toEqual(['f[t]']);
  });

  it('braces are neutral: {\\mathbf{x}}_t is x_t, {\\mathcal{N}}(...) is the Gaussian', () => {
    expect(read('{\\mathbf{x}}_t + {\\bf x}_t + \\mathbf{x}_t')).toBe('(x_t + x_t + x_t)');
    expect(read('{\\mathcal{N}}(x; 0, 1)')).toBe('Normal(x, 0, 1)');
    expect(read('{\\cal N}(x; 0, 1)')).toBe('Normal(x, 0, 1)');
  });
});

describe('layout is dropped, norms and delimiters are read', () => {
  it.each([
    ['a \\label{eq:1} = b \\nonumber \\tag{3}', 'a = b'],
    ['\\displaystyle a = \\color{red}{b} + \\textcolor{blue}{c}', 'a = (b + c)'],
    ['\\bigl( a \\bigr) \\Bigg[ b \\Bigg]', '(a * b)'],
    ['\\boldsymbol{\\epsilon} + \\bm{x} + \\mathsf{x} + \\mathrm{x}', '(\\epsilon + x + x + x)'],
    ['\\|x\\|_2^2 = \\|x\\|^2_2', '(norm(x)_2)^(2) = (norm(x)_2)^(2)'],
    [
      '\\lVert x \\rVert + \\Vert y \\Vert + ||z|| + \\vert\\vert w \\vert\\vert',
      '(norm(x) + norm(y) + norm(z) + norm(w))',
    ],
    ['|a| + \\vert b \\vert + \\lvert c \\rvert + \\left| a \\right|', '(abs(a) + abs(b) + abs(c) + abs(a))'],
    ['D_{KL}(p \\| q) + D_{\\mathrm{KL}}(p \\parallel q)', '(D_{K L}[p | q] + D_\\text{KL}[p | q])'],
    ['\\left\\langle a, b \\right\\rangle', '(a, b)'],
    ['a \\stackrel{\\text{def}}{=} b \\overset{(i)}{=} c', 'a := b = c'],
    ['\\underbrace{a + b}_{=: c} \\overset{*}{x}', '((a + b) {= <a note>} * x)'],
    // Seen in held-out posts: unicode-math fonts, spacing and size commands, boxes, cancel marks.
    ['\\symbf{x} \\enspace = \\small \\symcal{L}', 'x = \\mathcal L'],
    ['\\boxed{a = b.}', 'a = b'],
    ['\\cancelto{0}{a - a} + b = b', '((a - a) + b) = b'],
    ["f^{'}(x) + g^{\\prime}(x) = f'(x) + g'(x)", "(f'[x] + g'[x]) = (f'[x] + g'[x])"],
    ['x = (x^1, ..., x^d)', 'x = ((x)^(1), <ellipsis>, (x)^(d))'],
    ['a = b. (*)', 'a = b'],
    ['\\ell :&= a \\\\ &= b', '\\ell := a = b'],
    ['\\sigma_1 >> 1', '\\sigma_1 >> 1'],
    ['a \\xrightarrow[t]{\\text{ODE}} b \\quad \\therefore \\quad c = d', 'a -> b ;; c = d'],
    ['= b + c = c + b', '<the side of the formula before> = (b + c) = (c + b)'],
    ['c|a - b|^2 = p(x)|a|', '(c * (abs((a - b)))^(2)) = (p[x] * abs(a))'],
  ])('%s', (latex, parsed) => expect(read(latex)).toBe(parsed));

  it('reads a file macro with arguments, an optional argument, \\def, \\let, operators, paired delimiters', () => {
    const tex = [
      '\\newcommand{\\rvx}{{\\mathbf{x}}}',
      '\\newcommand\\E{\\mathbb{E}}',
      '\\newcommand{\\KL}[2]{D_{\\mathrm{KL}}(#1 \\| #2)}',
      '\\newcommand{\\gauss}[3][x]{\\mathcal{N}(#1; #2, #3)}',
      '\\def\\half#1{\\frac{#1}{2}}',
      '\\let\\eps\\epsilon',
      '\\DeclareMathOperator{\\Var}{Var}',
      '\\DeclarePairedDelimiter{\\norm}{\\lVert}{\\rVert}',
      '\\begin{equation} \\rvx_t + \\half{a} = \\gauss{0}{1} + \\gauss[y]{0}{1} + \\KL{p}{q} + \\eps + \\Var(\\rvx) + \\norm*{\\rvx}^2 \\end{equation}',
    ].join('\n');
    const doc = readDocument(tex, 'paper.tex', { readFile: () => undefined });
    const [piece] = doc.pieces;
    const m = parseDisplay(piece.latex, { macros: doc.macros, seq: piece.seq });
    expect(m.statements.map(show)).toEqual([
      '(x_t + (a / 2)) = (Normal(x, 0, 1) + Normal(y, 0, 1) + D_\\text{KL}[p | q] + \\epsilon + \\operatorname{Var}[x] + (norm(x))^(2))',
    ]);
  });

  it('reads MathJax macros from a $$ block of a Markdown post, and macro files it \\input s', () => {
    const md =
      '$$\\newcommand{\\R}{\\mathbb{R}}\\newcommand{\\vx}{\\mathbf{x}}$$\n\nText.\n\n$$\n\\vx \\in \\R^d\n$$\n';
    const doc = readDocument(md, 'post.md');
    expect(doc.pieces).toHaveLength(2);
    const m = parseDisplay(doc.pieces[1].latex, { macros: doc.macros, seq: doc.pieces[1].seq });
    expect(m.statements.map(show)).toEqual(['x in (\\mathbb R)^(d)']);

    const files: Record<string, string> = {
      'dir/math_commands.tex': '\\newcommand{\\rvx}{{\\mathbf{x}}}\n\\def\\gN{{\\mathcal{N}}}',
    };
    const tex = '\\input{math_commands}\n\\begin{document}\n\\[ \\gN(\\rvx; 0, 1) \\]\n\\end{document}';
    const d2 = readDocument(tex, 'dir/paper.tex', { readFile: (p) => files[p] });
    const m2 = parseDisplay(d2.pieces[0].latex, { macros: d2.macros, seq: d2.pieces[0].seq });
    expect(m2.statements.map(show)).toEqual(['Normal(x, 0, 1)']);
    expect(d2.problems).toEqual([]);
    const missing = readDocument('\\input{defs}\n\\[ a \\]', 'paper.tex', { readFile: () => undefined });
    expect(missing.problems[0]).toMatchObject({
      kind: 'file',
      line: 1,
      message: expect.stringContaining('\\input{defs}: file not found'),
    });
  });

  it('reads \\def{\\name}{...} (the MathJax spelling) and drops it from the formula', () => {
    const p = readPaper('$$\n\\def{\\cLL}{\\mathcal{L}}\n$$\n$$ \\cLL = b $$\n', 'p.md', { parseDomain });
    expect(p.statements.map((s) => [s.parses, s.defines])).toEqual([[true, ['\\mathcal L']]]);
  });

  it('an unknown macro names itself and how to define it, at its own line and column', () => {
    const m = readDisplay('a = b \\\\\n  c = \\frob', { origin: { file: 'p.tex', line: 7, column: 1 } });
    expect(m.items[0].tex && show(m.items[0].tex)).toBe('a = b');
    expect(m.items[1].error?.message).toBe(
      "p.tex:8:7: unknown macro \\frob: define it with \\newcommand (in the file or an \\input file) or --macros FILE near '\\frob'",
    );
  });
});

describe('held-out sources, third sweep: constructs authors write that once did not parse', () => {
  it.each([
    // TeX sets `\sqrt\beta_t`'s index after the radical; the only value it can name is sqrt(beta_t).
    [
      '\\sqrt\\beta_t\\epsilon_t + \\sqrt{\\alpha}_{t-1} x',
      '((sqrt(\\beta_t) * \\epsilon_t) + (sqrt(\\alpha_{t-1}) * x))',
    ],
    ['\\sqrt{\\beta_t}_s', '<a subscript on an expression (an evaluation or index)>'],
    // U+2223 (DIVIDES) typed for a conditioning bar.
    ['p(A∣B) = q', 'p[A | B] = q'],
    // Evaluation bars: after a derivative operator, with both limits.
    ['u(x) = \\left.\\frac{d}{dh}\\right|_{h=0}\\psi_h(x)', 'u[x] = <an evaluation at a point (|_{...})>'],
    ['a = c s \\Big|_{0}^{t} = d', 'a = <an evaluation at a point (|_{...})> = d'],
    ['a = c s \\Big|^{t}_{0} = d', 'a = <an evaluation at a point (|_{...})> = d'],
    ['a = \\left. -e^{-s} \\right|_{s=0}^{s=t}', 'a = (-<an evaluation at a point (|_{...})>)'],
    // Bishop's N(x | mu, Sigma) is the density N(x; mu, Sigma); two bars spelled out in a divergence.
    ['\\mathcal{N}(y \\mid m, v) = \\mathcal{N}(y; m, v)', 'Normal(y, m, v) = Normal(y, m, v)'],
    ['\\text{KL}(q(z\\mid x) \\mid \\mid p(z \\mid x))', '\\text{KL}[q[z | x] | p[z | x]]'],
    // An implication ending a display leads to the next one.
    ['x_t = a \\implies x_0 = b \\implies', 'x_t = a => x_0 = b'],
    // Equation numbers typed at the end of rows; `\Pi` with limits for the product sign.
    [
      '\\alpha_t = 1-\\beta_t\\ \\ (4)\\\\ \\bar{\\alpha}_t = \\Pi_{i=1}^t \\alpha_i \\qquad (5)',
      '\\alpha_t = (1 - \\beta_t) ;; \\bar\\alpha_t = prod_{i = 1}^{t}(\\alpha_i)',
    ],
    ['a = b \\quad (2) x', 'a = b ;; (2 * x)'],
    ['\\Pi = 3', '\\Pi = 3'],
    // `var(X)` in plain letters is the variance, not the product v a r X.
    [
      'var(\\sqrt{a} x) + Var(y) = cov(x, y)',
      '(\\operatorname{Var}[(sqrt(a) * x)] + \\operatorname{Var}[y]) = \\operatorname{Cov}[x, y]',
    ],
    ['v a r(x)', '(v * a * r * x)'],
    // `^T` is a transpose or the power T (T steps): neither is guessed.
    [
      '(\\mu_2 - \\mu_1)^T \\Sigma^{-1} + A^{T} x',
      '((<a transpose or the power T (ambiguous: not read as either)> * (\\Sigma)^((-1))) + (<a transpose or the power T (ambiguous: not read as either)> * x))',
    ],
  ])('%s', (latex, parsed) => expect(read(latex)).toBe(parsed));

  it('x_0 ~ N(0, I) makes x_0 noise, not the whole state family (x_1 is the data, x_t the path)', () => {
    const p = readPaper('Draw $x_0 \\sim \\mathcal{N}(0, I)$.\n$$\nx_t = t x_1 + (1 - t) x_0\n$$\n', 'p.md', {
      parseDomain,
    });
    expect([...p.noise].map((n) => p.spellings.get(n))).toEqual(['x _ 0']);
    const z = readPaper('Draw $z \\sim \\mathcal{N}(0, I)$.\n$$\nx_t = z_t + z_{t-1}\n$$\n', 'p.md', {
      parseDomain,
    });
    expect([...z.noise].map((n) => z.spellings.get(n)).sort()).toEqual(['z', 'z _ t', 'z _ { t - 1 }']);
  });

  it("GitHub's inline math $`..`$ is math; a code span is still code", () => {
    const doc = readDocument('Let $`X_t = t X_1 + (1-t) X_0`$ and `$a$` be code.\n', 'README.md');
    expect(doc.pieces.map((p) => [p.kind, p.latex])).toEqual([['inline', 'X_t = t X_1 + (1-t) X_0']]);
  });

  it('a MathJax configuration in a <script> block is code, not math', () => {
    const md =
      "<script>\nwindow.MathJax = { tex: { inlineMath: [['\\\\(','\\\\)'], ['\\\\[','\\\\]']] } };\n</script>\n\n$$\na = b\n$$\n";
    const doc = readDocument(md, 'post.md');
    expect(doc.pieces.map((p) => p.latex.trim())).toEqual(['a = b']);
  });
});

describe('environments, rows and prose', () => {
  it.each([
    ['\\begin{equation*} a = b \\end{equation*}', 'a = b'],
    ['\\begin{align} a &= b \\\\ &= c \\label{x} \\\\ d &= e \\end{align}', 'a = b = c ;; d = e'],
    ['\\begin{eqnarray} a &=& b \\nonumber \\\\ &=& c \\end{eqnarray}', 'a = b = c'],
    ['\\begin{multline} a = b \\\\ + c \\end{multline}', 'a = (b + c)'],
    ['\\begin{gather*} a = b \\\\ c = d \\end{gather*}', 'a = b ;; c = d'],
    ['\\begin{equation}\\begin{split} a &= b \\\\ &= c \\end{split}\\end{equation}', 'a = b = c'],
    ['\\begin{aligned}[t] a &= \\Big( b \\\\ &\\quad + c \\Big) \\end{aligned}', 'a = (b + c)'],
    ['a = b & \\text{where } c = d \\\\ &= e', 'a = b = e ;; c = d'],
    [
      'f(x) = \\begin{cases} 1 & x > 0 \\\\ 0 & \\text{otherwise} \\end{cases}',
      'f[x] = <a case distinction>',
    ],
    [
      '\\epsilon_1, \\epsilon_2, \\dots \\sim \\mathcal{N}(0, I)',
      '(\\epsilon_1, \\epsilon_2, <ellipsis>) ~ Normal(0, I)',
    ],
  ])('%s', (latex, parsed) => expect(read(latex)).toBe(parsed));

  it("a statement's LaTeX ends with its last symbol, not with the environment's \\end", () => {
    const text =
      '\\begin{equation*}\ne^{-2\\lambda_t} = \\frac{\\sigma_t^2}{\\alpha_t^2}\n\\end{equation*}\n' +
      '\\begin{align}\na &= b \\\\\n&= c\n\\end{align}\n';
    const latex = readPaper(text, 'p.tex', { parseDomain }).statements.map((s) => s.latex);
    expect(latex).toEqual(['e^{-2\\lambda_t} = \\frac{\\sigma_t^2}{\\alpha_t^2}', 'a &= b \\\\\n&= c']);
  });

  it('one bad row of an align does not stop the others; each error at its own position', () => {
    const m = readDisplay('a &= b \\\\\n c &= (d \\\\\n e &= f', {
      origin: { file: 'p.tex', line: 1, column: 1 },
    });
    expect(m.items.map((s) => (s.tex ? show(s.tex) : `error ${s.error?.position.line}`))).toEqual([
      'a = b',
      'error 2',
      'e = f',
    ]);
  });

  it('never reads comments, \\iffalse or comment environments; reads blockquoted math; inline $$ apart', () => {
    const tex =
      'a % $$x = 1$$\n\\iffalse \\[ y = 2 \\] \\fi\n\\begin{comment} \\[ z \\] \\end{comment}\n% \\begin{align} w \\end{align}\n\\[ u = v \\]';
    expect(readDocument(tex, 'p.tex').pieces.map((p) => p.latex)).toEqual([' u = v ']);
    const md = '<!-- $$ hidden $$ -->\n> $$ q = r $$\n\nIn prose $$s = t$$ inline, and `$$code$$`.\n';
    const pieces = readDocument(md, 'p.md').pieces.map((p) => [
      p.latex.trim(),
      p.kind,
      p.origin.line,
      p.origin.column,
    ]);
    expect(pieces).toEqual([
      ['q = r', 'display', 2, 5],
      ['s = t', 'inline', 4, 12],
    ]);
  });

  it('a misspelt environment is reported with its line, never dropped', () => {
    const doc = readDocument('Text\n\\begin{equaton} a = b \\end{equaton}\n', 'p.tex');
    expect(doc.problems).toEqual([
      expect.objectContaining({
        kind: 'formula',
        line: 2,
        column: 1,
        message: "unknown environment 'equaton' (did you mean 'equation'?): its formulas were not read",
      }),
    ]);
  });
});

describe('a paper: definitions are not claims', () => {
  const paper = (text: string) => readPaper(text, 'p.md', { parseDomain });

  it('binds definitions for the rest of the file, in every form authors write them', () => {
    const p = paper(
      [
        '$$\\alpha_t = 1 - \\beta_t$$',
        '$$\\bar\\alpha_t = \\prod_{s=1}^t \\alpha_s$$',
        '$$x_t := \\sqrt{\\bar\\alpha_t} x_0 + \\sqrt{1 - \\bar\\alpha_t}\\epsilon$$',
        '$$\\sigma_t \\triangleq t, \\quad \\lambda_t \\stackrel{\\text{def}}{=} \\log t$$',
        'where $$\\mu(x) = 2x$$.',
        '$$\\alpha_t + \\beta_t = 1$$',
      ].join('\n\n'),
    );
    expect(p.statements.map((s) => [s.role, s.defines])).toEqual([
      ['definition', ['\\alpha_t']],
      ['definition', ['\\bar\\alpha_t']],
      ['definition', ['x_t']],
      ['definition', ['\\sigma_t']],
      ['definition', ['\\lambda_t']],
      ['definition', ['\\mu(x)']],
      ['claim', []],
    ]);
    // The product is read as its recurrence: \bar\alpha_t = (1 - \beta_t) \bar\alpha_{t-1}.
    expect(p.bound.has('\\bar \\alpha _ t')).toBe(true);
  });

  it('A := B = C binds A and checks B = C; a later equation that contradicts a binding is a claim', () => {
    const p = paper('$$a_t := 1 - b_t = 2 - b_t - 1$$\n\n$$a_t = 1 + b_t$$');
    expect(p.statements.map((s) => [s.role, s.steps.length])).toEqual([
      ['claim', 1],
      ['claim', 1],
    ]);
    expect(p.statements[0].defines).toEqual(['a_t']);
  });

  it('domains come from the notation dictionary, with their source, unless the author says otherwise', () => {
    const p = readPaper(
      '% flowproof: \\lambda_t: > 0\n\\[ \\bar\\alpha_t + \\sigma_t + x_0 + \\lambda_t + c = 1 \\]',
      'p.tex',
      { parseDomain },
    );
    const by = (s: string) => [...p.assumptions.values()].find((a) => a.symbol === s);
    expect(by('\\bar\\alpha_t')).toMatchObject({ domain: '(0,1)', source: 'dictionary' });
    expect(by('\\sigma_t')).toMatchObject({ domain: '> 0', source: 'dictionary' });
    expect(by('x_0')).toMatchObject({ domain: 'real', source: 'dictionary' });
    expect(by('\\lambda_t')).toMatchObject({ domain: '> 0', source: 'declared' });
    expect(by('c')).toMatchObject({ domain: 'real', source: 'default' });
  });

  it("decides what \\alpha_t means from the file's other symbols, else says it is ambiguous", () => {
    const note = (text: string) =>
      [...readPaper(text, 'p.md', { parseDomain }).assumptions.values()].find((a) => a.symbol === '\\alpha_t')
        ?.note;
    expect(note('$$\\alpha_t x + \\beta_t = 1$$')).toMatch(/^DDPM notation/);
    expect(note('$$\\alpha_t x + \\sigma_t = 1$$')).toMatch(/signal coefficient, as the file uses sigma_t/);
    expect(note('$$\\alpha_t x + \\sigma_t + \\bar\\alpha_t = 1$$')).toMatch(/^ambiguous/);
  });
});

describe('fuzzed documents never crash the paper reader', () => {
  const pieces = [
    ..."abxt01+-*/^_(){}[]=<>,;|.&!'#%$".split(''),
    '$$',
    '\n',
    '\n\n',
    '\\[',
    '\\]',
    '\\(',
    '\\)',
    '\\begin{align}',
    '\\end{align}',
    '\\begin{cases}',
    '\\end{cases}',
    '\\begin{equaton}',
    '\\newcommand{\\m}[1]{#1^2}',
    '\\newcommand{\\r}{\\r}',
    '\\def\\d#1#2{#2#1}',
    '\\let\\q\\alpha',
    '\\m',
    '\\r',
    '\\d',
    '\\q',
    '\\input{x}',
    '\\frac',
    '\\sqrt',
    '\\left(',
    '\\right)',
    '\\|',
    '\\sum_{s=1}^t',
    '\\prod_{s=1}^{t}',
    '\\int_0^t',
    '\\nabla_x',
    '\\mathcal{N}(',
    '\\mathbb{E}[',
    '\\bar\\alpha_t',
    '\\sigma_t',
    'x_t',
    '\\epsilon',
    '\\sim',
    ':=',
    '\\text{where }',
    '\\\\',
    '\\overset{*}{=}',
    '<!--',
    '-->',
    '```',
    '% flowproof: a: (0,1)',
  ];
  it('random documents: read, or an InputError naming the place; never an uncaught error', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 80 }), fc.boolean(), (parts, tex) => {
        try {
          readPaper(parts.join(''), tex ? 'p.tex' : 'p.md', { parseDomain, readFile: () => undefined });
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
          expect(err.position.file).toMatch(/^p\.(tex|md)$/);
        }
      }),
      { numRuns: 1500, seed: 2026 },
    );
  });
});
