// The normal form's named rewrites (src/symbolic/canonical.ts applies them), each with the sign of its
// operand u that it needs. A rule with a condition is applied only when exact interval arithmetic over
// the declared domains certifies that sign (`certifies`); the others hold wherever both sides are
// defined. A proof lists every rule it used and the operand it was used on (`RuleUse`), so a reader sees
// which assumption it rests on: "sqrt(u)^2 = u using u = 1 - abar >= 0".
import type { RuleUse } from '../core/verdict.js';
import { type Interval, isNonneg, isNonpos } from './interval.js';

export interface Rule {
  name: string;
  /** The rewrite in the plain syntax, u being the operand. */
  formula: string;
  /** The sign of u the rewrite needs; absent when it holds wherever both sides are defined. */
  needs?: 'u >= 0' | 'u <= 0';
}

export const RULES = {
  powerOfNonneg: {
    name: 'power-of-nonneg',
    formula: '(u^a)^b = u^(a*b), u^a*u^b = u^(a+b), e.g. sqrt(u)^2 = u',
    needs: 'u >= 0',
  },
  powerOfNonpos: { name: 'power-of-nonpos', formula: '|u|^a = (-u)^a', needs: 'u <= 0' },
  // |u^(2k)|^a: no sign needed, e.g. sqrt(x^2) = |x|.
  powerOfEvenPower: { name: 'power-of-even-power', formula: '(u^(2*k))^a = |u|^(2*k*a)' },
  logOfProduct: {
    name: 'log-of-product',
    formula: 'log(u*v) = log(u) + log(v), log(u^a) = a*log(u)',
    needs: 'u >= 0',
  },
  logOfEvenPower: { name: 'log-of-even-power', formula: 'log(u^(2*k)) = 2*k*log(|u|)' },
  // log(u) is defined only where u > 0, so this holds wherever the left side is defined.
  expOfLog: { name: 'exp-of-log', formula: 'exp(k*log(u)) = u^k' },
  powerAsExp: { name: 'power-as-exp', formula: 'u^x = exp(x*log(u))', needs: 'u >= 0' },
  absOfNonneg: { name: 'abs-of-nonneg', formula: '|u| = u', needs: 'u >= 0' },
  absOfNonpos: { name: 'abs-of-nonpos', formula: '|u| = -u', needs: 'u <= 0' },
  absAsRoot: { name: 'abs-as-root', formula: '|u| = sqrt(u^2)' },
  sinSquared: { name: 'sin-squared', formula: 'sin(u)^2 = 1 - cos(u)^2' },
  tanQuotient: { name: 'tan-quotient', formula: 'tan(u) = sin(u)/cos(u)' },
} as const satisfies Record<string, Rule>;

/** Whether `range` (u's values over the declared domains) certifies what the rule needs. */
export function certifies(rule: Rule, range: Interval): boolean {
  if (rule.needs === 'u >= 0') return isNonneg(range);
  if (rule.needs === 'u <= 0') return isNonpos(range);
  return true;
}

/** The record of one use: the rule and the operand it was used on. */
export function ruleUse(rule: Rule, u: string): RuleUse {
  return rule.needs
    ? { rule: rule.name, formula: rule.formula, u, needs: rule.needs }
    : { rule: rule.name, formula: rule.formula, u };
}
