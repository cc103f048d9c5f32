// The schedule registry: continuous paths by name, discrete DDPM schedules, Karras sigmas.
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { cosinePath, edm, rectifiedFlow, subVpSde, trigPath, veSde, vpSde } from './continuous.js';
import { ddpmCosine, ddpmLinear } from './discrete.js';
import type { AffinePath, DiscreteSchedule } from './types.js';

export * from './types.js';
export { affinePath, flipTime, pathExpressions, toConvention } from './path.js';
export * from './continuous.js';
export * from './discrete.js';

/** A schedule's numeric parameters by name (betaMin, sigmaMax, ...); a missing one takes its default. */
export type ScheduleParams = Record<string, number>;

interface PathEntry {
  summary: string;
  /** The parameters `make` takes, with their defaults. */
  params: ScheduleParams;
  make: (p?: ScheduleParams) => AffinePath;
}

/** Built-in continuous paths with their parameters' defaults. */
export const PATHS: Record<string, PathEntry> = {
  'vp-sde': {
    summary: 'VP-SDE, beta(t) linear 0.1..20 (Song et al. 2021)',
    params: { betaMin: 0.1, betaMax: 20 },
    make: (p = {}) => vpSde(p.betaMin, p.betaMax),
  },
  'sub-vp': {
    summary: 'sub-VP SDE, beta 0.1..20, sigma = 1 - alpha^2',
    params: { betaMin: 0.1, betaMax: 20 },
    make: (p = {}) => subVpSde(p.betaMin, p.betaMax),
  },
  've-sde': {
    summary: 'VE-SDE, sigma 0.01..50 geometric, alpha = 1',
    params: { sigmaMin: 0.01, sigmaMax: 50 },
    make: (p = {}) => veSde(p.sigmaMin, p.sigmaMax),
  },
  edm: {
    summary: 'EDM / Karras: alpha = 1, sigma = t on [0.002, 80]',
    params: { sigmaMin: 0.002, sigmaMax: 80 },
    make: (p = {}) => edm(p.sigmaMin, p.sigmaMax),
  },
  'rectified-flow': {
    summary: 'linear / conditional-OT path, flow convention',
    params: { sigmaMin: 0 },
    make: (p = {}) => rectifiedFlow(p.sigmaMin),
  },
  cosine: {
    summary: 'improved-DDPM cosine closed form, s = 0.008',
    params: { s: 0.008 },
    make: (p = {}) => cosinePath(p.s),
  },
  trig: { summary: 'alpha = cos(pi t/2), sigma = sin(pi t/2)', params: {}, make: () => trigPath() },
};

/** Throw unless every key of `given` is a parameter of the schedule `name` (whose defaults are `known`). */
function checkParams(name: string, known: ScheduleParams, given: ScheduleParams): void {
  for (const key of Object.keys(given))
    if (!Object.hasOwn(known, key)) {
      const list = Object.keys(known).join(', ') || 'none';
      throw new InputError(
        `parameter '${key}' does not apply to '${name}' (its parameters: ${list})`,
        {},
        key,
      );
    }
}

export function getPath(name: string, params: ScheduleParams = {}): AffinePath {
  const entry = Object.hasOwn(PATHS, name) ? PATHS[name] : undefined;
  if (!entry)
    throw new InputError(
      `unknown path '${name}'${didYouMean(name, Object.keys(PATHS))} (known: ${Object.keys(PATHS).join(', ')})`,
      {},
      name,
    );
  checkParams(name, entry.params, params);
  return entry.make(params);
}

/**
 * Built-in discrete schedules (DDPM indexing, t = 1..T) with their parameters' defaults; T defaults to
 * 1000. ddpm-linear's betaMin, betaMax are beta[1] and beta[T] (diffusers' beta_start, beta_end).
 */
export const DISCRETE = {
  'ddpm-linear': {
    summary: 'DDPM linear betas 1e-4..0.02 (Ho et al. 2020)',
    params: { betaMin: 1e-4, betaMax: 0.02 } as ScheduleParams,
    make: (numSteps?: number, p: ScheduleParams = {}): DiscreteSchedule =>
      ddpmLinear(numSteps, p.betaMin, p.betaMax),
  },
  'ddpm-cosine': {
    summary: 'improved-DDPM cosine, s = 0.008, betas clipped at 0.999',
    params: { s: 0.008, maxBeta: 0.999 } as ScheduleParams,
    make: (numSteps?: number, p: ScheduleParams = {}): DiscreteSchedule =>
      ddpmCosine(numSteps, p.s, p.maxBeta),
  },
} as const;

export type DiscreteScheduleName = keyof typeof DISCRETE;
export const DISCRETE_NAMES = Object.keys(DISCRETE) as DiscreteScheduleName[];

export function isDiscreteName(name: string): name is DiscreteScheduleName {
  return Object.hasOwn(DISCRETE, name);
}

export function getDiscrete(name: string, numSteps?: number, params: ScheduleParams = {}): DiscreteSchedule {
  if (!isDiscreteName(name))
    throw new InputError(
      `unknown discrete schedule '${name}'${didYouMean(name, DISCRETE_NAMES)} (known: ${DISCRETE_NAMES.join(', ')})`,
      {},
      name,
    );
  checkParams(name, DISCRETE[name].params, params);
  return DISCRETE[name].make(numSteps, params);
}
export * from './aliases.js';
