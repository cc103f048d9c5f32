// Evidence of an experiment result by kind, for tests that read one kind's fields.
import type { ExactEvidence, MonteCarloEvidence } from '../../src/core/verdict.js';
import type { ExperimentResult } from '../../src/experiments/index.js';

/** The result's Monte-Carlo evidence; fails the test if any counted check is of another kind. */
export function monteCarlo(r: Pick<ExperimentResult, 'evidence'>): MonteCarloEvidence[] {
  const other = r.evidence.find((e) => e.kind !== 'monte-carlo');
  if (other) throw new Error(`expected Monte-Carlo evidence only, found ${other.kind}: ${other.test}`);
  return r.evidence as MonteCarloEvidence[];
}

/** The result's exact-computation evidence; fails the test if any counted check is of another kind. */
export function exact(r: Pick<ExperimentResult, 'evidence'>): ExactEvidence[] {
  const other = r.evidence.find((e) => e.kind !== 'exact');
  if (other) throw new Error(`expected exact evidence only, found ${other.kind}: ${other.test}`);
  return r.evidence as ExactEvidence[];
}
