// The 'js' backend: float64 on Float64Array. An exact mixture model runs the fused generated kernel,
// sharded over worker_threads on a SharedArrayBuffer (each thread runs the whole schedule on its own
// particle blocks: no per-step synchronisation); any other JS model function runs the same program
// batched on the main thread. Block b of BLOCK particles always draws its noise from stream b + 1 of the
// seed, so a run gives the same draws for every thread count.
import { availableParallelism } from 'node:os';
import { Rng } from '../core/rng.js';
import { expTable } from './exp.js';
import { prestartWorkers, progressCounter, runInWorker } from './workers.js';
import {
  compileKernel,
  kernelShape,
  kernelSource,
  saveSlots,
  stageTable,
  type KernelContext,
} from './mixture-kernel.js';
import {
  BLOCK,
  checkFinite,
  checkProgram,
  fillBlockNoise,
  numSaved,
  onShared,
  sharedArray,
  type JsFunctionModel,
  type MixtureModel,
  type ProgramSize,
  type RunRequest,
  type RunResult,
  type RunShape,
} from './program.js';

/** What a worker receives: everything to rebuild the kernel context on shared memory. */
export interface WorkerJob {
  source: string;
  ctx: Omit<KernelContext, 'Z' | 'expTable'>;
  d: number;
  seed: number;
  blockBegin: number;
  blockEnd: number;
}

/** Run blocks [blockBegin, blockEnd) of a job; report(blocksDone) after each block. */
export function runBlocks(job: WorkerJob, report: (blocksDone: number) => void): void {
  const { ctx, d } = job;
  const runBlock = compileKernel(job.source, {
    ...ctx,
    Z: new Float64Array(BLOCK * d),
    expTable: expTable(),
  });
  for (let b = job.blockBegin; b < job.blockEnd; b++) {
    const start = b * BLOCK;
    const count = Math.min(BLOCK, ctx.n - start);
    runBlock(start, count, new Rng(job.seed, b + 1));
    checkFinite(ctx.X.subarray(start * d, (start + count) * d), d, 'js kernel', start);
    report(b + 1 - job.blockBegin);
  }
}

/** Default thread count: all cores for runs big enough to repay worker start-up (~0.1-0.5 s), else 1. */
export function defaultThreads(n: number, d: number, program: ProgramSize): number {
  const work = n * d * program.numSteps * program.maxStages;
  return work < 2e7 || n < 4 * BLOCK ? 1 : Math.min(availableParallelism(), Math.ceil(n / BLOCK));
}

/** The threads a fused run of `req` uses: req.threads, else defaultThreads, at most one per block. */
export function runThreads(req: RunShape): number {
  const numBlocks = Math.ceil(req.n / BLOCK);
  return Math.max(1, Math.min(req.threads ?? defaultThreads(req.n, req.d, req.program), numBlocks));
}

/** Start the workers a fused run of `req` will take (one per thread when there are several). */
export function prestartJs(req: RunShape): void {
  const threads = runThreads(req);
  if (req.model.kind === 'mixture' && threads > 1) prestartWorkers('js-worker', threads);
}

export async function runJs(req: RunRequest): Promise<RunResult> {
  checkProgram(req.program);
  return req.model.kind === 'mixture' ? runFused(req, req.model) : runFunction(req, req.model);
}

async function runFused(req: RunRequest, model: MixtureModel): Promise<RunResult> {
  const { program, n, d } = req;
  const shape = kernelShape(model, program);
  const source = kernelSource(model, shape);
  const kept = numSaved(program);
  const traj = kept > 0 ? sharedArray(kept * n * d) : new Float64Array(0);
  const X = onShared(req.x);
  if (program.save[0]) traj.set(X, 0);
  const ctx: Omit<KernelContext, 'Z' | 'expTable'> = {
    X,
    tab: stageTable(model, program, shape),
    stages: program.stages,
    evalX: program.evalX,
    evalM: program.evalM,
    nextX: program.nextX,
    nextM: program.nextM,
    nextZ: program.nextZ,
    saveSlot: saveSlots(program.save),
    traj,
    numSteps: program.numSteps,
    n,
  };
  const numBlocks = Math.ceil(n / BLOCK);
  const threads = runThreads(req);
  const progress = progressCounter(numBlocks, req.onProgress);
  const job = (blockBegin: number, blockEnd: number): WorkerJob => ({
    source,
    ctx,
    d,
    seed: req.seed,
    blockBegin,
    blockEnd,
  });
  if (threads === 1) {
    runBlocks(job(0, numBlocks), () => progress(1));
  } else {
    const per = Math.ceil(numBlocks / threads);
    await Promise.all(
      [...Array(threads).keys()]
        .map((w) => job(w * per, Math.min(numBlocks, (w + 1) * per)))
        .filter((j) => j.blockBegin < j.blockEnd)
        .map((j) => runInWorker('js-worker', j, progress).done),
    );
  }
  if (X !== req.x) req.x.set(X);
  return { samples: req.x, trajectories: kept > 0 ? traj : undefined, threads };
}

// Any JS model function: the same program, op by op over all n particles on the main thread.
async function runFunction(req: RunRequest, model: JsFunctionModel): Promise<RunResult> {
  const { program: p, n, d } = req;
  const S = p.maxStages;
  const X = req.x;
  const Y = new Float64Array(n * d);
  const M = [...Array(S)].map(() => new Float64Array(n * d));
  const Z = new Float64Array(n * d);
  const numBlocks = Math.ceil(n / BLOCK);
  const rngs = [...Array(numBlocks).keys()].map((b) => new Rng(req.seed, b + 1));
  const kept = numSaved(p);
  const traj = kept > 0 ? new Float64Array(kept * n * d) : undefined;
  const slots = saveSlots(p.save);
  if (traj && slots[0] >= 0) traj.set(X, 0);
  const progress = progressCounter(p.numSteps, req.onProgress);
  for (let s = 0; s < p.numSteps; s++) {
    for (let i = 0; i < p.stages[s]; i++) {
      const ex = p.evalX[s * S + i];
      for (let q = 0; q < n * d; q++) Y[q] = ex * X[q];
      for (let j = 0; j < i; j++) {
        const a = p.evalM[(s * S + i) * S + j];
        if (a !== 0) for (let q = 0; q < n * d; q++) Y[q] += a * M[j][q];
      }
      model.fn(Y, n, d, p.evalT[s * S + i], M[i]);
      checkFinite(M[i], d, `model output at step ${s}, t = ${p.evalT[s * S + i]}`);
    }
    const cz = p.nextZ[s];
    if (cz !== 0) fillBlockNoise(rngs, Z, n, d);
    const cx = p.nextX[s];
    for (let q = 0; q < n * d; q++) X[q] = cx * X[q] + cz * Z[q];
    for (let i = 0; i < p.stages[s]; i++) {
      const b = p.nextM[s * S + i];
      if (b !== 0) for (let q = 0; q < n * d; q++) X[q] += b * M[i][q];
    }
    if (traj && slots[s + 1] >= 0) traj.set(X, slots[s + 1] * n * d);
    progress(1);
  }
  checkFinite(X, d, 'js sampler');
  return { samples: X, trajectories: traj, threads: 1 };
}
