// `flowproof run` end to end, through the real CLI entry.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { getExperiment } from '../../src/experiments/index.js';
import { runCli } from '../helpers/cli.js';

describe('flowproof run', () => {
  it('--list names every experiment with its parameters', () => {
    const r = runCli(['run', '--list']);
    expect(r.code).toBe(0);
    for (const name of [
      'sampler-recovers-data',
      'pf-ode-vs-sde-marginals',
      'tweedie-score',
      'cnf-likelihood',
    ])
      expect(r.stdout).toContain(name);
    expect(r.stdout).toMatch(/mutation: a deliberate bug to inject/);
  });

  it('--json prints the result with its seed and evidence; a true claim exits 0', () => {
    const r = runCli(['run', 'tweedie-score', '--seed', '4', '--samples', '5000', '--json', '--quiet']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      schema: 'flowproof-run/3',
      seed: 4,
      name: 'tweedie-score',
      outcome: 'passed',
    });
    expect(out.evidence).toHaveLength(16);
    expect(out.evidence[0]).toMatchObject({ kind: 'monte-carlo', seed: 4, samples: 5000, alpha: 0.001 });
  });

  it('a mutated claim exits 1 and the table shows the rejected tests', () => {
    const r = runCli([
      'run',
      'cnf-likelihood',
      '--param',
      'mutation=pf-ode-no-half',
      '--param',
      'points=2',
      '--quiet',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/cnf-likelihood: FAILED/);
    // Exact checks in their own table: value against tolerance, no p-value column.
    expect(r.stdout).toMatch(
      /^exact computation \(2\):\ncheck +value +tolerance +within tolerance +computed over$/m,
    );
    expect(r.stdout).not.toMatch(/p-value|alpha/);
    expect(r.stdout).toMatch(/- out of tolerance: gmm-1d-2: max \|log p_ode - log p_exact\|/);
  });

  it('bad input exits 2 with a message naming the offending piece, no stack trace (in process)', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      errors.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['run', 'no-such-experiment'])).toBe(2);
      expect(await main(['run', 'cnf-likelihood', '--param', 'steps=two'])).toBe(2);
      expect(await main(['run', 'cnf-likelihood', '--samples', '10'])).toBe(2);
      expect(await main(['run', 'cnf-likelihood', '--param', 'steps'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(errors[0]).toMatch(/unknown experiment 'no-such-experiment'/);
    expect(errors[1]).toMatch(/parameter 'steps' must be an integer near 'two'/);
    expect(errors[2]).toMatch(/has no 'samples' parameter/);
    expect(errors[3]).toMatch(/--param needs the form name=value/);
    expect(errors.join('')).not.toMatch(/at .*\.ts:\d+/);
  });

  it('a run that cannot decide exits 3 with its reason, and --json says inconclusive', () => {
    // On the EDM path the default steps reject at the data end but 4x the steps do not.
    const args = ['run', 'pf-ode-vs-sde-marginals', '--param', 'path=edm', '--param', 'target=gmm-1d-2'];
    const r = runCli([...args, '--seed', '3', '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^pf-ode-vs-sde-marginals: INCONCLUSIVE/m);
    expect(r.stdout).toMatch(/- inconclusive: .*not with 4x the steps: discretization error/);
    expect(r.stderr).not.toMatch(/bad input|internal error/);
    const json = runCli([...args, '--seed', '3', '--quiet', '--json']);
    expect(json.code).toBe(3);
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({ schema: 'flowproof-run/3', seed: 3, outcome: 'inconclusive' });
    expect(out.reason).toMatch(/discretization error, not evidence about the claim/);
  });

  it('a bug (here a malformed plot in an experiment result) exits 70, "internal error: please report"', async () => {
    const errors: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      errors.push(String(chunk));
      return true;
    });
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const experiment = getExperiment('ddim-is-euler');
    const run = vi.spyOn(experiment, 'run').mockImplementation(async () => ({
      name: 'ddim-is-euler',
      outcome: 'passed',
      evidence: [],
      notes: [],
      data: { plots: [{ kind: 'pie', title: 'not a plot kind' }] },
    }));
    const dir = mkdtempSync(join(tmpdir(), 'flowproof-internal-'));
    try {
      writeFileSync(
        join(dir, 'claim.md'),
        "---\nid: only-an-experiment\ntitle: t\nsources: ['test']\nconvention: diffusion\nexpect: holds\n---\n" +
          '```experiment\nname: ddim-is-euler\n```\n',
      );
      const code = await main(['verify', join(dir, 'claim.md'), '--report', join(dir, 'r.html'), '--quiet']);
      expect(code).toBe(70);
    } finally {
      run.mockRestore();
      stdout.mockRestore();
      stderr.mockRestore();
      rmSync(dir, { recursive: true });
    }
    expect(errors.join('')).toMatch(
      /^flowproof verify: internal error: please report \(experiment 'ddim-is-euler': data.plots\[0\] has unknown kind 'pie'/m,
    );
  });
});
