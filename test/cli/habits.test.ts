// CLI habits: --version, "did you mean" for every kind of name, repeated and comma-separated --only,
// CSV columns named by coordinate. In-process through main() (fast), except --version through the
// real entry point.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/core/suggest.js';
import { main } from '../../src/cli/main.js';
import { captureOutput } from '../helpers/capture.js';
import { runCli } from '../helpers/cli.js';

const io = captureOutput();
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('suggestions', () => {
  it('edit distance counts insertions, deletions, substitutions and adjacent swaps', () => {
    expect(editDistance('vp-sde', 'vp-sde')).toBe(0);
    expect(editDistance('vp-sd', 'vp-sde')).toBe(1);
    expect(editDistance('verfiy', 'verify')).toBe(1);
    expect(editDistance('CondOT', 'condot')).toBe(0);
    expect(editDistance('abc', 'xyz')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('proposes only close names, closest first', () => {
    expect(closest('scor-noise', ['score-noise', 'loss-weights'])).toEqual(['score-noise']);
    expect(closest('frobnicate', ['verify', 'check', 'scan'])).toEqual([]);
    expect(closest('beta', ['beta-min', 'beta-max', 'sigma-min'])).toEqual(['beta-max', 'beta-min']);
  });
});

describe('did you mean', () => {
  it.each([
    [['verfy'], /unknown command 'verfy', did you mean 'verify'\?/],
    [
      ['schedules', '--jsn'],
      /unknown flag --jsn, did you mean '--json'\? \(see 'flowproof schedules --help'\)/,
    ],
    [
      ['verify', '--only', 'score-nosie', '--no-mc'],
      /no claim with id 'score-nosie', did you mean 'score-noise'\?/,
    ],
    [['schedules', '--name', 'vp-sd'], /unknown schedule 'vp-sd', did you mean 'vp-sde'\?/],
    [['run', 'tweedie-scor'], /unknown experiment 'tweedie-scor', did you mean 'tweedie-score'\?/],
    [
      ['sample', '--target', 'gmm-2d', '--sampler', 'ddim'],
      /unknown target 'gmm-2d', did you mean 'gmm-2d-8'/,
    ],
    [
      ['sample', '--target', 'gmm-2d-8', '--sampler', 'pf-ode-hen'],
      /unknown sampler 'pf-ode-hen', did you mean 'pf-ode-heun'\?/,
    ],
  ])('%j', async (args, message) => {
    expect(await main(args)).toBe(2);
    expect(io.err).toMatch(message);
  });
});

describe('verify --only', () => {
  const ids = (out: string) =>
    [...out.matchAll(/^\S+\s+(\S+)\s+(proved|holds-numerically|refuted|inconclusive|skipped)/gm)].map(
      (m) => m[1],
    );
  it('repeated and comma-separated ids keep every claim named, in file order', async () => {
    const args = ['verify', '--no-mc', '--only', 'score-noise', '--only', 'cfm-target-on-path,loss-weights'];
    expect(await main([...args, '--json', join(mkdtempSync(join(tmpdir(), 'fp-only-')), 'r.json')])).toBe(0);
    expect(ids(io.out)).toEqual(['cfm-target-on-path', 'loss-weights', 'score-noise']);
  });
  it('an unknown id among several is named', async () => {
    expect(await main(['verify', '--no-mc', '--only', 'score-noise,nope'])).toBe(2);
    expect(io.err).toMatch(/no claim with id 'nope'/);
  });
});

describe('--version', () => {
  it('prints the package version and exits 0', () => {
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`flowproof ${pkg.version}`);
  });
});

describe('sample --out CSV', () => {
  it('names its columns by coordinate: dim0, dim1', async () => {
    const csv = join(mkdtempSync(join(tmpdir(), 'fp-csv-')), 's.csv');
    const args = ['sample', '--target', 'gmm-2d-8', '--sampler', 'ddim', '--steps', '5', '--n', '20'];
    expect(await main([...args, '--quiet', '--out', csv])).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('dim0,dim1');
    expect(lines).toHaveLength(21);
    expect(lines[1].split(',').map(Number).every(Number.isFinite)).toBe(true);
  });
});
