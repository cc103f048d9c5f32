// Holm's step-down correction: controls the family-wise error rate at alpha for any dependence
// between the tests. Sort p ascending; reject p_(i) while p_(i) <= alpha / (m - i) (i from 0).
import { DomainError } from '../core/errors.js';

export interface HolmResult {
  /** rejected[i] refers to pValues[i]. */
  rejected: boolean[];
  /** Holm-adjusted p-values (monotone, capped at 1); reject i iff adjusted[i] <= alpha. */
  adjusted: number[];
}

export function holm(pValues: readonly number[], alpha: number): HolmResult {
  if (!(alpha > 0 && alpha < 1)) throw new DomainError('holm', 'alpha', alpha, 'must lie in (0, 1)');
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new DomainError('holm', `pValues[${i}]`, p, 'must lie in [0, 1]');
  });
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a] - pValues[b]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((idx, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[idx]));
    adjusted[idx] = running;
  });
  return { rejected: adjusted.map((p) => p <= alpha), adjusted };
}
