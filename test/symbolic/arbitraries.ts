// fast-check arbitraries of expression trees over a few symbols, for fuzzing the parser, the normal
// form and the engine.
import fc from 'fast-check';
import {
  type Expr,
  UNARY_FNS,
  add,
  call,
  div,
  mul,
  pow,
  rational,
  sub,
  sym,
} from '../../src/symbolic/index.js';

export const FUZZ_SYMBOLS = ['x', 'y', 'a'] as const;

const leaf: fc.Arbitrary<Expr> = fc.oneof(
  fc.constantFrom(...FUZZ_SYMBOLS).map(sym),
  fc.integer({ min: -3, max: 3 }).map((k) => rational(BigInt(k))),
  fc.constantFrom(
    rational(1n, 2n),
    { kind: 'const', name: 'pi' } as Expr,
    { kind: 'const', name: 'e' } as Expr,
  ),
);

export const exprArbitrary: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => add(a, b)),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => sub(a, b)),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => mul(a, b)),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => div(a, b)),
    fc
      .tuple(
        tie('e'),
        fc.constantFrom(rational(2n), rational(3n), rational(-1n), rational(1n, 2n), rational(-1n, 2n)),
      )
      .map(([a, k]) => pow(a, k)),
    fc.tuple(fc.constantFrom(...UNARY_FNS), tie('e')).map(([f, a]) => call(f, a)),
  ),
})).e;
