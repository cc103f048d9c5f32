// Time points seen by a sampler: path coefficients at a time of a continuous path (in the sampler's
// convention) or at a tIndex of a discrete DDPM schedule.
import { DomainError } from '../core/errors.js';
import type { PathPoint } from '../params/conversions.js';
import type { AffinePath, DiscreteSchedule } from '../schedules/types.js';

export interface TimePoint extends PathPoint {
  t: number;
  /** SDE drift factor f and squared diffusion g^2 (continuous paths only). */
  f(): number;
  g2(): number;
}

export interface Clock {
  point(t: number): TimePoint;
  /** The time a model function is called with (the user's path convention, or tIndex). */
  modelTime(t: number): number;
  /** The EDM noise level sigma / alpha (for Karras grids). */
  noiseLevel(t: number): number;
  /** The domain of t: [lo, hi]. */
  readonly lo: number;
  readonly hi: number;
  readonly discrete: boolean;
}

// A derivative that diverges at an end of the path (dSigma of VP at t = 0) is NaN here, which the
// conversions in src/params reject with a DomainError wherever it would be used.
function orNaN(f: () => number): number {
  try {
    return f();
  } catch (err) {
    if (err instanceof DomainError) return NaN;
    throw err;
  }
}

/** A clock on `path`; `flipped` says the path was converted from the user's convention (tau = lo + hi - t). */
export function pathClock(path: AffinePath, flipped: boolean): Clock {
  return {
    lo: path.tMin,
    hi: path.tMax,
    discrete: false,
    point: (t) => ({
      t,
      alpha: path.alpha(t),
      sigma: path.sigma(t),
      dAlpha: orNaN(() => path.dAlpha(t)),
      dSigma: orNaN(() => path.dSigma(t)),
      f: () => path.f(t),
      g2: () => path.g2(t),
    }),
    modelTime: (t) => (flipped ? path.tMin + path.tMax - t : t),
    noiseLevel: (t) => path.sigma(t) / path.alpha(t),
  };
}

export function discreteClock(schedule: DiscreteSchedule): Clock {
  const noDerivative = (what: string) => () => {
    throw new DomainError(
      schedule.name,
      what,
      'discrete',
      'is not defined on a discrete schedule (use a continuous path)',
    );
  };
  return {
    lo: 0,
    hi: schedule.numSteps,
    discrete: true,
    // A discrete marginal has no time derivative; dAlpha = dSigma = 0 makes a velocity conversion a DomainError.
    point: (t) => ({
      t,
      alpha: schedule.alpha(t),
      sigma: schedule.sigma(t),
      dAlpha: 0,
      dSigma: 0,
      f: noDerivative('f'),
      g2: noDerivative('g2'),
    }),
    modelTime: (t) => t,
    noiseLevel: (t) => schedule.sigma(t) / schedule.alpha(t),
  };
}
