// Evidence for checks that are exact computations rather than sampling: the MonteCarloEvidence shape is
// kept (one evidence type per experiment result), with the computed margin as estimate and alpha = 0.
import type { MonteCarloEvidence } from '../../core/verdict.js';

export interface ExactCheck {
  experiment: string;
  /** The quantity compared against `tolerance` (e.g. a residual, or a bound's violation). */
  estimate: number;
  /** The check passes iff estimate <= tolerance. */
  tolerance: number;
  test: string;
  seed: number;
  /** Number of terms, points or grid steps the computation used. */
  samples: number;
  ms: number;
}

export const exactPasses = (c: ExactCheck): boolean => c.estimate <= c.tolerance;

export function exactEvidence(c: ExactCheck): MonteCarloEvidence {
  return {
    kind: 'monte-carlo',
    experiment: c.experiment,
    estimate: c.estimate,
    ci: [c.estimate, c.estimate],
    test: c.test,
    pValue: exactPasses(c) ? 1 : 0,
    alpha: 0,
    minDetectableEffect: c.tolerance,
    seed: c.seed,
    backend: 'float64',
    samples: c.samples,
    ms: c.ms,
  };
}
