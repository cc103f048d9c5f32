// `flowproof run <experiment> [--samples N] [--seed S] [--backend B] [--thorough] [--param k=v]... [--json]`:
// one Monte-Carlo experiment, its tests as a table (or JSON), exit 0 iff every test accepts.
import { InputError } from '../core/errors.js';
import type { Evidence } from '../core/verdict.js';
import { byKind, EVIDENCE_KINDS, evidenceFields } from '../report/evidence.js';
import { getExperiment, listExperiments, runExperiment } from '../experiments/index.js';
import type { Command } from './command.js';
import { parseArgs } from './command.js';
import { createProgress } from './progress.js';
import { formatTable } from './table.js';

const HELP = `flowproof run <experiment> [--samples N] [--seed S] [--backend B] [--thorough]
                              [--param name=value]... [--json] [--quiet]
flowproof run --list

Runs one named Monte-Carlo experiment and prints each test's estimate (the effect it looks for, 0 when
the claim holds), confidence interval, p-value, alpha and minimum detectable effect. Exit 0 when every
test accepts (Holm-corrected within the experiment), 1 when one rejects, 2 on bad input.
--samples sets the experiment's 'samples' parameter; --param sets any other (lists comma-separated).`;

function parseParam(raw: string): [string, string] {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new InputError('run: --param needs the form name=value', {}, raw);
  return [raw.slice(0, eq), raw.slice(eq + 1)];
}

function listText(): string {
  return listExperiments()
    .map((e) => {
      const params = Object.entries(e.params).map(([k, doc]) => `    ${k}: ${doc}`);
      return [`${e.name}  ${e.summary}`, ...params].join('\n');
    })
    .join('\n\n');
}

export const runCommand: Command = {
  summary: 'run one Monte-Carlo experiment (estimates, CIs, p-values, detectable effects)',
  async run(args) {
    const a = parseArgs('run', args, {
      values: { samples: 'number', seed: 'number', backend: 'string', param: 'string' },
      booleans: ['thorough', 'json', 'quiet', 'list', 'help'],
      repeatable: ['param'],
    });
    if (a.booleans.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    if (a.booleans.list) {
      process.stdout.write(listText() + '\n');
      return 0;
    }
    if (a.positional.length !== 1) {
      throw new InputError(
        'run: expected exactly one experiment name (see flowproof run --list)',
        {},
        a.positional.join(' '),
      );
    }
    const name = a.positional[0];
    const experiment = getExperiment(name);
    const params: Record<string, unknown> = Object.fromEntries((a.lists.param ?? []).map(parseParam));
    if (a.values.samples !== undefined) {
      if (!Object.hasOwn(experiment.params, 'samples')) {
        throw new InputError(`run: experiment '${name}' has no 'samples' parameter`, {}, '--samples');
      }
      params.samples = a.values.samples;
    }
    const seed = (a.values.seed as number | undefined) ?? 1;
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new InputError('run: --seed must be a non-negative integer', {}, String(seed));
    const backend = a.values.backend as string | undefined;
    const progress = createProgress(`run ${name}`, { quiet: a.booleans.quiet });
    const result = await runExperiment(name, params, {
      seed,
      backend,
      thorough: a.booleans.thorough,
      onProgress: (fraction, note) => progress.update(fraction, note),
    });
    progress.done(result.passed ? 'passed' : 'FAILED');
    if (a.booleans.json) {
      process.stdout.write(JSON.stringify({ schema: 'flowproof-run/2', seed, ...result }, null, 2) + '\n');
    } else {
      // One table per kind of evidence, each with that kind's own columns (src/report/evidence.ts).
      const tables = (evidence: Evidence[], heading = (label: string) => label) =>
        byKind(evidence).flatMap(([kind, group]) => [
          `${heading(EVIDENCE_KINDS[kind].label)} (${group.length}):`,
          formatTable(
            group.map((e) =>
              Object.fromEntries(
                evidenceFields(e)
                  .filter((x) => !['seed', 'backend', 'ms'].includes(x.key))
                  .map((x) => [x.label, x.value]),
              ),
            ),
          ),
        ]);
      const first = result.evidence[0];
      const meta = first
        ? `seed ${seed}, ${first.kind === 'exact' ? 'arithmetic' : 'backend'} ${first.backend}, ${(first.ms / 1000).toFixed(1)} s`
        : `seed ${seed}`;
      const diagnostics = result.diagnostics ?? [];
      const lines = [
        `${result.name}: ${result.passed ? 'passed' : 'FAILED'} (${meta})`,
        ...tables(result.evidence),
        ...result.notes.map((n) => `- ${n}`),
        ...[...new Set(diagnostics.map((d) => d.whyNotCounted))].flatMap((why) => [
          ...tables(
            diagnostics.filter((d) => d.whyNotCounted === why).map((d) => d.evidence),
            (label) => `diagnostics, not counted (${label})`,
          ),
          `  not counted because ${why}`,
        ]),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    }
    return result.passed ? 0 : 1;
  },
};
