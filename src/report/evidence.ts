// How each kind of evidence is shown: its name, what it means, and its fields, in one table that the
// HTML report, the terminal, JUnit and `flowproof run` all read. A kind shows its own fields and no
// other: an exact computation has a value and a tolerance, never a p-value, a level or an interval.
// A new kind of evidence (src/core/verdict.ts) is one entry here.
import {
  counterexampleOf,
  isPointCounterexample,
  showRuleUse,
  type Evidence,
  type EvidenceKind,
  type Grade,
  type PointCounterexample,
  type Verdict,
} from '../core/verdict.js';
import { formatMs, formatNumber as num } from './format.js';

export interface Field {
  /** Stable identifier (the HTML column's data-field). */
  key: string;
  /** Column heading. */
  label: string;
  value: string;
  numeric?: boolean;
}

interface KindSpec<E extends Evidence> {
  /** What the evidence is called in every output. */
  label: string;
  /** One sentence: what was done, and what a reader can conclude from it. */
  meaning: string;
  /** The fields of one piece of evidence, in display order (absent optional ones left out). */
  fields(e: E): Field[];
  /** One line for a group of this kind, e.g. the summary of a collapsed table. */
  summary(group: E[]): string;
}

type Kinds = { [K in EvidenceKind]: KindSpec<Extract<Evidence, { kind: K }>> };

const f = (key: string, label: string, value: string, numeric = false): Field => ({
  key,
  label,
  value,
  numeric,
});

export const EVIDENCE_KINDS: Kinds = {
  symbolic: {
    label: 'symbolic proof',
    meaning: 'a computer-algebra strategy reduced lhs - rhs to 0 under the declared assumptions',
    fields: (e) => [
      f('strategy', 'strategy', e.strategy),
      ...(e.rules?.length ? [f('rules', 'rules used', e.rules.map(showRuleUse).join('; '))] : []),
      f('ms', 'time', formatMs(e.ms), true),
    ],
    summary: (g) =>
      `by ${g.map((e) => (e.rules?.length ? `${e.strategy}: ${e.rules.map(showRuleUse).join('; ')}` : e.strategy)).join(', ')}`,
  },
  numeric: {
    label: 'high-precision numeric',
    meaning:
      'both sides evaluated at random points of the declared domains (near their edges too) in high-precision arithmetic',
    fields: (e) => [
      f('points', 'points', String(e.pointsTried), true),
      f('digits', 'digits', String(e.precisionDigits), true),
      f('maxResidual', 'max residual', e.maxResidual, true),
      f('seed', 'seed', String(e.seed), true),
      f('ms', 'time', formatMs(e.ms), true),
    ],
    summary: (g) =>
      `${g.reduce((n, e) => n + e.pointsTried, 0)} points at ${g[0].precisionDigits} digits, max residual ${g
        .map((e) => e.maxResidual)
        .reduce((a, b) => (Number(b) > Number(a) ? b : a))}`,
  },
  exact: {
    label: 'exact computation',
    meaning:
      'a deterministic computation (closed forms, exact sums, ODE solves of known accuracy) held against a stated tolerance: ' +
      'there is no sampling error, so there is no p-value, level or confidence interval',
    fields: (e) => [
      f('check', 'check', e.test),
      f('value', 'value', num(e.value), true),
      f('tolerance', 'tolerance', num(e.tolerance), true),
      f('within', 'within tolerance', e.value <= e.tolerance ? 'yes' : 'NO'),
      f('over', 'computed over', `${e.size} ${e.unit}`),
      f('backend', 'arithmetic', e.backend),
      ...(e.seed === undefined ? [] : [f('seed', 'seed', String(e.seed), true)]),
      f('ms', 'time', formatMs(e.ms), true),
    ],
    summary: (g) => {
      const outside = g.filter((e) => !(e.value <= e.tolerance));
      const n = `${g.length} check${g.length > 1 ? 's' : ''}`;
      return outside.length === 0
        ? `${n}, ${g.length > 1 ? 'all ' : ''}within tolerance`
        : `${outside.length} of ${n} outside tolerance (first: ${outside[0].test})`;
    },
  },
  'monte-carlo': {
    label: 'Monte Carlo',
    meaning:
      'a statistical test on a seeded run of the real samplers against an exactly known law; the minimum detectable effect says how large an error the run could catch',
    fields: (e) => [
      f('test', 'test', e.test),
      f('estimate', 'estimate', num(e.estimate), true),
      f('ci', 'confidence interval', `[${num(e.ci[0])}, ${num(e.ci[1])}]`, true),
      f('p', 'p-value', num(e.pValue), true),
      f('alpha', 'alpha', num(e.alpha), true),
      f('mde', 'min. detectable effect', num(e.minDetectableEffect), true),
      f('samples', 'samples', String(e.samples), true),
      f('seed', 'seed', String(e.seed), true),
      f('backend', 'backend', e.backend),
      f('ms', 'time', formatMs(e.ms), true),
    ],
    summary: (g) => {
      const low = g.filter((e) => e.pValue < e.alpha).length;
      const min = g.reduce((a, b) => (b.pValue < a.pValue ? b : a));
      const alphas = [...new Set(g.map((e) => e.alpha))].map(num).join(', ');
      return (
        `${g.length} test${g.length > 1 ? 's' : ''} at alpha ${alphas}; smallest p = ${num(min.pValue)} (${min.test})` +
        (low > 0 ? `; ${low} with p below alpha (before any multiple-testing correction)` : '')
      );
    },
  },
};

/** The order kinds are listed in: strongest evidence first. */
const KIND_ORDER: readonly EvidenceKind[] = ['symbolic', 'numeric', 'exact', 'monte-carlo'];

export function evidenceFields(e: Evidence): Field[] {
  return (EVIDENCE_KINDS[e.kind] as KindSpec<Evidence>).fields(e);
}

export function evidenceSummary(kind: EvidenceKind, group: Evidence[]): string {
  return (EVIDENCE_KINDS[kind] as KindSpec<Evidence>).summary(group);
}

/** One line: the kind's name and its fields, for plain-text outputs. */
export function evidenceLine(e: Evidence): string {
  return `${EVIDENCE_KINDS[e.kind].label}: ${evidenceFields(e)
    .map((x) => `${x.label} ${x.value}`)
    .join(', ')}`;
}

/** The evidence grouped by kind, in KIND_ORDER, keeping each group's order. */
export function byKind(evidence: readonly Evidence[]): [EvidenceKind, Evidence[]][] {
  return KIND_ORDER.flatMap((k): [EvidenceKind, Evidence[]][] => {
    const group = evidence.filter((e) => e.kind === k);
    return group.length ? [[k, group]] : [];
  });
}

/**
 * The point counterexample a verdict prints, if any. A run's counterexample (its failed checks) is not
 * printed apart: the verdict's reason already lists those checks.
 */
export function printedPoint(v: Verdict): PointCounterexample | undefined {
  const c = counterexampleOf(v);
  return c && isPointCounterexample(c) ? c : undefined;
}

/** A counterexample as one line: the point, both sides and the residual there. */
export function counterexampleText(c: PointCounterexample): string {
  const at = Object.entries(c.point)
    .map(([k, x]) => `${k}=${x}`)
    .join(', ');
  return `counterexample at ${at}: lhs = ${c.lhs}, rhs = ${c.rhs}, residual ${c.residual}`;
}

/** The grade names every output uses. */
export const GRADE_LABEL: Record<Grade, string> = {
  proved: 'proved',
  'holds-numerically': 'holds numerically',
  'confirmed-exact': 'confirmed (exact computation)',
  'confirmed-mc': 'confirmed (Monte Carlo)',
  refuted: 'refuted',
  inconclusive: 'inconclusive',
};
