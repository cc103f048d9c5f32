// What a user's module may export, and its validation. The declared metadata (`export const meta`)
// says how to read the exports: time convention, prediction type, timestep indexing, which reference
// schedule and sampler the code claims to implement. Every problem is an InputError naming the export.
import type { Convention } from '../core/convention.js';
import { InputError, formatValue } from '../core/errors.js';
import type { Parameterization } from '../params/conversions.js';
import { PARAMETERIZATIONS } from '../params/conversions.js';
import {
  DISCRETE_NAMES,
  getPath,
  isDiscreteName,
  PATHS,
  type DiscreteScheduleName,
} from '../schedules/index.js';
import type { TimestepIndexing } from '../schedules/discrete.js';
import { VARIANCE_CHOICES, type VarianceChoice } from './reference-step.js';

/**
 * The module cannot be run at all (a Python process that hangs past its budget, dies, or returns a
 * value of the wrong type or shape): not a failing value at an input, but bad input that ends the run.
 */
export class ModuleFailure extends InputError {
  override name = 'ModuleFailure';
}

export const SAMPLER_KINDS = ['ddpm', 'ddim', 'euler', 'heun', 'euler-maruyama'] as const;
export type SamplerKind = (typeof SAMPLER_KINDS)[number];
export type { DiscreteScheduleName };

export interface ConformMeta {
  convention: Convention;
  /** What the model output passed to `step` is. */
  predictionType?: Parameterization;
  /** A built-in continuous path the module's alpha/sigma claim to be (see `flowproof schedules`). */
  path?: string;
  /** Parameters of the declared path (`flowproof schedules` lists them), e.g. edm's sigmaMin, sigmaMax. */
  pathParams?: Record<string, number>;
  /** SD3-style time shift applied to the reference path: u -> shift u / (1 + (shift - 1) u), u diffusion time. */
  shift?: number;
  /** A built-in discrete schedule the module's alphasCumprod claims to be. */
  schedule?: { name: DiscreteScheduleName; numSteps: number };
  /** How the module numbers discrete timesteps (required with alphasCumprod). */
  timestepIndexing?: TimestepIndexing;
  /** Claims alpha^2 + sigma^2 = 1 (implied by the VP paths and by discrete schedules). */
  variancePreserving?: boolean;
  sampler?: SamplerKind;
  /** DDIM's eta (0 deterministic, 1 ancestral). */
  eta?: number;
  /** DDPM's reverse variance: posterior (beta-tilde, default) | beta ('fixed_large') | learned-range. */
  variance?: VarianceChoice;
  /** The sampling grid the exported `timesteps` / `sigmas` claim to be. */
  grid?: GridDeclaration;
  /** The precision the module computes in: float32 loosens the default tolerance to FLOAT32_TOLERANCE. */
  dtype?: 'float64' | 'float32';
  /**
   * The step moves only between neighbours of the exported grid (`timesteps`), as a diffusers scheduler
   * does (it finds the previous timestep itself): the step check draws such pairs only.
   */
  stepOnGrid?: boolean;
  /**
   * A discrete stepOnGrid grid whose last step lands on this timestep instead of the data (diffusers' DDIM
   * with set_alpha_to_one=False ends at timestep 0, abar_0 < 1): the step check's last pair and the run end there.
   */
  finalTimestep?: number;
}

export const SPACINGS = ['leading', 'trailing', 'linspace'] as const;
export type Spacing = (typeof SPACINGS)[number];

/**
 * A declared sampling grid: Karras et al. (2022) sigmas (eq. 5, a final 0 appended), or a diffusers
 * timestep spacing over the discrete schedule's timesteps (`offset`: diffusers' steps_offset, leading only).
 */
export type GridDeclaration =
  | { name: 'karras'; numSteps: number; sigmaMin: number; sigmaMax: number; rho: number }
  | { name: Spacing; numSteps: number; offset: number };

export type ScalarFn = (t: number) => number;
/** A conversion `<from>To<To>(value, x, t)`: the model output `value` of one kind at state x, time t. */
export type ConversionFn = (value: number, x: number, t: number) => number;
/** Draws one standard normal number; a stochastic step calls it as often as it needs. */
export type Randn = () => number;
/**
 * One sampler step from time t to tPrev (the next time in sampling order) given the model output at
 * (x, t); with meta.variance 'learned-range', also the model's variance output v in [0, 1].
 */
export type StepFn = (
  modelOutput: number,
  t: number,
  tPrev: number,
  x: number,
  predictionType: Parameterization,
  randn: Randn,
  varianceOutput?: number,
) => number;
/** A model: its output (of the declared prediction type) at state x and time t. */
export type ModelFn = (x: number, t: number) => number;
/** A multi-stage step (Heun) that calls the model itself. */
export type StepWithModelFn = (
  model: ModelFn,
  t: number,
  tPrev: number,
  x: number,
  predictionType: Parameterization,
  randn: Randn,
) => number;

export interface ConversionExport {
  from: Parameterization;
  to: Parameterization;
  name: string;
  fn: ConversionFn;
}

/** Per-sample noise of a batched run: sample i draws from its own seeded stream. */
export interface SampleNoise {
  next(i: number): number;
}

/** A model evaluated at many (x, t) at once (the full run's batched multi-stage steps). */
export type BatchModelFn = (x: Float64Array, t: Float64Array) => Float64Array;

/** One step for every sample of a run: per sample the new state, or why there is none (thrown, NaN). */
export interface StepBatch {
  step?: (
    modelOutput: Float64Array,
    t: number,
    tPrev: number,
    x: Float64Array,
    predictionType: Parameterization,
    noise: SampleNoise,
    varianceOutput?: number,
  ) => (number | string)[];
  stepWithModel?: (
    model: BatchModelFn,
    t: number,
    tPrev: number,
    x: Float64Array,
    predictionType: Parameterization,
    noise: SampleNoise,
  ) => (number | string)[];
}

export interface UserModule {
  file: string;
  meta: ConformMeta;
  /** The module's language, for messages (default JavaScript/TypeScript). */
  language?: 'python';
  /** What runs it, when not this process: e.g. 'Python 3.11.2 (/usr/bin/python3), diffusers adapter'. */
  runtime?: string;
  /** CPU seconds that runtime has used (the Python process), for the report. */
  runtimeCpuSeconds?: () => number;
  alpha?: ScalarFn;
  sigma?: ScalarFn;
  dAlpha?: ScalarFn;
  dSigma?: ScalarFn;
  /** As exported, in the module's indexing. */
  alphasCumprod?: Float64Array;
  betas?: Float64Array;
  conversions: ConversionExport[];
  step?: StepFn;
  stepWithModel?: StepWithModelFn;
  /** The module's sampling grid (exported `timesteps` or `sigmas`), in sampling order. */
  grid?: { name: string; values: Float64Array };
  /** Vectorized steps for the full run (the Python bridge: one call per time step, not per sample). */
  batch?: StepBatch;
  /** Release what loading took (a Python process). */
  dispose?: () => void;
}

const SCALAR_EXPORTS = ['alpha', 'sigma', 'dAlpha', 'dSigma'] as const;
const ARRAY_EXPORTS = ['alphasCumprod', 'betas'] as const;
const GRID_EXPORTS = ['timesteps', 'sigmas'] as const;
const STEP_EXPORTS = ['step', 'stepWithModel'] as const;

/** `eps`, `data`, `vPred` (alias `v`, as in `vToEps`), `score`, `velocity`, as written in an export name. */
const NAME_TO_PARAM: Record<string, Parameterization> = {
  eps: 'eps',
  data: 'data',
  vPred: 'vPred',
  v: 'vPred',
  score: 'score',
  velocity: 'velocity',
};
const capital = (s: string) => s[0].toUpperCase() + s.slice(1);
const CONVERSION_NAME = new RegExp(
  `^(${Object.keys(NAME_TO_PARAM).join('|')})To(${Object.keys(NAME_TO_PARAM).map(capital).join('|')})$`,
);

/** The names a module can export, for error messages. */
export const RECOGNIZED_EXPORTS = `meta, ${[...SCALAR_EXPORTS, ...ARRAY_EXPORTS, ...GRID_EXPORTS, ...STEP_EXPORTS].join(', ')}, and conversions <from>To<To> over ${PARAMETERIZATIONS.join(', ')}`;

/** Validate a module namespace (the result of importing the user's file). */
export function toUserModule(file: string, ns: Record<string, unknown>): UserModule {
  const meta = parseMeta(file, ns.meta);
  const bad = (name: string, requirement: string) =>
    new InputError(`export '${name}' ${requirement}, got ${describe(ns[name])}`, { file }, name);
  const out: UserModule = { file, meta, conversions: [] };
  for (const name of SCALAR_EXPORTS) {
    if (ns[name] === undefined) continue;
    if (typeof ns[name] !== 'function') throw bad(name, 'must be a function of t');
    out[name] = ns[name] as ScalarFn;
  }
  for (const name of ARRAY_EXPORTS) {
    if (ns[name] === undefined) continue;
    out[name] = numericArray(file, name, ns[name]);
  }
  for (const name of GRID_EXPORTS) {
    if (ns[name] === undefined) continue;
    if (out.grid)
      throw new InputError('export either timesteps or sigmas (the sampling grid), not both', { file }, name);
    out.grid = { name, values: numericArray(file, name, ns[name]) };
  }
  for (const name of STEP_EXPORTS) {
    if (ns[name] === undefined) continue;
    if (typeof ns[name] !== 'function') throw bad(name, 'must be a function');
  }
  out.step = ns.step as StepFn | undefined;
  out.stepWithModel = ns.stepWithModel as StepWithModelFn | undefined;
  for (const [name, value] of Object.entries(ns)) {
    const m = CONVERSION_NAME.exec(name);
    if (!m) continue;
    if (typeof value !== 'function') throw bad(name, 'must be a function (value, x, t) -> number');
    const from = NAME_TO_PARAM[m[1]];
    const to = NAME_TO_PARAM[m[2][0].toLowerCase() + m[2].slice(1)];
    if (from === to) throw new InputError(`export '${name}' converts ${from} to itself`, { file }, name);
    out.conversions.push({ from, to, name, fn: value as ConversionFn });
  }
  checkConsistency(out);
  return out;
}

function checkConsistency(m: UserModule): void {
  const { file, meta } = m;
  const err = (msg: string, offending: string) => new InputError(msg, { file }, offending);
  if ((m.alpha === undefined) !== (m.sigma === undefined))
    throw err('export both alpha and sigma (a path needs both) or neither', m.alpha ? 'alpha' : 'sigma');
  if ((m.dAlpha || m.dSigma) && !m.alpha) throw err('dAlpha/dSigma need alpha and sigma', 'dAlpha');
  if (m.alpha && m.alphasCumprod)
    throw err(
      'export either a continuous schedule (alpha, sigma) or a discrete one (alphasCumprod), not both',
      'alphasCumprod',
    );
  if (m.betas && !m.alphasCumprod) throw err('betas needs alphasCumprod', 'betas');
  if (m.alphasCumprod && !meta.timestepIndexing)
    throw err(
      "alphasCumprod needs meta.timestepIndexing ('zero-based' or 'one-based')",
      'meta.timestepIndexing',
    );
  if (m.alphasCumprod && meta.convention !== 'diffusion')
    throw err(
      'a discrete schedule (alphasCumprod) runs in the diffusion convention: declare convention diffusion',
      'meta.convention',
    );
  if (meta.schedule && !m.alphasCumprod)
    throw err('meta.schedule declares a discrete schedule: export alphasCumprod', 'meta.schedule');
  if (meta.path && m.alphasCumprod)
    throw err('meta.path declares a continuous path, but the module exports alphasCumprod', 'meta.path');
  if (m.step && m.stepWithModel) throw err('export either step or stepWithModel, not both', 'stepWithModel');
  const stepper = m.step ? 'step' : m.stepWithModel ? 'stepWithModel' : undefined;
  if (stepper && !meta.sampler)
    throw err(`${stepper} needs meta.sampler (${SAMPLER_KINDS.join(', ')})`, 'meta.sampler');
  if (stepper && !meta.predictionType)
    throw err(`${stepper} needs meta.predictionType`, 'meta.predictionType');
  if (meta.sampler && !stepper)
    throw err('meta.sampler is declared but neither step nor stepWithModel is exported', 'meta.sampler');
  if (meta.sampler === 'heun' && !m.stepWithModel)
    throw err(
      'a heun step evaluates the model twice: export stepWithModel(model, t, tPrev, x, predictionType, randn)',
      'step',
    );
  if (m.alphasCumprod && meta.sampler && !['ddpm', 'ddim'].includes(meta.sampler))
    throw err(
      `sampler '${meta.sampler}' needs a continuous schedule (alpha, sigma or meta.path)`,
      'meta.sampler',
    );
  if (m.alphasCumprod && meta.predictionType === 'velocity')
    throw err(
      'a velocity prediction needs dAlpha/dSigma, which a discrete schedule does not have',
      'meta.predictionType',
    );
  if (meta.sampler === 'euler-maruyama' && meta.convention !== 'diffusion')
    throw err(
      'euler-maruyama (the reverse SDE) is checked in the diffusion convention: declare convention diffusion',
      'meta.convention',
    );
  if (meta.eta !== undefined && meta.sampler !== 'ddim')
    throw err('meta.eta applies to sampler ddim only', 'meta.eta');
  if (meta.variance !== undefined && meta.sampler !== 'ddpm')
    throw err('meta.variance (the reverse variance) applies to sampler ddpm only', 'meta.variance');
  if (meta.variance === 'learned-range' && !m.step)
    throw err(
      'learned-range needs step(modelOutput, t, tPrev, x, predictionType, randn, varianceOutput)',
      'meta.variance',
    );
  if (meta.grid && !m.grid)
    throw err('meta.grid declares a sampling grid: export it as timesteps or sigmas', 'meta.grid');
  if (meta.grid && meta.grid.name !== 'karras' && !m.alphasCumprod)
    throw err(
      `meta.grid '${meta.grid.name}' spaces the timesteps of a discrete schedule: export alphasCumprod`,
      'meta.grid',
    );
  if (meta.grid?.name === 'karras' && m.alphasCumprod)
    throw err(
      "meta.grid 'karras' is a grid of noise levels on a continuous path (e.g. path 'edm')",
      'meta.grid',
    );
  if (meta.stepOnGrid && !m.grid)
    throw err(
      'meta.stepOnGrid: a step that moves along its own grid needs the grid: export timesteps',
      'meta.stepOnGrid',
    );
  if (meta.stepOnGrid && !stepper)
    throw err('meta.stepOnGrid describes a step: export step or stepWithModel', 'meta.stepOnGrid');
  if (meta.finalTimestep !== undefined && (!meta.stepOnGrid || !m.alphasCumprod))
    throw err(
      'meta.finalTimestep is where the last step of a discrete grid lands: it needs alphasCumprod and meta.stepOnGrid',
      'meta.finalTimestep',
    );
  if (meta.finalTimestep !== undefined && m.alphasCumprod && meta.finalTimestep >= m.alphasCumprod.length)
    throw err(
      `meta.finalTimestep ${meta.finalTimestep} is not a timestep of alphasCumprod (length ${m.alphasCumprod.length})`,
      'meta.finalTimestep',
    );
  const noSchedule = !m.alpha && !m.alphasCumprod && !meta.path;
  if (noSchedule && (stepper || m.conversions.length > 0))
    throw err(
      'conversions and steps need a schedule: export alpha and sigma, or alphasCumprod, or declare meta.path',
      'meta.path',
    );
  if (noSchedule && !stepper && m.conversions.length === 0)
    throw err(`nothing to check: the module exports none of ${RECOGNIZED_EXPORTS}`, 'exports');
}

const META_KEYS = [
  'convention',
  'predictionType',
  'path',
  'pathParams',
  'shift',
  'schedule',
  'timestepIndexing',
  'variancePreserving',
  'sampler',
  'eta',
  'variance',
  'grid',
  'dtype',
  'stepOnGrid',
  'finalTimestep',
];

export function parseMeta(file: string, raw: unknown): ConformMeta {
  const err = (msg: string, offending: string) => new InputError(msg, { file }, offending);
  if (raw === undefined)
    throw err(
      "the module must export its declared conventions: export const meta = { convention: 'diffusion' | 'flow', ... }",
      'meta',
    );
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw err(`meta must be an object, got ${describe(raw)}`, 'meta');
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!META_KEYS.includes(key))
      throw err(`unknown meta field '${key}' (known: ${META_KEYS.join(', ')})`, `meta.${key}`);
  }
  const oneOf = <T extends string>(key: string, options: readonly T[], required = false): T | undefined => {
    const v = r[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || !options.includes(v as T))
      throw err(
        `meta.${key} must be one of ${options.map((o) => `'${o}'`).join(', ')}, got ${describe(v)}`,
        `meta.${key}`,
      );
    return v as T;
  };
  const meta: ConformMeta = { convention: oneOf('convention', ['diffusion', 'flow'] as const, true)! };
  meta.predictionType = oneOf('predictionType', PARAMETERIZATIONS);
  meta.path = oneOf('path', Object.keys(PATHS));
  if (r.pathParams !== undefined) {
    const p = r.pathParams;
    if (typeof p !== 'object' || p === null || Array.isArray(p) || !Object.values(p).every(Number.isFinite))
      throw err(
        `meta.pathParams must map parameter names to finite numbers, got ${describe(p)}`,
        'meta.pathParams',
      );
    if (!meta.path) throw err('meta.pathParams applies to a declared meta.path', 'meta.pathParams');
    try {
      getPath(meta.path, p as Record<string, number>);
    } catch (e) {
      throw err(`meta.pathParams: ${e instanceof Error ? e.message : String(e)}`, 'meta.pathParams');
    }
    meta.pathParams = { ...(p as Record<string, number>) };
  }
  meta.timestepIndexing = oneOf('timestepIndexing', ['zero-based', 'one-based'] as const);
  meta.sampler = oneOf('sampler', SAMPLER_KINDS);
  if (r.shift !== undefined) {
    if (typeof r.shift !== 'number' || !(r.shift > 0) || !Number.isFinite(r.shift))
      throw err(`meta.shift must be a finite number > 0, got ${describe(r.shift)}`, 'meta.shift');
    if (!meta.path) throw err('meta.shift applies to a declared meta.path', 'meta.shift');
    meta.shift = r.shift;
  }
  if (r.eta !== undefined) {
    if (typeof r.eta !== 'number' || !(r.eta >= 0) || !Number.isFinite(r.eta))
      throw err(`meta.eta must be a finite number >= 0, got ${describe(r.eta)}`, 'meta.eta');
    meta.eta = r.eta;
  }
  meta.variance = oneOf('variance', VARIANCE_CHOICES);
  if (r.stepOnGrid !== undefined) {
    if (typeof r.stepOnGrid !== 'boolean')
      throw err(`meta.stepOnGrid must be true or false, got ${describe(r.stepOnGrid)}`, 'meta.stepOnGrid');
    meta.stepOnGrid = r.stepOnGrid;
  }
  if (r.finalTimestep !== undefined) {
    if (typeof r.finalTimestep !== 'number' || !Number.isInteger(r.finalTimestep) || r.finalTimestep < 0)
      throw err(
        `meta.finalTimestep must be an integer timestep >= 0, got ${describe(r.finalTimestep)}`,
        'meta.finalTimestep',
      );
    meta.finalTimestep = r.finalTimestep;
  }
  meta.dtype = oneOf('dtype', ['float64', 'float32'] as const);
  if (r.grid !== undefined) meta.grid = parseGrid(r.grid, err);
  if (r.variancePreserving !== undefined) {
    if (typeof r.variancePreserving !== 'boolean')
      throw err(
        `meta.variancePreserving must be true or false, got ${describe(r.variancePreserving)}`,
        'meta.variancePreserving',
      );
    meta.variancePreserving = r.variancePreserving;
  }
  if (r.schedule !== undefined) {
    const s = r.schedule as Record<string, unknown>;
    const name = typeof s === 'object' && s !== null ? s.name : undefined;
    const numSteps = typeof s === 'object' && s !== null ? s.numSteps : undefined;
    if (typeof name !== 'string' || !isDiscreteName(name))
      throw err(
        `meta.schedule.name must be one of ${DISCRETE_NAMES.join(', ')}, got ${describe(name)}`,
        'meta.schedule',
      );
    if (typeof numSteps !== 'number' || !Number.isInteger(numSteps) || numSteps < 2)
      throw err(`meta.schedule.numSteps must be an integer >= 2, got ${describe(numSteps)}`, 'meta.schedule');
    meta.schedule = { name: name as DiscreteScheduleName, numSteps };
  }
  return meta;
}

function parseGrid(raw: unknown, err: (msg: string, offending: string) => InputError): GridDeclaration {
  const names = ['karras', ...SPACINGS];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw err(
      `meta.grid must be an object { name: ${names.join(' | ')}, numSteps, ... }, got ${describe(raw)}`,
      'meta.grid',
    );
  const g = raw as Record<string, unknown>;
  const allowed =
    g.name === 'karras'
      ? ['name', 'numSteps', 'sigmaMin', 'sigmaMax', 'rho']
      : ['name', 'numSteps', 'offset'];
  for (const key of Object.keys(g))
    if (!allowed.includes(key))
      throw err(
        `unknown meta.grid field '${key}' for grid '${String(g.name)}' (known: ${allowed.join(', ')})`,
        `meta.grid.${key}`,
      );
  const positive = (key: string, integer: boolean): number => {
    const v = g[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0) || (integer && !Number.isInteger(v)))
      throw err(
        `meta.grid.${key} must be a ${integer ? 'positive integer' : 'finite number > 0'}, got ${describe(v)}`,
        `meta.grid.${key}`,
      );
    return v;
  };
  const numSteps = positive('numSteps', true);
  if (g.name === 'karras') {
    const grid = {
      name: 'karras' as const,
      numSteps,
      sigmaMin: positive('sigmaMin', false),
      sigmaMax: positive('sigmaMax', false),
      rho: positive('rho', false),
    };
    if (numSteps < 2) throw err('meta.grid.numSteps of a karras grid must be >= 2', 'meta.grid.numSteps');
    if (!(grid.sigmaMax > grid.sigmaMin))
      throw err(
        `meta.grid.sigmaMax must be > sigmaMin = ${grid.sigmaMin}, got ${grid.sigmaMax}`,
        'meta.grid.sigmaMax',
      );
    return grid;
  }
  if (typeof g.name !== 'string' || !(SPACINGS as readonly string[]).includes(g.name))
    throw err(
      `meta.grid.name must be one of ${names.map((n) => `'${n}'`).join(', ')}, got ${describe(g.name)}`,
      'meta.grid.name',
    );
  const offset = g.offset ?? 0;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0)
    throw err(`meta.grid.offset must be an integer >= 0, got ${describe(offset)}`, 'meta.grid.offset');
  if (offset !== 0 && g.name !== 'leading')
    throw err(
      `meta.grid.offset (diffusers' steps_offset) applies to 'leading' spacing only`,
      'meta.grid.offset',
    );
  return { name: g.name as Spacing, numSteps, offset };
}

function numericArray(file: string, name: string, v: unknown): Float64Array {
  const arr =
    v instanceof Float64Array || v instanceof Float32Array || Array.isArray(v)
      ? Array.from(v as ArrayLike<unknown>)
      : undefined;
  if (!arr || arr.length < 2)
    throw new InputError(
      `export '${name}' must be an array of at least 2 numbers, got ${describe(v)}`,
      { file },
      name,
    );
  arr.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new InputError(
        `export '${name}'[${i}] must be a finite number, got ${describe(x)}`,
        { file },
        `${name}[${i}]`,
      );
  });
  return Float64Array.from(arr as number[]);
}

function describe(v: unknown): string {
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  const s = formatValue(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
