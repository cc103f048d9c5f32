// What a sampler is: an update rule over one grid step, in a declared time convention.
import type { Convention } from '../core/convention.js';
import type { StepFn } from './program-builder.js';

export interface SamplerOptions {
  /** The stochasticity of DDIM and of the eta family (ignored by the others). */
  eta: number;
}

export interface SamplerDef {
  summary: string;
  /** The convention the path is run in: diffusion samplers go from noise (large t) to data (small t). */
  convention: Convention;
  /** Model evaluations per step at most. */
  stages: number;
  /** True when the sampler needs a continuous path (f and g^2), false when a discrete schedule works too. */
  continuousOnly: boolean;
  /** True when `eta` changes the update (ddim, the eta family); the CLI refuses --eta for the others. */
  takesEta?: boolean;
  step(opts: SamplerOptions): StepFn;
}
