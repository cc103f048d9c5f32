// `flowproof vectors --out vectors.json [--seed N]`: test vectors for libraries in other languages.
import { InputError } from '../core/errors.js';
import { buildVectors } from '../conform/index.js';
import type { Command } from './command.js';
import { parseArgs } from './command.js';
import { checkWritable, writeTextFile } from './io.js';

const HELP = `flowproof vectors --out FILE [--seed N]

Writes inputs and flowproof's expected outputs for every schedule, conversion and sampler-step check as
JSON (format in docs/conform.md). Fill in each case's "got" with your library's result, then grade with
'flowproof conform --vectors FILE'. With --out -, writes to stdout.`;

export const vectorsCommand: Command = {
  summary: 'write conformance test vectors (JSON) for libraries in other languages',
  async run(args) {
    const a = parseArgs('vectors', args, { values: { out: 'string', seed: 'number' }, booleans: ['help'] });
    if (a.booleans.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    if (a.positional.length > 0)
      throw new InputError('vectors takes no positional arguments', {}, a.positional[0]);
    const out = a.values.out;
    if (out === undefined) throw new InputError('missing --out FILE (or --out - for stdout)', {}, '--out');
    const seed = a.values.seed ?? 1;
    if (!(Number.isSafeInteger(seed) && seed >= 0))
      throw new InputError('--seed must be an integer >= 0', {}, String(seed));
    if (out !== '-') checkWritable(out, 'vectors file');
    const v = buildVectors(seed);
    const text = JSON.stringify(v, null, 1) + '\n';
    if (out === '-') {
      process.stdout.write(text);
      return 0;
    }
    // The message says why (missing folder, a folder, permission), not only that it failed.
    writeTextFile(out, text, 'vectors file');
    const cases = v.checks.reduce((n, c) => n + c.cases.length, 0);
    process.stderr.write(`wrote ${v.checks.length} checks, ${cases} cases (seed ${seed}) to ${out}\n`);
    return 0;
  },
};
