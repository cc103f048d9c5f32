// `flowproof verify [paths...] [--json FILE] [--junit FILE] [--report FILE] [--only ID] [--seed N]
// [--no-mc] [--thorough] [--quiet]`: check derivation files (default: the built-in derivations/) and
// print one line per claim. Exit 0 iff every claim's verdict is what its file expects, 1 otherwise,
// 2 when an input cannot be read.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { GRADES, type Grade } from '../core/verdict.js';
import { MAX_FILE_BYTES, readDerivation, type Claim } from '../derivation/file.js';
import { renderHtmlReport } from '../report/html.js';
import { toJson } from '../report/json.js';
import { toJunit } from '../report/junit.js';
import { formatClaimLine, formatVerifyReport } from '../report/terminal.js';
import {
  outcome,
  VERIFY_SCHEMA,
  type ClaimResult,
  type Outcome,
  type VerifyReport,
} from '../report/types.js';
import { checkClaim } from '../verify/claims.js';
import type { Command } from './command.js';
import { parseArgs } from './command.js';
import { createProgress } from './progress.js';
import { checkWritable, writeTextFile } from './io.js';

export const BUILTIN_DERIVATIONS = fileURLToPath(new URL('../../derivations/', import.meta.url));
export const DEFAULT_SEED = 20240607;

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

/** The derivation files under `paths` (folders: their *.md files except README.md), sorted. */
export function derivationFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new InputError('no such file or folder', { file: p });
    }
    if (st.isDirectory()) {
      const md = readdirSync(p)
        .filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md')
        .sort()
        .map((f) => join(p, f));
      if (md.length === 0) throw new InputError('no derivation files (*.md) in this folder', { file: p });
      out.push(...md);
    } else out.push(p);
  }
  return out;
}

/** Read and parse one derivation file; unreadable or malformed input is an InputError. */
export function loadDerivation(path: string, shownAs: string = path): Claim {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new InputError('cannot read file', { file: shownAs });
  }
  if (size > MAX_FILE_BYTES)
    throw new InputError(
      `derivation file is larger than ${MAX_FILE_BYTES} bytes`,
      { file: shownAs },
      `${size} bytes`,
    );
  const bytes = readFileSync(path);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError('not a text file (invalid UTF-8)', { file: shownAs });
  }
  return readDerivation(text, shownAs);
}

/** The package version, for reports. */
export function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function summarize(claims: ClaimResult[], ms: number): VerifyReport['summary'] {
  const byGrade = Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>;
  const count: Record<Outcome, number> = { match: 0, mismatch: 0, skipped: 0 };
  for (const c of claims) {
    count[outcome(c)]++;
    if (!c.skipped) byGrade[c.verdict.grade]++;
  }
  return {
    total: claims.length,
    matching: count.match,
    mismatching: count.mismatch,
    skipped: count.skipped,
    byGrade,
    ms,
  };
}

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
    const files = derivationFiles(paths);
    const shown = (f: string) => (a.positional.length > 0 ? f : relative(process.cwd(), f) || f);
    let claims = files.map((f) => loadDerivation(f, shown(f)));
    const ids = new Map<string, string>();
    for (const c of claims) {
      const prev = ids.get(c.id);
      if (prev)
        throw new InputError(
          `claim id '${c.id}' is used by two files (${prev})`,
          { file: c.file, line: 2 },
          c.id,
        );
      ids.set(c.id, c.file);
    }
    // --only a --only b,c: every id given must exist; the claims keep their file order.
    const onlyIds = (a.lists.only ?? []).flatMap((s) => s.split(',')).map((s) => s.trim());
    for (const id of onlyIds) {
      if (id === '')
        throw new InputError('verify: --only needs a claim id', {}, (a.lists.only ?? []).join(','));
      if (!ids.has(id))
        throw new InputError(`verify: no claim with id '${id}'${didYouMean(id, ids.keys())}`, {}, id);
    }
    const only = onlyIds.length > 0 ? [...new Set(onlyIds)].join(',') : undefined;
    if (only !== undefined) claims = claims.filter((c) => onlyIds.includes(c.id));

    const progress = createProgress('verify', { quiet: a.booleans.quiet });
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    const results: ClaimResult[] = [];
    const width = Math.max(...claims.map((c) => c.id.length));
    for (const [i, claim] of claims.entries()) {
      const result = await checkClaim(claim, {
        seed,
        monteCarlo: !a.booleans['no-mc'],
        thorough: a.booleans.thorough,
        timeBudgetMs: budget,
        onProgress: (note) => progress.update(i / claims.length, note),
      });
      results.push(result);
      if (!a.booleans.quiet) process.stdout.write(formatClaimLine(result, width) + '\n');
    }
    progress.done();
    const report: VerifyReport = {
      schema: VERIFY_SCHEMA,
      tool: { name: 'flowproof', version: toolVersion() },
      startedAt,
      seed,
      options: { monteCarlo: !a.booleans['no-mc'], thorough: a.booleans.thorough, ...(only ? { only } : {}) },
      claims: results,
      summary: summarize(results, performance.now() - t0),
    };
    const lines = formatVerifyReport(report).split('\n');
    const summaryLine = lines[lines.length - 1];
    process.stdout.write((a.booleans.quiet ? formatVerifyReport(report) : '\n' + summaryLine) + '\n');
    const render = { json: toJson, junit: toJunit, report: renderHtmlReport };
    for (const [flag, what] of outputs) {
      const path = a.values[flag];
      if (path) writeTextFile(path, render[flag](report), what);
    }
    return report.summary.mismatching === 0 ? 0 : 1;
  },
};
