// A worker thread of the 'wasm-simd' backend: takes blocks of one job from its shared counter (see wasm-backend.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { runWasmBlocks, type WasmJob } from './wasm-backend.js';

try {
  runWasmBlocks(workerData as WasmJob, (done) => parentPort?.postMessage({ done }));
} catch (err) {
  parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
