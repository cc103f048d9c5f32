// The high-precision falsifier, the only part allowed to declare `refuted`. fast-check draws points
// from the declared domains; both sides are evaluated with decimal.js at LOW_DIGITS significant digits.
// A point is a candidate when |lhs - rhs| > THRESHOLD * max(1, |lhs|, |rhs|); it refutes only when a
// second evaluation at HIGH_DIGITS reproduces the difference lhs - rhs to 1%. A true identity's
// difference is rounding noise that changes by ~10^-58 between the two precisions (even when one side
// is exactly 0), so cancellation near a domain edge never refutes. Points where a side is undefined
// are skipped and redrawn. fast-check shrinks a refuting point toward simple values; every shrunk point
// passes the same test. The reported residual is |lhs - rhs| / max(1, |lhs|, |rhs|): the largest over
// every point compared, the refuting one included, and separately the residual at the shrunk
// counterexample. (A discrepancy smaller than 1e-40 in absolute value at every sampled point therefore
// goes unseen.)
import fc from 'fast-check';
import {
  type Big,
  type BigFn,
  type Domains,
  type Expr,
  type FnImpl,
  bigContext,
  compileBig,
  declaredFunctions,
  formatExpr,
  freeFunctions,
  freeSymbols,
  functionVariable,
  symbolDomain,
  REAL,
  UndefinedPoint,
} from '../symbolic/index.js';
import type { PointCounterexample } from '../core/verdict.js';
import {
  type FnParams,
  FN_PARAMS,
  fnParamsArbitrary,
  fnTemplate,
  instantiate,
  templateDerivatives,
  valueArbitrary,
} from './points.js';

export const LOW_DIGITS = 72;
export const HIGH_DIGITS = 130;
const THRESHOLD = 1e-40;

export interface FalsifyOptions {
  domains?: Domains;
  seed: number;
  points: number;
  /** Wall-clock time limit for drawing and shrinking. */
  timeLimitMs: number;
}

export interface FalsifyResult {
  counterexample?: PointCounterexample;
  /** Points where both sides were defined and compared. */
  pointsTried: number;
  /** Points skipped because a side was undefined there. */
  undefinedPoints: number;
  /**
   * Largest relative residual over the points tried (at LOW_DIGITS; at HIGH_DIGITS for a refuting point)
   * and the shrunk counterexample: never below the counterexample's own residual.
   */
  maxResidual: number;
  interrupted: boolean;
  ms: number;
}

// Indexed like `vars` and the function names: user names never become object keys during sampling.
interface Sample {
  values: string[];
  fns: FnParams[];
}

/** Evaluators of both sides at one precision, with instances of the undefined functions. */
class Evaluator {
  private readonly lhs: BigFn;
  private readonly rhs: BigFn;
  private readonly fnDerivs = new Map<string, BigFn[]>();
  private readonly D;
  constructor(
    lhs: Expr,
    rhs: Expr,
    readonly vars: string[],
    private readonly fnNames: string[],
    fns: Map<string, Expr[]>,
    digits: number,
  ) {
    this.D = bigContext(digits);
    this.lhs = compileBig(lhs, vars, digits);
    this.rhs = compileBig(rhs, vars, digits);
    const templateVars = ['__t', ...FN_PARAMS.map((k) => `__${k}`)];
    for (const [name, derivs] of fns)
      this.fnDerivs.set(
        name,
        derivs.map((d) => compileBig(d, templateVars, digits)),
      );
  }
  /** [lhs, rhs] at the sample; throws UndefinedPoint where a side is undefined. */
  at(s: Sample): [Big, Big] {
    const D = this.D;
    const args = s.values.map((v) => new D(v));
    const params = new Map(this.fnNames.map((n, i) => [n, FN_PARAMS.map((k) => new D(s.fns[i][k]))]));
    const impl: FnImpl = (name, order, x) => this.fnDerivs.get(name)![order]([x, ...params.get(name)!]);
    return [this.lhs(args, impl), this.rhs(args, impl)];
  }
}

const maxAbs = (l: Big, r: Big): Big => (l.abs().gt(r.abs()) ? l.abs() : r.abs());
/** |l - r| / max(1, |l|, |r|): the residual reported as evidence. */
const reported = (l: Big, r: Big): number => {
  const m = maxAbs(l, r);
  return l
    .minus(r)
    .abs()
    .div(m.gt(1) ? m : 1)
    .toNumber();
};

export function falsify(lhs: Expr, rhs: Expr, options: FalsifyOptions): FalsifyResult {
  const start = Date.now();
  const vars = [...freeSymbols(lhs, freeSymbols(rhs))].sort();
  const declared = declaredFunctions(options.domains);
  const fnOrders = freeFunctions(lhs, freeFunctions(rhs));
  const templates = new Map<string, Expr>();
  const derivs = new Map<string, Expr[]>();
  for (const [name, order] of fnOrders) {
    const t = fnTemplate(declared.get(name) ?? REAL);
    templates.set(name, t);
    derivs.set(name, templateDerivatives(t, order));
  }
  const fnNames = [...fnOrders.keys()];
  const low = new Evaluator(lhs, rhs, vars, fnNames, derivs, LOW_DIGITS);
  let high: Evaluator | undefined;

  const sample: fc.Arbitrary<Sample> = fc.record({
    values: fc.tuple(...vars.map((v) => valueArbitrary(symbolDomain(options.domains, v)))),
    fns: fc.tuple(...fnNames.map(() => fnParamsArbitrary())),
  });

  let failed = false;
  let tried = 0;
  let undefinedPoints = 0;
  let maxResidual = 0;
  // True when the sample refutes the identity; undefined when a side is undefined there.
  const refutes = (s: Sample): { l: Big; r: Big } | false | undefined => {
    let l: Big, r: Big;
    try {
      [l, r] = low.at(s);
    } catch (err) {
      if (err instanceof UndefinedPoint) return undefined;
      throw err;
    }
    const diff = l.minus(r);
    const scale = maxAbs(l, r);
    if (diff.abs().lte((scale.gt(1) ? scale : new (bigContext(LOW_DIGITS))(1)).times(THRESHOLD))) {
      if (!failed) maxResidual = Math.max(maxResidual, reported(l, r));
      return false;
    }
    high ??= new Evaluator(lhs, rhs, vars, fnNames, derivs, HIGH_DIGITS);
    let hl: Big, hr: Big;
    try {
      [hl, hr] = high.at(s);
    } catch (err) {
      if (err instanceof UndefinedPoint) return undefined;
      throw err;
    }
    const diffHigh = hl.minus(hr);
    const stable = !diffHigh.isZero() && diffHigh.minus(diff).abs().lte(diffHigh.abs().times(0.01));
    if (!failed) maxResidual = Math.max(maxResidual, reported(hl, hr));
    return stable ? { l: hl, r: hr } : false;
  };
  const property = fc.property(sample, (s) => {
    const result = refutes(s);
    if (result === undefined) {
      if (!failed) undefinedPoints++;
      fc.pre(false);
    }
    if (!failed) tried++;
    if (result) failed = true;
    return !result;
  });
  const details = fc.check(property, {
    seed: options.seed,
    numRuns: options.points,
    maxSkipsPerRun: 3,
    interruptAfterTimeLimit: options.timeLimitMs,
    markInterruptAsFailure: false,
  });
  const out: FalsifyResult = {
    pointsTried: tried,
    undefinedPoints,
    maxResidual,
    interrupted: details.interrupted,
    ms: Date.now() - start,
  };
  if (details.failed && details.counterexample) {
    const s = details.counterexample[0];
    const verdict = refutes(s); // rethrows an internal error the property raised
    if (!verdict) throw new Error('internal: the shrunk counterexample does not refute');
    const entries: [string, string][] = vars.map((v, i) => [v, s.values[i]]);
    fnNames.forEach((name, i) => {
      const arg = functionVariable(options.domains, name);
      entries.push([`${name}(${arg})`, formatExpr(instantiate(templates.get(name)!, s.fns[i], arg))]);
    });
    const point = Object.fromEntries(entries); // own data properties, even for a name like __proto__
    const residual = reported(verdict.l, verdict.r);
    out.maxResidual = Math.max(out.maxResidual, residual);
    out.counterexample = {
      point,
      lhs: verdict.l.toSignificantDigits(20).toString(),
      rhs: verdict.r.toSignificantDigits(20).toString(),
      residual: residual.toExponential(2),
    };
  }
  return out;
}
