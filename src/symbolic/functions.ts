// The elementary functions, one row each: everything flowproof knows about a function (its float64 and
// high-precision values, its derivative, the values it takes, its names in the CAS and in LaTeX, and
// for a function the normal form does not treat itself, its definition by others). A new function is
// one row here.
import { UndefinedPoint, type Big, type BigCtor } from './decimal.js';
import { type Expr, ONE, add, call, div, exp, mul, neg, pow, rational, sqrt, sub } from './expr.js';

export interface ElementaryFunction {
  /** d/du f(u) as an expression in u (the chain rule multiplies by u'). */
  derivative: (u: Expr) => Expr;
  float64: (x: number) => number;
  /** Its value at D's precision; throws UndefinedPoint where it is undefined. */
  big: (x: Big, D: BigCtor) => Big;
  /** Bounds on its values, for the normal form's interval arithmetic (absent: the real line). */
  range?: readonly [number, number];
  /**
   * Its definition by other functions, expanded by the normal form (a function without one is an
   * opaque atom there, unless the normal form treats it itself: sqrt, exp, log, sin, cos, tan, abs).
   */
  definition?: { formula: string; expand: (u: Expr) => Expr };
  /** Its name in a CAS, when not the plain-syntax name. */
  cas?: { algebrite?: string; mathjs?: string };
  /** The LaTeX commands read as it, the first one printed; empty when it has its own notation. */
  tex: readonly string[];
}

const TWO = rational(2n);
const HALF = rational(1n, 2n);

/** tanh(x) = sign(x) (1 - 2/(e^(2|x|) + 1)). */
const tanhFar = (x: Big): Big => {
  const t = x.abs().times(2).exp().plus(1).pow(-1).times(-2).plus(1);
  return x.isNegative() ? t.neg() : t;
};

/** (e^x + sign e^-x) / 2. */
const halfSum = (x: Big, sign: 1 | -1): Big => {
  const e = x.exp();
  const inv = e.pow(-1);
  return (sign > 0 ? e.plus(inv) : e.minus(inv)).div(2);
};

/** The plain-syntax names, in the order the help lists them. */
export const UNARY_FNS = [
  'sqrt',
  'exp',
  'log',
  'sin',
  'cos',
  'tan',
  'atan',
  'sinh',
  'cosh',
  'tanh',
  'abs',
] as const;
export type UnaryFn = (typeof UNARY_FNS)[number];

export const FUNCTIONS: Readonly<Record<UnaryFn, ElementaryFunction>> = {
  sqrt: {
    derivative: (u) => div(ONE, mul(TWO, sqrt(u))),
    float64: Math.sqrt,
    big: (x) => {
      if (x.isNegative() && !x.isZero()) throw new UndefinedPoint('sqrt of a negative number');
      return x.sqrt();
    },
    tex: [],
  },
  exp: { derivative: (u) => exp(u), float64: Math.exp, big: (x) => x.exp(), tex: ['exp'] },
  log: {
    derivative: (u) => pow(u, rational(-1n)),
    float64: Math.log,
    big: (x) => {
      if (x.lte(0)) throw new UndefinedPoint('log of a non-positive number');
      return x.ln();
    },
    tex: ['log', 'ln'],
  },
  sin: {
    derivative: (u) => call('cos', u),
    float64: Math.sin,
    big: (x) => x.sin(),
    range: [-1, 1],
    tex: ['sin'],
  },
  cos: {
    derivative: (u) => neg(call('sin', u)),
    float64: Math.cos,
    big: (x) => x.cos(),
    range: [-1, 1],
    tex: ['cos'],
  },
  tan: {
    derivative: (u) => add(ONE, pow(call('tan', u), TWO)),
    float64: Math.tan,
    big: (x, D) => {
      const c = x.cos();
      if (c.abs().lt(new D(10).pow(-(D.precision - 5)))) throw new UndefinedPoint('tan at a pole');
      return x.sin().div(c);
    },
    tex: ['tan'],
  },
  atan: {
    derivative: (u) => div(ONE, add(ONE, pow(u, TWO))),
    float64: Math.atan,
    big: (x) => x.atan(),
    range: [-2, 2], // |atan| < pi/2
    cas: { algebrite: 'arctan' },
    tex: ['arctan'],
  },
  sinh: {
    derivative: (u) => call('cosh', u),
    float64: Math.sinh,
    // decimal.js's own sinh is slow for large |x|; (e^x - e^-x)/2 has no cancellation for |x| >= 1.
    big: (x) => (x.abs().lt(1) ? x.sinh() : halfSum(x, -1)),
    definition: {
      formula: 'sinh(u) = (exp(u) - exp(-u))/2',
      expand: (u) => mul(HALF, sub(exp(u), exp(neg(u)))),
    },
    tex: ['sinh'],
  },
  cosh: {
    derivative: (u) => call('sinh', u),
    float64: Math.cosh,
    big: (x) => halfSum(x, 1),
    range: [1, Infinity],
    definition: {
      formula: 'cosh(u) = (exp(u) + exp(-u))/2',
      expand: (u) => mul(HALF, add(exp(u), exp(neg(u)))),
    },
    tex: ['cosh'],
  },
  tanh: {
    derivative: (u) => sub(ONE, pow(call('tanh', u), TWO)),
    float64: Math.tanh,
    // 1 - 2/(e^(2|x|) + 1), with the sign of x, for |x| >= 1 (no cancellation; fast for large |x|).
    big: (x) => (x.abs().lt(1) ? x.tanh() : tanhFar(x)),
    range: [-1, 1],
    definition: {
      formula: 'tanh(u) = (exp(u) - exp(-u))/(exp(u) + exp(-u))',
      expand: (u) => div(sub(exp(u), exp(neg(u))), add(exp(u), exp(neg(u)))),
    },
    tex: ['tanh'],
  },
  // d|u| = sign(u) = u / |u| (undefined at u = 0, where |u| has no derivative).
  abs: { derivative: (u) => div(u, call('abs', u)), float64: Math.abs, big: (x) => x.abs(), tex: [] },
};

/** The function a LaTeX command (without its backslash) reads as, if any. */
export function functionOfTex(command: string): UnaryFn | undefined {
  return UNARY_FNS.find((f) => FUNCTIONS[f].tex.includes(command));
}
