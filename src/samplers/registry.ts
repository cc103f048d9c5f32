// The sampler registry: one entry per sampler, each defined in its own module.
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { ddim } from './ddim.js';
import { ddpm } from './ddpm.js';
import { fmEuler, fmHeun, pfOdeEuler, pfOdeHeun, pfOdeRk4 } from './ode.js';
import { etaFamily, reverseSdeEm } from './sde.js';
import type { SamplerDef } from './types.js';

export const SAMPLERS: Record<string, SamplerDef> = {
  ddpm,
  ddim,
  'reverse-sde-em': reverseSdeEm,
  'pf-ode-euler': pfOdeEuler,
  'pf-ode-heun': pfOdeHeun,
  'pf-ode-rk4': pfOdeRk4,
  'fm-euler': fmEuler,
  'fm-heun': fmHeun,
  'eta-family': etaFamily,
};

export function getSampler(name: string): SamplerDef {
  const def = Object.hasOwn(SAMPLERS, name) ? SAMPLERS[name] : undefined;
  if (!def)
    throw new InputError(
      `unknown sampler '${name}'${didYouMean(name, Object.keys(SAMPLERS))} (known: ${Object.keys(SAMPLERS).join(', ')})`,
      {},
      name,
    );
  return def;
}
