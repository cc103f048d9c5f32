// The symbolic layer: the expression form, its parser and printer, the normal-form prover, the
// high-precision evaluator and the adapters to external computer algebra.
export * from './expr.js';
export * from './domain.js';
export { parsePlain, type ParseOptions } from './parse.js';
export { formatExpr } from './format.js';
export { canonicalEqual, canonicalProof, type CanonicalOptions, type CanonicalOutcome } from './canonical.js';
export { RULES, type Rule } from './rules.js';
export { compileBig, type BigFn, type FnImpl } from './bignum.js';
export { bigContext, Decimal, UndefinedPoint, type Big } from './decimal.js';
export { FUNCTIONS, UNARY_FNS, type UnaryFn, type ElementaryFunction } from './functions.js';
export { derivative } from './derivative.js';
export { compileFloat64, type Float64Fn } from './float64.js';
export { casProvesZero, closeCasWorker, CAS_NAMES, type CasName, type CasAnswer } from './cas.js';
export { toLatex, fallbackName, type LatexOptions } from './latex.js';
