// The 'wasm-simd' backend: an exact mixture model runs the generated WebAssembly SIMD kernel
// (wasm-kernel.ts) block by block; worker threads take blocks from a shared counter (Atomics.add), so
// a busy core never waits for a slow one. Block b's initial states (when the request leaves them to be
// drawn) and noise come from its own streams (wasm-normal.ts, a 1024-layer ziggurat: lanes
// Rng(seed, b + 1).split(0..3), misses finished with split(5), tail draws in JS with split(4)), so a run
// is the same for every thread count and every order in which blocks are taken. The draws are not those
// of the 'js' backend (which uses Rng(seed, b + 1) itself and 256 layers, and gets its initial states from
// Rng(seed, 0)): the two backends give the same law, not the same bits.
// Any other JS model function, and a kernel whose memory would exceed MAX_MEMORY (a very long program)
// or whose block noise exceeds MAX_SLOTS (d > 8192), runs on the 'js' backend (the result says so: ranOn),
// as does a kernel whose first and last steps disagree with the JS reference kernel (kernelAgrees, run
// once per kernel code in a process) on this runtime.
import { createHash } from 'node:crypto';
import { Rng } from '../core/rng.js';
import { prestartJs, runJs, runThreads } from './js-backend.js';
import { compileKernel, kernelShape, kernelSource, saveSlots, stageTable } from './mixture-kernel.js';
import { expTable } from './exp.js';
import {
  BLOCK,
  checkProgram,
  numSaved,
  onShared,
  sharedArray,
  withStates,
  type MixtureModel,
  type ProgramSize,
  type RunRequest,
  type RunResult,
  type RunShape,
  type StepProgram,
} from './program.js';
import { compileModule, instantiate } from './wasm-encoder.js';
import {
  EXP2_TABLE_SIZE,
  EXP2_TEST_DATA,
  EXP2_ULP_BOUND,
  exp2TestModule,
  writeExp2Table,
} from './wasm-exp.js';
import { kernelLayout, kernelModule, meanPairs, mixTable, stepRecords } from './wasm-kernel.js';
import { MAX_SLOTS } from './wasm-normal.js';
import { runWasmBlocks, WasmKernel, type CompiledKernel, type WasmJob } from './wasm-blocks.js';
import { prestartWorkers, progressCounter, runInWorker, type WorkerRun } from './workers.js';

export function compileWasmKernel(model: MixtureModel, program: StepProgram): CompiledKernel {
  const shape = kernelShape(model, program);
  const layout = kernelLayout(shape, program.numSteps);
  const bytes = kernelModule(model, shape, layout);
  return {
    module: compileModule(bytes),
    layout,
    records: stepRecords(model, program, shape),
    means: meanPairs(model),
    mix: mixTable(model),
    codeHash: createHash('sha1').update(bytes).digest('hex'),
  };
}

/** The largest kernel memory (bytes) compiled; wasm32 memories stop at 4 GiB, and each thread has one. */
export const MAX_MEMORY = 2 ** 30;

/** Whether the kernel of `model` and `program` fits: memory <= MAX_MEMORY, a block's noise <= MAX_SLOTS. */
export function fitsWasmKernel(model: MixtureModel, program: ProgramSize): boolean {
  const layout = kernelLayout(kernelShape(model, program), program.numSteps);
  return model.d * BLOCK <= MAX_SLOTS && layout.bytes <= MAX_MEMORY;
}

/** Start the workers a run of `req` will take: threads - 1 (the main thread takes blocks too). */
export function prestartWasm(req: RunShape): void {
  if (req.model.kind !== 'mixture' || !fitsWasmKernel(req.model, req.program)) return prestartJs(req);
  prestartWorkers('wasm-worker', runThreads(req) - 1);
}

/** Code hashes of the kernels that passed kernelAgrees in this process. */
const agreedCode = new Set<string>();

export async function runWasm(req: RunRequest): Promise<RunResult> {
  const { program, n, d, initial } = req;
  const onJs = async () => ({ ...(await runJs(withStates(req))), ranOn: 'js' as const });
  if (req.model.kind !== 'mixture' || !fitsWasmKernel(req.model, program)) return onJs();
  checkProgram(program);
  const compiled = compileWasmKernel(req.model, program);
  // The kernel's code is checked against the JS reference before it first runs in this process (the
  // coefficients and the mixture are data), on the run's first states (or as many drawn as sample()
  // would draw them); a runtime that gets it wrong runs js instead.
  if (!agreedCode.has(compiled.codeHash)) {
    let states = req.x.subarray(0, Math.min(n, CHECK_PARTICLES) * d);
    if (initial) initial.drawInto((states = new Float64Array(states.length)), states.length / d);
    if (!kernelAgrees(req.model, program, compiled, states)) return onJs();
    agreedCode.add(compiled.codeHash);
  }
  const kept = numSaved(program);
  const X = onShared(req.x);
  const traj = kept > 0 ? sharedArray(kept * n * d) : new Float64Array(0);
  if (program.save[0] && !initial) traj.set(X, 0);
  const numBlocks = Math.ceil(n / BLOCK);
  const threads = runThreads(req);
  const job: WasmJob = {
    ...compiled,
    X,
    traj,
    next: new Int32Array(new SharedArrayBuffer(4)),
    nextZ: program.nextZ,
    saveSlot: saveSlots(program.save),
    n,
    d,
    seed: req.seed,
    // Drawn block by block: no thread waits for a serial draw of all n, and the draws run in wasm.
    initial: initial && { alpha: initial.alpha, sigma: initial.sigma },
  };
  const progress = progressCounter(numBlocks, req.onProgress);
  // The main thread takes blocks too, from the start: a worker needs about 0.07 s to start and load its
  // modules, and works on whatever blocks are left by then. Once every block is done, workers still
  // starting are stopped.
  let finished = 0;
  const workers: WorkerRun[] = [];
  const blocksDone = (count: number) => {
    progress(count);
    finished += count;
    if (finished === numBlocks) workers.forEach((w) => w.stop());
  };
  for (let w = 1; w < threads; w++) workers.push(runInWorker('wasm-worker', job, blocksDone));
  try {
    runWasmBlocks(job, () => blocksDone(1));
  } catch (err) {
    workers.forEach((w) => w.stop());
    await Promise.allSettled(workers.map((w) => w.done));
    throw err;
  }
  await Promise.all(workers.map((w) => w.done));
  if (X !== req.x) req.x.set(X);
  return { samples: req.x, trajectories: kept > 0 ? traj : undefined, threads };
}

/** One step of `program` (step s) from states x with noise z (both row-major, count particles). */
function oneStep(program: StepProgram, s: number): StepProgram {
  const S = program.maxStages;
  return {
    numSteps: 1,
    maxStages: S,
    stages: program.stages.slice(s, s + 1),
    evalT: program.evalT.slice(s * S, (s + 1) * S),
    evalAlpha: program.evalAlpha.slice(s * S, (s + 1) * S),
    evalSigma: program.evalSigma.slice(s * S, (s + 1) * S),
    evalX: program.evalX.slice(s * S, (s + 1) * S),
    evalM: program.evalM.slice(s * S * S, (s + 1) * S * S),
    nextX: program.nextX.slice(s, s + 1),
    nextM: program.nextM.slice(s * S, (s + 1) * S),
    nextZ: program.nextZ.slice(s, s + 1),
    save: new Uint8Array(2),
  };
}

/** Step s of `program` by the JS reference kernel from states x with noise z (row-major, <= BLOCK particles). */
function referenceStep(
  model: MixtureModel,
  program: StepProgram,
  s: number,
  x: Float64Array,
  z: Float64Array,
): Float64Array {
  const count = x.length / model.d;
  const p = oneStep(program, s);
  const shape = kernelShape(model, p);
  const out = Float64Array.from(x);
  const runBlock = compileKernel(kernelSource(model, shape), {
    X: out,
    expTable: expTable(),
    Z: new Float64Array(count * model.d),
    tab: stageTable(model, p, shape),
    stages: p.stages,
    evalX: p.evalX,
    evalM: p.evalM,
    nextX: p.nextX,
    nextM: p.nextM,
    nextZ: p.nextZ,
    saveSlot: saveSlots(p.save),
    traj: new Float64Array(0),
    numSteps: 1,
    n: count,
  });
  runBlock(0, count, { fillNormal: (o, offset, c) => (o.set(z.subarray(0, c), offset), o) });
  return out;
}

/** Step s of compiled kernel `c` on a fresh instance, from states x with noise z (as referenceStep). */
function kernelStep(c: CompiledKernel, d: number, s: number, x: Float64Array, z: Float64Array): Float64Array {
  const count = x.length / d;
  const kernel = new WasmKernel(c, d);
  kernel.load(x, 0, count);
  kernel.Z.fill(0);
  for (let q = 0; q < count; q++) for (let j = 0; j < d; j++) kernel.Z[j * BLOCK + q] = z[q * d + j];
  kernel.runStep(s, count);
  const out = new Float64Array(count * d);
  kernel.save(out, 0, count);
  return out;
}

/**
 * Step s of `program` from the same states x and the same normal draws z (row-major, count <= BLOCK
 * particles) by the JS reference kernel and by the wasm kernel: the basis of the agreement tests.
 */
export function stepBoth(
  model: MixtureModel,
  program: StepProgram,
  s: number,
  x: Float64Array,
  z: Float64Array,
): { js: Float64Array; wasm: Float64Array } {
  const c = compileWasmKernel(model, oneStep(program, s));
  return { js: referenceStep(model, program, s, x, z), wasm: kernelStep(c, model.d, 0, x, z) };
}

/** Particles of a run's first states that kernelAgrees steps (odd: the padding lane is exercised). */
const CHECK_PARTICLES = 33;

/**
 * Whether compiled kernel `c` of (model, program) agrees with the JS reference kernel to 1e-12 relative
 * (maxRelDiff) on its first and last steps, from the run's first states `x` with fixed normal draws:
 * runWasm's check of the very kernel it is about to run (every code path: shared, per-component,
 * diagonal), a millisecond against a run's seconds.
 */
export function kernelAgrees(
  model: MixtureModel,
  program: StepProgram,
  c: CompiledKernel,
  x: Float64Array,
): boolean {
  const d = model.d;
  const states = x.subarray(0, Math.min(x.length / d, CHECK_PARTICLES) * d);
  const z = new Rng(0, 0).fillNormal(new Float64Array(states.length));
  return [0, program.numSteps - 1].every(
    (s) => maxRelDiff(referenceStep(model, program, s, states, z), kernelStep(c, d, s, states, z), d) < 1e-12,
  );
}
/**
 * The largest relative difference of two sets of d-dimensional states, particle by particle in the max
 * norm: max_p |a_p - b_p|_inf / max(|a_p|_inf, |b_p|_inf) (a coordinate near 0 by cancellation has no
 * meaningful relative error of its own).
 */
export function maxRelDiff(a: Float64Array, b: Float64Array, d: number): number {
  let worst = 0;
  for (let p = 0; p < a.length; p += d) {
    let diff = 0;
    let size = 0;
    for (let j = p; j < p + d; j++) {
      diff = Math.max(diff, Math.abs(a[j] - b[j]));
      size = Math.max(size, Math.abs(a[j]), Math.abs(b[j]));
    }
    if (diff > 0) worst = Math.max(worst, diff / size);
  }
  return worst;
}

let simdWorks: boolean | undefined;

/**
 * Whether this runtime runs WebAssembly SIMD: the softmax's exp module compiles and is within
 * EXP2_ULP_BOUND of Math.pow(2, x/N) at a few points (computed once, about a millisecond). Automatic
 * backend selection uses wasm-simd only when this holds; each run then checks its own kernel (kernelAgrees).
 */
export function wasmSimdWorks(): boolean {
  if (simdWorks !== undefined) return simdWorks;
  try {
    const exports = instantiate(compileModule(exp2TestModule(1)));
    const memory = exports.memory.buffer;
    writeExp2Table(memory, 0);
    const xs = [0, -1, -300.25, -5000.5, -14000.125, -0.4];
    new Float64Array(memory, EXP2_TEST_DATA, xs.length).set(xs);
    (exports.exp2 as (pairs: number) => void)(xs.length / 2);
    const got = new Float64Array(memory, EXP2_TEST_DATA, xs.length);
    simdWorks = xs.every((x, i) => {
      const want = Math.pow(2, x / EXP2_TABLE_SIZE);
      return Math.abs(got[i] - want) <= EXP2_ULP_BOUND * Number.EPSILON * want;
    });
  } catch {
    simdWorks = false;
  }
  return simdWorks;
}
