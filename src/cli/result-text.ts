// How `run` and `merge` print an experiment's result.
import type { ExperimentResult } from '../experiments/index.js';
import { formatTable } from './table.js';

/** A run's result as printed: a table of its tests and its notes, or JSON. */
export function resultText(result: ExperimentResult, seed: number, json: boolean): string {
  if (json) return JSON.stringify({ schema: 'flowproof-run/1', seed, ...result }, null, 2) + '\n';
  const rows = result.evidence.map((e) => ({
    test: e.test,
    estimate: e.estimate,
    ci: `[${e.ci.map((c) => Number(c.toPrecision(4))).join(', ')}]`,
    p: e.pValue,
    alpha: e.alpha,
    mde: e.minDetectableEffect,
    samples: e.samples,
  }));
  const first = result.evidence[0];
  const meta = first
    ? `seed ${seed}, backend ${first.backend}, ${(first.ms / 1000).toFixed(1)} s`
    : `seed ${seed}`;
  const lines = [
    `${result.name}: ${result.passed ? 'passed' : 'FAILED'} (${meta})`,
    formatTable(rows),
    ...result.notes.map((n) => `- ${n}`),
  ];
  return lines.join('\n') + '\n';
}
