// The counterexample of a verdict in tests: the point one, or undefined.
import {
  counterexampleOf,
  isPointCounterexample,
  type PointCounterexample,
  type Verdict,
} from '../../src/core/verdict.js';

export function pointOf(v: Verdict): PointCounterexample | undefined {
  const c = counterexampleOf(v);
  return c && isPointCounterexample(c) ? c : undefined;
}
