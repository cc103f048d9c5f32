// The identity engine: prove-then-falsify an equation under declared assumptions.
export type { SymbolDomain, Domains } from '../symbolic/index.js';
export { parseDomain, parseWhere } from './where.js';
export { parseEquation } from './equation.js';
export {
  checkIdentity,
  type CheckOptions,
  type IdentityResult,
  DEFAULT_POINTS,
  DEFAULT_SEED,
  DEFAULT_BUDGET_MS,
} from './check.js';
export { falsify, type FalsifyResult, LOW_DIGITS, HIGH_DIGITS } from './falsify.js';
