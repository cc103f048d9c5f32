// Time grids from the noise end tStart to the data end tEnd. Guard rails: a grid must be finite, inside
// the clock's domain and strictly monotone toward tEnd; a zero-length step is an error, not a no-op.
import { DomainError } from '../core/errors.js';
import type { Clock } from './clock.js';

export type GridKind = 'uniform' | 'quadratic' | 'karras';
export const GRID_KINDS: readonly GridKind[] = ['uniform', 'quadratic', 'karras'];

/**
 * numSteps + 1 times from tStart to tEnd.
 * - uniform: equal steps in t.
 * - quadratic: t_i = tEnd + (tStart - tEnd) (1 - i/N)^2, denser near the data (Song et al.'s DDIM option).
 * - karras: equal steps in noiseLevel^(1/rho), rho = 7 (Karras et al. 2022), noiseLevel = sigma/alpha,
 *   mapped back to t by bisection (the noise level must be monotone in t).
 * On a discrete clock times are rounded to tIndex values; rounding that merges two times is an error.
 */
export function timeGrid(
  kind: GridKind,
  numSteps: number,
  clock: Clock,
  tStart: number,
  tEnd: number,
  rho = 7,
): Float64Array {
  if (!Number.isInteger(numSteps) || numSteps < 1)
    throw new DomainError('timeGrid', 'numSteps', numSteps, 'must be an integer >= 1');
  const N = numSteps;
  const out = new Float64Array(N + 1);
  if (kind === 'uniform') for (let i = 0; i <= N; i++) out[i] = tStart + (i / N) * (tEnd - tStart);
  else if (kind === 'quadratic')
    for (let i = 0; i <= N; i++) out[i] = tEnd + (tStart - tEnd) * (1 - i / N) ** 2;
  else if (kind === 'karras') {
    const hi = clock.noiseLevel(tStart) ** (1 / rho);
    const lo = clock.noiseLevel(tEnd) ** (1 / rho);
    for (let i = 0; i <= N; i++)
      out[i] = invertNoiseLevel(clock, (hi + (i / N) * (lo - hi)) ** rho, tStart, tEnd);
  } else throw new DomainError('timeGrid', 'kind', kind, `must be one of ${GRID_KINDS.join(', ')}`);
  out[0] = tStart;
  out[N] = tEnd;
  if (clock.discrete) for (let i = 0; i <= N; i++) out[i] = Math.round(out[i]);
  return checkGrid(out, clock);
}

function invertNoiseLevel(clock: Clock, level: number, tStart: number, tEnd: number): number {
  let a = tEnd;
  let b = tStart;
  const increasing = clock.noiseLevel(tStart) > clock.noiseLevel(tEnd);
  for (let it = 0; it < 200 && Math.abs(b - a) > 1e-15 * Math.max(1, Math.abs(a)); it++) {
    const mid = 0.5 * (a + b);
    if (clock.noiseLevel(mid) < level === increasing) a = mid;
    else b = mid;
  }
  return 0.5 * (a + b);
}

/** Throw a DomainError unless times is finite, within the clock's domain and strictly monotone. */
export function checkGrid(times: Float64Array, clock: Clock): Float64Array {
  if (times.length < 2) throw new DomainError('time grid', 'length', times.length, 'must be >= 2');
  const dir = Math.sign(times[times.length - 1] - times[0]);
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    if (!Number.isFinite(t) || t < clock.lo || t > clock.hi) {
      throw new DomainError('time grid', `t[${i}]`, t, `must be finite and in [${clock.lo}, ${clock.hi}]`);
    }
    if (i > 0 && !(Math.sign(t - times[i - 1]) === dir && dir !== 0)) {
      const what =
        t === times[i - 1]
          ? 'repeats the previous time (a zero-length step)'
          : 'breaks the monotone order of the grid';
      throw new DomainError('time grid', `t[${i}]`, t, what);
    }
  }
  return times;
}
