// The tensor layer: the sampler program contract, the backends and their selection.
export * from './program.js';
export {
  BACKENDS,
  resolveBackend,
  runOnBackend,
  loadTf,
  type BackendName,
  type ModuleLoader,
} from './backends.js';
export { runJs, defaultThreads } from './js-backend.js';
export { runWasm, wasmSimdWorks } from './wasm-backend.js';
export { runTfjs, type TfFieldFn, type TfjsModel } from './tfjs-backend.js';
