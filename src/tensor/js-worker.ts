// A worker thread of the 'js' backend: runs its share of particle blocks of one job (see js-backend.ts).
import { parentPort } from 'node:worker_threads';
import { runBlocks, type WorkerJob } from './js-backend.js';

// The job comes by message (the worker may have been started before it existed); then the worker exits.
parentPort?.once('message', (job: WorkerJob) => {
  try {
    runBlocks(job, (done) => parentPort?.postMessage({ done }));
  } catch (err) {
    parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
