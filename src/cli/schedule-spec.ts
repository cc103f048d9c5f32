// Which schedule a command (`schedules`, `convert`) means, from its flags: a built-in path or discrete
// schedule, a library's name for one (`flow_matching:Cosine`, see `schedules --aliases`), a custom
// affine path (`--alpha 't^2' --sigma '1 - t^2'`, plain syntax or LaTeX), or Karras sigmas; with its
// parameters and the time convention that every output line and record states.
import type { Convention } from '../core/convention.js';
import { InputError, InternalError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { lowerMember, NotCheckable } from '../derivation/lower.js';
import { parseExpression } from '../derivation/parser.js';
import {
  aliasName,
  affinePath,
  ALIASES,
  DISCRETE,
  DISCRETE_NAMES,
  findAlias,
  getDiscrete,
  getPath,
  isDiscreteName,
  karrasSigmas,
  PATHS,
  toConvention,
  type AffinePath,
  type DiscreteSchedule,
  type LibraryAlias,
  type ScheduleParams,
  type TimestepIndexing,
} from '../schedules/index.js';
import { freeSymbols, type Expr } from '../symbolic/expr.js';
import { parsePlain } from '../symbolic/parse.js';
import type { FlagTypes, FlagValues } from './command.js';

/** The flags every schedule-taking command accepts. */
export const SCHEDULE_FLAGS = {
  path: 'string',
  schedule: 'string',
  alpha: 'string',
  sigma: 'string',
  convention: 'string',
  'beta-min': 'number',
  'beta-max': 'number',
  'sigma-min': 'number',
  'sigma-max': 'number',
  rho: 'number',
  'num-steps': 'number',
  timestep: 'number',
  indexing: 'string',
} as const satisfies FlagTypes;

export const SCHEDULE_HELP = `Which schedule (one of):
  --path NAME        a built-in path (${Object.keys(PATHS).join(', ')}),
                     a discrete schedule (${DISCRETE_NAMES.join(', ')}, karras),
                     or a library's name for one, e.g. flow_matching:Cosine (see 'flowproof schedules --aliases')
  --schedule NAME    the same (for discrete schedules, as in 'flowproof sample')
  --alpha EXPR --sigma EXPR
                     a custom affine path x_t = alpha(t) data + sigma(t) noise on t in [0, 1], plain
                     syntax ('t^2', 'sqrt(1 - t^2)', 'cos(pi*t/2)') or LaTeX ('\\cos(\\frac{\\pi t}{2})')
Its parameters:
  --beta-min B --beta-max B     vp-sde, sub-vp (beta(t) = B0 + t (B1 - B0)); ddpm-linear (beta[1], beta[T])
  --sigma-min S --sigma-max S   ve-sde, edm, karras; rectified-flow (--sigma-min only)
  --rho R                       karras (default 7)
  --num-steps T                 discrete schedules (default 1000) and karras (default 10)
Time:
  --convention flow|diffusion   the convention of t and of the velocity: diffusion (t = 0 data) or flow
                     (t = 0 noise, t = 1 data). A built-in path is translated (t -> 1 - t, velocity sign
                     flipped with it); the default is the path's own (or the library's, for a library
                     name). For --alpha/--sigma it says which convention the expressions are written in
                     (default: inferred from whether snr = alpha^2/sigma^2 rises or falls with t).
  --timestep K --indexing zero-based|one-based
                     a discrete schedule's timestep: zero-based (diffusers: timestep K uses abar[K + 1],
                     the default) or one-based (DDPM's paper: abar[K]); for karras, the index of sigma`;

/** Each schedule-parameter flag and the parameter it sets. */
const PARAM_FLAGS = [
  ['beta-min', 'betaMin'],
  ['beta-max', 'betaMax'],
  ['sigma-min', 'sigmaMin'],
  ['sigma-max', 'sigmaMax'],
  ['rho', 'rho'],
] as const;
const PARAM_FLAG_NAMES = PARAM_FLAGS.map(([flag]) => flag);
const KARRAS_DEFAULTS: ScheduleParams = { sigmaMin: 0.002, sigmaMax: 80, rho: 7 };
const KARRAS_STEPS = 10;

interface Common {
  /** How outputs name it: 'vp-sde', 'flow_matching:VP = vp-sde', 'custom'. */
  label: string;
  /** The library alias it was given as, if any. */
  alias?: string;
  convention: Convention;
  /** Every parameter with its value in force (defaults filled in). */
  params: ScheduleParams;
}

export interface PathSpec extends Common {
  kind: 'path';
  /** The path, already in `convention`. */
  path: AffinePath;
  /** Where the convention came from. */
  conventionFrom: 'flag' | 'path' | 'library' | 'inferred';
  /** For a custom path: alpha and sigma as given. */
  definition?: { alpha: string; sigma: string };
}

export interface DiscreteSpec extends Common {
  kind: 'discrete';
  name: string;
  schedule: DiscreteSchedule;
  indexing: TimestepIndexing;
  /** Whether --indexing was given (otherwise the default, zero-based, is in force and said). */
  indexingGiven: boolean;
}

export interface KarrasSpec extends Common {
  kind: 'karras';
  numSteps: number;
  /** sigma_0 = sigmaMax > ... > sigma_{N-1} = sigmaMin, sigma_N = 0. */
  sigmas: Float64Array;
  /** The path the sigmas are times of: edm (alpha = 1, sigma = t) on [sigmaMin, sigmaMax]. */
  path: AffinePath;
}

export type ScheduleSpec = PathSpec | DiscreteSpec | KarrasSpec;

/** The schedule flags' values (`schedules` also names a schedule by --name). */
type Values = FlagValues<typeof SCHEDULE_FLAGS> & { name?: string };
type Flag = keyof Values;

/** 'flow: t = 0 noise, t = 1 data' for a path's domain. */
export function conventionText(convention: Convention, tMin = 0, tMax = 1): string {
  return convention === 'flow'
    ? `flow convention: t = ${tMin} noise, t = ${tMax} data`
    : `diffusion convention: t = ${tMin} data, t = ${tMax} noise`;
}

function conventionFlag(v: Values): Convention | undefined {
  const c = v.convention;
  if (c === undefined || c === 'flow' || c === 'diffusion') return c;
  throw new InputError(
    `--convention must be flow or diffusion${didYouMean(c, ['flow', 'diffusion'])}`,
    {},
    c,
  );
}

function integerFlag(v: Values, flag: 'num-steps' | 'timestep', min: number): number | undefined {
  const x = v[flag];
  if (x !== undefined && !(Number.isSafeInteger(x) && x >= min))
    throw new InputError(`--${flag} must be an integer >= ${min}`, {}, String(x));
  return x;
}

/** The parameter flags given, as parameter names; each must be one `known` has. */
function givenParams(v: Values, known: ScheduleParams, name: string): ScheduleParams {
  const out: ScheduleParams = {};
  for (const [flag, key] of PARAM_FLAGS) {
    const x = v[flag];
    if (x === undefined) continue;
    if (!Object.hasOwn(known, key)) {
      const own = PARAM_FLAGS.filter(([, k]) => Object.hasOwn(known, k)).map(([f]) => `--${f}`);
      throw new InputError(
        `--${flag} does not apply to ${name} (${own.length ? `its parameters: ${own.join(', ')}` : 'it has no parameters'})`,
        {},
        `--${flag}`,
      );
    }
    out[key] = x;
  }
  return out;
}

/** Flags that only some kinds take: each given one must belong to `kind`. */
function rejectFlags(v: Values, flags: readonly Flag[], what: string): void {
  for (const f of flags)
    if (v[f] !== undefined) throw new InputError(`--${f} does not apply to ${what}`, {}, `--${f}`);
}

/** alpha(t) or sigma(t) from the plain syntax or LaTeX; t is the only variable. */
export function parseTimeExpression(flag: string, text: string): Expr {
  const file = `<--${flag}>`;
  let e: Expr;
  if (/[\\{}]/.test(text)) {
    const math = parseExpression(text, { origin: { file, line: 1, column: 1 } });
    const scope = {
      symbols: new Map([['t', { name: 't', domain: { lo: 0, hi: 1, loOpen: false, hiOpen: false } }]]),
      lets: new Map(),
    };
    try {
      e = lowerMember(math.statements[0], math, scope).expr;
    } catch (err) {
      if (err instanceof NotCheckable) throw err.toInputError();
      throw err;
    }
  } else e = parsePlain(text, { file, line: 1 });
  const others = [...freeSymbols(e)].filter((s) => s !== 't');
  if (others.length > 0)
    throw new InputError(`${file}: unknown symbol '${others[0]}' (the only variable is t)`, {}, others[0]);
  return e;
}

/** +1 if snr rises with t on (tMin, tMax), -1 if it falls, 0 if neither (or it cannot be evaluated). */
function snrDirection(path: AffinePath): number {
  const values: number[] = [];
  for (let i = 1; i < 20; i++) {
    try {
      values.push(path.snr(path.tMin + (i / 20) * (path.tMax - path.tMin)));
    } catch {
      return 0;
    }
  }
  const steps = values.slice(1).map((v, i) => Math.sign(v - values[i]));
  return steps.every((s) => s > 0) ? 1 : steps.every((s) => s < 0) ? -1 : 0;
}

function customSpec(
  alphaText: string,
  sigmaText: string,
  declared: Convention | undefined,
  label: string,
  alias?: string,
  target?: Convention,
): PathSpec {
  const alpha = parseTimeExpression('alpha', alphaText);
  const sigma = parseTimeExpression('sigma', sigmaText);
  const make = (convention: Convention) =>
    affinePath({ name: label, convention, alpha, sigma, tMin: 0, tMax: 1 });
  const direction = snrDirection(make('flow'));
  const natural: Convention | undefined = direction > 0 ? 'flow' : direction < 0 ? 'diffusion' : undefined;
  if (declared !== undefined && natural !== undefined && declared !== natural) {
    const p = make(declared);
    throw new InputError(
      `--convention ${declared} says t = 0 is ${declared === 'flow' ? 'noise' : 'data'}, but snr = alpha^2/sigma^2 of this path ${direction > 0 ? 'rises' : 'falls'} with t (${p.snr(0.05).toPrecision(3)} at t = 0.05, ${p.snr(0.95).toPrecision(3)} at t = 0.95): it is written in the ${natural} convention`,
      {},
      `--convention ${declared}`,
    );
  }
  const convention = declared ?? natural;
  if (convention === undefined)
    throw new InputError(
      'snr = alpha^2/sigma^2 of this path is not monotone in t, so its convention cannot be read off: give --convention flow or diffusion',
      {},
      `${alphaText} | ${sigmaText}`,
    );
  const path = make(convention);
  return {
    kind: 'path',
    label,
    ...(alias ? { alias } : {}),
    path: target ? toConvention(path, target) : path,
    convention: target ?? convention,
    conventionFrom: target ? 'flag' : alias ? 'library' : declared ? 'flag' : 'inferred',
    params: {},
    definition: { alpha: alphaText, sigma: sigmaText },
  };
}

function builtinPath(
  name: string,
  v: Values,
  target: Convention | undefined,
  alias?: LibraryAlias,
): PathSpec {
  const entry = PATHS[name];
  const params = { ...entry.params, ...givenParams(v, entry.params, name) };
  const native = getPath(name, params);
  const convention = target ?? alias?.convention ?? native.convention;
  return {
    kind: 'path',
    label: alias ? `${aliasName(alias)} = ${name}` : name,
    ...(alias ? { alias: aliasName(alias) } : {}),
    path: toConvention(native, convention),
    convention,
    conventionFrom: target ? 'flag' : alias ? 'library' : 'path',
    params,
  };
}

function discreteSpec(
  name: string,
  v: Values,
  convention: Convention | undefined,
  alias?: LibraryAlias,
): DiscreteSpec {
  if (convention === 'flow')
    throw new InputError(
      `${name} is a discrete schedule counted from the data end (diffusion convention); --convention flow does not apply`,
      {},
      '--convention flow',
    );
  if (!isDiscreteName(name)) throw new InputError(`unknown discrete schedule '${name}'`, {}, name);
  const known = DISCRETE[name].params;
  const numSteps = integerFlag(v, 'num-steps', 1) ?? 1000;
  const params = { ...known, ...givenParams(v, known, name) };
  const { indexing } = v;
  if (indexing !== undefined && indexing !== 'zero-based' && indexing !== 'one-based')
    throw new InputError(
      `--indexing must be zero-based or one-based${didYouMean(indexing, ['zero-based', 'one-based'])}`,
      {},
      indexing,
    );
  return {
    kind: 'discrete',
    label: alias ? `${aliasName(alias)} = ${name}` : name,
    ...(alias ? { alias: aliasName(alias) } : {}),
    name,
    schedule: getDiscrete(name, numSteps, params),
    convention: 'diffusion',
    params: { ...params, numSteps },
    indexing: (indexing as TimestepIndexing | undefined) ?? alias?.indexing ?? 'zero-based',
    indexingGiven: indexing !== undefined,
  };
}

function karrasSpec(v: Values, convention: Convention | undefined, alias?: LibraryAlias): KarrasSpec {
  if (convention === 'flow')
    throw new InputError(
      'karras sigmas are noise levels (diffusion convention, sigma = 0 is data); --convention flow does not apply',
      {},
      '--convention flow',
    );
  rejectFlags(v, ['indexing'], 'karras (its --timestep is the index of sigma, 0 = sigma-max)');
  const numSteps = integerFlag(v, 'num-steps', 2) ?? KARRAS_STEPS;
  const params = { ...KARRAS_DEFAULTS, ...givenParams(v, KARRAS_DEFAULTS, 'karras') };
  const sigmas = karrasSigmas(numSteps, params.sigmaMin, params.sigmaMax, params.rho);
  return {
    kind: 'karras',
    label: alias ? `${aliasName(alias)} = karras` : 'karras',
    ...(alias ? { alias: aliasName(alias) } : {}),
    numSteps,
    sigmas,
    path: getPath('edm', { sigmaMin: params.sigmaMin, sigmaMax: params.sigmaMax }),
    convention: 'diffusion',
    params: { ...params, numSteps },
  };
}

/** Every name `--path` / `--schedule` takes. */
export function scheduleNames(): string[] {
  return [...Object.keys(PATHS), ...DISCRETE_NAMES, 'karras', ...ALIASES.map(aliasName)];
}

/** The flowproof schedule a 'path' or 'discrete' alias names (the alias table gives every one of them). */
function aliasSchedule(alias: LibraryAlias): string {
  if (alias.schedule === undefined)
    throw new InternalError(`library alias ${aliasName(alias)} (${alias.kind}) names no schedule`);
  return alias.schedule;
}

/**
 * The schedule the flags name, or undefined when none is named. `nameFlags` are the flags that may
 * carry a name (schedules also takes --name).
 */
export function resolveSchedule(
  v: Values,
  nameFlags: readonly ('path' | 'schedule' | 'name')[] = ['path', 'schedule'],
): ScheduleSpec | undefined {
  const named = nameFlags.filter((f) => v[f] !== undefined);
  const custom = v.alpha !== undefined || v.sigma !== undefined;
  if (named.length + (custom ? 1 : 0) > 1) {
    const given = [...named.map((f) => `--${f}`), ...(custom ? ['--alpha/--sigma'] : [])];
    throw new InputError(`give one schedule, not ${given.join(' and ')}`, {}, given.join(' '));
  }
  const convention = conventionFlag(v);
  if (custom) {
    if (v.alpha === undefined || v.sigma === undefined)
      throw new InputError(
        'a custom path needs both --alpha and --sigma',
        {},
        v.alpha === undefined ? '--sigma' : '--alpha',
      );
    rejectFlags(
      v,
      [...PARAM_FLAG_NAMES, 'num-steps', 'timestep', 'indexing'],
      'a custom --alpha/--sigma path',
    );
    return customSpec(String(v.alpha), String(v.sigma), convention, 'custom');
  }
  if (named.length === 0) return undefined;
  const name = String(v[named[0]]);
  const alias = findAlias(name);
  const continuousOnly = ['num-steps', 'timestep', 'indexing'] as const;
  if (alias) {
    switch (alias.kind) {
      case 'recipe':
        throw new InputError(
          `${aliasName(alias)} (${alias.spelledThere}) is not a built-in schedule: ${alias.flags}`,
          {},
          name,
        );
      case 'custom': {
        rejectFlags(v, [...PARAM_FLAG_NAMES, ...continuousOnly], aliasName(alias));
        const c = alias.custom;
        if (c === undefined)
          throw new InternalError(`library alias ${aliasName(alias)} (custom) has no formulas`);
        return customSpec(c.alpha, c.sigma, alias.convention, aliasName(alias), aliasName(alias), convention);
      }
      case 'path':
        rejectFlags(v, continuousOnly, `${aliasName(alias)} (a continuous path: give --t)`);
        return builtinPath(aliasSchedule(alias), v, convention, alias);
      case 'discrete':
        return discreteSpec(aliasSchedule(alias), v, convention, alias);
      case 'karras':
        return karrasSpec(v, convention, alias);
    }
  }
  if (Object.hasOwn(PATHS, name)) {
    rejectFlags(v, continuousOnly, `${name} (a continuous path: give --t)`);
    return builtinPath(name, v, convention);
  }
  if (isDiscreteName(name)) return discreteSpec(name, v, convention);
  if (name === 'karras') return karrasSpec(v, convention);
  throw new InputError(
    `unknown schedule '${name}'${didYouMean(name, scheduleNames())} (known: ${[...Object.keys(PATHS), ...DISCRETE_NAMES, 'karras'].join(', ')}; library names: flowproof schedules --aliases)`,
    {},
    name,
  );
}

/** The DDPM step index (abar[tIndex]) of a timestep under the spec's indexing, checked against T. */
export function stepIndex(spec: DiscreteSpec, timestep: number): number {
  const tIndex = spec.indexing === 'zero-based' ? timestep + 1 : timestep;
  const lo = spec.indexing === 'zero-based' ? -1 : 0;
  if (!Number.isInteger(timestep) || tIndex < 0 || tIndex > spec.schedule.numSteps)
    throw new InputError(
      `--timestep must be an integer from ${lo} to ${spec.schedule.numSteps + lo} (${spec.indexing}, T = ${spec.schedule.numSteps})`,
      {},
      String(timestep),
    );
  return tIndex;
}

/** `--value 0.1,-2` / `--t 0.1,0.5` / `[1, 2]`: one number or a comma-separated list of numbers. */
export function numberList(flag: string, raw: string): number[] {
  const body = raw.trim().replace(/^\[(.*)\]$/s, '$1');
  const parts = body.split(',').map((s) => s.trim());
  return parts.map((p) => {
    const x = Number(p);
    if (p === '' || !Number.isFinite(x))
      throw new InputError(
        `flag --${flag} needs a number or a comma-separated list of numbers, got '${raw}'`,
        {},
        p === '' ? raw : p,
      );
    return x;
  });
}
