import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sample } from '../../src/samplers/index.js';
import { prestartWorkers, spareWorkers } from '../../src/tensor/workers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('workers started ahead of their job', () => {
  it('are taken by the next run, which gives the same samples as one thread', async () => {
    const opts = { target: 'gmm-2d-8', sampler: 'reverse-sde-em', numSteps: 20, n: 3 * 1024 + 5, seed: 8 };
    const one = await sample({ ...opts, threads: 1 });
    prestartWorkers('wasm-worker', 2);
    expect(spareWorkers('wasm-worker')).toBe(2);
    const three = await sample({ ...opts, threads: 3 });
    expect(three.threads).toBe(3);
    expect(spareWorkers('wasm-worker')).toBe(0);
    expect(three.samples).toEqual(one.samples);
  });

  for (const backend of ['wasm-simd', 'js']) {
    it(`a ${backend} run started by sample() takes every worker it started`, async () => {
      const opts = { target: 'gmm-2d-8', sampler: 'pf-ode-heun', numSteps: 10, n: 2 * 1024, seed: 2 };
      const r = await sample({ ...opts, threads: 2, backend });
      expect(r.threads).toBe(2);
      expect(spareWorkers('wasm-worker') + spareWorkers('js-worker')).toBe(0);
    });
  }

  it('never keep a process alive: one that started workers and gave them no job exits by itself', () => {
    const script = `import { prestartWorkers } from './src/tensor/workers.ts'; prestartWorkers('wasm-worker', 2); console.log('started');`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(out.trim()).toBe('started');
  });
});
