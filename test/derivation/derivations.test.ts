// Every built-in derivation file, checked by the real identity engine, comes out as its file expects;
// and plausible mistakes written into those same files are refuted (so these checks can fail).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isSupporting } from '../../src/core/verdict.js';
import { checkClaim } from '../../src/verify/claims.js';
import { readDerivation } from '../../src/derivation/file.js';
import { sourceLink, type Citation } from '../../src/core/citation.js';
import { renderMath } from '../../src/report/katex.js';
import { pointOf } from '../helpers/verdict.js';

/** The four seed documents the built-in claims come from. */
const SEED_TITLES = [
  'CME 296: Diffusion & Large Vision Models (lecture slides)',
  'Understanding Diffusion and Flow Matching Models',
  'A Unified Measure-Theoretic View of Diffusion, Score-Based, and Flow Matching Generative Models',
  'Unifying Diffusion, Score-Based, and Flow Matching Models (news article on Ranganath and Singhal)',
];

const DIR = new URL('../../derivations/', import.meta.url);
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .sort();
const SETTINGS = { seed: 20240607, monteCarlo: false, thorough: false };

function claimOf(file: string) {
  return readDerivation(readFileSync(new URL(file, DIR), 'utf8'), `derivations/${file}`);
}

describe('built-in derivations', () => {
  it('cover every claim family of the seeds, each citing its seed document and a reference a reader can open', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(18);
    for (const f of FILES) {
      const claim = claimOf(f);
      const citations = claim.sources.filter((s): s is Citation => typeof s !== 'string');
      expect(citations, f).toHaveLength(claim.sources.length);
      expect(
        citations.some((c) => SEED_TITLES.includes(c.title)),
        `${f} cites a seed document`,
      ).toBe(true);
      expect(
        citations.some((c) => sourceLink(c)?.startsWith('https://arxiv.org/abs/')),
        `${f} links a paper`,
      ).toBe(true);
      // Titles are prose with inline LaTeX ($...$), not ASCII maths.
      expect(claim.title.replace(/\$[^$]+\$/g, ''), f).not.toMatch(/[_^\\]|<=|\|\||\bsqrt\b/);
    }
  });

  it.each(FILES)('%s: its algebra matches its expectation (Monte-Carlo layer off)', async (file) => {
    const claim = claimOf(file);
    const result = await checkClaim(claim, SETTINGS);
    const equations = result.steps.filter((s) => s.kind === 'equation');
    // What each step was checked as typesets (KaTeX's expansion budget included), in the file's own symbols.
    for (const s of result.steps.filter((x) => x.checkedLatex)) {
      const { lhs, rhs } = s.checkedLatex!;
      expect(() => renderMath(`${lhs} = ${rhs}`, { display: true }), `${file} step ${s.index}`).not.toThrow();
    }
    const grades = equations.map((s) => s.verdict.grade);
    if (claim.expect === 'holds') expect(grades.filter((g) => !isSupporting(g))).toEqual([]);
    else if (claim.experiments.length === 0) expect(grades).toContain('refuted');
    // Skipped experiments are reported, never counted as support: the claim is graded by the rest.
    for (const s of result.steps.filter((x) => x.kind === 'experiment')) {
      expect(s).toMatchObject({ skipped: true, verdict: { grade: 'inconclusive' } });
      expect(s.verdict.reason).toMatch(/--no-mc/);
    }
    if (equations.length === 0) expect(result).toMatchObject({ skipped: true, matches: false });
    else expect(result.matches).toBe(true);
    for (const s of result.steps) {
      expect(s.position.file).toBe(`derivations/${file}`);
      if (s.kind !== 'experiment') expect(s.verdict.evidence.length).toBeGreaterThan(0);
    }
  });
});

/** Replace `from` by `to` literally (String.replace would read `$$` in `to` as a pattern). */
function swap(text: string, from: string, to: string): string {
  return text.split(from).join(to);
}

describe('mistakes written into the derivations are refuted, with a counterexample and the line', () => {
  const cases: [string, string, (t: string) => string][] = [
    [
      'missing 1/2 in the PF-ODE drift',
      'pf-ode-drift-vp.md',
      (t) => swap(t, '- \\frac{1}{2}g(t)^2\\,\\nabla_x', '- g(t)^2\\,\\nabla_x'),
    ],
    [
      'wrong sign of the score',
      'score-noise.md',
      (t) =>
        swap(
          t,
          '= -\\frac{\\epsilon}{\\sqrt{1-\\bar\\alpha_t}}',
          '= \\frac{\\epsilon}{\\sqrt{1-\\bar\\alpha_t}}',
        ),
    ],
    [
      'wrong power in the DDPM step',
      'ddpm-reverse-posterior-mean.md',
      (t) =>
        swap(
          t,
          '\\frac{1-\\alpha_t}{\\sqrt{1-\\bar\\alpha_t}}\\,\\epsilon',
          '\\frac{1-\\alpha_t}{1-\\bar\\alpha_t}\\,\\epsilon',
        ),
    ],
    [
      'off-by-one abar in DDIM',
      'ddim-deterministic-step.md',
      (t) =>
        swap(
          t,
          '= \\sqrt{\\bar\\alpha_{t-1}}\\,x_0 + \\sqrt{1-\\bar\\alpha_{t-1}}',
          '= \\sqrt{\\bar\\alpha_t}\\,x_0 + \\sqrt{1-\\bar\\alpha_{t-1}}',
        ),
    ],
    [
      'swapped conventions in the FM path',
      'fm-conditional-path.md',
      (t) =>
        swap(
          t,
          "'\\mathcal{N}\\left(x;\\ t\\,x_1,\\ (1-t)^2\\right)'",
          "'\\mathcal{N}\\left(x;\\ (1-t)\\,x_1,\\ t^2\\right)'",
        ),
    ],
    [
      'sub-VP variance taken as VP',
      'score-sde-marginal-subvp.md',
      (t) =>
        swap(
          t,
          '$$v(t) = \\left(1 - \\exp\\left(-\\int_0^t \\beta(s)\\,ds\\right)\\right)^2',
          '$$v(t) = 1 - \\exp\\left(-\\int_0^t \\beta(s)\\,ds\\right)',
        ),
    ],
    [
      'velocity conversion with a swapped determinant',
      'affine-conversions.md',
      (t) =>
        swap(
          t,
          '$$\\frac{\\dot\\sigma_t x_t - \\sigma_t u}{\\alpha_t\\dot\\sigma_t - \\sigma_t\\dot\\alpha_t} = x_0$$',
          '$$\\frac{\\dot\\sigma_t x_t - \\sigma_t u}{\\sigma_t\\dot\\alpha_t - \\alpha_t\\dot\\sigma_t} = x_0$$',
        ),
    ],
    [
      'Gaussian-path velocity without the (x - m) term',
      'gaussian-path-continuity.md',
      (t) =>
        swap(
          t,
          "u_t(x): 'm''(t) + \\frac{s''(t)}{s(t)}\\left(x - m(t)\\right)'",
          "u_t(x): 'm''(t) + \\frac{s''(t)}{s(t)}\\,x'",
        ),
    ],
    [
      'entropic plan covariance with sigma^2 in place of sigma^4 under the root',
      'entropic-ot-gaussian.md',
      (t) =>
        swap(
          t,
          "c: '\\frac{\\sqrt{4ab + \\sigma^4} - \\sigma^2}{2}'",
          "c: '\\frac{\\sqrt{4ab + \\sigma^2} - \\sigma^2}{2}'",
        ),
    ],
    [
      'Schrödinger-bridge drift with the bridge drift of the wrong sign',
      'schrodinger-bridge-field.md',
      (t) =>
        swap(
          t,
          '\\frac{\\sigma^2}{2}\\,\\nabla_x \\log p_t(x \\mid x_0, x_1) = \\frac{x_1 - x}{1 - t}',
          '\\frac{\\sigma^2}{2}\\,\\nabla_x \\log p_t(x \\mid x_0, x_1) = \\frac{x - x_1}{1 - t}',
        ),
    ],
    [
      'Schrödinger-bridge marginal drift without the sigma^2 t term',
      'schrodinger-bridge-gaussian-marginals.md',
      (t) => swap(t, '- (1-t)\\,a - \\sigma^2 t}{v(t)}', '- (1-t)\\,a}{v(t)}'),
    ],
  ];
  it.each(cases)('%s', async (_what, file, edit) => {
    const original = readFileSync(new URL(file, DIR), 'utf8');
    const edited = edit(original);
    expect(edited).not.toBe(original);
    const before = readDerivation(original, file).steps.length;
    const claim = readDerivation(edited, file);
    expect(claim.steps.length).toBe(before);
    const result = await checkClaim(claim, SETTINGS);
    expect(result.verdict.grade).toBe('refuted');
    expect(result.matches).toBe(false);
    const bad = result.steps.find((s) => s.verdict.grade === 'refuted');
    expect(bad && pointOf(bad.verdict)).toBeDefined();
    expect(bad?.position.line).toBeGreaterThan(1);
  });
});
