// One thread's part of a 'wasm-simd' run: an instance of the compiled kernel (WasmKernel) that takes
// blocks from the job's shared counter and advances each through the whole program (runWasmBlocks). Kept
// apart from wasm-backend.ts so that a worker thread loads only this and what it needs (a worker's start
// is on the run's critical path).
import type { Rng } from '../core/rng.js';
import { BLOCK, checkFinite } from './program.js';
import { instantiate, type WasmModule } from './wasm-encoder.js';
import { writeExp2Table } from './wasm-exp.js';
import type { KernelLayout } from './wasm-kernel.js';
import { finishMisses, seedLanes, writeZigTable } from './wasm-normal.js';

/** One instance of a compiled kernel with its own memory: loads a block, draws noise, steps. */
export class WasmKernel {
  private readonly memory: ArrayBuffer;
  private readonly step: (rec: number, pairs: number) => void;
  private readonly normals: (out: number, rows: number, iters: number, rowBytes: number) => number;
  private readonly finish: (out: number, count: number) => number;
  private readonly initNoise: (count: number, sigma: number) => void;
  private readonly initData: (count: number, alpha: number) => void;
  /** The block's states and noise, [d][BLOCK] views of the instance memory. */
  readonly X: Float64Array;
  readonly Z: Float64Array;
  private readonly missRecords: Int32Array;
  private readonly L: KernelLayout;

  constructor(
    { module, layout: L, records, means, mix }: Omit<CompiledKernel, 'codeHash'>,
    private readonly d: number,
  ) {
    this.L = L;
    const exports = instantiate(module);
    this.memory = exports.memory.buffer;
    this.step = exports.step as WasmKernel['step'];
    this.normals = exports.normals as WasmKernel['normals'];
    this.finish = exports.finish as WasmKernel['finish'];
    this.initNoise = exports.initNoise as WasmKernel['initNoise'];
    this.initData = exports.initData as WasmKernel['initData'];
    writeZigTable(this.memory, L);
    writeExp2Table(this.memory, L.exp2);
    new Float64Array(this.memory, L.means, means.length).set(means);
    new Float64Array(this.memory, L.mix, mix.length).set(mix);
    new Float64Array(this.memory, L.coef, records.length).set(records);
    this.X = new Float64Array(this.memory, L.x, d * BLOCK);
    this.Z = new Float64Array(this.memory, L.z, d * BLOCK);
    this.missRecords = new Int32Array(this.memory, L.misses, 2 * d * BLOCK);
  }

  /** Load particles [start, start + count) of the row-major `src`; the padding particle is 0. */
  load(src: Float64Array, start: number, count: number): void {
    const { d, X } = this;
    for (let j = 0; j < d; j++) {
      const row = j * BLOCK;
      for (let p = 0; p < count; p++) X[row + p] = src[(start + p) * d + j];
      if (count % 2) X[row + count] = 0;
    }
  }

  /** Write the block's count particles back to row-major `dst` at particle `start`. */
  save(dst: Float64Array, start: number, count: number): void {
    const { d, X } = this;
    for (let j = 0; j < d; j++) {
      const row = j * BLOCK;
      for (let p = 0; p < count; p++) dst[(start + p) * d + j] = X[row + p];
    }
  }

  /** Key the block's normal streams (stream `stream` of `seed`); returns the stream of its tail draws. */
  seed(seed: number, stream: number): Rng {
    return seedLanes(this.memory, this.L, seed, stream);
  }

  /** Fill the noise of count particles with exact N(0, 1) draws. */
  drawNoise(count: number, rng: Rng): void {
    const iters = Math.ceil((count + (count % 2)) / 4);
    const misses = this.normals(this.L.z, this.d, iters, 8 * BLOCK);
    const tails = misses > 0 ? this.finish(this.L.z, misses) : 0;
    finishMisses(this.missRecords, this.Z, tails, rng);
  }

  /**
   * Draw the block's count initial states, alpha data + sigma noise with data from the mixture (the
   * noise first, then the normals of the data, then the components; all from the block's streams).
   */
  drawInitial(count: number, rng: Rng, alpha: number, sigma: number): void {
    if (sigma !== 0) {
      this.drawNoise(count, rng);
      this.initNoise(count, sigma);
    } else this.X.fill(0);
    this.drawNoise(count, rng);
    this.initData(count, alpha);
  }

  /** Step s of the program for the block's count particles (noise already drawn when nextZ[s] != 0). */
  runStep(s: number, count: number): void {
    this.step(this.L.coef + 16 * this.L.recordStride * s, (count + 1) >> 1);
  }
}

/** A compiled kernel for a model and program: everything an instance (in any thread) needs. */
export interface CompiledKernel {
  module: WasmModule;
  layout: KernelLayout;
  records: Float64Array;
  /** The means mu_kj, each twice (an f64x2), [K][d]. */
  means: Float64Array;
  /** The weights and standard deviations of the mixture (wasm-kernel.ts mixTable). */
  mix: Float64Array;
  /** SHA-1 of the module's bytes: the code a passed kernelAgrees vouches for. */
  codeHash: string;
}

/** What a worker receives (X and traj on SharedArrayBuffers, next a shared block counter). */
export interface WasmJob extends CompiledKernel {
  X: Float64Array;
  traj: Float64Array;
  next: Int32Array;
  nextZ: Float64Array;
  saveSlot: Int32Array;
  n: number;
  d: number;
  seed: number;
  /** Initial states to draw block by block (X is then written, not read): alpha data + sigma noise. */
  initial?: { alpha: number; sigma: number };
}

/** Take blocks from job.next until none is left; report(blocksDone) after each. */
export function runWasmBlocks(job: WasmJob, report: (blocksDone: number) => void): void {
  const { X, traj, nextZ, saveSlot, n, d } = job;
  const kernel = new WasmKernel(job, d);
  const numBlocks = Math.ceil(n / BLOCK);
  let done = 0;
  for (let b = Atomics.add(job.next, 0, 1); b < numBlocks; b = Atomics.add(job.next, 0, 1)) {
    const start = b * BLOCK;
    const count = Math.min(BLOCK, n - start);
    const rng = kernel.seed(job.seed, b + 1);
    if (job.initial) {
      kernel.drawInitial(count, rng, job.initial.alpha, job.initial.sigma);
      if (saveSlot[0] >= 0) kernel.save(traj, saveSlot[0] * n + start, count);
    } else kernel.load(X, start, count);
    for (let s = 0; s < nextZ.length; s++) {
      if (nextZ[s] !== 0) kernel.drawNoise(count, rng);
      kernel.runStep(s, count);
      if (saveSlot[s + 1] >= 0) kernel.save(traj, saveSlot[s + 1] * n + start, count);
    }
    kernel.save(X, start, count);
    checkFinite(X.subarray(start * d, (start + count) * d), d, 'wasm-simd kernel', start);
    report(++done);
  }
}
