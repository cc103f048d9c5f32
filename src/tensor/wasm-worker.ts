// A worker thread of the 'wasm-simd' backend: takes blocks of one job from its shared counter (see wasm-backend.ts).
import { parentPort } from 'node:worker_threads';
import { runWasmBlocks, type WasmJob } from './wasm-blocks.js';

// The job comes by message (the worker may have been started before it existed); then the worker exits.
parentPort?.once('message', (job: WasmJob) => {
  try {
    runWasmBlocks(job, (done) => parentPort?.postMessage({ done }));
  } catch (err) {
    parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
