// Test vectors for libraries in other languages: inputs and flowproof's expected outputs for every
// schedule, conversion and single-step check, in one JSON file (format documented in docs/conform.md).
// A library fills in `got` for each case; `gradeVectors` grades the filled file with the tolerances it
// carries. Expected values come from the same reference code as `flowproof conform`.
import { Rng } from '../core/rng.js';
import { convert, PARAMETERIZATIONS, type Parameterization } from '../params/conversions.js';
import {
  DISCRETE_NAMES,
  getDiscrete,
  getPath,
  PATHS,
  type DiscreteScheduleName,
  type TimestepIndexing,
} from '../schedules/index.js';
import { arrayAxis, interiorLevel, LEVELS, libraryArray, pathAxis, timeAtLevel, type Axis } from './axis.js';
import type { SamplerKind } from './module.js';
import { referenceStep } from './reference-step.js';
import type { Tolerance } from './result.js';

export const VECTORS_FORMAT = 'flowproof-vectors';
export const VECTORS_VERSION = 1;

export interface VectorCase {
  inputs: Record<string, number | string>;
  expected: Record<string, number>;
  /** Filled in by the library under test: some or all of the expected keys. */
  got?: Record<string, number | string | null>;
}

export interface VectorCheck {
  id: string;
  kind: 'schedule' | 'discrete' | 'conversion' | 'step';
  /** What to compute, in words. */
  description: string;
  setup: Record<string, string | number>;
  /** A case passes when |got - expected| <= atol + rtol (1 + |expected|) for every key reported. */
  tolerance: Tolerance;
  cases: VectorCase[];
}

export interface VectorFile {
  format: typeof VECTORS_FORMAT;
  version: typeof VECTORS_VERSION;
  seed: number;
  description: string;
  checks: VectorCheck[];
}

const TOL: Tolerance = { rtol: 1e-6, atol: 1e-9 };
const LEVEL_SET = [0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999];
const CASES = 8;

const capital = (s: string) => s[0].toUpperCase() + s.slice(1);

/** Every vector check, with inputs drawn from `seed`. */
export function buildVectors(seed: number): VectorFile {
  const rng = new Rng(seed, 20);
  const checks: VectorCheck[] = [];
  for (const name of Object.keys(PATHS)) checks.push(scheduleVectors(name));
  for (const schedule of DISCRETE_NAMES) {
    for (const indexing of ['zero-based', 'one-based'] as const)
      checks.push(discreteVectors(schedule, indexing));
  }
  const continuous: [string, Axis][] = ['vp-sde', 'edm', 'rectified-flow'].map((n) => [
    n,
    pathAxis(getPath(n), n),
  ]);
  const linear = discreteAxis('ddpm-linear', 'zero-based');
  for (const [label, axis] of [...continuous, ['ddpm-linear-1000/zero-based', linear] as [string, Axis]]) {
    for (const from of PARAMETERIZATIONS) {
      for (const to of PARAMETERIZATIONS) {
        if (from === to || (axis.kind === 'discrete' && (from === 'velocity' || to === 'velocity'))) continue;
        checks.push(conversionVectors(label, axis, from, to, rng));
      }
    }
  }
  const steps: [SamplerKind, number, string, Axis, Parameterization[]][] = [
    ['ddim', 0, 'ddpm-linear-1000/zero-based', linear, ['eps', 'data', 'vPred']],
    ['ddim', 0.5, 'ddpm-linear-1000/zero-based', linear, ['eps', 'data', 'vPred']],
    ['ddpm', 1, 'ddpm-linear-1000/zero-based', linear, ['eps', 'data', 'vPred']],
    ['ddim', 0, 'vp-sde', continuous[0][1], ['eps']],
    ['euler', 0, 'vp-sde', continuous[0][1], ['eps', 'score']],
    ['euler-maruyama', 0, 'vp-sde', continuous[0][1], ['score', 'eps']],
    ['euler', 0, 'edm', continuous[1][1], ['data']],
    ['euler', 0, 'rectified-flow', continuous[2][1], ['velocity', 'data']],
  ];
  for (const [sampler, eta, label, axis, preds] of steps) {
    for (const pred of preds) checks.push(stepVectors(sampler, eta, label, axis, pred, rng));
  }
  return {
    format: VECTORS_FORMAT,
    version: VECTORS_VERSION,
    seed,
    description:
      'flowproof test vectors: for each check compute the described quantity at every case\'s inputs and write it into the case\'s "got" object (same keys as "expected"); then run `flowproof conform --vectors <this file>`.',
    checks,
  };
}

function discreteAxis(name: DiscreteScheduleName, indexing: TimestepIndexing): Axis {
  const schedule = getDiscrete(name, 1000);
  return arrayAxis(libraryArray(schedule, indexing), indexing, `${name}-1000/${indexing}`);
}

function scheduleVectors(name: string): VectorCheck {
  const path = getPath(name);
  const axis = pathAxis(path, name);
  return {
    id: `schedule/${name}`,
    kind: 'schedule',
    description: `alpha(t), sigma(t) and their time derivatives dAlpha, dSigma of the path ${name} (${PATHS[name].summary}), x_t = alpha data + sigma noise, in the ${path.convention} convention`,
    setup: { path: name, convention: path.convention, tMin: path.tMin, tMax: path.tMax },
    tolerance: TOL,
    cases: LEVEL_SET.map((u) => {
      const t = timeAtLevel(axis, u);
      return { inputs: { t }, expected: { ...axis.point(t) } };
    }),
  };
}

function discreteVectors(name: DiscreteScheduleName, indexing: TimestepIndexing): VectorCheck {
  const axis = discreteAxis(name, indexing) as Extract<Axis, { kind: 'discrete' }>;
  const timesteps = [axis.clean, axis.last, axis.last + 1, 9, 99, 499, 899, axis.first - 1, axis.first];
  return {
    id: `discrete/${name}-1000/${indexing}`,
    kind: 'discrete',
    description: `abar (alphas_cumprod) of the ${name} schedule with 1000 training steps at a ${indexing} timestep; timestep ${axis.clean} is the data (abar = 1)`,
    setup: { schedule: name, numSteps: 1000, timestepIndexing: indexing },
    tolerance: TOL,
    cases: [...new Set(timesteps)].map((k) => ({
      inputs: { timestep: k },
      expected: { abar: axis.abar(k) },
    })),
  };
}

/** A drawn time: any noisy timestep, or an interior continuous time. */
function drawTime(axis: Axis, rng: Rng): number {
  if (axis.kind === 'discrete') return axis.last + rng.int(axis.first - axis.last + 1);
  return timeAtLevel(axis, interiorLevel(1 + rng.int(LEVELS)));
}

function conversionVectors(
  label: string,
  axis: Axis,
  from: Parameterization,
  to: Parameterization,
  rng: Rng,
): VectorCheck {
  const name = `${from}To${capital(to)}`;
  const time = axis.kind === 'discrete' ? 'timestep' : 't';
  return {
    id: `conversion/${label}/${name}`,
    kind: 'conversion',
    description: `${name}(value, x, ${time}): the ${to} corresponding to a model output \`value\` of kind ${from} at state x, on ${label}`,
    setup: { schedule: label, from, to },
    tolerance: TOL,
    cases: Array.from({ length: CASES }, () => {
      const t = drawTime(axis, rng);
      const c = axis.point(t);
      const x = c.alpha * rng.normal() + c.sigma * rng.normal();
      const value = convert('eps', from, rng.normal(), x, c);
      return { inputs: { [time]: t, value, x }, expected: { [to]: convert(from, to, value, x, c) } };
    }),
  };
}

function stepVectors(
  sampler: SamplerKind,
  eta: number,
  label: string,
  axis: Axis,
  pred: Parameterization,
  rng: Rng,
): VectorCheck {
  const stochastic = sampler === 'ddpm' || sampler === 'euler-maruyama' || (sampler === 'ddim' && eta > 0);
  const kind = sampler === 'ddim' ? `ddim-eta${eta}` : sampler;
  return {
    id: `step/${kind}/${label}/${pred}`,
    kind: 'step',
    description:
      `one ${sampler === 'ddim' ? `ddim (eta = ${eta})` : sampler} step from t to tPrev on ${label} given the model output (a ${pred} prediction) at state x. ` +
      (stochastic
        ? "Report xPrev = mean + std * noise using the given standard-normal `noise` as the step's single draw, or report mean and std."
        : 'Deterministic: report xPrev.'),
    setup: { sampler, eta, schedule: label, predictionType: pred },
    tolerance: TOL,
    cases: Array.from({ length: CASES }, (): VectorCase => {
      const t = drawTime(axis, rng);
      // Any less noisy time, possibly many steps back, possibly the data itself.
      const tPrev =
        axis.kind === 'discrete'
          ? axis.clean + rng.int(t - axis.clean)
          : timeAtLevel(axis, rng.uniform() * levelOf(axis, t));
      const c = axis.point(t);
      const x = c.alpha * rng.normal() + c.sigma * rng.normal();
      const modelOutput = convert('eps', pred, rng.normal(), x, c);
      const noise = rng.normal();
      const law = referenceStep(axis, { sampler, eta, predictionType: pred }, modelOutput, t, tPrev, x);
      const expected: VectorCase['expected'] = stochastic
        ? { xPrev: law.mean + law.std * noise, mean: law.mean, std: law.std }
        : { xPrev: law.mean };
      const inputs: VectorCase['inputs'] = { t, tPrev, x, modelOutput, predictionType: pred };
      if (stochastic) inputs.noise = noise;
      return { inputs, expected };
    }),
  };
}

/** The noise level u of a continuous time (inverse of timeAtLevel). */
function levelOf(axis: Extract<Axis, { kind: 'continuous' }>, t: number): number {
  const span = axis.tMax - axis.tMin;
  return axis.convention === 'diffusion' ? (t - axis.tMin) / span : (axis.tMax - t) / span;
}
