// Worker threads of the fused backends ('js', 'wasm-simd'): start one from its module file and follow
// its progress. A worker posts { done } (its blocks finished so far) and { error } (a message).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FlowproofError } from '../core/errors.js';

/** A progress callback over `total` units that calls onProgress at most about every 1%. */
export function progressCounter(
  total: number,
  onProgress?: (fraction: number) => void,
): (delta: number) => void {
  let done = 0;
  let last = 0;
  return (delta) => {
    done += delta;
    if (onProgress && (done - last >= total / 100 || done === total)) {
      last = done;
      onProgress(done / total);
    }
  };
}

// The worker module next to this one: compiled .js in dist/, or (running from source under tsx or
// vitest) the .ts file behind tsx's loader, registered inside the worker by a small bootstrap.
function spawnWorker(module: string, workerData: unknown): Worker {
  const js = new URL(`./${module}.js`, import.meta.url);
  // Compiled: no loader flags (a parent run under `--import tsx` would load tsx into every worker, ~0.1 s).
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData, execArgv: [] });
  const ts = new URL(`./${module}.ts`, import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** A running worker: `done` settles when it exits; `stop()` terminates it (and `done` then resolves). */
export interface WorkerRun {
  done: Promise<void>;
  stop(): void;
}

/** Start worker `module` (a file name without extension in this folder) on `job`. */
export function runInWorker(module: string, job: unknown, progress: (delta: number) => void): WorkerRun {
  const worker = spawnWorker(module, job);
  let stopped = false;
  const done = new Promise<void>((resolve, reject) => {
    let reported = 0;
    worker.on('message', (msg: { done?: number; error?: string }) => {
      if (msg.done !== undefined) {
        progress(msg.done - reported);
        reported = msg.done;
      }
      if (msg.error !== undefined) reject(new FlowproofError(msg.error));
    });
    worker.on('error', reject);
    worker.on('exit', (code) =>
      code === 0 || stopped ? resolve() : reject(new Error(`${module} exited with code ${code}`)),
    );
  });
  return {
    done,
    stop: () => {
      stopped = true;
      void worker.terminate();
    },
  };
}
