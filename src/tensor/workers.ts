// Worker threads of the fused backends ('js', 'wasm-simd'): start one from its module file, give it its
// job by message and follow its progress. A worker posts { done } (its blocks finished so far) and
// { error } (a message). Workers can be started ahead of their job (prestartWorkers), so that their
// start-up (about 0.07 s) overlaps the caller's own preparation.
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
function spawnWorker(module: string): Worker {
  const js = new URL(`./${module}.js`, import.meta.url);
  // Compiled: no loader flags (a parent run under `--import tsx` would load tsx into every worker, ~0.1 s).
  if (existsSync(fileURLToPath(js))) return new Worker(js, { execArgv: [] });
  const ts = new URL(`./${module}.ts`, import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts)}); })`;
  return new Worker(bootstrap, { eval: true });
}

/** Started workers without a job yet, per module; unref'd, so they never keep the process alive. */
const spares = new Map<string, Set<Worker>>();

/** Start workers of `module` until `count` wait for a job (runInWorker takes them first). */
export function prestartWorkers(module: string, count: number): void {
  const waiting = spares.get(module) ?? new Set<Worker>();
  spares.set(module, waiting);
  while (waiting.size < count) {
    const worker = spawnWorker(module);
    worker.unref();
    // One that fails to start is dropped; a fresh one is spawned when a job needs it.
    worker.once('error', () => waiting.delete(worker));
    worker.once('exit', () => waiting.delete(worker));
    waiting.add(worker);
  }
}

/** How many started workers of `module` wait for a job. */
export function spareWorkers(module: string): number {
  return spares.get(module)?.size ?? 0;
}

function takeWorker(module: string): Worker {
  const waiting = spares.get(module);
  for (const worker of waiting ?? []) {
    waiting!.delete(worker);
    worker.removeAllListeners();
    worker.ref();
    return worker;
  }
  return spawnWorker(module);
}

/** A running worker: `done` settles when it exits; `stop()` terminates it (and `done` then resolves). */
export interface WorkerRun {
  done: Promise<void>;
  stop(): void;
}

/** Start worker `module` (a file name without extension in this folder) on `job`. */
export function runInWorker(module: string, job: unknown, progress: (delta: number) => void): WorkerRun {
  const worker = takeWorker(module);
  worker.postMessage(job);
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
