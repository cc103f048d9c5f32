// Time grids from the noise end tStart to the data end tEnd. Guard rails: a grid must be finite, inside
// the clock's domain and strictly monotone toward tEnd; a zero-length step is an error, not a no-op.
import { DomainError } from '../core/errors.js';
import type { AffinePath } from '../schedules/types.js';
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
  // The ends are checked by name here, so a bad tStart is named (not "t[1] repeats the previous time").
  for (const [name, t] of [
    ['tStart', tStart],
    ['tEnd', tEnd],
  ] as const) {
    if (!Number.isFinite(t) || t < clock.lo || t > clock.hi)
      throw new DomainError('timeGrid', name, t, `must be finite and in [${clock.lo}, ${clock.hi}]`);
    if (clock.discrete && !Number.isInteger(t))
      throw new DomainError('timeGrid', name, t, 'must be an integer step index on a discrete schedule');
  }
  if (tStart === tEnd) throw new DomainError('timeGrid', 'tEnd', tEnd, `must differ from tStart = ${tStart}`);
  if (clock.discrete && numSteps > Math.abs(tStart - tEnd))
    throw new DomainError(
      'timeGrid',
      'numSteps',
      numSteps,
      `must be <= ${Math.abs(tStart - tEnd)}, the number of step indices from ${tStart} to ${tEnd} on the discrete schedule`,
    );
  const N = numSteps;
  const out = new Float64Array(N + 1);
  if (kind === 'uniform') for (let i = 0; i <= N; i++) out[i] = tStart + (i / N) * (tEnd - tStart);
  else if (kind === 'quadratic')
    for (let i = 0; i <= N; i++) out[i] = tEnd + (tStart - tEnd) * (1 - i / N) ** 2;
  else if (kind === 'karras') {
    // Equal steps in noiseLevel^(1/rho) need a finite noise level sigma/alpha at both ends (alpha = 0 at
    // the noise end of a flow path makes it infinite, and the grid would collapse onto tEnd).
    for (const [name, t] of [
      ['tStart', tStart],
      ['tEnd', tEnd],
    ] as const) {
      const level = clock.noiseLevel(t);
      if (!Number.isFinite(level))
        throw new DomainError(
          'karras grid',
          name,
          t,
          `has noise level sigma/alpha = ${level}; a karras grid needs a finite one (move ${name} inside the path)`,
        );
    }
    const hi = clock.noiseLevel(tStart) ** (1 / rho);
    const lo = clock.noiseLevel(tEnd) ** (1 / rho);
    for (let i = 0; i <= N; i++)
      out[i] = invertNoiseLevel(clock, (hi + (i / N) * (lo - hi)) ** rho, tStart, tEnd);
  } else throw new DomainError('timeGrid', 'kind', kind, `must be one of ${GRID_KINDS.join(', ')}`);
  out[0] = tStart;
  out[N] = tEnd;
  if (clock.discrete) {
    for (let i = 0; i <= N; i++) out[i] = Math.round(out[i]);
    // Say that rounding to step indices merged two times (the generic message below does not).
    for (let i = 1; i <= N; i++)
      if (out[i] === out[i - 1])
        throw new DomainError(
          `${kind} grid`,
          'numSteps',
          numSteps,
          `is too many for the discrete schedule: times ${i - 1} and ${i} both round to step index ${out[i]} (use fewer steps, another grid or a continuous path)`,
        );
  }
  return checkGrid(out, clock);
}

/** The t in [tEnd, tStart] whose noise level is `level` (bisection; over integers on a discrete clock). */
function invertNoiseLevel(clock: Clock, level: number, tStart: number, tEnd: number): number {
  // A discrete schedule is defined at integer step indices only: bisecting through 937.5 was an
  // "argument 'tIndex' = 937.5 must be an integer" error. Search the indices, then take the nearer one.
  if (clock.discrete) return invertNoiseLevelDiscrete(clock, level, tStart, tEnd);
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

function invertNoiseLevelDiscrete(clock: Clock, level: number, tStart: number, tEnd: number): number {
  const increasing = clock.noiseLevel(tStart) > clock.noiseLevel(tEnd);
  // Integers lo < hi in the direction where the noise level grows: lo below level, hi at or above it.
  let lo = increasing ? Math.min(tStart, tEnd) : Math.max(tStart, tEnd);
  let hi = increasing ? Math.max(tStart, tEnd) : Math.min(tStart, tEnd);
  if (clock.noiseLevel(lo) >= level) return lo;
  if (clock.noiseLevel(hi) <= level) return hi;
  while (Math.abs(hi - lo) > 1) {
    const mid = Math.trunc((lo + hi) / 2);
    if (clock.noiseLevel(mid) < level) lo = mid;
    else hi = mid;
  }
  const gap = (t: number) => Math.abs(Math.log(clock.noiseLevel(t) / level));
  return gap(lo) <= gap(hi) ? lo : hi;
}

/**
 * The interval a diffusion-convention sampler runs on by default: the path's, but 1e-3 of its length
 * inside an end where alpha (noise end: f and g^2 infinite) or sigma (data end: the score singular)
 * vanishes, as in Song et al. 2021 (t = 1e-3 on the VP-SDE). "Vanishes" allows rounding: the trig
 * path's alpha(1) = cos(pi/2) = 6e-17.
 */
export function samplingInterval(path: AffinePath): { tStart: number; tEnd: number } {
  const inset = 1e-3 * (path.tMax - path.tMin);
  const vanishes = (v: number) => Math.abs(v) < 1e-12;
  return {
    tStart: vanishes(path.alpha(path.tMax)) ? path.tMax - inset : path.tMax,
    tEnd: vanishes(path.sigma(path.tMin)) ? path.tMin + inset : path.tMin,
  };
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
