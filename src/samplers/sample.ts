// sample(): run a named sampler on a target with an exact (or user-supplied) model, on a backend.
import { DomainError, InputError } from '../core/errors.js';
import { checkSeed, Rng } from '../core/rng.js';
import type { Parameterization } from '../params/conversions.js';
import { ddpmLinear, getPath, toConvention } from '../schedules/index.js';
import type { AffinePath, DiscreteSchedule } from '../schedules/types.js';
import { asMixture, getTarget, type DiscreteLaw, type GaussianMixture } from '../targets/index.js';
import { prepareBackend, runOnBackend, resolveBackend, type BackendName } from '../tensor/backends.js';
import { numSaved, type JsFieldFn, type MixtureModel, type StepProgram } from '../tensor/program.js';
import type { TfFieldFn } from '../tensor/tfjs-backend.js';
import { discreteClock, pathClock, type Clock } from './clock.js';
import { checkGrid, GRID_KINDS, samplingInterval, timeGrid, type GridKind } from './grid.js';
import { buildProgram } from './program-builder.js';
import { getSampler } from './registry.js';

/** A user model: a batched JS function or a tfjs function, and which parameterization it outputs. */
export type UserModel =
  { output: Parameterization; fn: JsFieldFn } | { output: Parameterization; tf: TfFieldFn };

export interface SampleOptions {
  target: string | GaussianMixture | DiscreteLaw;
  sampler: string;
  numSteps: number;
  n: number;
  seed: number;
  /** A continuous path (name or object); default vp-sde (rectified-flow for fm-*). */
  path?: string | AffinePath;
  /** A discrete DDPM schedule instead of a path (ddpm, ddim); default for those when no path is given. */
  schedule?: DiscreteSchedule;
  /** Grid kind (default uniform) or explicit times, noise end first. */
  grid?: GridKind | ArrayLike<number>;
  tStart?: number;
  tEnd?: number;
  eta?: number;
  /** Default: the target's exact posterior mean E[data | x_t] (output 'data'). */
  model?: UserModel;
  /** 'exact': x starts from the exact marginal at tStart; 'prior': from N(0, sigma(tStart)^2 I). */
  init?: 'exact' | 'prior';
  /**
   * Keep states: `true` the start and the state after every step; a list of grid indices (0 = the start,
   * increasing) only those, e.g. the checkpoints of a long run (memory n d per kept state).
   */
  trajectories?: boolean | readonly number[];
  backend?: string;
  threads?: number;
  onProgress?: (fraction: number) => void;
}

export interface SampleResult {
  samples: Float64Array;
  d: number;
  n: number;
  seed: number;
  backend: BackendName;
  sampler: string;
  /** The path (in the sampler's convention) or schedule name. */
  path: string;
  numSteps: number;
  /** The grid, noise end first, in the sampler's convention (tIndex for a discrete schedule). */
  times: Float64Array;
  init: 'exact' | 'prior';
  /** The exact law of the final state had the sampler no discretisation error (the marginal at tEnd). */
  reference: GaussianMixture;
  /** [numSteps + 1][n][d] states, initial state first (when requested). */
  trajectories?: Float64Array;
  threads: number;
  ms: number;
}

interface Resolved {
  clock: Clock;
  name: string;
  /** Default grid ends: noise end first. */
  ends: [number, number];
}

function resolveClock(
  opts: Omit<SampleOptions, 'n' | 'seed'>,
  convention: 'diffusion' | 'flow',
  continuousOnly: boolean,
): Resolved {
  if (opts.schedule && opts.path !== undefined)
    throw new InputError('sample: give a path or a schedule, not both');
  const discrete = opts.schedule ?? (!continuousOnly && opts.path === undefined ? ddpmLinear() : undefined);
  if (discrete) {
    if (continuousOnly)
      throw new InputError(
        `sample: sampler '${opts.sampler}' needs a continuous path, not a discrete schedule`,
        {},
        discrete.name,
      );
    return { clock: discreteClock(discrete), name: discrete.name, ends: [discrete.numSteps, 0] };
  }
  const given =
    typeof opts.path === 'string'
      ? getPath(opts.path)
      : (opts.path ?? getPath(convention === 'flow' ? 'rectified-flow' : 'vp-sde'));
  const path = toConvention(given, convention);
  const { tStart, tEnd } = samplingInterval(path);
  return {
    clock: pathClock(path, path !== given),
    name: `${path.name} (${convention})`,
    ends: convention === 'flow' ? [path.tMin, path.tMax] : [tStart, tEnd],
  };
}

/** Largest grid a run takes, and largest number of float64 state values (n * d, times the steps kept). */
export const MAX_STEPS = 1_000_000;
export const MAX_STATE_VALUES = 100_000_000;

function mixtureModel(m: GaussianMixture): MixtureModel {
  return { kind: 'mixture', d: m.d, weights: m.weights, means: m.means, variances: m.variances };
}

/** Everything a run needs before touching a backend: the resolved clock, grid and compiled program. */
export interface SamplingPlan {
  target: GaussianMixture;
  clock: Clock;
  /** Path (in the sampler's convention) or schedule name. */
  pathName: string;
  times: Float64Array;
  program: StepProgram;
  /** Path coefficients at the first and last grid time. */
  start: { alpha: number; sigma: number };
  end: { alpha: number; sigma: number };
}

export function planSampling(opts: Omit<SampleOptions, 'n' | 'seed'>): SamplingPlan {
  const def = getSampler(opts.sampler);
  const target = asMixture(typeof opts.target === 'string' ? getTarget(opts.target) : opts.target);
  const { clock, name, ends } = resolveClock(opts, def.convention, def.continuousOnly);
  const [defStart, defEnd] = ends;
  const grid = opts.grid ?? 'uniform';
  let times: Float64Array;
  if (typeof grid === 'string') {
    if (!GRID_KINDS.includes(grid)) {
      throw new InputError(`sample: unknown grid '${grid}' (known: ${GRID_KINDS.join(', ')})`, {}, grid);
    }
    if (opts.numSteps > MAX_STEPS)
      throw new DomainError('sample', 'numSteps', opts.numSteps, `must be <= ${MAX_STEPS}`);
    const tStart = opts.tStart ?? defStart;
    const tEnd = opts.tEnd ?? defEnd;
    // Same rule as for an explicit grid below: a sampler runs from the noise end toward the data end.
    // A reversed tStart/tEnd is rejected here, not mid-run (as e.g. "dataToEps: argument 'sigma' = 0").
    if (tStart !== tEnd && Math.sign(tEnd - tStart) !== Math.sign(defEnd - defStart))
      throw new DomainError(
        'sample',
        'tStart -> tEnd',
        [tStart, tEnd],
        `must run from the noise end toward the data end (${defStart} -> ${defEnd}) for '${opts.sampler}'`,
      );
    times = timeGrid(grid, opts.numSteps, clock, tStart, tEnd);
  } else {
    times = checkGrid(Float64Array.from(grid), clock);
    if (Math.sign(times[times.length - 1] - times[0]) !== Math.sign(defEnd - defStart)) {
      throw new DomainError(
        'sample',
        'grid',
        [times[0], times[times.length - 1]],
        `must run from the noise end toward the data end (${defStart} -> ${defEnd})`,
      );
    }
  }
  const numSteps = times.length - 1;
  const save = new Uint8Array(numSteps + 1).fill(opts.trajectories === true ? 1 : 0);
  if (Array.isArray(opts.trajectories)) {
    let previous = -1;
    for (const i of opts.trajectories as readonly number[]) {
      if (!Number.isInteger(i) || i <= previous || i > numSteps)
        throw new DomainError(
          'sample',
          'trajectories',
          i,
          `must be increasing grid indices in 0..${numSteps}`,
        );
      save[i] = 1;
      previous = i;
    }
  }
  const output = opts.model?.output ?? 'data';
  const program = buildProgram(def.step({ eta: opts.eta ?? 0 }), def.stages, clock, times, output, save);
  const at = (t: number) => {
    const p = clock.point(t);
    return { alpha: p.alpha, sigma: p.sigma };
  };
  return { target, clock, pathName: name, times, program, start: at(times[0]), end: at(times[numSteps]) };
}

function runModel(opts: SampleOptions, target: GaussianMixture) {
  if (!opts.model) return mixtureModel(target);
  return 'fn' in opts.model
    ? { kind: 'js' as const, fn: opts.model.fn }
    : { kind: 'tfjs' as const, fn: opts.model.tf };
}

/**
 * Start the run's worker threads before planning, from the options alone (target, sampler stages, grid
 * size): their start-up then overlaps planning and the initial draws. Options that planning rejects start
 * nothing here; planning reports them.
 */
function prestart(opts: SampleOptions, backend: BackendName): void {
  const numSteps = typeof opts.grid === 'object' ? opts.grid.length - 1 : opts.numSteps;
  if (!Number.isInteger(numSteps) || numSteps < 1 || numSteps > MAX_STEPS) return;
  let target: GaussianMixture;
  let maxStages: number;
  try {
    target = asMixture(typeof opts.target === 'string' ? getTarget(opts.target) : opts.target);
    maxStages = getSampler(opts.sampler).stages;
  } catch {
    return;
  }
  const program = { numSteps, maxStages };
  prepareBackend(backend, {
    program,
    model: runModel(opts, target),
    n: opts.n,
    d: target.d,
    threads: opts.threads,
  });
}

export async function sample(opts: SampleOptions): Promise<SampleResult> {
  const t0 = performance.now();
  checkSeed('sample', opts.seed);
  if (!Number.isInteger(opts.n) || opts.n < 1)
    throw new DomainError('sample', 'n', opts.n, 'must be an integer >= 1');
  const backend = await resolveBackend(opts.backend);
  prestart(opts, backend);
  const plan = planSampling(opts);
  const { target, program, start, end } = plan;
  // Too large a run fails to allocate (a RangeError, exit 4) or exhausts memory: refuse it up front.
  const kept = Math.max(1, numSaved(program));
  if (opts.n * target.d * kept > MAX_STATE_VALUES)
    throw new DomainError(
      'sample',
      'n',
      opts.n,
      `is too large: n * d${kept > 1 ? ' * (kept states)' : ''} = ${opts.n * target.d * kept} state values exceeds ${MAX_STATE_VALUES}`,
    );
  const model = runModel(opts, target);
  const shape = { program, model, n: opts.n, d: target.d, threads: opts.threads };
  prepareBackend(backend, shape); // whatever prestart did not start
  const init = opts.init ?? 'exact';
  // On a SharedArrayBuffer: the fused backends' threads write into it, with no second copy of the states.
  const x = new Float64Array(new SharedArrayBuffer(opts.n * target.d * 8));
  // Drawn by the backend: block by block from the blocks' streams (wasm-simd), else all at once here.
  const alpha = init === 'exact' ? start.alpha : 0;
  const initial = {
    alpha,
    sigma: start.sigma,
    drawInto: (into: Float64Array, count: number) =>
      target.sampleInto(into, 0, count, new Rng(opts.seed, 0), alpha, start.sigma),
  };
  const run = await runOnBackend(backend, {
    ...shape,
    x,
    initial,
    seed: opts.seed,
    onProgress: opts.onProgress,
  });
  return {
    samples: run.samples,
    d: target.d,
    n: opts.n,
    seed: opts.seed,
    backend: run.ranOn ?? backend,
    sampler: opts.sampler,
    path: plan.pathName,
    numSteps: program.numSteps,
    times: plan.times,
    init,
    reference: target.marginal(end.alpha, end.sigma),
    trajectories: run.trajectories,
    threads: run.threads,
    ms: performance.now() - t0,
  };
}
