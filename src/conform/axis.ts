// The module's time axis: where its schedule coefficients come from (its own exports, else the declared
// reference path), which times are valid, and in which direction sampling runs. Conversions and steps
// are checked against formulas evaluated on this axis, so a schedule bug is reported once, by the
// schedule checks, and not again by every conversion that uses the same schedule consistently.
import type { Convention } from '../core/convention.js';
import { InputError } from '../core/errors.js';
import type { PathPoint } from '../params/conversions.js';
import {
  flipTime,
  getPath,
  toConvention,
  type AffinePath,
  type DiscreteSchedule,
  type TimestepIndexing,
} from '../schedules/index.js';
import type { UserModule } from './module.js';

export interface ContinuousAxis {
  kind: 'continuous';
  convention: Convention;
  /** Where alpha/sigma come from, for messages. */
  source: string;
  tMin: number;
  tMax: number;
  point(t: number): PathPoint;
}

export interface DiscreteAxis {
  kind: 'discrete';
  convention: 'diffusion';
  source: string;
  /** The noisiest and the least noisy timestep in the module's numbering. */
  first: number;
  last: number;
  /** The timestep before `first` (-1 zero-based, 0 one-based): the data itself, abar = 1. */
  clean: number;
  abar(timestep: number): number;
  point(timestep: number): PathPoint;
}

export type Axis = ContinuousAxis | DiscreteAxis;

/** The declared reference path in the module's convention, with the declared time shift applied. */
export function referencePath(m: UserModule): ContinuousAxis | undefined {
  const { path: name, shift, convention, pathParams } = m.meta;
  if (!name) return undefined;
  const path = toConvention(getPath(name, pathParams), convention);
  const params = pathParams
    ? ` (${Object.entries(pathParams)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`
    : '';
  if (shift === undefined || shift === 1) return pathAxis(path, `reference ${name}${params}`);
  if (path.tMin !== 0 || path.tMax !== 1)
    throw new InputError(
      `meta.shift needs a path on [0, 1]; ${name} is on [${path.tMin}, ${path.tMax}]`,
      { file: m.file },
      'meta.shift',
    );
  // In diffusion time u: u' = s u / (1 + (s - 1) u), du'/du = s / (1 + (s - 1) u)^2. With the flow time
  // t = 1 - u both signs flip, so dt'/dt = du'/du either way.
  const warp = (t: number) => {
    const u = convention === 'diffusion' ? t : flipTime(t, path);
    const d = 1 + (shift - 1) * u;
    const uShifted = (shift * u) / d;
    return { t: convention === 'diffusion' ? uShifted : flipTime(uShifted, path), rate: shift / (d * d) };
  };
  return {
    kind: 'continuous',
    convention,
    source: `reference ${name} with shift ${shift}`,
    tMin: 0,
    tMax: 1,
    point(t) {
      const w = warp(t);
      return {
        alpha: path.alpha(w.t),
        sigma: path.sigma(w.t),
        dAlpha: path.dAlpha(w.t) * w.rate,
        dSigma: path.dSigma(w.t) * w.rate,
      };
    },
  };
}

export function pathAxis(path: AffinePath, source: string): ContinuousAxis {
  return {
    kind: 'continuous',
    convention: path.convention,
    source,
    tMin: path.tMin,
    tMax: path.tMax,
    point: (t) => ({
      alpha: path.alpha(t),
      sigma: path.sigma(t),
      dAlpha: path.dAlpha(t),
      dSigma: path.dSigma(t),
    }),
  };
}

/** Five-point central difference f'(t) = (f(t-2h) - 8 f(t-h) + 8 f(t+h) - f(t+2h)) / (12 h), error O(h^4). */
function centralDifference(f: (t: number) => number, t: number, h: number): number {
  return (f(t - 2 * h) - 8 * f(t - h) + 8 * f(t + h) - f(t + 2 * h)) / (12 * h);
}

/**
 * Numeric derivative of f at t in [tMin, tMax]: a central stencil with a step small against the domain
 * and against the distance to its ends (sigma = sqrt(1 - alpha^2) behaves like sqrt(t) near t = 0, so a
 * fixed step would be too coarse there); at an end itself, a one-sided five-point stencil into the domain.
 */
export function numericDerivative(f: (t: number) => number, t: number, tMin: number, tMax: number): number {
  const h0 = DIFF_STEP * (tMax - tMin);
  const d = Math.min(t - tMin, tMax - t);
  if (d / 50 >= h0 / 100) return centralDifference(f, t, Math.min(h0, d / 50));
  const h = t - tMin < tMax - t ? h0 / 100 : -h0 / 100;
  return (-25 * f(t) + 48 * f(t + h) - 36 * f(t + 2 * h) + 16 * f(t + 3 * h) - 3 * f(t + 4 * h)) / (12 * h);
}

/** Margin kept from the ends of a continuous domain, where alpha or sigma may vanish and conversions divide by them. */
export const EDGE_MARGIN = 1e-3;
/** Largest step of the numeric derivative, relative to the domain's span. */
const DIFF_STEP = 1e-4;

/** The axis the module's conversions and steps are checked on. */
export function moduleAxis(m: UserModule): Axis {
  const ref = referencePath(m);
  if (m.alphasCumprod) return discreteAxis(m);
  if (!m.alpha || !m.sigma) {
    if (!ref)
      throw new InputError(
        'no schedule: export alpha and sigma or alphasCumprod, or declare meta.path',
        { file: m.file },
        'meta.path',
      );
    return ref;
  }
  const { alpha, sigma, dAlpha, dSigma } = m;
  const tMin = ref?.tMin ?? 0;
  const tMax = ref?.tMax ?? 1;
  return {
    kind: 'continuous',
    convention: m.meta.convention,
    source: `module alpha/sigma${dAlpha && dSigma ? '/dAlpha/dSigma' : ' (derivatives by central differences)'}`,
    tMin,
    tMax,
    point: memoize((t) => ({
      alpha: alpha(t),
      sigma: sigma(t),
      dAlpha: dAlpha ? dAlpha(t) : numericDerivative(alpha, t, tMin, tMax),
      dSigma: dSigma ? dSigma(t) : numericDerivative(sigma, t, tMin, tMax),
    })),
  };
}

/**
 * The module's coefficients at t, computed once per t: the exact model and the reference steps ask for
 * them at every sample of a run, and a Python module answers each through its process.
 */
function memoize(point: (t: number) => PathPoint): (t: number) => PathPoint {
  const cache = new Map<number, PathPoint>();
  return (t) => {
    let p = cache.get(t);
    if (p === undefined) {
      p = Object.freeze(point(t));
      if (cache.size >= 100_000) cache.clear();
      cache.set(t, p);
    }
    return p;
  };
}

function discreteAxis(m: UserModule): DiscreteAxis {
  return arrayAxis(
    m.alphasCumprod!,
    m.meta.timestepIndexing!,
    `module alphasCumprod (${m.meta.timestepIndexing})`,
  );
}

/** The axis of an alphasCumprod array in the given indexing (one-based arrays hold abar[0] = 1 first). */
export function arrayAxis(arr: Float64Array, indexing: TimestepIndexing, source: string): DiscreteAxis {
  const first = arr.length - 1;
  const last = indexing === 'zero-based' ? 0 : 1;
  const clean = last - 1;
  const abar = (timestep: number) => {
    if (!Number.isInteger(timestep) || timestep < clean || timestep > first)
      throw new RangeError(`timestep ${timestep} outside [${clean}, ${first}]`);
    return timestep === clean ? 1 : arr[timestep];
  };
  return {
    kind: 'discrete',
    convention: 'diffusion',
    source,
    first,
    last,
    clean,
    abar,
    point: (timestep) => {
      const a = abar(timestep);
      // A discrete schedule has no time derivative: the zeros are never used, because velocity
      // conversions and velocity predictions are refused on a discrete axis.
      return { alpha: Math.sqrt(a), sigma: Math.sqrt(1 - a), dAlpha: 0, dSigma: 0 };
    },
  };
}

/** A built-in discrete schedule's alphasCumprod as a library in the given indexing would hold it. */
export function libraryArray(schedule: DiscreteSchedule, indexing: TimestepIndexing): Float64Array {
  return indexing === 'zero-based' ? schedule.alphasCumprod.slice(1) : schedule.alphasCumprod.slice();
}

/**
 * The time at noise level u in [0, 1] (0 the data end, 1 the noise end) of a continuous axis, in its
 * own convention: diffusion time runs with u, flow time against it.
 */
export function timeAtLevel(axis: ContinuousAxis, u: number): number {
  const span = axis.tMax - axis.tMin;
  return axis.convention === 'diffusion' ? axis.tMin + u * span : axis.tMax - u * span;
}

/** Grid resolution of the drawn noise levels: fast-check shrinks the grid index toward the data end. */
export const LEVELS = 1000;

/** Interior noise level of grid index i in [0, LEVELS], kept EDGE_MARGIN away from both ends. */
export const interiorLevel = (i: number): number => EDGE_MARGIN + (i / LEVELS) * (1 - 2 * EDGE_MARGIN);
