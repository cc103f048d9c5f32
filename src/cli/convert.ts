// `flowproof convert --from eps --to data --value V --x X --path vp-sde --t T [--json]`
import { InputError } from '../core/errors.js';
import {
  convert,
  needsDerivatives,
  pathPoint,
  PARAMETERIZATIONS,
  type Parameterization,
} from '../params/index.js';
import { getPath } from '../schedules/index.js';
import type { Command } from './command.js';
import { parseArgs } from './command.js';

const HELP = `flowproof convert --from P --to Q --value V --x X --path NAME --t T [--json]

Converts one coordinate of a model output V of parameterization P, at state x_t = X on path NAME at time T,
into parameterization Q. Parameterizations: ${PARAMETERIZATIONS.join(', ')}.`;

function parameterization(flag: string, v: unknown): Parameterization {
  if (typeof v !== 'string' || !(PARAMETERIZATIONS as readonly string[]).includes(v)) {
    throw new InputError(`--${flag} must be one of ${PARAMETERIZATIONS.join(', ')}`, {}, String(v));
  }
  return v as Parameterization;
}

function required(a: Record<string, unknown>, flag: string): unknown {
  if (a[flag] === undefined) throw new InputError(`missing --${flag}`, {}, `--${flag}`);
  return a[flag];
}

export const convertCommand: Command = {
  summary: 'convert a value between eps, data, vPred, score and velocity',
  async run(args) {
    const a = parseArgs('convert', args, {
      values: { from: 'string', to: 'string', value: 'number', x: 'number', path: 'string', t: 'number' },
      booleans: ['json', 'help'],
    });
    if (a.booleans.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    // A stray word (e.g. a value without its flag) was silently ignored.
    if (a.positional.length > 0) throw new InputError('convert: unexpected argument', {}, a.positional[0]);
    const from = parameterization('from', required(a.values, 'from'));
    const to = parameterization('to', required(a.values, 'to'));
    const value = required(a.values, 'value') as number;
    const x = required(a.values, 'x') as number;
    const pathName = (a.values.path as string | undefined) ?? 'vp-sde';
    const t = required(a.values, 't') as number;
    const withDerivatives = needsDerivatives(from, to);
    const c = pathPoint(getPath(pathName), t, withDerivatives);
    const result = convert(from, to, value, x, c);
    if (a.booleans.json) {
      process.stdout.write(
        JSON.stringify({
          from,
          to,
          value,
          x,
          path: pathName,
          t,
          ...(withDerivatives ? c : { alpha: c.alpha, sigma: c.sigma }),
          result,
        }) + '\n',
      );
    } else {
      process.stdout.write(`${to} = ${result}   (${from} = ${value}, x = ${x}, ${pathName} at t = ${t})\n`);
    }
    return 0;
  },
};
