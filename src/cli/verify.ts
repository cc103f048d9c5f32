// `flowproof verify [paths...] [--json FILE] [--junit FILE] [--report FILE] [--only ID] [--seed N]
// [--no-mc] [--thorough] [--quiet]`: check derivation files (default: the built-in derivations/) and
// print one line per claim. Exit 0 iff every claim's verdict is what its file expects, 1 otherwise,
// 2 when an input cannot be read.
import { relative } from 'node:path';
import { InputError } from '../core/errors.js';
import { renderHtmlReport } from '../report/html.js';
import { toJson } from '../report/json.js';
import { toJunit } from '../report/junit.js';
import { formatClaimLine, formatVerifyReport } from '../report/terminal.js';
import { VERIFY_SCHEMA } from '../report/types.js';
import {
  BUILTIN_DERIVATIONS,
  DEFAULT_SEED,
  derivationFiles,
  loadClaims,
  selectClaims,
  verifyClaims,
} from '../verify/index.js';
import type { Command } from './command.js';
import { parseArgs } from './command.js';
import { EXIT } from './exit.js';
import { createProgress } from './progress.js';
import { checkWritable, writeTextFile } from './io.js';

const HELP = `flowproof verify [paths...] [--only ID[,ID...]]... [--json FILE] [--junit FILE] [--report FILE]
                 [--seed N] [--no-mc] [--thorough] [--time-budget MS] [--quiet]

Checks derivation files (Markdown with YAML front matter and LaTeX display math; see
derivations/README.md). Paths are files or folders (every *.md but README.md); the default is the
built-in derivations/. Each chain a = b = c is checked pairwise by the identity engine; experiment
blocks run their Monte-Carlo experiment (larger with --thorough). With --no-mc they are skipped: a
claim's grade is then that of its other steps, and a claim made only of experiments is 'skipped'.
--only keeps the claims with these ids (repeat it or give a comma-separated list).
Prints one line per claim: id, evidence grade, time; under a mismatch, the step, its file:line and the
counterexample. --time-budget caps each identity check (ms); --seed sets the base seed from which
every check's seed is derived (recorded in the evidence). --json writes the report (schema ${VERIFY_SCHEMA}), --junit JUnit XML, --report HTML.
Exit 0 iff every claim checked matches its 'expect'; 1 otherwise; 2 for unreadable input.`;

export const verifyCommand: Command = {
  summary: 'check derivation files (LaTeX) and print one evidence grade per claim',
  async run(args) {
    const a = parseArgs('verify', args, {
      values: {
        json: 'string',
        junit: 'string',
        report: 'string',
        only: 'string',
        seed: 'number',
        'time-budget': 'number',
      },
      booleans: ['no-mc', 'thorough', 'quiet', 'help'],
      repeatable: ['only'],
    });
    if (a.booleans.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    const seed = a.values.seed ?? DEFAULT_SEED;
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new InputError('verify: --seed must be a non-negative integer', {}, String(seed));
    const budget = a.values['time-budget'];
    if (budget !== undefined && !(budget > 0))
      throw new InputError(
        'verify: --time-budget must be a positive number of milliseconds',
        {},
        String(budget),
      );
    // Output paths are checked before the run, so a typo does not waste it.
    const outputs = [
      ['json', 'JSON report'],
      ['junit', 'JUnit report'],
      ['report', 'HTML report'],
    ] as const;
    for (const [flag, what] of outputs) {
      const path = a.values[flag];
      if (path) checkWritable(path, what);
    }
    const paths = a.positional.length > 0 ? a.positional : [BUILTIN_DERIVATIONS];
    const shown = (f: string) => (a.positional.length > 0 ? f : relative(process.cwd(), f) || f);
    let claims = loadClaims(derivationFiles(paths), shown);
    // --only a --only b,c: every id given must exist; the claims keep their file order.
    const onlyIds = (a.lists.only ?? []).flatMap((s) => s.split(',')).map((s) => s.trim());
    if (onlyIds.includes(''))
      throw new InputError('verify: --only needs a claim id', {}, (a.lists.only ?? []).join(','));
    const only = onlyIds.length > 0 ? [...new Set(onlyIds)].join(',') : undefined;
    if (only !== undefined) claims = selectClaims(claims, onlyIds);

    const progress = createProgress('verify', { quiet: a.booleans.quiet });
    const width = Math.max(...claims.map((c) => c.id.length));
    const report = await verifyClaims(claims, {
      seed,
      monteCarlo: !a.booleans['no-mc'],
      thorough: a.booleans.thorough,
      timeBudgetMs: budget,
      only,
      onProgress: (fraction, note) => progress.update(fraction, note),
      onClaim: (result) => {
        if (!a.booleans.quiet) process.stdout.write(formatClaimLine(result, width) + '\n');
      },
    });
    progress.done();
    const lines = formatVerifyReport(report).split('\n');
    const summaryLine = lines[lines.length - 1];
    process.stdout.write((a.booleans.quiet ? formatVerifyReport(report) : '\n' + summaryLine) + '\n');
    const render = { json: toJson, junit: toJunit, report: renderHtmlReport };
    for (const [flag, what] of outputs) {
      const path = a.values[flag];
      if (path) writeTextFile(path, render[flag](report), what);
    }
    return report.summary.mismatching === 0 ? EXIT.passed : EXIT.rejected;
  },
};
