// `flowproof convert --from P --to Q --value V --x X <which schedule> (--t T | --timestep K) [--json]`:
// one model output (a number or a vector, coordinate-wise) converted between parameterizations. Every
// output line and JSON record states the schedule, its parameters and the time convention, because a
// time or a velocity read in the wrong convention gives plausible but wrong numbers.
import { InputError } from '../core/errors.js';
import { convert, needsDerivatives, parameterizationOf, pathPoint, type PathPoint } from '../params/index.js';
import { PARAMETERIZATION_ALIASES, PARAMETERIZATIONS } from '../params/index.js';
import type { Command } from './command.js';
import { parseArgs } from './command.js';
import {
  conventionText,
  numberList,
  resolveSchedule,
  SCHEDULE_FLAGS,
  SCHEDULE_HELP,
  stepIndex,
  type ScheduleSpec,
} from './schedule-spec.js';

const HELP = `flowproof convert --from P --to Q --value V --x X <which schedule> (--t T | --timestep K) [--json]

Converts a model output V of parameterization P at the state x_t = X into parameterization Q, for the
affine path x_t = alpha data + sigma noise at time T (or a discrete schedule's timestep K). V and X are
numbers or comma-separated vectors of one length (a single X or V is used for every coordinate).
Parameterizations: ${PARAMETERIZATIONS.join(', ')}; also ${Object.entries(PARAMETERIZATION_ALIASES)
  .map(([k, v]) => `${k} (= ${v})`)
  .join(', ')}.
vPred = alpha eps - sigma data; score = -eps/sigma; velocity = dAlpha data + dSigma eps, the dx/dt of the
convention in force (its sign flips with --convention). The schedule is required.

${SCHEDULE_HELP}`;

/** The coefficients at the requested time, and how that time is described in outputs. */
function coefficients(
  spec: ScheduleSpec,
  t: number | undefined,
  timestep: number | undefined,
  derivatives: boolean,
): { c: PathPoint; at: Record<string, number | string>; where: string } {
  if (spec.kind === 'path') {
    if (timestep !== undefined)
      throw new InputError(
        `--timestep does not apply to ${spec.label} (a continuous path: give --t)`,
        {},
        '--timestep',
      );
    if (t === undefined) throw new InputError('missing --t', {}, '--t');
    const p = spec.path;
    return {
      c: pathPoint(p, t, derivatives),
      at: { t },
      where: `${spec.label} at t = ${t}, ${conventionText(spec.convention, p.tMin, p.tMax)}`,
    };
  }
  if (t !== undefined)
    throw new InputError(
      `--t does not apply to ${spec.label}: give --timestep K${spec.kind === 'discrete' ? ' (with --indexing)' : ' (the index of sigma)'}`,
      {},
      '--t',
    );
  if (timestep === undefined) throw new InputError('missing --timestep', {}, '--timestep');
  if (spec.kind === 'discrete') {
    if (derivatives)
      throw new InputError(
        `velocity needs dAlpha and dSigma, which the discrete schedule ${spec.label} does not define: use a continuous path`,
        {},
        'velocity',
      );
    const tIndex = stepIndex(spec, timestep);
    const s = spec.schedule;
    const indexing = `${spec.indexing}${spec.indexingGiven ? '' : ' (default)'}`;
    return {
      c: { alpha: s.alpha(tIndex), sigma: s.sigma(tIndex), dAlpha: NaN, dSigma: NaN },
      at: { timestep, indexing: spec.indexing, tIndex, abar: s.abar(tIndex) },
      where: `${spec.label} at timestep ${timestep} ${indexing} = abar[${tIndex}] of T = ${s.numSteps}, diffusion convention: timestep 0 nearest the data`,
    };
  }
  if (!(Number.isInteger(timestep) && timestep >= 0 && timestep < spec.numSteps))
    throw new InputError(
      `--timestep must be an integer from 0 to ${spec.numSteps - 1} (the index of a karras sigma > 0, --num-steps ${spec.numSteps})`,
      {},
      String(timestep),
    );
  const sigma = spec.sigmas[timestep];
  return {
    c: pathPoint(spec.path, sigma, derivatives),
    at: { timestep, t: sigma },
    where: `${spec.label} at index ${timestep}: edm at t = sigma = ${sigma}, diffusion convention: sigma = 0 data`,
  };
}

export const convertCommand: Command = {
  summary: 'convert a value between eps, data, vPred, score and velocity on any schedule',
  async run(args) {
    const a = parseArgs('convert', args, {
      values: { ...SCHEDULE_FLAGS, from: 'string', to: 'string', value: 'string', x: 'string', t: 'number' },
      booleans: ['json', 'help'],
    });
    if (a.booleans.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    // A stray word (e.g. a value without its flag) was silently ignored.
    if (a.positional.length > 0) throw new InputError('convert: unexpected argument', {}, a.positional[0]);
    const v = a.values;
    const required = (flag: 'from' | 'to' | 'value' | 'x'): string => {
      const given = v[flag];
      if (given === undefined) throw new InputError(`missing --${flag}`, {}, `--${flag}`);
      return given;
    };
    const [fromText, toText, valueText, xText] = [
      required('from'),
      required('to'),
      required('value'),
      required('x'),
    ];
    const from = parameterizationOf(fromText, 'from');
    const to = parameterizationOf(toText, 'to');
    const values = numberList('value', valueText);
    const xs = numberList('x', xText);
    if (values.length > 1 && xs.length > 1 && values.length !== xs.length)
      throw new InputError(
        `--value has ${values.length} coordinates but --x has ${xs.length}`,
        {},
        `${v.value} | ${v.x}`,
      );
    const spec = resolveSchedule(v);
    if (spec === undefined)
      throw new InputError(
        "missing the schedule: give --path NAME (a built-in path, a discrete schedule or a library's name: see 'flowproof schedules --aliases') or --alpha EXPR --sigma EXPR",
        {},
        '--path',
      );
    const derivatives = needsDerivatives(from, to);
    const { c, at, where } = coefficients(spec, v.t, v.timestep, derivatives);
    const n = Math.max(values.length, xs.length);
    const results = [...Array(n).keys()].map((i) =>
      convert(from, to, values[values.length > 1 ? i : 0], xs[xs.length > 1 ? i : 0], c),
    );
    const vector = n > 1 || values.length > 1 || xs.length > 1;
    const one = (list: number[]) => (vector ? list : list[0]);
    const show = (list: number[]) => (vector ? `[${list.join(', ')}]` : String(list[0]));
    if (a.booleans.json) {
      process.stdout.write(
        JSON.stringify({
          from,
          to,
          value: one(values),
          x: one(xs),
          path: spec.label,
          ...(spec.alias ? { alias: spec.alias } : {}),
          ...(spec.kind === 'path' && spec.definition ? { definition: spec.definition } : {}),
          convention: spec.convention,
          ...(Object.keys(spec.params).length ? { params: spec.params } : {}),
          ...at,
          ...(derivatives ? c : { alpha: c.alpha, sigma: c.sigma }),
          result: one(results),
        }) + '\n',
      );
    } else {
      process.stdout.write(
        `${to} = ${show(results)}   (${from} = ${show(values)}, x = ${show(xs)}; ${where})\n`,
      );
    }
    return 0;
  },
};
