// `flowproof conform <module> [options]` checks a library's module against flowproof's references;
// `flowproof conform --vectors results.json` grades test vectors a library filled in elsewhere.
import { InputError } from '../core/errors.js';
import {
  conformModule,
  countStatuses,
  DEFAULT_OPTIONS,
  DEFAULT_TOLERANCE,
  conformOutcome,
  FLOAT32_TOLERANCE,
  formatChecks,
  gradeVectors,
  loadUserModule,
  parseVectorFile,
  type CheckResult,
  type ConformOptions,
} from '../conform/index.js';
import { loadPythonModule } from '../conform/python-load.js';
import { DEFAULT_PYTHON } from '../conform/python-session.js';
import { escapeXmlText } from '../report/junit.js';
import type { Command, FlagValues } from './command.js';
import { parseArgs } from './command.js';
import { exitCode } from './exit.js';
import { readTextFile } from '../verify/text-file.js';
import { checkWritable, writeTextFile } from './io.js';

const HELP = `flowproof conform <module.js|module.ts> [--json] [--junit FILE] [--seed N] [--runs N]
                  [--rtol X] [--atol X] [--samples N] [--steps N] [--alpha A] [--no-run]
flowproof conform --python module.py [--python-exe EXE] [--python-timeout S] [same options]
flowproof conform --vectors results.json [--json] [--junit FILE]

Checks a library's exports (schedule alpha/sigma or alphasCumprod, conversions <from>To<To>, a sampler
step) against flowproof's references and identities, as declared by its 'export const meta'. See
docs/conform.md. One line per check; a failure shows the smallest failing input, expected and got.

  --seed N      seed of every random choice (default ${DEFAULT_OPTIONS.seed})
  --runs N      fast-check inputs per property (default ${DEFAULT_OPTIONS.numRuns})
  --rtol, --atol  tolerance of the numeric comparisons (default ${DEFAULT_TOLERANCE.rtol}, ${DEFAULT_TOLERANCE.atol}; ${FLOAT32_TOLERANCE.rtol}, ${FLOAT32_TOLERANCE.atol} for a module declaring dtype 'float32')
  --samples N   samples per run in the full-run check (default 4000)
  --steps N     sampling steps of the full-run check (default 50)
  --alpha A     level of the full-run check's KS test (default 0.001)
  --no-run      leave out the full-run check
  --python F    check a Python module (declared by FLOWPROOF = {...}; a .py path works without the flag)
  --python-exe EXE  the Python to run it with (default: the first python3 on PATH)
  --python-timeout S  longest wait for one Python call, in seconds (default ${DEFAULT_PYTHON.budgetMs / 1000})
  --vectors F   grade a filled-in test-vector file instead (see 'flowproof vectors')

Exit: 0 every check passed or was skipped, 1 a check failed, 2 bad input, 3 inconclusive.`;

const FLAGS = {
  junit: 'string',
  seed: 'number',
  runs: 'number',
  rtol: 'number',
  atol: 'number',
  samples: 'number',
  steps: 'number',
  alpha: 'number',
  vectors: 'string',
  python: 'string',
  'python-exe': 'string',
  'python-timeout': 'number',
} as const;

export const conformCommand: Command = {
  summary: "check another library's schedules, conversions and sampler steps",
  async run(args) {
    const a = parseArgs('conform', args, { values: FLAGS, booleans: ['json', 'help', 'no-run'] });
    if (a.booleans.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    const vectors = a.values.vectors;
    const python = a.values.python;
    if (python !== undefined) a.positional.push(python);
    if (vectors !== undefined && a.positional.length > 0)
      throw new InputError('give either a module or --vectors, not both', {}, a.positional[0]);
    if (vectors === undefined && a.positional.length !== 1)
      throw new InputError(
        'conform needs exactly one module path (or --vectors FILE); see flowproof conform --help',
        {},
        a.positional.join(' ') || '(none)',
      );

    // Check the JUnit path before the checks run, so a missing folder costs no run.
    if (a.values.junit !== undefined) checkWritable(a.values.junit, 'JUnit file');
    let title: string;
    let checks: CheckResult[];
    let json: Record<string, unknown>;
    if (vectors !== undefined) {
      // readTextFile: a folder or a binary file gets its own message, not a JSON syntax error quoting bytes.
      const text = readTextFile(vectors, 'vectors file');
      checks = gradeVectors(parseVectorFile(text, vectors));
      title = `flowproof conform --vectors ${vectors}`;
      json = { vectors };
    } else {
      const opts = options(a.values, a.booleans['no-run']);
      const path = a.positional[0];
      const timeout = a.values['python-timeout'];
      if (timeout !== undefined && !(timeout > 0))
        throw new InputError('--python-timeout must be a positive number of seconds', {}, String(timeout));
      const module =
        python !== undefined || path.endsWith('.py')
          ? await loadPythonModule(path, {
              exe: a.values['python-exe'] ?? DEFAULT_PYTHON.exe,
              budgetMs: timeout !== undefined ? timeout * 1000 : DEFAULT_PYTHON.budgetMs,
            })
          : await loadUserModule(path);
      let report;
      try {
        report = conformModule(module, opts);
      } finally {
        module.dispose?.();
      }
      checks = report.checks;
      title = `flowproof conform ${report.module} (seed ${report.seed}; schedule: ${report.schedule}${report.runtime ? `; ${report.runtime}` : ''})`;
      json = {
        module: report.module,
        seed: report.seed,
        meta: report.meta,
        schedule: report.schedule,
        tolerance: report.tolerance,
        ...(report.runtime ? { runtime: report.runtime, runtimeCpuSeconds: report.runtimeCpuSeconds } : {}),
      };
    }
    const code = exitCode(conformOutcome(checks));
    if (a.values.junit !== undefined) writeJunit(a.values.junit, title, checks);
    if (a.booleans.json) {
      process.stdout.write(
        JSON.stringify(
          {
            format: 'flowproof-conform',
            version: 1,
            ...json,
            summary: countStatuses(checks),
            exitCode: code,
            checks,
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      process.stdout.write(formatChecks(title, checks));
    }
    return code;
  },
};

function options(v: FlagValues<typeof FLAGS>, noRun: boolean): ConformOptions {
  const positive = (
    flag: 'runs' | 'rtol' | 'samples' | 'steps' | 'alpha',
    integer: boolean,
  ): number | undefined => {
    const x = v[flag];
    if (x === undefined) return undefined;
    if (!(x > 0) || (integer && !Number.isInteger(x)))
      throw new InputError(`--${flag} must be a positive ${integer ? 'integer' : 'number'}`, {}, String(x));
    return x;
  };
  const seed = v.seed;
  if (seed !== undefined && !(Number.isSafeInteger(seed) && seed >= 0))
    throw new InputError('--seed must be an integer >= 0', {}, String(seed));
  const alpha = positive('alpha', false);
  if (alpha !== undefined && alpha >= 1)
    throw new InputError('--alpha must lie in (0, 1)', {}, String(alpha));
  const run = DEFAULT_OPTIONS.run as Exclude<ConformOptions['run'], false>;
  return {
    seed: seed ?? DEFAULT_OPTIONS.seed,
    numRuns: positive('runs', true) ?? DEFAULT_OPTIONS.numRuns,
    // Unset fields keep the module's default (float64, or float32 when it declares dtype 'float32').
    tolerance: Object.fromEntries(
      Object.entries({ rtol: positive('rtol', false), atol: v.atol }).filter(([, x]) => x !== undefined),
    ),
    run: noRun
      ? false
      : {
          samples: positive('samples', true) ?? run.samples,
          numSteps: positive('steps', true) ?? run.numSteps,
          alpha: alpha ?? run.alpha,
        },
  };
}

/** JUnit XML: one testcase per check; fail is a <failure>, inconclusive an <error>, skip <skipped/>. */
function writeJunit(file: string, title: string, checks: readonly CheckResult[]): void {
  const n = countStatuses(checks);
  const cases = checks.map((c) => {
    const attrs = `classname="flowproof.conform" name="${escapeXmlText(c.name)}" time="${((c.evidence.ms ?? 0) / 1000).toFixed(3)}"`;
    const detail = escapeXmlText(
      [c.summary, c.counterexample ? JSON.stringify(c.counterexample) : ''].join('\n').trim(),
    );
    if (c.status === 'pass') return `    <testcase ${attrs}/>`;
    if (c.status === 'skip')
      return `    <testcase ${attrs}><skipped message="${escapeXmlText(c.summary)}"/></testcase>`;
    const tag = c.status === 'fail' ? 'failure' : 'error';
    return `    <testcase ${attrs}>\n      <${tag} message="${escapeXmlText(c.summary)}" type="${c.status}">${detail}</${tag}>\n    </testcase>`;
  });
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="flowproof conform" tests="${checks.length}" failures="${n.fail}" errors="${n.inconclusive}">`,
    `  <testsuite name="${escapeXmlText(title)}" tests="${checks.length}" failures="${n.fail}" errors="${n.inconclusive}" skipped="${n.skip}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
  writeTextFile(file, xml, 'JUnit file');
}
