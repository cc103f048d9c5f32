// How `run` and `merge` print an experiment's result: one table per kind of evidence, each with that
// kind's own columns (src/report/evidence.ts), its notes, and the diagnostics with why they do not count.
import type { Evidence } from '../core/verdict.js';
import type { ExperimentResult } from '../experiments/index.js';
import { byKind, EVIDENCE_KINDS, evidenceFields } from '../report/evidence.js';
import { OUTCOME_LABEL } from './exit.js';
import { formatTable } from './table.js';

/** The JSON schema of `run --json` and of a merged sharded run's result.json. */
export const RUN_SCHEMA = 'flowproof-run/3';

/** A run's result as printed, or as JSON. */
export function resultText(result: ExperimentResult, seed: number, json: boolean): string {
  if (json) return JSON.stringify({ schema: RUN_SCHEMA, seed, ...result }, null, 2) + '\n';
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
    `${result.name}: ${OUTCOME_LABEL[result.outcome]} (${meta})`,
    ...(result.outcome === 'inconclusive' ? [`- inconclusive: ${result.reason}`] : []),
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
  return lines.join('\n') + '\n';
}
