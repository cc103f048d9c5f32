// Papers in the styles real authors write (test/derivation/papers/: a conference .tex with its macro file,
// a Jekyll/kramdown post with MathJax macros and inline $$, a distill article, a thesis chapter with
// eqnarray and \label, lecture notes in Markdown), read with zero configuration. Each has true
// derivations, definitions and (all but the lecture) one planted error: every planted error is refuted,
// nothing else is, and a correct paper exits 0.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScanRecord } from '../../src/report/types.js';
import { scanText } from '../../src/verify/scan.js';
import { runCli } from '../helpers/cli.js';
import { pointOf } from '../helpers/verdict.js';

const dir = new URL('./papers/', import.meta.url).pathname;

const PAPERS = [
  { file: 'conference/paper.tex', planted: [56], checked: 6 },
  { file: 'blog/2025-03-02-score-sdes.md', planted: [58], checked: 7 },
  { file: 'distill/flow-matching.html', planted: [25], checked: 5 },
  { file: 'thesis/chapter3.tex', planted: [44], checked: 5 },
  { file: 'lecture/lecture-07.md', planted: [], checked: 5 },
];

const scans = new Map<string, ScanRecord[]>();
async function scan(file: string): Promise<ScanRecord[]> {
  if (!scans.has(file)) {
    const path = dir + file;
    scans.set(file, (await scanText(readFileSync(path, 'utf8'), path, { seed: 1 })).records);
  }
  return scans.get(file)!;
}

describe("papers in authors' own styles, zero configuration", () => {
  it.each(PAPERS)(
    '$file: the planted errors are refuted, and nothing else is',
    async ({ file, planted, checked }) => {
      const records = await scan(file);
      const display = records.filter((r) => r.kind === 'display');
      expect(display.filter((r) => !r.parses && !/unknown environment/.test(r.reason ?? ''))).toEqual([]);
      expect(records.filter((r) => r.verdict?.grade === 'refuted').map((r) => r.line)).toEqual(planted);
      expect(
        display.filter((r) => r.verdict && r.verdict.grade !== 'inconclusive').length,
      ).toBeGreaterThanOrEqual(checked);
      // A definition is never refuted, and every refutation shows its counterexample.
      expect(records.filter((r) => r.role === 'definition' && r.verdict?.grade === 'refuted')).toEqual([]);
      for (const r of records.filter((x) => x.verdict?.grade === 'refuted'))
        expect(Object.keys(pointOf(r.verdict!)?.point ?? {}).length).toBeGreaterThan(0);
    },
  );

  it('reads the macro file a paper \\input s, reports a misspelt environment, skips comments', async () => {
    const records = await scan('conference/paper.tex');
    const misspelt = records.find((r) => /unknown environment 'equaton'/.test(r.reason ?? ''));
    expect(misspelt).toMatchObject({ line: 72, column: 1, parses: false });
    expect(records.some((r) => r.latex.includes('beta_t^2'))).toBe(false);
    // `\rvx` and `\gN` come from math_commands.tex; the score chain is proved through them.
    expect(records.find((r) => r.line === 28)).toMatchObject({ role: 'claim', verdict: { grade: 'proved' } });
  });

  it('says which statements define what, and which assumptions a verdict used', async () => {
    const records = await scan('thesis/chapter3.tex');
    expect(records.find((r) => r.line === 24)).toMatchObject({
      role: 'definition',
      defines: ['c_\\text{skip}(\\sigma)'],
    });
    const claim = records.find((r) => r.line === 34)!;
    expect(claim.verdict?.grade).toBe('proved');
    expect(claim.assumptions?.map((a) => a.symbol)).toContain('\\sigma_\\text{data}');
  });

  it('a relation the paper imposes is a constraint, not a refutation', async () => {
    const records = await scan('blog/2025-03-02-score-sdes.md');
    expect(records.find((r) => r.line === 27)).toMatchObject({ role: 'definition', checkable: false });
  });

  it('exits 0 on the correct lecture and 1 on a paper with a planted error', () => {
    expect(runCli(['scan', dir + 'lecture/lecture-07.md']).code).toBe(0);
    const planted = runCli(['scan', dir + 'distill/flow-matching.html']);
    expect(planted.code).toBe(1);
    expect(planted.stdout).toMatch(/flow-matching\.html:25:1 +refuted/);
  });
});
