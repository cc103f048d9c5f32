// `flowproof schedules [which schedule] [--t T,...] [--json]`: each schedule's quantities at some times,
// every row naming its time convention; `flowproof schedules --aliases`: other libraries' names.
import { InputError } from '../core/errors.js';
import {
  ALIASES,
  aliasName,
  DISCRETE_NAMES,
  LIBRARIES,
  PATHS,
  type AffinePath,
  type DiscreteSchedule,
} from '../schedules/index.js';
import type { Command } from './command.js';
import { parseArgs } from './command.js';
import {
  conventionText,
  numberList,
  resolveSchedule,
  SCHEDULE_FLAGS,
  SCHEDULE_HELP,
  stepIndex,
  type DiscreteSpec,
  type KarrasSpec,
  type PathSpec,
  type ScheduleSpec,
} from './schedule-spec.js';
import { formatTable } from './table.js';

const HELP = `flowproof schedules [--name NAME | --path NAME | --alpha EXPR --sigma EXPR] [--t T[,T...]]
                    [--convention flow|diffusion] [--timestep K --indexing I] [--json]
flowproof schedules --aliases [--json]

Prints alpha, sigma, dAlpha, dSigma, snr = alpha^2/sigma^2, alphaOverSigma, logSnr, f and g^2 of each
continuous path at the times t (default 0.5; for edm, whose time is sigma, 1), and beta, abar, alpha,
sigma, snr, sigmaOverAlpha of each discrete schedule at a step (--t: the DDPM step index, default 500;
or --timestep K in the --indexing of a library), and the Karras sigmas. Without a name: every built-in
path and discrete schedule. Every row names its time convention. --aliases lists the names of
flow_matching, diffusers, k-diffusion and score_sde with flowproof's equivalent (docs/conventions.md).

${SCHEDULE_HELP}`;

type Row = Record<string, unknown>;

function continuousRow(spec: PathSpec, t: number): Row {
  const p = spec.path;
  const alpha = p.alpha(t);
  const sigma = p.sigma(t);
  return {
    name: spec.label,
    convention: spec.convention,
    t,
    alpha,
    sigma,
    dAlpha: p.dAlpha(t),
    dSigma: p.dSigma(t),
    snr: p.snr(t),
    alphaOverSigma: sigma === 0 ? Infinity : alpha / sigma,
    logSnr: p.logSnr(t),
    f: p.f(t),
    g2: p.g2(t),
  };
}

function discreteRow(
  label: string,
  s: DiscreteSchedule,
  tIndex: number,
  timestep: number,
  indexing: string,
): Row {
  const abar = s.abar(tIndex);
  return {
    name: label,
    convention: 'diffusion',
    numSteps: s.numSteps,
    timestep,
    indexing,
    tIndex,
    beta: tIndex >= 1 ? s.betas[tIndex] : 0,
    abar,
    alpha: s.alpha(tIndex),
    sigma: s.sigma(tIndex),
    snr: abar === 1 ? Infinity : abar / (1 - abar),
    sigmaOverAlpha: Math.sqrt((1 - abar) / abar),
  };
}

function karrasRow(spec: KarrasSpec, i: number): Row {
  const sigma = spec.sigmas[i];
  return {
    name: spec.label,
    convention: 'diffusion',
    numSteps: spec.numSteps,
    timestep: i,
    sigma,
    snr: sigma === 0 ? Infinity : 1 / (sigma * sigma),
    logSnr: -2 * Math.log(sigma),
    vpAbar: 1 / (1 + sigma * sigma),
  };
}

function inDomain(p: AffinePath, t: number): boolean {
  return t >= p.tMin && t <= p.tMax;
}

/** The step rows of a discrete schedule: at --timestep (library indexing) or at the DDPM index --t. */
function discreteRows(spec: DiscreteSpec, ts: number[] | undefined, timestep: number | undefined): Row[] {
  if (timestep !== undefined) {
    const tIndex = stepIndex(spec, timestep);
    return [discreteRow(spec.label, spec.schedule, tIndex, timestep, spec.indexing)];
  }
  return (ts ?? [500]).map((t) => discreteRow(spec.label, spec.schedule, t, t, 'one-based'));
}

function aliasesText(): string {
  const rows = ALIASES.map((a) => ({
    name: aliasName(a),
    there: a.spelledThere,
    flowproof: a.flags,
    convention: a.convention,
  }));
  const libs = Object.entries(LIBRARIES).map(
    ([name, l]) => `${name}\n  time: ${l.time}\n  roles: ${l.roles}\n  snr: ${l.snr}`,
  );
  const notes = ALIASES.map((a) => `  ${aliasName(a)}: ${a.note}`);
  return [
    formatTable(rows),
    '',
    'Give a name to --path (e.g. --path flow_matching:Cosine): it resolves to the flowproof schedule in the',
    "library's convention. flowproof's own: snr = alpha^2/sigma^2; time and roles as declared per path.",
    '',
    ...notes,
    '',
    ...libs,
  ].join('\n');
}

function paramsText(spec: ScheduleSpec): string {
  const entries = Object.entries(spec.params);
  const def =
    spec.kind === 'path' && spec.definition
      ? `alpha = ${spec.definition.alpha}, sigma = ${spec.definition.sigma}`
      : '';
  const params = entries.map(([k, v]) => `${k} = ${v}`).join(', ');
  return [def, params].filter(Boolean).join('; ');
}

function headerLine(spec: ScheduleSpec): string {
  const p = spec.kind === 'discrete' ? undefined : spec.path;
  const conv =
    spec.kind === 'discrete'
      ? `diffusion convention: timestep 0 nearest the data; timesteps ${spec.indexing}${spec.indexingGiven ? '' : ' (the default; --indexing to change)'}`
      : spec.kind === 'karras'
        ? 'diffusion convention: sigma = 0 is data; timestep = index i of sigma_i (0 = sigma-max)'
        : `${conventionText(spec.convention, p?.tMin, p?.tMax)}${spec.conventionFrom === 'inferred' ? ' (inferred: snr ' + (spec.convention === 'flow' ? 'rises' : 'falls') + ' with t)' : ''}`;
  const params = paramsText(spec);
  return `${spec.label}${params ? ` (${params})` : ''}, ${conv}`;
}

export const schedulesCommand: Command = {
  summary:
    'print each schedule’s alpha, sigma, derivatives, snr, f and g^2; --aliases: other libraries’ names',
  async run(args) {
    const a = parseArgs('schedules', args, {
      values: { ...SCHEDULE_FLAGS, name: 'string', t: 'string' },
      booleans: ['json', 'help', 'aliases'],
    });
    if (a.booleans.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    if (a.positional.length) throw new InputError('unexpected argument', {}, a.positional[0]);
    if (a.booleans.aliases) {
      const text = a.booleans.json
        ? JSON.stringify({ aliases: ALIASES, libraries: LIBRARIES }, null, 2)
        : aliasesText();
      process.stdout.write(text + '\n');
      return 0;
    }
    const ts = a.values.t === undefined ? undefined : numberList('t', String(a.values.t));
    const timestep = a.values.timestep;
    const spec = resolveSchedule(a.values, ['name', 'path', 'schedule']);
    if (spec !== undefined) return printOne(spec, ts, timestep, a.booleans.json);
    for (const f of ['beta-min', 'beta-max', 'sigma-min', 'sigma-max', 'rho', 'num-steps'] as const)
      if (a.values[f] !== undefined)
        throw new InputError(`--${f} needs a schedule to apply to: give --path NAME`, {}, `--${f}`);

    // Every built-in schedule. --t is a time for the continuous paths but a step index for the discrete
    // schedules, so one value rarely fits all of them: list those whose domain holds t and say which are
    // left out (so 'schedules --t 0.5' does not fail on ddpm-linear's index check).
    const convention = a.values.convention;
    const paths = Object.keys(PATHS).map((n) => resolveSchedule({ path: n, convention }) as PathSpec);
    const discrete = DISCRETE_NAMES.map(
      (n) => resolveSchedule({ schedule: n, indexing: a.values.indexing }) as DiscreteSpec,
    );
    const omitted: { name: string; domain: string }[] = [];
    const shownPaths = paths.filter((s) => {
      const ok = ts === undefined || ts.every((t) => inDomain(s.path, t));
      if (!ok) omitted.push({ name: s.label, domain: `t in [${s.path.tMin}, ${s.path.tMax}]` });
      return ok && timestep === undefined;
    });
    const shownDiscrete = discrete.filter((s) => {
      const ok =
        ts === undefined || ts.every((t) => Number.isInteger(t) && t >= 0 && t <= s.schedule.numSteps);
      if (!ok) omitted.push({ name: s.label, domain: `step index 0..${s.schedule.numSteps}` });
      return ok;
    });
    if (shownPaths.length + shownDiscrete.length === 0)
      throw new InputError(
        `--t ${ts?.join(',')} lies outside the domain of every schedule (paths: t in [tMin, tMax]; discrete: an integer step index)`,
        {},
        String(a.values.t),
      );
    const continuousRows = shownPaths.flatMap((s) =>
      (ts ?? [s.path.tMin > 0 ? 1 : 0.5]).map((t) => continuousRow(s, t)),
    );
    const discreteRowsAll = shownDiscrete.flatMap((s) => discreteRows(s, ts, timestep));
    return print({ continuous: continuousRows, discrete: discreteRowsAll }, omitted, ts, a.booleans.json, []);
  },
};

function printOne(
  spec: ScheduleSpec,
  ts: number[] | undefined,
  timestep: number | undefined,
  json: boolean,
): number {
  const rows: Record<string, Row[]> = {};
  if (spec.kind === 'path') {
    if (timestep !== undefined)
      throw new InputError(
        `--timestep does not apply to ${spec.label} (a continuous path: give --t)`,
        {},
        '--timestep',
      );
    rows.continuous = (ts ?? [spec.path.tMin > 0 ? 1 : 0.5]).map((t) => continuousRow(spec, t));
  } else if (spec.kind === 'discrete') {
    rows.discrete = discreteRows(spec, ts, timestep);
  } else {
    if (ts !== undefined)
      throw new InputError('--t does not apply to karras: give --timestep i (the index of sigma)', {}, '--t');
    if (timestep !== undefined && !(Number.isInteger(timestep) && timestep >= 0 && timestep <= spec.numSteps))
      throw new InputError(
        `--timestep must be an integer from 0 to ${spec.numSteps} (karras, --num-steps ${spec.numSteps})`,
        {},
        String(timestep),
      );
    const indices = timestep === undefined ? [...Array(spec.numSteps + 1).keys()] : [timestep];
    rows.karras = indices.map((i) => karrasRow(spec, i));
  }
  const extra = {
    params: spec.params,
    ...(spec.alias ? { alias: spec.alias } : {}),
    ...(spec.kind === 'path' && spec.definition ? { definition: spec.definition } : {}),
    ...(spec.kind === 'path' ? { conventionFrom: spec.conventionFrom } : {}),
  };
  const jsonRows = Object.fromEntries(
    Object.entries(rows).map(([k, rs]) => [k, rs.map((r) => ({ ...r, ...extra }))]),
  );
  return print(json ? jsonRows : rows, [], ts, json, [headerLine(spec)]);
}

function print(
  blocks: Record<string, Row[]>,
  omitted: { name: string; domain: string }[],
  ts: number[] | undefined,
  json: boolean,
  header: string[],
): number {
  if (json) {
    const out = { continuous: [], discrete: [], ...blocks, ...(omitted.length ? { omitted } : {}) };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  const tables = Object.values(blocks)
    .filter((rows) => rows.length)
    .map((rows) => formatTable(rows));
  const lines = [...header, ...tables.flatMap((t, i) => (i ? ['', t] : [t]))];
  if (omitted.length)
    lines.push(
      '',
      `Not shown, t = ${ts?.join(', ')} is outside their domain: ${omitted.map((o) => `${o.name} (${o.domain})`).join(', ')}`,
    );
  const continuous = blocks.continuous ?? [];
  const notes = [
    'snr = alpha^2/sigma^2 (as diffusers’ compute_snr); alphaOverSigma = alpha/sigma is what flow_matching calls snr.',
  ];
  if (continuous.some((r) => r.name === 'cosine'))
    notes.push(
      "cosine is improved DDPM's (s = 0.008); flow_matching's CosineScheduler is trig in the flow convention (--path flow_matching:Cosine).",
    );
  if (continuous.some((r) => typeof r.g2 === 'number' && r.g2 < 0))
    notes.push(
      'g2 < 0 means no forward noising SDE exists in that time direction (e.g. the linear path in the flow convention).',
    );
  process.stdout.write([...lines, '', ...notes.map((n) => `Note: ${n}`)].join('\n') + '\n');
  return 0;
}
