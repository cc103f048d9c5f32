// The reader's soundness, as a property: random expression trees, printed as LaTeX in the styles authors
// use (juxtaposition, \cdot, \times, \left( \right), \big(, \,, \frac12, \tfrac/\dfrac, a/b, {a \over b},
// scripts in either order, redundant braces, e^{..} or \exp), are read back and must have the tree's value
// at random points, at 50 digits. The printer and the evaluator here are independent of flowproof's own:
// only the reader is under test.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { lowerMember } from '../../src/derivation/lower.js';
import { parseDisplay } from '../../src/derivation/parser.js';
import { declare, functionTest } from '../../src/derivation/scope.js';
import { parseDomain } from '../../src/identity/index.js';
import { compileBig, Decimal, freeSymbols, UndefinedPoint, type Big } from '../../src/symbolic/index.js';

const D = Decimal.clone({ precision: 50 });

/** Symbols as authors write them; none of them is a function in the field's notation. */
const SYMBOLS = [
  { latex: 'a', name: 'a' },
  { latex: 'b', name: 'b' },
  { latex: 'c', name: 'c' },
  { latex: 'x', name: 'x' },
  { latex: 'y', name: 'y' },
  { latex: 'x_0', name: 'x_0', base: 'x', sub: '0' },
  { latex: 'x_t', name: 'x_t', base: 'x', sub: 't' },
  { latex: '\\bar\\alpha_t', name: 'abar', base: '\\bar\\alpha', sub: 't' },
  { latex: '\\sigma_t', name: 'sigma', base: '\\sigma', sub: 't' },
  { latex: '\\beta_{t-1}', name: 'beta', base: '\\beta', sub: '{t-1}' },
];

type Tree =
  | { k: 'sym'; i: number }
  | { k: 'num'; n: number; d: number }
  | { k: 'add'; a: Tree; b: Tree; minus: boolean }
  | { k: 'mul'; a: Tree; b: Tree }
  | { k: 'div'; a: Tree; b: Tree }
  | { k: 'pow'; a: Tree; e: number }
  | { k: 'neg'; a: Tree }
  | { k: 'fn'; f: 'sqrt' | 'exp' | 'log'; a: Tree };

/** Trees whose every subexpression is defined at positive symbol values (sqrt and log of positives). */
const positive: fc.Memo<Tree> = fc.memo((depth) =>
  depth <= 1
    ? leaf()
    : fc.oneof(
        { depthSize: 'small' },
        leaf(),
        fc.record({
          k: fc.constant('add' as const),
          a: positive(depth - 1),
          b: positive(depth - 1),
          minus: fc.constant(false),
        }),
        fc.record({ k: fc.constant('mul' as const), a: positive(depth - 1), b: positive(depth - 1) }),
        fc.record({ k: fc.constant('div' as const), a: positive(depth - 1), b: positive(depth - 1) }),
        fc.record({
          k: fc.constant('pow' as const),
          a: positive(depth - 1),
          e: fc.integer({ min: -2, max: 3 }),
        }),
        fc.record({
          k: fc.constant('fn' as const),
          f: fc.constantFrom('sqrt' as const, 'exp' as const),
          a: positive(depth - 1),
        }),
      ),
);
const tree: fc.Memo<Tree> = fc.memo((depth) =>
  depth <= 1
    ? positive(1)
    : fc.oneof(
        { depthSize: 'small' },
        positive(depth),
        fc.record({
          k: fc.constant('add' as const),
          a: tree(depth - 1),
          b: tree(depth - 1),
          minus: fc.boolean(),
        }),
        fc.record({ k: fc.constant('mul' as const), a: tree(depth - 1), b: tree(depth - 1) }),
        fc.record({ k: fc.constant('div' as const), a: tree(depth - 1), b: positive(depth - 1) }),
        fc.record({ k: fc.constant('neg' as const), a: tree(depth - 1) }),
        fc.record({ k: fc.constant('pow' as const), a: tree(depth - 1), e: fc.integer({ min: 1, max: 3 }) }),
        fc.record({ k: fc.constant('fn' as const), f: fc.constant('log' as const), a: positive(depth - 1) }),
      ),
);
function leaf(): fc.Arbitrary<Tree> {
  return fc.oneof(
    fc.record({ k: fc.constant('sym' as const), i: fc.integer({ min: 0, max: SYMBOLS.length - 1 }) }),
    fc.record({
      k: fc.constant('num' as const),
      n: fc.integer({ min: 1, max: 12 }),
      d: fc.constantFrom(1, 1, 2, 4, 10),
    }),
  );
}

function value(t: Tree, at: Big[]): Big {
  switch (t.k) {
    case 'sym':
      return at[t.i];
    case 'num':
      return new D(t.n).div(t.d);
    case 'add':
      return t.minus ? value(t.a, at).minus(value(t.b, at)) : value(t.a, at).plus(value(t.b, at));
    case 'mul':
      return value(t.a, at).times(value(t.b, at));
    case 'div':
      return value(t.a, at).div(value(t.b, at));
    case 'pow':
      return value(t.a, at).pow(t.e);
    case 'neg':
      return value(t.a, at).neg();
    case 'fn':
      return t.f === 'sqrt'
        ? value(t.a, at).sqrt()
        : t.f === 'exp'
          ? value(t.a, at).exp()
          : value(t.a, at).ln();
  }
}

/** Precedence of what a tree prints as: 0 sum, 1 product or quotient, 2 sign, 3 power, 4 atom. */
function prec(t: Tree): number {
  if (t.k === 'add') return 0;
  if (t.k === 'mul' || t.k === 'div') return 1;
  if (t.k === 'neg') return 2;
  if (t.k === 'pow') return 3;
  if (t.k === 'num' && t.d !== 1) return 1;
  return 4;
}

/** An author's choices, drawn per node. */
type Pick = <T>(options: readonly T[]) => T;

const OPEN_CLOSE = [
  ['(', ')'],
  ['\\left(', '\\right)'],
  ['\\big(', '\\big)'],
  ['\\Big(', '\\Big)'],
  ['\\bigl(', '\\bigr)'],
  ['\\left[', '\\right]'],
  ['[', ']'],
] as const;

function paren(s: string, pick: Pick): string {
  const [o, c] = pick(OPEN_CLOSE);
  return `${o}${s}${c}`;
}

function brace(s: string, pick: Pick): string {
  return pick([false, false, false, true]) ? `{${s}}` : s;
}

function number(t: Extract<Tree, { k: 'num' }>, pick: Pick): string {
  if (t.d === 1) return String(t.n);
  if (t.d === 10 && pick([true, false])) return (t.n / 10).toString();
  if (t.n < 10 && t.d < 10)
    return pick([
      `\\frac${t.n}${t.d}`,
      `\\tfrac${t.n}{${t.d}}`,
      `\\frac{${t.n}}{${t.d}}`,
      `\\dfrac{${t.n}}{${t.d}}`,
    ]);
  return `\\frac{${t.n}}{${t.d}}`;
}

/** LaTeX for t; `inFactor`: it will be juxtaposed, so it must not start with a sign. */
function print(t: Tree, pick: Pick): string {
  const at = (u: Tree, min: number) =>
    prec(u) < min ? paren(print(u, pick), pick) : brace(print(u, pick), pick);
  switch (t.k) {
    case 'sym':
      return SYMBOLS[t.i].latex;
    case 'num':
      return number(t, pick);
    case 'add': {
      const right = t.minus ? at(t.b, 1) : at(t.b, 0);
      return `${at(t.a, 0)} ${t.minus ? '-' : '+'} ${right.startsWith('-') ? paren(right, pick) : right}`;
    }
    case 'mul': {
      const left = at(t.a, 1);
      let right = at(t.b, 3);
      if (right.startsWith('-')) right = paren(right, pick);
      // Digits next to digits, or a control word next to a letter, need an explicit operator or a space.
      const sep =
        /\d$/.test(left) && /^[\d.]/.test(right)
          ? pick([' \\cdot ', ' \\times ', '*'])
          : pick([' ', '\\,', ' \\cdot ', ' \\times ', '\\;', '*', ' ']);
      return `${left}${sep}${right}`;
    }
    case 'div': {
      const style = pick(['frac', 'tfrac', 'dfrac', 'slash', 'over']);
      if (style === 'slash') return `${at(t.a, 3)}/${at(t.b, 4)}`;
      if (style === 'over') return `{${print(t.a, pick)} \\over ${print(t.b, pick)}}`;
      return `\\${style}{${print(t.a, pick)}}{${print(t.b, pick)}}`;
    }
    case 'pow': {
      const e = t.e < 0 || t.e > 9 ? `{${t.e}}` : pick([String(t.e), `{${t.e}}`]);
      const s = t.a.k === 'sym' ? SYMBOLS[t.a.i] : undefined;
      // `x_t^2` or `x^2_t`: scripts in either order.
      if (s && 'sub' in s && s.sub && pick([true, false])) return `${s.base}^${e}_${s.sub}`;
      const base = t.a.k === 'sym' ? print(t.a, pick) : paren(print(t.a, pick), pick);
      return `${base}^${e}`;
    }
    case 'neg':
      return `-${at(t.a, 1)}`;
    case 'fn': {
      const inner = print(t.a, pick);
      if (t.f === 'sqrt') return `\\sqrt{${inner}}`;
      if (t.f === 'exp')
        return pick([`e^{${inner}}`, `\\exp${paren(inner, pick)}`, `\\mathrm{e}^{${inner}}`]);
      return `${pick(['\\log', '\\ln'])}${paren(inner, pick)}`;
    }
  }
}

describe("LaTeX printed in authors' styles reads back to the same value", () => {
  const { scope } = declare(
    SYMBOLS.map((s) => ({
      name: s.name,
      latex: s.latex,
      domain: 'real',
      position: { file: 't', line: 1, column: 1 },
    })),
    [],
    parseDomain,
  );
  const isFunction = functionTest(scope);

  it('2000 random trees, each at a random positive point, agree to 40 digits', () => {
    fc.assert(
      fc.property(
        tree(5),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 64, maxLength: 64 }),
        fc.array(fc.integer({ min: 1, max: 18 }), { minLength: SYMBOLS.length, maxLength: SYMBOLS.length }),
        (t, choices, point) => {
          let k = 0;
          const pick: Pick = (options) => options[choices[k++ % choices.length] % options.length];
          const latex = print(t, pick);
          const at = point.map((v) => new D(v).div(10));
          const expected = value(t, at);
          if (!expected.isFinite() || expected.abs().gt('1e30')) return;
          let e;
          try {
            const math = parseDisplay(latex, { isFunction });
            e = lowerMember(math.statements[0], math, scope).expr;
          } catch (err) {
            throw new Error(`${latex}\n  could not be read: ${(err as Error).message}`);
          }
          const vars = [...freeSymbols(e)];
          let got: Big;
          try {
            got = compileBig(e, vars, 50)(vars.map((v) => at[SYMBOLS.findIndex((s) => s.name === v)]));
          } catch (err) {
            // An intermediate overflow (exp of exp): no value to compare at this point.
            if (err instanceof UndefinedPoint) return;
            throw err;
          }
          const scale = Decimal.max(1, expected.abs());
          if (got.minus(expected).abs().gt(scale.times('1e-40')))
            throw new Error(`${latex}\n  read as ${String(got)}, the tree is ${String(expected)}`);
        },
      ),
      { numRuns: 2000, seed: 20261206 },
    );
  });
});
