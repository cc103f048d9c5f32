// The programmatic API (package entry `flowproof`): one namespace per layer, as in the architecture
// section of the README. The CLI (src/cli) is a thin shell over these.
export * as core from './core/index.js';
export * as symbolic from './symbolic/index.js';
export * as identity from './identity/index.js';
export * as schedules from './schedules/index.js';
export * as params from './params/index.js';
export * as targets from './targets/index.js';
export * as tensor from './tensor/index.js';
export * as samplers from './samplers/index.js';
export * as stats from './stats/index.js';
export * as experiments from './experiments/index.js';
export * as conform from './conform/index.js';
export * as derivation from './derivation/index.js';
export * as report from './report/index.js';
export * as verify from './verify/index.js';
export { checkIdentity } from './identity/index.js';
export { runExperiment } from './experiments/index.js';
export { conformModule } from './conform/index.js';
export { verifyClaims, verifyFile, scanFile } from './verify/index.js';
