// `npm run bench:reflow`: the 3-round reflow of `reflow-straightness` at its default sizes (gmm-2d-8,
// 8000 particles, 60 FM-Heun steps, 2 trained rounds of 1200 Adam steps on a 2x64 MLP) against its
// budget of 180 s, several repetitions, medians, with the time split into phases. Flags: --reps R
// (default 3), --backends list (default tfjs-wasm; e.g. tfjs-wasm,tfjs-cpu to compare side by side in one
// run, interleaved), --seed S.
import { parseArgs } from '../../src/cli/command.js';
import { runExperiment } from '../../src/experiments/index.js';
import type { ReflowRound } from '../../src/experiments/reflow-straightness.js';

const BUDGET_S = 180;
const args = parseArgs('bench:reflow', process.argv.slice(2), {
  values: { reps: 'number', backends: 'string', seed: 'number' },
});
const reps = Number(args.values.reps ?? 3);
const backends = String(args.values.backends ?? 'tfjs-wasm').split(',');
const seed = Number(args.values.seed ?? 1);

interface Timing {
  total: number;
  exactSim: number;
  train: number;
  learnedSim: number;
  passed: boolean;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

const timings: Record<string, Timing[]> = Object.fromEntries(backends.map((b) => [b, []]));
for (let r = 0; r < reps; r++) {
  for (const backend of backends) {
    const t0 = performance.now();
    const result = await runExperiment('reflow-straightness', {}, { seed: seed + r, backend });
    const total = (performance.now() - t0) / 1000;
    const rounds = result.data?.rounds as ReflowRound[];
    const t: Timing = {
      total,
      exactSim: rounds[0].simulateMs / 1000,
      train: sum(rounds.map((x) => x.trainMs)) / 1000,
      learnedSim: sum(rounds.slice(1).map((x) => x.simulateMs)) / 1000,
      passed: result.outcome === 'passed',
    };
    timings[backend].push(t);
    process.stderr.write(
      `rep ${r + 1}/${reps} ${backend}: ${total.toFixed(1)} s (exact sim ${t.exactSim.toFixed(1)}, training ${t.train.toFixed(1)}, learned sims ${t.learnedSim.toFixed(1)}), passed ${t.passed}\n`,
    );
  }
}

const rows = backends.map((b) => {
  const ts = timings[b];
  const pick = (f: (t: Timing) => number) => median(ts.map(f)).toFixed(1);
  return [
    b,
    pick((t) => t.total),
    pick((t) => t.exactSim),
    pick((t) => t.train),
    pick((t) => t.learnedSim),
    (median(ts.map((t) => t.total)) / BUDGET_S).toFixed(2),
    `${ts.filter((t) => t.passed).length}/${ts.length}`,
  ];
});
const header = ['backend', 'median s', 'exact sim', 'training', 'learned sims', 'x budget', 'passed'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padStart(widths[i])).join('  '));
const best = Math.min(...backends.map((b) => median(timings[b].map((t) => t.total))));
console.log(
  `reflow 3 rounds (default sizes): median ${best.toFixed(1)} s, budget ${BUDGET_S} s, ratio ${(best / BUDGET_S).toFixed(2)}`,
);
