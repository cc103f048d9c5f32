// A worker thread of the 'js' backend: runs its share of particle blocks of one job (see js-backend.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { runBlocks, type WorkerJob } from './js-backend.js';

try {
  runBlocks(workerData as WorkerJob, (done) => parentPort?.postMessage({ done }));
} catch (err) {
  parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
