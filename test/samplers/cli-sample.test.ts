import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';

describe('flowproof sample', () => {
  it('runs a sampler, prints moments next to the exact ones and writes CSV / JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fp-sample-'));
    const csv = join(dir, 's.csv');
    const r = runCli([
      'sample',
      '--target',
      'gmm-1d-2',
      '--sampler',
      'pf-ode-heun',
      '--steps',
      '40',
      '--n',
      '3000',
      '--seed',
      '1',
      '--out',
      csv,
      '--quiet',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /pf-ode-heun on gmm-1d-2: vp-sde \(diffusion\), 40 steps, n = 3000, seed 1, backend wasm-simd/,
    );
    expect(r.stdout).toMatch(/exactMean/);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('dim0');
    expect(lines.length).toBe(3001);
    const json = join(dir, 's.json');
    const j = runCli([
      'sample',
      '--target',
      'gmm-2d-8',
      '--sampler',
      'ddim',
      '--steps',
      '20',
      '--n',
      '50',
      '--seed',
      '2',
      '--out',
      json,
      '--json',
    ]);
    expect(j.code).toBe(0);
    const summary = JSON.parse(j.stdout);
    expect(summary).toMatchObject({
      schema: 'flowproof-sample/1',
      sampler: 'ddim',
      path: 'ddpm-linear',
      n: 50,
      d: 2,
      seed: 2,
    });
    const file = JSON.parse(readFileSync(json, 'utf8'));
    expect(file.samples.length).toBe(50);
    expect(file.samples[0].length).toBe(2);
  });

  it('bad input exits 2 with a message naming the offending piece, never a stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [['--target', 'nope', '--sampler', 'ddpm'], /unknown target 'nope'/],
      [['--target', 'gmm-1d-2', '--sampler', 'euler'], /unknown sampler 'euler'/],
      [['--target', 'gmm-1d-2', '--sampler', 'ddpm', '--steps', '0'], /--steps must be an integer >= 1/],
      [
        ['--target', 'gmm-1d-2', '--sampler', 'ddpm', '--schedule', 'ddpm-linear', '--steps', '2000'],
        /'numSteps' = 2000 must be <= 1000, the number of step indices/,
      ],
      [['--target', 'gmm-1d-2', '--sampler', 'pf-ode-heun', '--backend', 'tfjs-node-gpu'], /not installed/],
      [
        ['--target', 'gmm-1d-2', '--sampler', 'pf-ode-heun', '--out', 'x.txt', '--n', '10', '--steps', '2'],
        /--out must end in .json or .csv/,
      ],
    ];
    // In-process through main() (a spawned CLI per case costs seconds); stderr captured.
    for (const [args, message] of cases) {
      let stderr = '';
      const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
        stderr += String(chunk);
        return true;
      });
      try {
        expect(await main(['sample', ...args, '--quiet']), args.join(' ')).toBe(2);
      } finally {
        spy.mockRestore();
      }
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });
});
