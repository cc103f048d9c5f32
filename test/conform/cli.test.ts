// The conform and vectors commands end to end (real CLI in a child process): exit codes, one line per
// check, JSON and JUnit output, clear errors with exit 2.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli, type CliResult } from '../helpers/cli.js';

/** The CLI in this process (no child start-up cost), for the cases that need no isolation. */
async function runMain(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const zoo = (name: string) => `test/conform/zoo/${name}.ts`;
const dir = mkdtempSync(join(tmpdir(), 'fp-conform-cli-'));

describe('flowproof conform <module>', () => {
  it('a correct module: exit 0, one PASS line per check', () => {
    const r = runCli(['conform', zoo('ddpm'), '--runs', '50', '--samples', '500']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS\s+discrete:reference/);
    expect(r.stdout).toMatch(/PASS\s+step:ddpm/);
    expect(r.stdout).toMatch(/PASS\s+run:gmm .*KS D = /);
    expect(r.stdout).toMatch(/\d+ checks: \d+ pass, 0 fail, 0 inconclusive/);
  });

  it('a buggy module: exit 1, the failing check with its smallest input, expected and got; JUnit written', () => {
    const junit = join(dir, 'conform.xml');
    const r = runCli(['conform', zoo('bug-heun-sigma-hat'), '--runs', '50', '--no-run', '--junit', junit]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+step:heun/);
    expect(r.stdout).toMatch(/smallest failing input: t=[\d.]+, tPrev=[\d.]+, x=/);
    expect(r.stdout).toMatch(/expected: mean=-?[\d.e-]+, std=0/);
    expect(r.stdout).toMatch(/got: +mean=-?[\d.e-]+, std=0/);
    expect(r.stdout).toMatch(/SKIP\s+run:gmm/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testcase classname="flowproof.conform" name="step:heun"[^>]*>\s*<failure message=/);
    expect(xml).toMatch(/<testcase classname="flowproof.conform" name="schedule:reference"[^>]*\/>/);
    expect(xml).toMatch(/<testsuites name="flowproof conform" tests="\d+" failures="1" errors="0">/);
  });

  it('--json is one parseable document with every check, its evidence and the seed', async () => {
    const r = await runMain([
      'conform',
      zoo('bug-vpred-sign'),
      '--json',
      '--no-run',
      '--runs',
      '40',
      '--seed',
      '9',
    ]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      format: 'flowproof-conform',
      version: 1,
      seed: 9,
      exitCode: 1,
      summary: { fail: 1 },
    });
    const bad = doc.checks.find((c: { name: string }) => c.name === 'conversion:vPredToEps');
    expect(bad.status).toBe('fail');
    expect(bad.evidence.seed).toBe(9);
    expect(Object.keys(bad.counterexample.inputs)).toEqual(expect.arrayContaining(['t', 'vPred', 'x']));
  });

  it.each([
    [['conform'], /conform needs exactly one module path/],
    [['conform', 'no/such/file.ts'], /no\/such\/file\.ts: module not found/],
    [['conform', zoo('ddim'), '--runs', '0'], /--runs must be a positive integer/],
    [['conform', zoo('ddim'), '--alpha', '2'], /--alpha must lie in \(0, 1\)/],
    [['conform', zoo('ddim'), '--bogus'], /unknown flag --bogus/],
    [['conform', zoo('ddim'), '--vectors', 'x.json'], /either a module or --vectors/],
  ])('bad input %j: exit 2 with a clear message, no stack trace', async (args, message) => {
    const r = await runMain(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('flowproof vectors and conform --vectors', () => {
  it('writes vectors, and grades a filled file (one wrong answer: exit 1 naming the check)', async () => {
    const out = join(dir, 'vectors.json');
    const w = runCli(['vectors', '--out', out, '--seed', '4']);
    expect(w.code).toBe(0);
    expect(w.stderr).toMatch(/wrote \d+ checks, \d+ cases \(seed 4\)/);
    const v = JSON.parse(readFileSync(out, 'utf8'));
    expect(v.format).toBe('flowproof-vectors');
    for (const c of v.checks) for (const k of c.cases) k.got = { ...k.expected };
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(v));
    expect((await runMain(['conform', '--vectors', good])).code).toBe(0);
    v.checks[0].cases[0].got.alpha += 0.01;
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(v));
    const r = await runMain(['conform', '--vectors', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`FAIL\\s+${v.checks[0].id}\\s+case 0: alpha = `));
  });

  it('a malformed results file: exit 2 naming file, line and the offending piece', async () => {
    const bad = join(dir, 'broken.json');
    writeFileSync(bad, '{\n  "format": "flowproof-vectors",\n  "version": 1,\n  "checks": [}\n');
    const r = await runMain(['conform', '--vectors', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.json:4:14: not valid JSON/);
  });

  it('vectors needs --out', async () => {
    const r = await runMain(['vectors']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing --out/);
  });
});
