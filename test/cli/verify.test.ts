// `flowproof verify` and `flowproof scan` end to end through the CLI entry: output, JSON/JUnit files,
// and exit codes 0 (as expected), 1 (a claim does not match), 2 (unreadable input, never a stack trace).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { readDerivation } from '../../src/derivation/file.js';
import { declare, lowerStep } from '../../src/derivation/scope.js';
import { parseDomain } from '../../src/identity/index.js';
import type { ScanRecord, VerifyReport } from '../../src/report/types.js';
import { captureOutput } from '../helpers/capture.js';

const io = captureOutput();

const dir = mkdtempSync(join(tmpdir(), 'flowproof-verify-'));
function file(name: string, text: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const derivation = (id: string, steps: string, extra = '') => `---
id: ${id}
title: ${id}
sources: ["003_2839541f7a60aeda.txt: test"]
symbols:
  a: '(0,1)'
  b: real
expect: holds
${extra}---
Prose.

${steps}
`;

describe('verify', () => {
  it('checks a built-in claim: one line with its grade, JSON and JUnit files, exit 0', async () => {
    const json = join(dir, 'r.json');
    const junit = join(dir, 'r.xml');
    const code = await main([
      'verify',
      '--only',
      'score-noise',
      '--no-mc',
      '--quiet',
      '--json',
      json,
      '--junit',
      junit,
    ]);
    expect(code).toBe(0);
    expect(io.out).toMatch(/ok\s+score-noise\s+(proved|holds-numerically).*\(1 Monte-Carlo step skipped\)/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as VerifyReport;
    expect(report.schema).toBe('flowproof.verify/3');
    expect(report.claims).toHaveLength(1);
    const c = report.claims[0];
    expect(c).toMatchObject({ id: 'score-noise', expected: 'holds', matches: true });
    expect(c.sources[0]).toMatchObject({
      title: 'CME 296: Diffusion & Large Vision Models (lecture slides)',
    });
    expect(c.sources).toContainEqual(expect.objectContaining({ arxiv: '2006.11239' }));
    expect(c.steps.map((s) => [s.kind, s.position.line, s.skipped ?? false])).toEqual([
      ['equation', 39, false],
      ['equation', 40, false],
      ['experiment', 49, true],
    ]);
    expect(c.steps[0].verdict.evidence.length).toBeGreaterThan(0);
    expect(report.summary).toMatchObject({ total: 1, matching: 1, mismatching: 0, skipped: 0 });
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testcase classname="flowproof.score-noise"');
    expect(xml).not.toContain('<failure');
  });

  it('--no-mc: a claim made only of experiments is skipped, neither a match nor a failure', async () => {
    const p = file(
      'mc-only.md',
      derivation('mc-only', '```experiment\nname: tweedie-score\ntarget: gmm-1d-2\npath: vp-sde\n```'),
    );
    const json = join(dir, 'mc-only.json');
    const junit = join(dir, 'mc-only.xml');
    expect(await main(['verify', p, '--no-mc', '--json', json, '--junit', junit])).toBe(0);
    expect(io.out).toMatch(/skip\s+mc-only\s+skipped/);
    expect(io.out).toMatch(/0\/0 claims as expected \(\); 1 skipped \(--no-mc\)/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as VerifyReport;
    expect(report.claims[0]).toMatchObject({ skipped: true, matches: false });
    expect(report.summary).toMatchObject({ total: 1, matching: 0, mismatching: 0, skipped: 1 });
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('skipped="1"');
    expect(xml).toContain('<skipped message=');
    expect(xml).not.toContain('<failure');
  });

  it('--report writes the one-file HTML report; an integral used by several steps is checked once', async () => {
    const html = join(dir, 'r.html');
    const json = join(dir, 'vp.json');
    expect(
      await main([
        'verify',
        '--only',
        'score-sde-marginal-vp',
        '--no-mc',
        '--quiet',
        '--report',
        html,
        '--json',
        json,
      ]),
    ).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('score-sde-marginal-vp');
    const steps = (JSON.parse(readFileSync(json, 'utf8')) as VerifyReport).claims[0].steps;
    const reported = steps.filter((s) => s.kind === 'side-condition').length;
    // Lowered afresh, the claim's steps rely on more side conditions than were checked and reported.
    const file = new URL('../../derivations/score-sde-marginal-vp.md', import.meta.url);
    const claim = readDerivation(readFileSync(file, 'utf8'), 'vp.md');
    const { scope } = declare(claim.symbols, claim.lets, parseDomain);
    const all = claim.steps.flatMap((st) => lowerStep(st, scope).sideConditions).length;
    expect(reported).toBeGreaterThan(0);
    expect(reported).toBeLessThan(all);
  });

  it('a false claim: exit 1, with the step, its file:line and the counterexample', async () => {
    const p = file('wrong.md', derivation('wrong', '$$\n(a + b)^2\n  = a^2 + b^2\n$$'));
    const junit = join(dir, 'wrong.xml');
    const code = await main(['verify', p, '--quiet', '--junit', junit]);
    expect(code).toBe(1);
    expect(io.out).toContain('FAIL wrong');
    expect(io.out).toContain(`${p}:13:1`);
    expect(io.out).toMatch(/counterexample at .*a=/);
    expect(readFileSync(junit, 'utf8')).toContain('<failure message="expected holds, got refuted"');
  });

  it('an erratum expected refuted that is refuted matches (exit 0); if it held, exit 1', async () => {
    const wrong = derivation('erratum', '$$(a + b)^2 = a^2 + b^2$$').replace(
      'expect: holds',
      'expect: refuted',
    );
    expect(await main(['verify', file('erratum.md', wrong), '--quiet'])).toBe(0);
    const right = derivation('not-an-erratum', '$$(a + b)^2 = a^2 + 2ab + b^2$$').replace(
      'expect: holds',
      'expect: refuted',
    );
    expect(await main(['verify', file('not-erratum.md', right), '--quiet'])).toBe(1);
  });

  it('an experiment block with --no-mc is inconclusive and skipped; the claim is graded by its other steps', async () => {
    const p = file('mc.md', derivation('mc', '$$a = a$$\n\n```experiment\nname: tweedie-score\n```\n'));
    const json = join(dir, 'mc.json');
    expect(await main(['verify', p, '--no-mc', '--quiet', '--json', json])).toBe(0);
    const claim = (JSON.parse(readFileSync(json, 'utf8')) as VerifyReport).claims[0];
    expect(claim.steps[1]).toMatchObject({
      kind: 'experiment',
      lhs: 'tweedie-score',
      verdict: { grade: 'inconclusive' },
      skipped: true,
    });
    expect(claim).toMatchObject({ verdict: { grade: 'proved' }, matches: true });
    expect(claim.skipped).toBeUndefined();
  });

  it.each([
    ['bad YAML', '---\nid: x\ntitle: [oops\n---\n$$a=a$$\n', /bad YAML front matter/],
    ['an unknown symbol', derivation('u', '$$a = c$$'), /unknown symbol 'c'/],
    [
      'an unsupported macro',
      derivation('m', '$$a = \\foo{a}$$'),
      /unknown macro \\foo: define it with \\newcommand/,
    ],
    ['a step with no =', derivation('n', '$$a \\leq 1$$'), /only '=' chains/],
    ['an empty file', '', /the file is empty/],
    [
      'a binary file',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]),
      /not a text file/,
    ],
    ['a 10 MB file', Buffer.alloc(10 * 1024 * 1024, 0x61), /larger than 1048576 bytes/],
    [
      'an unknown experiment',
      derivation('e', '```experiment\nname: no-such-experiment\n```\n'),
      /unknown experiment 'no-such-experiment'/,
    ],
  ])('%s: exit 2 with the file named, no stack trace', async (_what, text, message) => {
    const p = file(`bad-${_what.replace(/\W+/g, '-')}.md`, text);
    expect(await main(['verify', p, '--quiet'])).toBe(2);
    expect(io.err).toMatch(message);
    expect(io.err).toContain(p);
    expect(io.err).not.toMatch(/\n\s+at /);
  });

  it('a missing path, an unknown --only id and a bad flag are input errors', async () => {
    expect(await main(['verify', join(dir, 'nope.md')])).toBe(2);
    expect(io.err).toContain('no such file');
    expect(await main(['verify', '--only', 'no-such-claim'])).toBe(2);
    expect(await main(['verify', '--bogus'])).toBe(2);
  });
});

describe('scan', () => {
  const seeds = new URL('../derivation/fixtures/003_2839541f7a60aeda.txt', import.meta.url).pathname;

  it('reads the lecture with zero configuration: every display statement parses, none is refuted', async () => {
    expect(await main(['scan', seeds, '--json'])).toBe(0);
    const records = JSON.parse(io.out) as ScanRecord[];
    const display = records.filter((r) => r.kind === 'display');
    expect(display.length).toBeGreaterThan(60);
    expect(display.filter((r) => !r.parses)).toEqual([]);
    expect(records.filter((r) => r.verdict?.grade === 'refuted')).toEqual([]);
    // The flow-matching path restated after its definition is proved, with the dictionary's domains.
    const path = display.find((r) => r.line === 888)!;
    expect(path).toMatchObject({ role: 'claim', verdict: { grade: 'proved' } });
    expect(path.assumptions?.map((a) => [a.symbol, a.domain, a.source])).toContainEqual([
      't',
      '(0,1)',
      'dictionary',
    ]);
    const sde = display.find((r) => r.line === 1208)!;
    expect(sde.latex).toContain('\\sqrt{\\int_0^t g(s)^2 ds}');
  });

  it('checks claims over declared symbols, reports what is not checkable and why', async () => {
    const p = file(
      'paper.md',
      'Text.\n\n$$\\sqrt{a}\\,\\sqrt{a} = a$$\n\n$$(a+b)^2 = a^2 + b^2$$\n\n$$\\mathbb{E}[a] = a$$\n\n$$\\sqrt{a}\\,\\sqrt{a} = a$$\n',
    );
    const code = await main(['scan', p, '--where', 'a: (0,1); b: real', '--json']);
    expect(code).toBe(1);
    const records = JSON.parse(io.out) as ScanRecord[];
    expect(records.map((r) => [r.line, r.role, r.checkable, r.verdict?.grade])).toEqual([
      [3, 'claim', true, 'proved'],
      [5, 'claim', true, 'refuted'],
      [7, 'not-checkable', false, undefined],
    ]);
    expect(records[0].alsoAt).toEqual([9]);
    expect(records[0].assumptions).toEqual([
      { symbol: 'a', domain: '(0,1)', source: 'declared', note: '<--where>:1' },
    ]);
    expect(records[2].reason).toMatch(/expectation/);
  });

  it('reads declarations from a sidecar YAML next to the file', async () => {
    const p = file('sidecar.tex', '\\begin{equation} x_t = \\alpha_t x_0 \\end{equation}\n');
    file(
      'sidecar.tex.flowproof.yaml',
      "symbols:\n  \\alpha_t: '(0,1)'\n  x_0: real\nlet:\n  x_t: '\\alpha_t x_0'\n",
    );
    expect(await main(['scan', p, '--json'])).toBe(0);
    const [r] = JSON.parse(io.out) as ScanRecord[];
    expect(r).toMatchObject({ line: 1, parses: true, checkable: true, verdict: { grade: 'proved' } });
  });

  it('unreadable input is exit 2', async () => {
    expect(await main(['scan', file('bin.pdf', Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]))])).toBe(2);
    expect(io.err).toContain('not a text file');
    expect(await main(['scan', 'x.md', '--where', 'a (0,1)'])).toBe(2);
  });
});
