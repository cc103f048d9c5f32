// A program verifies derivation files and scans a paper through the package entry alone, no CLI.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { derivation, report, scanFile, verify, verifyClaims, verifyFile } from '../../src/index.js';
import { pointOf } from '../helpers/verdict.js';

const builtin = (id: string) => join(verify.BUILTIN_DERIVATIONS, `${id}.md`);

/** A derivation file with one chain and the given expectation. */
const derivationText = (id: string, chain: string, expect: 'holds' | 'refuted') => `---
id: ${id}
title: a test claim
sources: ['test']
convention: diffusion
symbols:
  abar: { latex: '\\bar\\alpha', domain: '(0,1)' }
  x: real
expect: ${expect}
---
$$
${chain}
$$
`;

describe('the package entry verifies without the CLI', () => {
  it('verifyFile: a built-in claim, its steps proved, the report versioned and matching', async () => {
    const r = await verifyFile(builtin('score-noise'), { seed: 1, monteCarlo: false });
    expect(r.schema).toBe(report.VERIFY_SCHEMA);
    expect(r.seed).toBe(1);
    expect(r.claims.map((c) => c.id)).toEqual(['score-noise']);
    const [claim] = r.claims;
    expect(claim.verdict.grade).toBe('proved');
    expect(claim.matches).toBe(true);
    expect(claim.steps.filter((s) => s.kind === 'experiment').every((s) => s.skipped)).toBe(true);
    expect(r.summary).toMatchObject({ total: 1, matching: 1, mismatching: 0 });
    // The writers take the report as it is.
    expect(JSON.parse(report.toJson(r)).claims[0].id).toBe('score-noise');
    expect(report.formatVerifyReport(r)).toMatch(/score-noise/);
  });

  it('verifyFile: an erratum is refuted with its point counterexample, as its file expects', async () => {
    const r = await verifyFile(builtin('score-sde-noise-erratum'), { seed: 1, monteCarlo: false });
    const [claim] = r.claims;
    expect(claim.verdict.grade).toBe('refuted');
    expect(Object.keys(pointOf(claim.verdict)?.point ?? {}).length).toBeGreaterThan(0);
    expect(claim.matches).toBe(true);
  });

  it('verifyClaims: a wrong chain expected to hold is a mismatch; the right one matches', async () => {
    const wrong = derivation.readDerivation(
      derivationText('missing-half', 'x \\cdot \\frac{1}{2} \\bar\\alpha = x \\bar\\alpha', 'holds'),
      'missing-half.md',
    );
    const right = derivation.readDerivation(
      derivationText('sqrt-square', '\\sqrt{\\bar\\alpha}^2 x = \\bar\\alpha x', 'holds'),
      'sqrt-square.md',
    );
    const seen: string[] = [];
    const r = await verifyClaims([wrong, right], { seed: 7, onClaim: (c) => seen.push(c.id) });
    expect(seen).toEqual(['missing-half', 'sqrt-square']);
    expect(r.claims.map((c) => [c.verdict.grade, c.matches])).toEqual([
      ['refuted', false],
      ['proved', true],
    ]);
    expect(r.summary).toMatchObject({ total: 2, matching: 1, mismatching: 1 });
  });

  it("an experiment's refutation carries its failed checks and seed as its counterexample", async () => {
    const text = `---
id: wrong-cfm-target
title: regressing on x1 - x
sources: ['test']
convention: flow
expect: refuted
---
\`\`\`experiment
name: fm-cfm-exact
target: data-minus-xt
laws: 5
thetas: 2
\`\`\`
`;
    const claim = derivation.readDerivation(text, 'wrong-cfm-target.md');
    const r = await verifyClaims([claim], { seed: 3 });
    const step = r.claims[0].steps[0];
    expect(step.verdict.grade).toBe('refuted');
    const c = step.verdict.grade === 'refuted' ? step.verdict.counterexample : undefined;
    expect(c).toMatchObject({ experiment: 'fm-cfm-exact', seed: verify.deriveSeed(3, 'wrong-cfm-target!0') });
    expect(c && 'failed' in c ? c.failed.length : 0).toBeGreaterThan(0);
    expect(r.claims[0].matches).toBe(true);
  });

  it('scanFile: a paper with a wrong step gets a refuted record naming the symbols as written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowproof-entry-'));
    const paper = join(dir, 'paper.md');
    // The noise is (x_t - sqrt(abar) x_0) / sqrt(1 - abar): the square root is missing.
    writeFileSync(
      paper,
      'Let\n$$x_t = \\sqrt{\\bar\\alpha_t}\\, x_0 + \\sqrt{1-\\bar\\alpha_t}\\,\\epsilon .$$\n' +
        'Then\n$$\\frac{x_t - \\sqrt{\\bar\\alpha_t}\\, x_0}{1-\\bar\\alpha_t} = \\epsilon$$\n',
    );
    const r = await scanFile(paper, { seed: 1 }).finally(() => rmSync(dir, { recursive: true }));
    expect(r.schema).toBe(report.SCAN_SCHEMA);
    expect(r.summary).toMatchObject({ display: 2, definitions: 1, checked: 1 });
    const refuted = r.records.filter((x) => x.verdict?.grade === 'refuted');
    expect(refuted).toHaveLength(1);
    expect(Object.keys(pointOf(refuted[0].verdict!)?.point ?? {})).toContain('\\bar\\alpha_t');
  });
});
