// Lowering LaTeX to the internal form: values are compared by evaluating both sides at fixed points,
// so a dropped factor or a wrong binding shows up as a wrong number.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { readDerivation } from '../../src/derivation/file.js';
import { NotCheckable } from '../../src/derivation/lower.js';
import { lowerMember } from '../../src/derivation/lower.js';
import { parseDisplay } from '../../src/derivation/parser.js';
import { declare, functionTest, lowerStep } from '../../src/derivation/scope.js';
import { parseDomain } from '../../src/identity/index.js';
import { freeSymbols, type Expr } from '../../src/symbolic/expr.js';
import { compileFloat64, derivative } from '../../src/symbolic/index.js';

/** A scope from a front-matter snippet (symbols and let only). */
function scopeOf(front: string) {
  const claim = readDerivation(
    `---\nid: t\ntitle: t\nsources: [s]\nexpect: holds\n${front}\n---\n$$a = a$$\n`,
    't.md',
  );
  return declare(claim.symbols, claim.lets, parseDomain);
}

function lowerText(latex: string, front: string): Expr {
  const { scope } = scopeOf(front);
  const math = parseDisplay(latex, { isFunction: functionTest(scope) });
  return lowerMember(math.statements[0], math, scope).expr;
}

function value(e: Expr, at: Record<string, number>): number {
  const vars = [...freeSymbols(e)];
  for (const v of vars) if (!(v in at)) throw new Error(`no value for ${v}`);
  return compileFloat64(e, vars)(vars.map((v) => at[v]));
}

const SYMS = 'symbols:\n  a: real\n  b: real\n  t: real\n  x: real';

describe('products and applications', () => {
  it('(a)(b) is a product, never a dropped factor', () => {
    expect(value(lowerText('(a+1)(b+2)', SYMS), { a: 2, b: 3 })).toBe(15);
  });
  it('a variable before parentheses multiplies: t(a - b)', () => {
    expect(value(lowerText('t(a - b)', SYMS), { t: 2, a: 5, b: 1 })).toBe(8);
  });
  it('a function parameter before parentheses multiplies too', () => {
    const front = `${SYMS}\nlet:\n  h(t): 't\\,(a + 1)'`;
    expect(value(lowerText('h(3)', front), { a: 1 })).toBe(6);
  });
  it('a let function is applied to its arguments, a conditional one to args and given', () => {
    const front = `${SYMS}\nlet:\n  q(x|b): 'x^2 + b'`;
    expect(value(lowerText('q(a \\mid 3)', front), { a: 2 })).toBe(7);
  });
  it('(p u)(x) applies each function inside, and is an error when none takes the arguments', () => {
    const front = `${SYMS}\nlet:\n  p(x): 'x + 1'\n  u(x): '2x'`;
    expect(value(lowerText('(p\\,u)(a)', front), { a: 3 })).toBe(24);
    expect(value(lowerText('(p\\,b)(a)', front), { a: 3, b: 5 })).toBe(20);
  });
  it('\\mathcal{N}(x; m, v) is the Gaussian density and I in the variance is 1', () => {
    const e = lowerText('\\mathcal{N}(x; a, b\\,\\mathbf{I})', SYMS);
    const expected = Math.exp(-((1.5 - 0.5) ** 2) / (2 * 2)) / Math.sqrt(2 * Math.PI * 2);
    expect(value(e, { x: 1.5, a: 0.5, b: 2 })).toBeCloseTo(expected, 14);
  });
  it('\\sqrt[n]{} is a root and \\ln a natural log', () => {
    expect(value(lowerText('\\sqrt[3]{a} + \\ln b', SYMS), { a: 8, b: Math.E })).toBeCloseTo(3, 14);
  });
});

describe('derivatives see lets except their own variable', () => {
  const front = `symbols:\n  a: real\n  t: real\nlet:\n  y: 'a\\,x^2'\n  x: 't^3'`;
  it('\\nabla_x keeps x free, then binds it', () => {
    // d/dx (a x^2) = 2 a x, then x = t^3.
    expect(value(lowerText('\\nabla_x y', front), { a: 1.5, t: 2 })).toBe(2 * 1.5 * 8);
  });
  it('d/dt is a total derivative through the bindings', () => {
    // y = a t^6, dy/dt = 6 a t^5.
    expect(value(lowerText('\\frac{d}{dt} y', front), { a: 1.5, t: 2 })).toBe(6 * 1.5 * 32);
  });
  it("a declared function m(t) differentiates to m'(t), also written \\dot m", () => {
    const fFront = 'symbols:\n  t: real\n  m: { latex: "m(t)", domain: real }';
    const { scope } = scopeOf(fFront);
    const m = parseDisplay("\\frac{d}{dt} m(t)^2 = 2 m(t) m'(t) = 2 m(t) \\dot{m}(t)");
    const chain = m.statements[0] as Extract<(typeof m.statements)[0], { k: 'chain' }>;
    const [d, a, b] = chain.members.map((x) => lowerMember(x, m, scope).expr);
    expect(d).toEqual(a);
    expect(a).toEqual(b);
  });
});

describe('integrals of schedule functions', () => {
  const front =
    'symbols:\n  t: "(0,1)"\n  b0: { latex: "\\\\beta_0", domain: "(0,1)" }\n  b1: { latex: "\\\\beta_1", domain: "(1,20)" }\n' +
    "let:\n  \\beta(t): '\\beta_0 + t(\\beta_1 - \\beta_0)'";
  it('a polynomial integrand: exact value', () => {
    const e = lowerText('\\int_0^t \\beta(s)\\,ds', front);
    expect(value(e, { t: 0.5, b0: 0.1, b1: 20 })).toBeCloseTo(0.1 * 0.5 + (19.9 * 0.25) / 2, 12);
  });
  it('g^2 exp(2 int_s^t f): the VP variance 1 - exp(-int beta), with a side condition to verify', () => {
    const { scope } = scopeOf(front);
    const m = parseDisplay('\\int_0^t \\beta(s) \\exp\\left(-\\int_s^t \\beta(u)\\,du\\right) ds', {
      isFunction: functionTest(scope),
    });
    const low = lowerMember(m.statements[0], m, scope);
    const B = 0.1 * 0.5 + (19.9 * 0.25) / 2;
    expect(value(low.expr, { t: 0.5, b0: 0.1, b1: 20 })).toBeCloseTo(1 - Math.exp(-B), 12);
    // One side condition per integral, each d/ds G = F, with the integration variable ranging in (0, t).
    expect(low.sideConditions).toHaveLength(2);
    const outer = low.sideConditions.find((c) => Object.keys(c.domains).length === 1)!;
    const s = Object.keys(outer.domains)[0];
    expect(outer.domains[s]).toEqual({ lo: 0, hi: 1, loOpen: true, hiOpen: true });
    const at = { [s]: 0.3, t: 0.5, b0: 0.1, b1: 20 };
    expect(value(outer.lhs, at)).toBeCloseTo(value(outer.rhs, at), 10);
  });
  it('an integrand without a closed form is not checkable, with the reason', () => {
    expect(() => lowerText('\\int_0^t \\log(s)\\,ds', 'symbols:\n  t: "(0,1)"')).toThrow(
      /no closed-form antiderivative/,
    );
  });
  it('a wrong closed-form guess is caught by its side condition', () => {
    // exp(s^2) log(s): the e^Q rule guesses log(s) e^(s^2) / (2 s), whose derivative is not the integrand.
    const { scope } = scopeOf('symbols:\n  t: "(0,1)"');
    const m = parseDisplay('\\int_0^t \\exp(s^2)\\,\\log(s)\\,ds');
    const [side] = lowerMember(m.statements[0], m, scope).sideConditions;
    const s = Object.keys(side.domains)[0];
    expect(Math.abs(value(side.lhs, { [s]: 0.5 }) - value(side.rhs, { [s]: 0.5 }))).toBeGreaterThan(0.1);
  });
  it('an integral without limits is not checkable', () => {
    expect(() => lowerText('\\int a\\,dx', SYMS)).toThrow(NotCheckable);
  });
});

describe('errors', () => {
  it('an unknown symbol names itself and its position', () => {
    const claim = readDerivation(
      '---\nid: t\ntitle: t\nsources: [s]\nexpect: holds\nsymbols:\n  a: real\n---\n\n$$a = \\bar\\gamma$$\n',
      'u.md',
    );
    const { scope } = declare(claim.symbols, claim.lets, parseDomain);
    try {
      lowerStep(claim.steps[0], scope);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      const e = err as InputError;
      expect(e.message).toContain("unknown symbol '\\bar\\gamma'");
      expect(e.position).toEqual({ file: 'u.md', line: 10, column: 7 });
    }
  });
  it.each([
    ['E[a]', /expectation/],
    ['\\|a\\|', /norm/],
    ['\\mathcal{N}(a, b)', /distribution/],
    ['\\sum_{i=1}^n a', /sum/],
    ['da', /differential/],
    ['\\nabla \\log a', /without a variable/],
    ['f(a)', /unknown function 'f'/],
  ])('%s is not checkable', (latex, reason) => {
    expect(() => lowerText(latex, SYMS)).toThrow(reason);
  });
  it('a let binding that refers to itself is an error, not a hang', () => {
    expect(() => lowerText('y', `${SYMS}\nlet:\n  y: 'y + 1'`)).toThrow(InputError);
  });
  it('a bad domain names the symbol', () => {
    expect(() => scopeOf('symbols:\n  a: "(1, 0"')).toThrow(/symbol 'a': bad domain/);
  });
});

it('a derivative of a lowered expression agrees with the builders (sanity of d/dt through lets)', () => {
  const e = lowerText('\\frac{d}{dt}\\left(t^2 a\\right)', SYMS);
  expect(e).toEqual(derivative(lowerText('t^2 a', SYMS), 't'));
});
