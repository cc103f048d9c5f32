// The LaTeX printer of the expression form: readable output for the usual shapes, every output accepted
// by KaTeX, and a round trip through the derivation reader's public entry points (parseExpression +
// lowerMember with declared symbols) that gives back the same value at random points (50 digits).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../src/derivation/parser.js';
import { readDeclarations } from '../../src/derivation/file.js';
import { lowerMember } from '../../src/derivation/lower.js';
import { declare, functionTest } from '../../src/derivation/scope.js';
import { spelling } from '../../src/derivation/show.js';
import { parseDomain } from '../../src/identity/index.js';
import { renderMath } from '../../src/report/katex.js';
import {
  type Big,
  type Expr,
  PI,
  add,
  applyFn,
  bigContext,
  call,
  compileBig,
  derivative,
  div,
  mul,
  neg,
  pow,
  rational,
  sqrt,
  sub,
  sym,
  toLatex,
  UndefinedPoint,
} from '../../src/symbolic/index.js';

const DECLARATIONS = String.raw`
symbols:
  abar: { latex: '\bar\alpha_t', domain: '(0,1)' }
  x_0: real
  \epsilon: real
  sigma: { latex: '\sigma_t', domain: '> 0' }
  t: '(0,1)'
  u: { latex: 'u_t^\theta', domain: real }
  xp: { latex: "x'_0", domain: real }
  pd: { latex: 'p_{\text{data}}', domain: '> 0' }
  s: '(0,1)'
  bmin: { latex: '\beta_\min', domain: '> 0' }
  m: { latex: 'm(t)' }
  g: { latex: 'g(t)', domain: '> 0' }
`;
const { symbols, lets } = readDeclarations(DECLARATIONS, 'latex.test');
const { scope } = declare(symbols, lets, parseDomain);
/** Internal name -> the spelling the file declared (what verify hands the printer). */
const NAMES = new Map([...scope.symbols].map(([canon, d]) => [d.name, spelling(canon)]));
const VARIABLES = ['abar', 'x_0', 'epsilon', 'sigma', 't', 'u', 'xp', 'pd', 's', 'bmin'];
const POSITIVE = new Set(['abar', 'sigma', 't', 'pd', 's', 'bmin']);

/** Prints, reads back with the same declarations, and returns the re-read expression. */
function roundTrip(e: Expr): { latex: string; back: Expr } {
  const latex = toLatex(e, { names: NAMES });
  const math = parseExpression(latex, { isFunction: functionTest(scope) });
  return { latex, back: lowerMember(math.statements[0], math, scope).expr };
}

// The undefined functions m and g instantiated as smooth functions with all derivatives.
const TEMPLATE = add(call('sin', sym('__x')), div(pow(sym('__x'), rational(2n)), rational(3n)));
const DERIVATIVES: Expr[] = [TEMPLATE];
for (let k = 1; k < 4; k++) DERIVATIVES.push(derivative(DERIVATIVES[k - 1], '__x'));
const DIGITS = 50;
const COMPILED = DERIVATIVES.map((d) => compileBig(d, ['__x'], DIGITS));
const fns = (name: string, order: number, x: Big): Big => {
  const v = COMPILED[order]([x]);
  return name === 'g' ? v.times(v).plus(1) : v; // g > 0 as declared (value only: orders unused for g)
};

const leaf: fc.Arbitrary<Expr> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VARIABLES).map(sym) },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 5 }).map((k) => rational(BigInt(k))) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      rational(1n, 2n),
      rational(3n, 4n),
      rational(-7n, 3n),
      rational(1n, 125n),
      rational(199n, 10n),
      PI,
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('m', 'g'), fc.constantFrom('t', 's'), fc.integer({ min: 0, max: 2 }))
      .map(([f, v, order]) => applyFn(f, sym(v), f === 'g' ? 0 : order)),
  },
);

/** A positive expression: the argument of sqrt and log stays in their domain more often than not. */
const positive = (e: Expr): Expr => add(rational(1n), pow(e, rational(2n)));

const exprArbitrary: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => add(a, b)),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => sub(a, b)),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => mul(a, b)),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => div(a, b)),
    tie('e').map(neg),
    fc
      .tuple(
        tie('e'),
        fc.constantFrom(
          rational(2n),
          rational(3n),
          rational(-1n),
          rational(-2n),
          rational(1n, 2n),
          rational(-1n, 2n),
        ),
      )
      .map(([a, k]) => pow(a, k)),
    fc
      .tuple(fc.constantFrom(...VARIABLES.filter((v) => POSITIVE.has(v))), tie('e'))
      .map(([v, b]) => pow(sym(v), b)),
    fc
      .tuple(
        fc.constantFrom('exp', 'sin', 'cos', 'tan') as fc.Arbitrary<'exp' | 'sin' | 'cos' | 'tan'>,
        tie('e'),
      )
      .map(([f, a]) => call(f, a)),
    tie('e').map((a) => sqrt(positive(a))),
    tie('e').map((a) => call('log', positive(a))),
    fc.tuple(fc.constantFrom('m', 'g'), tie('e')).map(([f, a]) => applyFn(f, a)),
  ),
})).e;

const pointArbitrary = fc.record(
  Object.fromEntries(
    VARIABLES.map((v) => [
      v,
      POSITIVE.has(v)
        ? fc.integer({ min: 1, max: 999 }).map((k) => `0.${String(k).padStart(3, '0')}`)
        : fc.integer({ min: -3000, max: 3000 }).map((k) => String(k / 1000)),
    ]),
  ),
);

/** Both values at the point, or undefined where either side is undefined. */
function values(a: Expr, b: Expr, point: Record<string, string>): [Big, Big] | undefined {
  const D = bigContext(DIGITS);
  const args = VARIABLES.map((v) => new D(point[v]));
  try {
    return [compileBig(a, VARIABLES, DIGITS)(args, fns), compileBig(b, VARIABLES, DIGITS)(args, fns)];
  } catch (err) {
    if (err instanceof UndefinedPoint) return undefined;
    throw err;
  }
}

describe('toLatex', () => {
  const print = (e: Expr) => toLatex(e, { names: NAMES });

  it('prints the usual shapes as a paper would', () => {
    const abar = sym('abar');
    expect(print(neg(div(sym('epsilon'), sqrt(sub(rational(1n), abar)))))).toBe(
      String.raw`-\frac{\epsilon}{\sqrt{1 - \bar\alpha_t}}`,
    );
    expect(print(mul(rational(-1n, 2n), pow(applyFn('g', sym('t')), rational(2n)), sym('s')))).toBe(
      String.raw`-\frac{1}{2} \left(g(t)\right)^{2} s`,
    );
    expect(print(add(rational(1n, 10n), mul(rational(199n, 10n), sym('t'))))).toBe(String.raw`0.1 + 19.9 t`);
    expect(print(applyFn('m', sub(rational(1n), sym('t')), 2))).toBe(`m''(1 - t)`);
    expect(print(pow(sym('u'), rational(2n)))).toBe(String.raw`{u_t^{\theta}}^{2}`);
    expect(print(mul(sym('bmin'), sym('t')))).toBe(String.raw`\beta_{\min} t`); // KaTeX needs the braces
    expect(print(mul(call('exp', sym('t')), add(sym('x_0'), sym('s'))))).toBe(
      String.raw`\exp\left(t\right) \left(x_0 + s\right)`,
    );
    expect(print(pow(sym('sigma'), rational(-1n, 2n)))).toBe(String.raw`\frac{1}{\sqrt{\sigma_t}}`);
    // Not in the reader's vocabulary, but typeset: |a|, arctan, e, undeclared names.
    expect(toLatex(add(call('abs', sym('a')), call('atan', sym('sigma_min'))))).toBe(
      String.raw`\left|a\right| + \arctan\left(\sigma_{\mathrm{min}}\right)`,
    );
  });

  it('round-trips through the derivation reader to the same value (50 digits, random points)', () => {
    let compared = 0;
    fc.assert(
      fc.property(exprArbitrary, fc.array(pointArbitrary, { minLength: 3, maxLength: 3 }), (e, points) => {
        const { latex, back } = roundTrip(e);
        expect(() => renderMath(latex)).not.toThrow();
        for (const p of points) {
          const v = values(e, back, p);
          if (!v) continue;
          const [a, b] = v;
          const scale = a.abs().gt(1) ? a.abs() : new (bigContext(DIGITS))(1);
          if (!a.minus(b).abs().lte(scale.times('1e-40')))
            throw new Error(`${latex}: ${a.toString()} vs ${b.toString()} at ${JSON.stringify(p)}`);
          compared++;
        }
      }),
      { seed: 14, numRuns: 400 },
    );
    expect(compared).toBeGreaterThan(600);
  });
});
