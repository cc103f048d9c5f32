// The schedule registry: continuous paths by name, discrete DDPM schedules, Karras sigmas.
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { cosinePath, edm, rectifiedFlow, subVpSde, trigPath, veSde, vpSde } from './continuous.js';
import { ddpmCosine, ddpmLinear } from './discrete.js';
import type { AffinePath, DiscreteSchedule } from './types.js';

export * from './types.js';
export { affinePath, pathExpressions, toConvention } from './path.js';
export * from './continuous.js';
export * from './discrete.js';

/** Built-in continuous paths with their default parameters. */
export const PATHS: Record<string, { summary: string; make: () => AffinePath }> = {
  'vp-sde': { summary: 'VP-SDE, beta(t) linear 0.1..20 (Song et al. 2021)', make: () => vpSde() },
  'sub-vp': { summary: 'sub-VP SDE, beta 0.1..20, sigma = 1 - alpha^2', make: () => subVpSde() },
  've-sde': { summary: 'VE-SDE, sigma 0.01..50 geometric, alpha = 1', make: () => veSde() },
  edm: { summary: 'EDM / Karras: alpha = 1, sigma = t on [0.002, 80]', make: () => edm() },
  'rectified-flow': { summary: 'linear / conditional-OT path, flow convention', make: () => rectifiedFlow() },
  cosine: { summary: 'improved-DDPM cosine closed form, s = 0.008', make: () => cosinePath() },
  trig: { summary: 'alpha = cos(pi t/2), sigma = sin(pi t/2)', make: () => trigPath() },
};

export function getPath(name: string): AffinePath {
  const entry = Object.hasOwn(PATHS, name) ? PATHS[name] : undefined;
  if (!entry)
    throw new InputError(
      `unknown path '${name}'${didYouMean(name, Object.keys(PATHS))} (known: ${Object.keys(PATHS).join(', ')})`,
      {},
      name,
    );
  return entry.make();
}

/** Built-in discrete schedules (DDPM indexing, t = 1..T) with their default parameters; T defaults to 1000. */
export const DISCRETE = {
  'ddpm-linear': {
    summary: 'DDPM linear betas 1e-4..0.02 (Ho et al. 2020)',
    make: (numSteps?: number): DiscreteSchedule => ddpmLinear(numSteps),
  },
  'ddpm-cosine': {
    summary: 'improved-DDPM cosine, s = 0.008, betas clipped at 0.999',
    make: (numSteps?: number): DiscreteSchedule => ddpmCosine(numSteps),
  },
} as const;

export type DiscreteScheduleName = keyof typeof DISCRETE;
export const DISCRETE_NAMES = Object.keys(DISCRETE) as DiscreteScheduleName[];

export function isDiscreteName(name: string): name is DiscreteScheduleName {
  return Object.hasOwn(DISCRETE, name);
}

export function getDiscrete(name: string, numSteps?: number): DiscreteSchedule {
  if (!isDiscreteName(name))
    throw new InputError(
      `unknown discrete schedule '${name}'${didYouMean(name, DISCRETE_NAMES)} (known: ${DISCRETE_NAMES.join(', ')})`,
      {},
      name,
    );
  return DISCRETE[name].make(numSteps);
}
