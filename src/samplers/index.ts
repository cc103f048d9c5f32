// The samplers' public surface: the registry, sample(), grids and the program builder.
export { SAMPLERS, getSampler } from './registry.js';

export type { SamplerDef, SamplerOptions } from './types.js';
export {
  sample,
  planSampling,
  type SampleOptions,
  type SampleResult,
  type SamplingPlan,
  type UserModel,
} from './sample.js';
export { timeGrid, checkGrid, samplingInterval, GRID_KINDS, type GridKind } from './grid.js';
export { LinComb, lin, buildProgram, type StepContext, type StepFn } from './program-builder.js';
