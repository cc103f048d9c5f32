// `flowproof schedules [--name NAME] [--t T] [--json]`: each schedule's quantities at one time.
import { InputError } from '../core/errors.js';
import { ddpmCosine, ddpmLinear, getPath, PATHS, type DiscreteSchedule } from '../schedules/index.js';
import type { Command } from './command.js';
import { parseArgs } from './command.js';
import { formatTable } from './table.js';

const DISCRETE: Record<string, () => DiscreteSchedule> = {
  'ddpm-linear': () => ddpmLinear(),
  'ddpm-cosine': () => ddpmCosine(),
};

const HELP = `flowproof schedules [--name NAME] [--t T] [--json]

Prints alpha, sigma, dAlpha, dSigma, snr, logSnr, f and g^2 of each continuous path at time t (default 0.5;
for edm, whose time is sigma, default 1), and beta, abar, alpha, sigma of each discrete schedule at step
index t (default 500). Paths: ${Object.keys(PATHS).join(', ')}. Discrete: ${Object.keys(DISCRETE).join(', ')}.`;

type Row = Record<string, string | number>;

function continuousRow(name: string, t: number): Row {
  const p = getPath(name);
  return {
    name,
    convention: p.convention,
    t,
    alpha: p.alpha(t),
    sigma: p.sigma(t),
    dAlpha: p.dAlpha(t),
    dSigma: p.dSigma(t),
    snr: p.snr(t),
    logSnr: p.logSnr(t),
    f: p.f(t),
    g2: p.g2(t),
  };
}

function discreteRow(name: string, tIndex: number): Row {
  const s = DISCRETE[name]();
  return {
    name,
    numSteps: s.numSteps,
    tIndex,
    beta: tIndex >= 1 ? s.betas[tIndex] : 0,
    abar: s.abar(tIndex),
    alpha: s.alpha(tIndex),
    sigma: s.sigma(tIndex),
  };
}

export const schedulesCommand: Command = {
  summary: 'print each schedule’s alpha, sigma, derivatives, snr, f and g^2',
  async run(args) {
    const a = parseArgs('schedules', args, {
      values: { name: 'string', t: 'number' },
      booleans: ['json', 'help'],
    });
    if (a.booleans.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    if (a.positional.length) throw new InputError('unexpected argument', {}, a.positional[0]);
    const name = a.values.name as string | undefined;
    const t = a.values.t as number | undefined;
    if (name !== undefined && !Object.hasOwn(PATHS, name) && !Object.hasOwn(DISCRETE, name)) {
      throw new InputError(
        `unknown schedule '${name}' (known: ${[...Object.keys(PATHS), ...Object.keys(DISCRETE)].join(', ')})`,
        {},
        name,
      );
    }
    const names = name === undefined ? [...Object.keys(PATHS), ...Object.keys(DISCRETE)] : [name];
    const continuous = names
      .filter((n) => Object.hasOwn(PATHS, n))
      .map((n) => continuousRow(n, t ?? (n === 'edm' ? 1 : 0.5)));
    const discrete = names.filter((n) => Object.hasOwn(DISCRETE, n)).map((n) => discreteRow(n, t ?? 500));
    if (a.booleans.json) {
      process.stdout.write(JSON.stringify({ continuous, discrete }, null, 2) + '\n');
      return 0;
    }
    const blocks = [continuous, discrete].filter((rows) => rows.length).map((rows) => formatTable(rows));
    process.stdout.write(blocks.join('\n\n') + '\n');
    if (continuous.some((r) => typeof r.g2 === 'number' && r.g2 < 0)) {
      process.stdout.write(
        '\nNote: g2 < 0 means no forward noising SDE exists in that time direction (e.g. the linear path in the flow convention).\n',
      );
    }
    return 0;
  },
};
