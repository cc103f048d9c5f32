// One flowproof run of a benchmark workload (spawned by mc-bench.ts so its peak memory is its own).
// Input: JSON on argv[2] ({ target, sampler, steps, n, seed, tEnd, backend }; target a built-in name or
// { name, weights, means, variances }); output: one JSON line. It runs the compiled package in dist/
// (built by mc-bench.ts), as the CLI does: worker threads then start without a TypeScript loader
// (under tsx each worker transpiles its module graph, seconds on a loaded machine).
import { resourceUsage } from 'node:process';
import type { MixtureSpec } from '../../src/targets/index.js';

const dist = (module: string): Promise<unknown> =>
  import(new URL(`../../dist/${module}`, import.meta.url).href);
const { sample } = (await dist('samplers/index.js')) as typeof import('../../src/samplers/index.js');
const { GaussianMixture } = (await dist('targets/index.js')) as typeof import('../../src/targets/index.js');

const spec = JSON.parse(process.argv[2]) as {
  target: string | ({ name: string } & MixtureSpec);
  sampler: string;
  steps: number;
  n: number;
  seed: number;
  tEnd: number;
  backend: string;
};
const cpu0 = process.cpuUsage();
const r = await sample({
  target: typeof spec.target === 'string' ? spec.target : new GaussianMixture(spec.target.name, spec.target),
  sampler: spec.sampler,
  path: 'vp-sde',
  numSteps: spec.steps,
  n: spec.n,
  seed: spec.seed,
  tEnd: spec.tEnd,
  backend: spec.backend,
});
const cpu = process.cpuUsage(cpu0);
const mean = new Array(r.d).fill(0);
const m2 = new Array(r.d).fill(0);
for (let i = 0; i < r.n; i++) {
  for (let j = 0; j < r.d; j++) {
    mean[j] += r.samples[i * r.d + j] / r.n;
    m2[j] += r.samples[i * r.d + j] ** 2 / r.n;
  }
}
const variance = m2.map((s, j) => s - mean[j] ** 2);
process.stdout.write(
  JSON.stringify({
    seconds: r.ms / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    mean,
    var: variance,
    maxRssMb: resourceUsage().maxRSS / 1024,
    threads: r.threads,
    backend: r.backend,
  }) + '\n',
);
