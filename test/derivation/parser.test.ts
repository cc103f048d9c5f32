// The LaTeX reader: every construct of the vocabulary pinned by how it is read, positions of errors,
// and the seeds' display equations.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { extractDisplayMath } from '../../src/derivation/extract.js';
import { parseDisplay, parseExpression } from '../../src/derivation/parser.js';
import { show } from '../../src/derivation/show.js';

const read = (latex: string) => parseDisplay(latex).statements.map(show).join(' ;; ');

function errorOf(latex: string, origin = { file: 'f.md', line: 10, column: 3 }): InputError {
  try {
    parseDisplay(latex, { origin });
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error(`expected an InputError for ${latex}`);
}

describe('constructs', () => {
  it.each([
    ['\\frac{a}{b}', '(a / b)'],
    ['\\sqrt{1-\\bar\\alpha_t}', 'sqrt((1 - \\bar\\alpha_t))'],
    ['\\sqrt[3]{x}', 'root[3](x)'],
    ['\\exp(x) \\log(y)', '(exp(x) * log(y))'],
    ['\\ln x', 'log(x)'],
    ['x_t + x_{t-1}', '(x_t + x_{t-1})'],
    ['\\sigma_t^2', '(\\sigma_t)^(2)'],
    ['\\bar\\alpha_t = \\bar{\\alpha}_{t}', '\\bar\\alpha_t = \\bar\\alpha_t'],
    ['\\mathbf{x}_t = \\boldsymbol{x}_t', 'x_t = x_t'],
    ["\\hat{x}_0 + \\dot{X}_t + x'_0 + x_0''", "(\\hat x_0 + \\dot X_t + x_0' + x_0'')"],
    ['u_t^\\theta(x)', 'u_t^\\theta[x]'],
    ['x_1^{(i)}', 'x_1^{(i)}'],
    ['Z_1^k', '(Z_1)^(k)'],
    ['2\\pi\\sigma^2', '(2 * pi * (\\sigma)^(2))'],
    ['a \\cdot b', '(a * b)'],
    ['a / b c', '((a / b) * c)'],
    ['-a - b + c', '(-a - b + c)'],
    ['\\left( a + b \\right) c', '((a + b) * c)'],
    ['\\sqrt{a}\\,x_0 \\! + \\; b \\quad', '((sqrt(a) * x_0) + b)'],
  ])('%s', (latex, parsed) => expect(read(latex)).toBe(parsed));

  it('reads derivatives: \\nabla_x, \\partial_t, \\frac{d}{dt}, \\frac{\\partial}{\\partial x}, \\frac{dX}{dt}', () => {
    expect(read('\\nabla_{x_t} \\log p(x_t)')).toBe('nabla_x_t(log(p[x_t]))');
    expect(read('\\nabla_\\mathbf{x} \\log p_t(\\mathbf{x})')).toBe('nabla_x(log(p_t[x]))');
    expect(read('\\partial_t p_t(x)')).toBe('partial_t(p_t[x])');
    expect(read('\\frac{d}{dt} \\log p_t(x)')).toBe('d_t(log(p_t[x]))');
    expect(read('\\frac{dx_t}{dt}')).toBe('d_t(x_t)');
    expect(read('\\frac{\\partial p_t}{\\partial t}(x)')).toBe('partial_t(p_t)[x]');
    expect(read('\\nabla \\cdot (p_t u_t)(x)')).toBe('divergence((p_t * u_t)[x])');
  });

  it('never lets a derivative operator reach across + (the compute-engine trap)', () => {
    expect(read('\\frac{\\partial}{\\partial t}(A) + \\frac{\\partial}{\\partial x}(B)')).toBe(
      '(partial_t(A) + partial_x(B))',
    );
    expect(read('\\partial_t p + \\partial_x q')).toBe('(partial_t(p) + partial_x(q))');
  });

  it('reads \\frac{d}{d} with subscripted d as a plain fraction', () => {
    expect(read('\\frac{d_1}{d_2}')).toBe('(d_1 / d_2)');
  });

  it('reads \\mathcal{N}(x; m, v) as a density and \\mathcal{N}(m, v) as a distribution', () => {
    expect(read('\\mathcal{N}\\!\\left(x_t;\\ \\sqrt{a}\\,x_0,\\ 1-a\\right)')).toBe(
      'Normal(x_t, (sqrt(a) * x_0), (1 - a))',
    );
    expect(parseDisplay('\\mathcal{N}(x; m, v)').statements[0]).toMatchObject({ k: 'normal', sep: ';,' });
    expect(parseDisplay('\\mathcal{N}(0, I)').statements[0]).toMatchObject({ k: 'normal', sep: ',' });
  });

  it('reads integrals with limits and their differential, nested', () => {
    expect(read('\\int_0^t f(u)\\,du')).toBe('integral(f[u], u, 0, t)');
    expect(read('\\int_0^t g(s)^2 \\exp\\left(2\\int_s^t f(u) du\\right) ds')).toBe(
      'integral(((g[s])^(2) * exp((2 * integral(f[u], u, s, t)))), s, 0, t)',
    );
    expect(read('\\int p(x|y) q(y) dy')).toBe('integral((p[x | y] * q[y]), y)');
    expect(read('\\int_0^1 -\\nabla \\cdot u_t(x) dt')).toBe('integral((-divergence(u_t[x])), t, 0, 1)');
  });

  it('reads applications, conditionals, placeholders and products', () => {
    expect(read('q(x_t | x_{t-1})')).toBe('q[x_t | x_{t-1}]');
    expect(read('u_t(x \\mid x_1)')).toBe('u_t[x | x_1]');
    expect(read('u_t(\\cdot | x_1)')).toBe('u_t[<placeholder> | x_1]');
    expect(read('\\epsilon_\\theta(x_t, t)')).toBe('\\epsilon_\\theta[x_t, t]');
    expect(read('(1-t)x_0 + tx_1')).toBe('(((1 - t) * x_0) + (t * x_1))');
    expect(read('f(x)(t_i - t_j)')).toBe('(f[x] * (t_i - t_j))');
  });

  it('reads what cannot be checked but must parse', () => {
    expect(read('\\mathbb{E}_{t,x}\\left[\\left\\| u - v \\right\\|^2 \\right]')).toBe(
      'E{\\mathbb E_{t,x}}[(norm((u - v)))^(2)]',
    );
    expect(read('E[\\dot{X}_t | X_t = x]')).toBe('E{E}[\\dot X_t | X_t = x]');
    expect(read('\\|f(x_1)\\| < \\|f(x_2)\\|')).toBe('norm(f[x_1]) < norm(f[x_2])');
    expect(read('\\sum_{i=1}^n \\frac{\\partial f}{\\partial x_i}')).toBe('sum_{i = 1}^{n}(partial_x_i(f))');
    expect(read('\\min_{k \\leq K} S(Z^k) \\leq O(1/K)')).toBe(
      'min_{k <= K}(S[(Z)^(k)]) <= <an order term O(..)>',
    );
    expect(read('\\mathcal{D} = \\cup \\{z_0, z_1\\}')).toBe('\\mathcal D = cup({z_0, z_1})');
    expect(read('dx = u_t(x) dt + g d\\bar{W} + \\emptyset')).toBe(
      'dx = ((u_t[x] * dt) + (g * d\\bar W) + <empty set>)',
    );
    expect(read('\\forall t \\in [0, 1], \\quad p = q')).toBe('forall t in [0, 1] ;; p = q');
    expect(read('x_0 \\sim p_0 \\quad \\text{tractable!}')).toBe('x_0 ~ p_0');
    expect(read('\\text{Divergence} \\geq 0')).toBe('\\text{Divergence} >= 0');
    expect(read('\\operatorname{div}(f) \\geq 0')).toBe('\\operatorname{div}[f] >= 0');
    expect(read('\\underbrace{u_t(x \\mid x_1)}_{x_1 - x_0}')).toBe('u_t[x | x_1] {= (x_1 - x_0)}');
    expect(read('\\mathbf{v}_t: \\mathbb{R}^d \\rightarrow \\mathbb{R}^d')).toBe(
      'v_t : (\\mathbb R)^(d) -> (\\mathbb R)^(d)',
    );
  });

  it('reads aligned environments, continuing a chain on the next row', () => {
    expect(read('\\begin{aligned} x_0 &\\sim p_0 \\\\ \\frac{dx_t}{dt} &= u_t(x_t) \\end{aligned}')).toBe(
      'x_0 ~ p_0 ;; d_t(x_t) = u_t[x_t]',
    );
    expect(read('\\begin{align} a &= b \\\\ &= c \\end{align}')).toBe('a = b = c');
  });

  it('keeps token positions for every node', () => {
    const m = parseDisplay('a + \\frac{b}{c}');
    const st = m.statements[0] as { k: string; terms: { from: number; to: number }[] };
    expect(m.tokens[st.terms[1].from].at).toBe(4);
  });
});

describe('errors name the token, file, line and column', () => {
  it.each([
    ['x + \\foo y', 'unknown macro \\foo: define it with \\newcommand', 10, 7, '\\foo'],
    ['(a + b', "unclosed '('", 10, 3, '('],
    ['a + ', 'expected an expression', 10, 7, 'end of formula'],
    [
      '\\begin{arrray}{c} a \\end{arrray}',
      "unknown environment 'arrray' (did you mean 'array'?)",
      10,
      3,
      '\\begin',
    ],
    ['x # y', 'unsupported character', 10, 5, '#'],
    ['\\nabla', '\\nabla needs an operand', 10, 9, 'end of formula'],
  ])('%s', (latex, message, line, column, quote) => {
    const e = errorOf(latex);
    expect(e.message).toContain(message);
    expect(e.position).toEqual({ file: 'f.md', line, column });
    expect(e.offending).toBe(quote);
  });

  it('reads what TeX leaves open as not checkable, never as a guess', () => {
    expect(read('\\log a b')).toBe(
      '<an ambiguous argument of \\log (write \\log(...) to say where it ends)>',
    );
    expect(read('\\int_0^1 f(s)')).toBe('<an integral whose differential is not at its end>');
    expect(read('\\begin{cases} a & x > 0 \\\\ b & x \\le 0 \\end{cases}')).toBe('<a case distinction>');
    expect(read('a \\pm b')).toBe('<a ± alternative (two formulas in one)>');
    expect(read('\\partial x')).toBe(
      '<\\partial without a subscript variable (write \\partial_t or \\frac{\\partial}{\\partial t})>',
    );
    expect(read('f(x)\\big|_{x=0}')).toBe('<an evaluation at a point (|_{...})>');
    expect(read('X_t | X_0 = z')).toBe('X_t given X_0 = z');
    expect(read('O(|\\Delta s|^2)')).toBe('<an order term O(..)>');
    expect(read('\\int_0^s \\mathrm{d}\\xi')).toBe('integral(1, \\xi, 0, s)');
  });

  it('parseExpression rejects a relation', () => {
    expect(() => parseExpression('a = b')).toThrow(InputError);
  });
});

describe('the seeds', () => {
  const dir = new URL('./fixtures/', import.meta.url);
  it.each([
    ['002_e7f015c3c6609999.txt', 10],
    ['003_2839541f7a60aeda.txt', 68],
  ])('%s: every unique display equation parses unedited', (file, unique) => {
    const text = readFileSync(new URL(file, dir), 'utf8');
    const blocks = extractDisplayMath(text, file);
    const distinct = new Map(blocks.map((b) => [b.latex.trim(), b]));
    expect(distinct.size).toBe(unique);
    const failures = [...distinct.values()].filter((b) => {
      try {
        parseDisplay(b.latex, { origin: b.origin });
        return false;
      } catch {
        return true;
      }
    });
    expect(failures.map((b) => `${b.origin.line}: ${b.latex}`)).toEqual([]);
  });

  it('reads the corrected score-SDE forward formula of 003 as written', () => {
    const text = readFileSync(new URL('003_2839541f7a60aeda.txt', dir), 'utf8');
    const b = extractDisplayMath(text, '003').find((d) => d.origin.line === 1246);
    expect(b).toBeDefined();
    expect(read(b!.latex)).toBe(
      'x_t = ((x_0 * exp(integral(f[u], u, 0, t))) + (sqrt(integral(((g[s])^(2) * exp((2 * integral(f[u], u, s, t)))), s, 0, t)) * \\epsilon))',
    );
  });
});
