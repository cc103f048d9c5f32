// Conformance checking of other libraries against flowproof's references and identities.
export * from './module.js';
export { loadUserModule } from './load.js';
export {
  conformModule,
  conformOutcome,
  DEFAULT_OPTIONS,
  type ConformOptions,
  type ConformReport,
} from './conform.js';
export * from './result.js';
export { formatChecks, countStatuses } from './format.js';
export {
  buildVectors,
  VECTORS_FORMAT,
  VECTORS_VERSION,
  type VectorFile,
  type VectorCheck,
  type VectorCase,
} from './vectors.js';
export { parseVectorFile, gradeVectors } from './vectors-grade.js';
