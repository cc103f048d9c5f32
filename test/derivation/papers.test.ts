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

describe('what a refutation may hinge on in a real paper', () => {
  const scanOf = async (text: string) => (await scanText(text, 'post.md', { seed: 1 })).records;

  it('solving a definition back for its unknown is a claim, proved, not a cycle that grows without end', async () => {
    const records = await scanOf(
      '$$\n\\hat Z_t = \\alpha_t \\hat X_{1|t} + \\beta_t \\hat X_{0|t}, \\quad ' +
        'v_t(\\hat Z_t) = \\dot\\alpha_t \\hat X_{1|t} + \\dot\\beta_t \\hat X_{0|t}\n$$\n' +
        '$$\n\\hat X_{0|t} = \\frac{-\\alpha_t v_t(\\hat Z_t) + \\dot\\alpha_t \\hat Z_t}{\\dot\\alpha_t \\beta_t - \\alpha_t \\dot\\beta_t}\n$$\n',
    );
    expect(records.map((r) => r.role)).toEqual(['definition', 'definition', 'claim']);
    expect(records[2].verdict?.grade).toBe('proved');
  });

  it('an update rule stated in passing does not refute a different rule for the same variable', async () => {
    const text = (rule: string, claim: string) =>
      `It does not apply the Euler method, $$\\hat Z_{t+h} = ${rule}$$, but\n\n$$\n\\hat Z_{t+h} = ${claim}\n$$\n`;
    const [, claim] = await scanOf(text('\\hat Z_t + h v_t(\\hat Z_t)', '\\hat Z_t + 2 h v_t(\\hat Z_t)'));
    expect(claim.verdict).toMatchObject({ grade: 'inconclusive' });
    expect(claim.verdict?.reason).toMatch(/update rule for \\hat Z_\{t\+h\} of line 1/);
    // A definition that is not an update rule still refutes.
    const [, wrong] = await scanOf(text('u + h w', 'u + 2 h w'));
    expect(wrong.verdict?.grade).toBe('refuted');
  });

  it('a symbol of the prose on one side only (d = b/2a, b the coefficient the text names) is not refuted', async () => {
    const [claim] = await scanOf('$$\nd = \\frac{b}{2a} = \\frac{x_t}{2a}\n$$\n');
    expect(claim.verdict?.grade).toBe('inconclusive');
    expect(claim.verdict?.reason).toMatch(/b appears on one side only/);
    // With b on both sides the step is checked and refuted.
    const [wrong] = await scanOf('$$\nd = \\frac{b}{2a} = \\frac{b}{a}\n$$\n');
    expect(wrong.verdict?.grade).toBe('refuted');
  });

  it('a definition restated in a case the prose introduces (with s_0 = 0) is not refuted; stated bare, it is', async () => {
    const general =
      '$$\nq_t(x) = \\mathcal{N}(x \\mid m_t(x), s_t(x)^2), \\quad \\text{where } s_0(x) = 1\n$$\n';
    const records = await scanOf(
      general +
        'A noising schedule:\n$$\nm_t(x) = x, \\quad s_t(x) = r_{1-t} \\quad \\text{with } s_0 = 0\n$$\n',
    );
    const setting = records.find((r) => r.latex === 's_0 = 0')!;
    expect(setting.verdict?.grade).toBe('inconclusive');
    expect(setting.verdict?.reason).toMatch(/restates the definition of s_0 in a case the prose introduces/);
    const bare = await scanOf(general + 'so that\n$$\ns_0 = 0\n$$\n');
    expect(bare.find((r) => r.latex === 's_0 = 0')?.verdict?.grade).toBe('refuted');
  });

  it('a definition restated with its variable renamed (phi_0(x) = x, then phi_0(x) = x_0) is not refuted', async () => {
    const records = await scanOf('$$\n\\phi_0(x) = x\n$$\nthen\n$$\n\\phi_0(x) = x_0\n$$\n');
    expect(records[1].verdict?.grade).toBe('inconclusive');
    expect(records[1].verdict?.reason).toMatch(/restates the definition of \\phi_0\(x\)/);
    // The same restatement wrong in its form is refuted.
    const wrong = await scanOf('$$\n\\phi_0(x) = x\n$$\nthen\n$$\n\\phi_0(x) = 2x\n$$\n');
    expect(wrong[1].verdict?.grade).toBe('refuted');
  });
});

describe('a display that starts with = goes on from the display before it', () => {
  const scanOf = async (text: string) =>
    (await scanText(text, 'post.md', { seed: 1 })).records.filter((r) => r.kind === 'display');

  it('across a short stretch of prose its first step is checked against the last side before', async () => {
    const text = (rhs: string) =>
      `$$\nc = (a + b)^2\n$$\nExpanding the square, with $a$ and $b$ real:\n$$\n= ${rhs}\n$$\n`;
    const [, right] = await scanOf(text('a^2 + 2ab + b^2'));
    expect(right).toMatchObject({ line: 6, role: 'claim', verdict: { grade: 'proved' } });
    expect(right.steps?.[0]).toMatchObject({ lhs: '(a + b)^2', rhs: 'a^2 + 2ab + b^2' });
    const [, wrong] = await scanOf(text('a^2 + b^2'));
    expect(wrong.verdict?.grade).toBe('refuted');
  });

  it('after a display of several statements (an annotation, a second formula) it is not known either', async () => {
    for (const before of ['c = (a + b)^2 \\quad \\text{where } a = 2', 'c = (a + b)^2, \\quad d = 3']) {
      const records = await scanOf(`$$\n${before}\n$$\nso\n$$\n= a^2 + 2ab + b^2\n$$\n`);
      expect(records[records.length - 1]).toMatchObject({ checkable: false });
    }
  });

  it('past a paragraph of prose the chain it continues is not known: not checkable', async () => {
    const prose = 'This is where the argument turns to something else entirely. '.repeat(4);
    const [, far] = await scanOf(`$$\nc = (a + b)^2\n$$\n${prose}\n\n$$\n= a^2 + b^2\n$$\n`);
    expect(far).toMatchObject({ checkable: false, reason: 'the side of the formula before, not a value' });
  });
});

describe('a binding of an indexed family speaks of every index letter', () => {
  const scanOf = async (text: string) =>
    (await scanText(text, 'post.md', { seed: 1 })).records.filter((r) => r.kind === 'display');
  const paper = (claim: string) =>
    `$$\n\\bar\\alpha_t = \\prod_{s=1}^t \\alpha_s\n$$\nAt step $i$:\n$$\n${claim}\n$$\n`;

  it('\\bar\\alpha_i and \\bar\\alpha_{i-1} relate by the recurrence written for t', async () => {
    const [, right] = await scanOf(paper('\\frac{\\bar\\alpha_i}{\\bar\\alpha_{i-1}} = \\alpha_i'));
    expect(right.verdict?.grade).toBe('proved');
    const [, wrong] = await scanOf(paper('\\frac{\\bar\\alpha_i}{\\bar\\alpha_{i-1}} = 1 - \\alpha_i'));
    expect(wrong.verdict?.grade).toBe('refuted');
  });

  it('another quantity at another index letter (a weight alpha_k) refutes nothing by that reading', async () => {
    const doc = (claim: string) =>
      `$$\n\\alpha_t = 1 - \\beta_t\n$$\nand the mixture has weights $\\alpha_k$:\n$$\n${claim}\n$$\n`;
    const [, weight] = await scanOf(doc('\\alpha_k \\mu_k = \\mu_k'));
    expect(weight.verdict?.grade).toBe('inconclusive');
    expect(weight.verdict?.reason).toMatch(
      /reads \\alpha_k by the paper's definition of \\alpha_t, and nothing in the step shows that k indexes/,
    );
    // A state at k or k - 1 shows k to be the process's index: the reading stands (so does a member at
    // k - 1, \\bar\\alpha_{i-1} in the test above).
    const [, state] = await scanOf(doc('\\alpha_k x_k = x_k'));
    expect(state.verdict?.grade).toBe('refuted');
    const [, shifted] = await scanOf(doc('\\alpha_k x_{k-1} = x_{k-1}'));
    expect(shifted.verdict?.grade).toBe('refuted');
  });

  it('a step with noise on one side only, through a state, plugs in a re-expression: not refuted', async () => {
    const [, step] = await scanOf(
      '$$\nm_t = x_0 + x_t\n$$\nwith the forward process,\n$$\nm_t = 2 x_t - \\sqrt{2}\\epsilon\n$$\n',
    );
    expect(step.verdict?.grade).toBe('inconclusive');
    expect(step.verdict?.reason).toMatch(
      /one side has noise and the other none: it substitutes a relation between x_0, x_t/,
    );
  });
});

describe('an integral against dW_s is a stochastic integral', () => {
  it('integration by parts for an Ito integral is not checkable, never refuted as an integral in W_s', async () => {
    const records = (
      await scanText(
        '$$\n\\int_0^t e^{-s} \\, dW_s = e^{-t} W_t + \\int_0^t e^{-s} W_s \\, ds\n$$\n',
        'post.md',
        { seed: 1 },
      )
    ).records.filter((r) => r.kind === 'display');
    expect(records[0]).toMatchObject({ checkable: false });
    expect(records[0].reason).toMatch(
      /an integral against dW_s, a process indexed by s: a stochastic integral/,
    );
  });
});

describe("a binding inside a function's body speaks of the function's argument", () => {
  it('g(t) = \\alpha_t with \\alpha_t = 1 - t^2 gives g(s) = 1 - s^2, and its derivative in s', async () => {
    const records = (
      await scanText(
        'Let $\\alpha_t = 1 - t^2$.\n$$\ng(t) = \\alpha_t\n$$\n$$\nh(t) = \\frac{d \\alpha_t}{dt}\n$$\n' +
          '$$\ng(s) = 1 - s^2\n$$\n$$\nh(s) = -2s\n$$\n$$\nh(s) = -3s\n$$\n',
        'post.md',
        { seed: 1 },
      )
    ).records.filter((r) => r.kind === 'display');
    expect(records.map((r) => r.verdict?.grade ?? r.role)).toEqual([
      'definition',
      'definition',
      'proved',
      'proved',
      'refuted',
    ]);
  });
});
