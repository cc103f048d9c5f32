import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli, type CliResult } from '../helpers/cli.js';

// Most cases run the CLI in-process (a child process costs seconds); two run the real binary path.
async function runInProcess(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('flowproof check', () => {
  it('proves: exit 0, JSON with verdict, sides and evidence', () => {
    const r = runCli([
      'check',
      '(sqrt(abar)*x0 + sqrt(1-abar)*eps - sqrt(abar)*x0)/(1-abar) = eps/sqrt(1-abar)',
      '--where',
      'abar in (0,1)',
      '--json',
      '--seed',
      '7',
      '--points',
      '50',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.verdict).toBe('proved');
    expect(out.lhs).toContain('abar');
    expect(out.rhs).toBe('eps/sqrt(1 - abar)');
    expect(out.evidence).toMatchObject({
      strategy: 'normal-form',
      pointsTried: 50,
      precisionDigits: 72,
      seed: 7,
    });
    expect(typeof out.evidence.ms).toBe('number');
    expect(out.evidence.maxResidual).toMatch(/e/);
  });
  it('proves: the paragraph names each rule and the sign it used', async () => {
    const r = await runInProcess(['check', 'sqrt(1 - abar)^2 + abar = 1', '--where', 'abar in (0,1)']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('rule: (u^a)^b = u^(a*b)');
    expect(r.stdout).toContain('using u = 1 - abar >= 0');
  });
  it('refutes: exit 1, a readable paragraph with the point and both values', async () => {
    const r = await runInProcess([
      'check',
      '(sqrt(abar)*x0 + sqrt(1-abar)*eps - sqrt(abar)*x0)/(1-abar) = eps/(1-abar)',
      '--where',
      'abar in (0,1)',
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(
      /^REFUTED at abar=[0-9.]+, eps=[-0-9.]+, x0=[-0-9.]+: lhs = [-0-9.e]+, rhs = [-0-9.e]+/,
    );
  });
  it('refutes in JSON with a counterexample', async () => {
    const r = await runInProcess(['check', 'x^2 = x', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.verdict).toBe('refuted');
    expect(Object.keys(out.counterexample)).toEqual(['point', 'lhs', 'rhs', 'residual']);
    // The residual is the one at the counterexample, never a 0 from the points that agreed.
    const { lhs, rhs, residual } = out.counterexample;
    const scale = Math.max(1, Math.abs(Number(lhs)), Math.abs(Number(rhs)));
    expect(Number(residual)).toBeCloseTo(Math.abs(Number(lhs) - Number(rhs)) / scale, 2);
    expect(Number(residual)).toBeGreaterThan(0);
    expect(Number(out.evidence.maxResidual)).toBeGreaterThanOrEqual(Number(residual));
  });
  it('inconclusive: exit 3', async () => {
    const r = await runInProcess(['check', 'log(-x^2 - 1) = 1']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^INCONCLUSIVE/);
  });
  it.each([
    [['check', 'foo(x) = 1'], /<equation>:1:1: unknown function 'foo' near 'foo'/],
    [['check', 'sqrt(x + 1 = x'], /unbalanced parentheses/],
    [['check', ' = x'], /left side of '=' is empty/],
    [['check', 'x = '], /right side of '=' is empty/],
    [['check', 'x = 1', '--where', 'x in (1,0)'], /<--where>:1:6: bad domain: the interval is empty/],
    [['check', 'import(x) = 1'], /unknown function 'import'/],
    [['check', 'x + 1'], /no '=' found/],
    [['check', 'x = 1', '--points', '0'], /--points must be an integer/],
  ])('bad input %j: exit 2 with a message, no stack trace', async (args, message) => {
    const r = await runInProcess(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
  it('bad input through the real process: exit 2 and one line on stderr', () => {
    const r = runCli(['check', 'sqrt(x = 1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });
});

describe('flowproof check: what it assumed, and LaTeX input', () => {
  it('says exp(log(x)) = x was proved where x > 0 (the assumption that made it true)', async () => {
    const r = await runInProcess(['check', 'exp(log(x)) = x', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.verdict).toBe('proved');
    expect(out.assumptions).toEqual({
      domains: ['x real (undeclared)'],
      definedWhere: ['x > 0 (for log(x))'],
    });
    const text = await runInProcess(['check', 'exp(log(x)) = x']);
    expect(text.stdout).toContain('where both sides are defined: x > 0 (for log(x))');
    // A declared domain that guarantees it is not repeated.
    const declared = JSON.parse(
      (await runInProcess(['check', 'exp(log(x)) = x', '--where', 'x > 0', '--json'])).stdout,
    );
    expect(declared.assumptions).toEqual({ domains: ['x > 0'], definedWhere: [] });
  });

  it("reads LaTeX through the paper reader, with the field's domains and their sources", async () => {
    const score = '\\nabla_{x_t} \\log \\mathcal{N}(x_t; \\sqrt{\\bar\\alpha_t} x_0, 1 - \\bar\\alpha_t)';
    const good = await runInProcess([
      'check',
      `${score} = -\\frac{x_t - \\sqrt{\\bar\\alpha_t}x_0}{1-\\bar\\alpha_t}`,
      '--json',
    ]);
    expect(good.code, good.stderr).toBe(0);
    const out = JSON.parse(good.stdout);
    expect(out.verdict).toBe('proved');
    expect(out.assumptions.domains).toContainEqual(
      expect.stringMatching(/^\\bar\\alpha_t in \(0,1\) \(dictionary: DDPM notation/),
    );
    const bad = await runInProcess([
      'check',
      `${score} = -\\frac{x_t - \\sqrt{\\bar\\alpha_t}x_0}{\\sqrt{1-\\bar\\alpha_t}}`,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^REFUTED at \\bar\\alpha_t=[\d.]+, x_0=[-\d.]+, x_t=[-\d.]+: lhs = /);
    // TeX's argument rules: \frac12 is a half.
    expect((await runInProcess(['check', '\\frac12 x = x/2'])).code).toBe(0);
    // --latex forces the reader for input without a command; --where takes LaTeX spellings.
    const forced = await runInProcess([
      'check',
      '--latex',
      'a(1-b)^2 = a - 2ab + ab^2',
      '--where',
      'a: (0,1); b: real',
      '--json',
    ]);
    expect(JSON.parse(forced.stdout).verdict).toBe('proved');
  });

  it('bad LaTeX is an error naming the piece; a definition-shaped equation is still a claim', async () => {
    const r = await runInProcess(['check', 'x = \\frob{y}']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('<equation>:1:5: unknown macro \\frob');
    expect((await runInProcess(['check', '\\sigma_t = t'])).code).toBe(1);
  });
});
