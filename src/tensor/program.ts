// The contract between samplers and backends. A sampler compiles into a StepProgram: per step, up to S
// model evaluations ("stages") whose evaluation points and the state update are linear combinations of
// the current state x, the earlier stage outputs M_j and one standard normal draw z:
//   y_i = evalX[s,i] x + sum_{j<i} evalM[s,i,j] M_j,   M_i = model(y_i, evalT[s,i])
//   x'  = nextX[s] x + sum_j nextM[s,j] M_j + nextZ[s] z
// Every sampler in src/samplers (Euler, Heun, RK4, Euler-Maruyama, DDPM, DDIM, the eta family) has this
// form, so each backend implements one interpreter and every sampler runs on every backend.
import { DomainError, NumericalError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';

export interface StepProgram {
  numSteps: number;
  /** S, the largest number of model evaluations in one step. */
  maxStages: number;
  /** [numSteps] the stages actually evaluated in step s (<= S). */
  stages: Int32Array;
  /** [numSteps * S] the time passed to the model (t, or tIndex for a discrete schedule). */
  evalT: Float64Array;
  /** [numSteps * S] alpha and sigma of the path at the evaluation time (used by exact models). */
  evalAlpha: Float64Array;
  evalSigma: Float64Array;
  evalX: Float64Array;
  /** [numSteps * S * S], entry (s, i, j) for j < i. */
  evalM: Float64Array;
  nextX: Float64Array;
  /** [numSteps * S]. */
  nextM: Float64Array;
  /** [numSteps] noise scale; 0 for deterministic steps (no draws are made then). */
  nextZ: Float64Array;
  /** [numSteps + 1] 1 where the state after step s (0 = the initial state) is kept in the trajectory. */
  save: Uint8Array;
}

/** An exact Gaussian-mixture model: the kernel computes E[data | y] at each stage (output 'data'). */
export interface MixtureModel {
  kind: 'mixture';
  d: number;
  weights: Float64Array;
  /** [K * d] row-major. */
  means: Float64Array;
  /** [K * d] diagonal variances. */
  variances: Float64Array;
}

/** A batched model on Float64Array: writes the model output for n points of dimension d at time t. */
export type JsFieldFn = (x: Float64Array, n: number, d: number, t: number, out: Float64Array) => void;

export interface JsFunctionModel {
  kind: 'js';
  fn: JsFieldFn;
}

/** Particles per RNG block: block b draws its noise from stream b + 1 of the seed, whatever the thread count. */
export const BLOCK = 1024;

/** The sizes of a program that a run's layout and thread count depend on (known before it is built). */
export type ProgramSize = Pick<StepProgram, 'numSteps' | 'maxStages'>;

/** A run before its states exist: enough to choose its threads and start them (prepareBackend). */
export interface RunShape {
  model: RunRequest['model'];
  n: number;
  d: number;
  program: ProgramSize;
  threads?: number;
}

/**
 * Initial states still to be drawn: alpha data + sigma noise, data from the model's mixture. A backend
 * that draws them block by block from the blocks' own streams does (wasm-simd); any other first fills x
 * with drawInto (withStates).
 */
export interface InitialDraw {
  alpha: number;
  sigma: number;
  /** Fill particles [0, count) of x (sample(): GaussianMixture.sampleInto with Rng(seed, 0)). */
  drawInto(x: Float64Array, count: number): void;
}

/** `req` with its initial states in x (drawn now when they were still to be drawn). */
export function withStates<R extends { x: Float64Array; n: number; initial?: InitialDraw }>(req: R): R {
  if (!req.initial) return req;
  req.initial.drawInto(req.x, req.n);
  return { ...req, initial: undefined };
}

export interface RunRequest {
  program: StepProgram;
  model: MixtureModel | JsFunctionModel;
  n: number;
  d: number;
  /** Initial states [n * d] (unless `initial` says they are still to be drawn); overwritten with the final states. */
  x: Float64Array;
  initial?: InitialDraw;
  seed: number;
  /** Worker threads for the fused kernel (1 = in-process). */
  threads?: number;
  /** Called with the fraction done, at most about every 1% of the work. */
  onProgress?: (fraction: number) => void;
}

export interface RunResult {
  samples: Float64Array;
  /** [numSaved * n * d], the states selected by program.save in step order. */
  trajectories?: Float64Array;
  threads: number;
  /** Set when the run fell back to another backend than the one asked for (wasm-simd -> js). */
  ranOn?: 'js';
}

/** A Float64Array of `length` on a SharedArrayBuffer (worker threads write into it). */
export function sharedArray(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * 8));
}

/** `x` itself when it lives on a SharedArrayBuffer (no copy: sample() allocates it so), else a shared copy. */
export function onShared(x: Float64Array): Float64Array {
  if (x.buffer instanceof SharedArrayBuffer) return x;
  const copy = sharedArray(x.length);
  copy.set(x);
  return copy;
}

/** How many states program.save keeps. */
export function numSaved(p: StepProgram): number {
  return p.save.reduce((a, b) => a + b, 0);
}

/** Throw unless every program coefficient is finite (a NaN coefficient would silently poison a run). */
export function checkProgram(p: StepProgram): void {
  const arrays = { evalT: p.evalT, evalAlpha: p.evalAlpha, evalSigma: p.evalSigma, evalX: p.evalX, evalM: p.evalM, nextX: p.nextX, nextM: p.nextM, nextZ: p.nextZ }; // prettier-ignore
  for (const [name, a] of Object.entries(arrays)) {
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i])) {
        const step = Math.floor(i / (a.length / p.numSteps));
        throw new DomainError('sampler program', `${name} at step ${step}`, a[i], 'must be finite');
      }
    }
  }
}

/** Throw a NumericalError naming the first particle whose state is not finite. */
export function checkFinite(x: Float64Array, d: number, where: string, firstParticle = 0): void {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      throw new NumericalError(
        `${where}: particle ${firstParticle + Math.floor(i / d)} became non-finite (${x[i]}); the step is unstable for this model or grid`,
      );
    }
  }
}

/** Noise of every block for one step: block b's draws come from its own stream (as in the js backend). */
export function fillBlockNoise(rngs: Rng[], Z: Float64Array, n: number, d: number): void {
  for (let b = 0; b < rngs.length; b++)
    rngs[b].fillNormal(Z, b * BLOCK * d, Math.min(BLOCK, n - b * BLOCK) * d);
}
