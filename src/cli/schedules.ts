// `flowproof schedules [--name NAME] [--t T] [--json]`: each schedule's quantities at one time.
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { DISCRETE_NAMES, getDiscrete, getPath, isDiscreteName, PATHS } from '../schedules/index.js';
import type { Command } from './command.js';
import { parseArgs } from './command.js';
import { formatTable } from './table.js';

const HELP = `flowproof schedules [--name NAME] [--t T] [--json]

Prints alpha, sigma, dAlpha, dSigma, snr, logSnr, f and g^2 of each continuous path at time t (default 0.5;
for edm, whose time is sigma, default 1), and beta, abar, alpha, sigma of each discrete schedule at step
index t (default 500). Paths: ${Object.keys(PATHS).join(', ')}. Discrete: ${DISCRETE_NAMES.join(', ')}.`;

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
  const s = getDiscrete(name);
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

function inDomain(name: string, t: number): boolean {
  if (Object.hasOwn(PATHS, name)) {
    const p = getPath(name);
    return t >= p.tMin && t <= p.tMax;
  }
  return Number.isInteger(t) && t >= 0 && t <= getDiscrete(name).numSteps;
}

function domainText(name: string): string {
  if (Object.hasOwn(PATHS, name)) {
    const p = getPath(name);
    return `t in [${p.tMin}, ${p.tMax}]`;
  }
  return `step index 0..${getDiscrete(name).numSteps}`;
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
    if (name !== undefined && !Object.hasOwn(PATHS, name) && !isDiscreteName(name)) {
      throw new InputError(
        `unknown schedule '${name}'${didYouMean(name, [...Object.keys(PATHS), ...DISCRETE_NAMES])} (known: ${[...Object.keys(PATHS), ...DISCRETE_NAMES].join(', ')})`,
        {},
        name,
      );
    }
    let names = name === undefined ? [...Object.keys(PATHS), ...DISCRETE_NAMES] : [name];
    // --t is a time for the continuous paths but a step index for the discrete schedules, so one value
    // rarely fits all of them: without --name, list those whose domain holds t and say which are left
    // out (every 'schedules --t 0.5' used to fail on ddpm-linear's index check).
    const omitted: string[] = [];
    if (name === undefined && t !== undefined) {
      omitted.push(...names.filter((n) => !inDomain(n, t)));
      names = names.filter((n) => inDomain(n, t));
      if (names.length === 0)
        throw new InputError(
          `--t ${t} lies outside the domain of every schedule (paths: t in [tMin, tMax]; discrete: an integer step index)`,
          {},
          String(t),
        );
    }
    const continuous = names
      .filter((n) => Object.hasOwn(PATHS, n))
      .map((n) => continuousRow(n, t ?? (n === 'edm' ? 1 : 0.5)));
    const discrete = names.filter((n) => isDiscreteName(n)).map((n) => discreteRow(n, t ?? 500));
    const omittedNote = omitted.map((n) => `${n} (${domainText(n)})`).join(', ');
    if (a.booleans.json) {
      const extra = omitted.length
        ? { omitted: omitted.map((n) => ({ name: n, domain: domainText(n) })) }
        : {};
      process.stdout.write(JSON.stringify({ continuous, discrete, ...extra }, null, 2) + '\n');
      return 0;
    }
    const blocks = [continuous, discrete].filter((rows) => rows.length).map((rows) => formatTable(rows));
    process.stdout.write(blocks.join('\n\n') + '\n');
    if (omitted.length)
      process.stdout.write(`\nNot shown, t = ${t} is outside their domain: ${omittedNote}\n`);
    if (continuous.some((r) => typeof r.g2 === 'number' && r.g2 < 0)) {
      process.stdout.write(
        '\nNote: g2 < 0 means no forward noising SDE exists in that time direction (e.g. the linear path in the flow convention).\n',
      );
    }
    return 0;
  },
};
