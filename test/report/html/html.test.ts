import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, InternalError } from '../../../src/core/errors.js';
import { CHECKED_AS_TYPESET, markdownBody, renderHtmlReport } from '../../../src/report/html.js';
import { inlineFonts, katexCss, renderMath } from '../../../src/report/katex.js';
import { fixtureReport } from './fixture.js';

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;
/** The visible text: tags, styles and the MathML annotations (which keep the LaTeX source) removed. */
const visibleText = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<annotation[\s\S]*?<\/annotation>/g, '')
    .replace(/<[^>]+>/g, '');

describe('KaTeX', () => {
  it('typesets LaTeX to KaTeX HTML and names a formula it cannot typeset', () => {
    const html = renderMath('\\frac{\\epsilon}{\\sqrt{1-\\bar\\alpha_t}}', { display: true });
    expect(html).toContain('katex-display');
    expect(html).toContain('mfrac');
    expect(() => renderMath('\\frac{1', { source: 'd.md:3' })).toThrow(InputError);
    expect(() => renderMath('\\frac{1', { source: 'd.md:3' })).toThrow(/d\.md:3.*near '\\frac\{1'/);
  });

  it('inlines every KaTeX font as woff2 and leaves no file reference', () => {
    const css = katexCss();
    expect(count(css, /@font-face/g)).toBe(20);
    expect(count(css, /url\(data:font\/woff2;base64,/g)).toBe(20);
    expect(css).not.toMatch(/url\(fonts\//);
  });

  it('inlines exactly the woff2 file each @font-face names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fp-fonts-'));
    writeFileSync(join(dir, 'A.woff2'), Buffer.from([1, 2, 3]));
    const css = '@font-face{font-family:A;src:url(A.woff2) format("woff2"),url(A.woff) format("woff")}';
    expect(inlineFonts(css, dir)).toBe(
      '@font-face{font-family:A;src:url(data:font/woff2;base64,AQID) format("woff2")}',
    );
  });
});

describe('HTML report', () => {
  const html = renderHtmlReport(fixtureReport());

  it('prints the normal-form rules a proof used, with the sign each needed', () => {
    const report = fixtureReport();
    const step = report.claims[0].steps[0];
    step.verdict.evidence[0] = {
      kind: 'symbolic',
      strategy: 'normal-form',
      rules: [{ rule: 'power-of-nonneg', formula: 'sqrt(u)^2 = u', u: '1 - abar', needs: 'u >= 0' }],
      ms: 3,
    };
    const withRules = renderHtmlReport(report);
    expect(withRules).toContain('rules used');
    expect(withRules).toContain('sqrt(u)^2 = u using u = 1 - abar &gt;= 0');
  });

  it('is one self-contained file: no script, no external resource; links only to cited sources', () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(link|img|iframe)\b/i);
    expect(html).not.toMatch(/src="(https?:)?\/\//i);
    expect(html).not.toMatch(/url\((?!data:)/);
    const links = [...html.matchAll(/href="([^#"][^"]*)"/g)].map((m) => m[1]);
    expect(new Set(links)).toEqual(new Set(['https://arxiv.org/abs/2011.13456']));
  });

  it('cites a source in full, linked to its arXiv page, and keeps a plain source as written', () => {
    const sources = /<div class="sources">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
    expect(sources).toContain(
      'Yang Song, Jascha Sohl-Dickstein, Diederik P. Kingma, Abhishek Kumar, Stefano Ermon, Ben Poole (2021). <a href="https://arxiv.org/abs/2011.13456">Score-Based Generative Modeling through Stochastic Differential Equations</a>. arXiv:2011.13456. <span class="section">Section 3.4</span>',
    );
    expect(sources).toContain('<li>003_2839541f7a60aeda.txt: recap, Lecture 1 &lt;-&gt; Lecture 2</li>');
    const row = /<tr class="match">([\s\S]*?)<\/tr>/.exec(html)?.[1] ?? '';
    expect(row).toContain(
      '<a href="https://arxiv.org/abs/2011.13456" title="Score-Based Generative Modeling through Stochastic Differential Equations">Song et al. 2021</a>; 003_2839541f7a60aeda.txt',
    );
  });

  it('puts the failing claim in a red banner at the top and marks its row', () => {
    const banner = /<div class="banner fail" id="status">(.*?)<\/div>/s.exec(html);
    expect(banner?.[1]).toContain('1 of 3 claims checked did not come out as expected');
    expect(banner?.[1]).toContain('href="#claim-broken-claim"');
    expect(banner?.[1]).not.toContain('erratum-half'); // refuted, but as its file expects
    expect(html.indexOf('banner fail')).toBeLessThan(html.indexOf('id="summary"'));
    expect(count(html, /<tr class="mismatch">/g)).toBe(1);
    expect(count(html, /<tr class="match">/g)).toBe(2);
  });

  it('says so when every claim matches', () => {
    const report = fixtureReport();
    report.claims = report.claims.filter((c) => c.matches);
    report.summary = { ...report.summary, total: 2, matching: 2, mismatching: 0 };
    const ok = renderHtmlReport(report);
    expect(ok).toContain('All 2 claims checked came out as their files expect.');
    expect(ok).not.toContain('banner fail');
  });

  it('a skipped claim (Monte Carlo off) is neither a match nor a failure', () => {
    const report = fixtureReport();
    report.claims = report.claims.filter((c) => c.matches);
    report.claims[0] = { ...report.claims[0], matches: false, skipped: true };
    report.summary = { ...report.summary, total: 2, matching: 1, mismatching: 0, skipped: 1 };
    const page = renderHtmlReport(report);
    expect(page).toContain(
      'All 1 claims checked came out as their files expect. 1 skipped (Monte Carlo off).',
    );
    expect(page).not.toContain('banner fail');
    expect(count(page, /<tr class="skipped">/g)).toBe(1);
  });

  it('typesets every formula: KaTeX nodes, and no raw LaTeX delimiters in the visible text', () => {
    expect(count(html, /class="katex-display"/g)).toBeGreaterThanOrEqual(4);
    const text = visibleText(html);
    expect(text).not.toContain('$$');
    expect(text).not.toContain('\\frac');
  });

  it('shows Monte-Carlo evidence with its own fields, and counterexamples with both sides and the residual', () => {
    const mc =
      /<table class="evidence-table" data-kind="monte-carlo">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
    const cells = [...mc.matchAll(/<td[^>]*data-field="(\w+)">([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]);
    expect(cells).toEqual([
      ['test', 'two-sided z-test of mean difference'],
      ['estimate', '0.0012'],
      ['ci', '[-0.0031, 0.0055]'],
      ['p', '0.58'],
      ['alpha', '0.01'],
      ['mde', '0.0061'],
      ['samples', '200000'],
      ['seed', '12'],
      ['backend', 'float64'],
      ['ms', '930 ms'],
    ]);
    expect(html).not.toContain('class="low-p"');
    const cx =
      /<div class="counterexample">([\s\S]*?)<\/div>/.exec(
        html.slice(html.indexOf('id="claim-broken-claim"')),
      )?.[1] ?? '';
    expect(cx).toContain('<td class="num" data-field="lhs">0.25</td>');
    expect(cx).toContain('<td class="num" data-field="rhs">0.5</td>');
    expect(cx).toContain('<td class="num" data-field="residual">2.50e-1</td>');
    expect(cx).toContain('<code>t</code>');
  });

  it('shows exact computations with a value against a tolerance, never a p-value, level or interval', () => {
    const block = html.slice(html.indexOf('<details class="evidence" data-kind="exact">'));
    const table = block.slice(0, block.indexOf('</details>'));
    // 12 rows: collapsed behind a one-line summary.
    expect(table).toMatch(
      /<summary><span class="kind">exact computation<\/span>: 12 checks, all within tolerance <span class="rows">\(12 rows\)<\/span><\/summary>/,
    );
    const fields = new Set([...table.matchAll(/data-field="(\w+)"/g)].map((m) => m[1]));
    expect(fields).toEqual(
      new Set(['check', 'value', 'tolerance', 'within', 'over', 'backend', 'seed', 'ms']),
    );
    const columns = table.slice(table.indexOf('<table'));
    expect(columns).not.toMatch(/p-value|alpha|confidence|samples/);
    // Its caption says why those are absent.
    expect(table).toContain('no sampling error, so there is no p-value, level or confidence interval');
    expect(html).toContain('<span class="grade grade-confirmed-exact">confirmed (exact computation)</span>');
  });

  it('says why each diagnostic does not count, apart from the counted evidence', () => {
    const d = /<div class="diagnostics">([\s\S]*?)<\/details><\/div>/.exec(html)?.[1] ?? '';
    expect(d).toContain(
      '<strong>Not counted:</strong> it measures a trained model, whose learning error the claim does not bound.',
    );
    expect(d).toContain('data-field="p">5.000e-8</td>');
    expect(d).not.toContain('low-p'); // not part of any decision, so not flagged as one
  });

  it('typesets what a step was checked as, with the plain syntax beside it; a huge form stays plain', () => {
    const checked = /<details class="checked-as">([\s\S]*?)<\/details>/.exec(html)?.[1] ?? '';
    expect(checked).toContain('class="katex-display"');
    expect(checked).toContain('<code>-(x_t - sqrt(abar)*x_0)/(1 - abar) = -epsilon/sqrt(1 - abar)</code>');
    const report = fixtureReport();
    const step = report.claims[0].steps[0];
    step.checkedLatex = { lhs: 'x + '.repeat(CHECKED_AS_TYPESET / 4) + 'x', rhs: 'y' };
    const big = /<details class="checked-as">([\s\S]*?)<\/details>/.exec(renderHtmlReport(report))?.[1] ?? '';
    expect(big).not.toContain('katex');
    expect(big).toContain('characters of LaTeX: too long to typeset usefully');
    expect(big).toContain('<code>-(x_t - sqrt(abar)*x_0)/(1 - abar)');
  });

  it('inlines the experiment plots as SVG', () => {
    expect(count(html, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="fp-plot"/g)).toBe(6);
    for (const kind of ['histogram', 'scatter', 'marginals', 'convergence', 'straightness', 'lines']) {
      expect(html).toContain(`data-kind="${kind}"`);
    }
  });

  it('describes a side condition in words, its formula shown as checked', () => {
    const report = fixtureReport();
    report.claims[2].steps.push({
      ...report.claims[2].steps[0],
      index: 2,
      kind: 'side-condition',
      lhs: 'd/ds (closed-form antiderivative)',
      rhs: 'integrand',
      lhsPlain: 'd/ds(s^2/2)',
      rhsPlain: 's',
    });
    const out = renderHtmlReport(report);
    const claim = out.slice(out.indexOf('id="claim-broken-claim"'));
    const step = claim.slice(claim.indexOf('data-step="2"'));
    expect(step).toContain('side condition: d/ds (closed-form antiderivative) = integrand');
    expect(step).toContain('<code>d/ds(s^2/2) = s</code>');
    expect(step.slice(0, step.indexOf('<details'))).not.toContain('class="katex');
  });

  it('marks a Monte-Carlo p-value below alpha and says the grade is the corrected decision', () => {
    const report = fixtureReport();
    const e = report.claims[0].steps[1].verdict.evidence[0];
    if (e.kind === 'monte-carlo') e.pValue = 0.003;
    const out = renderHtmlReport(report);
    expect(out).toMatch(/<tr class="low-p">.*<td class="num" data-field="p">0.003 \*<\/td>/);
    expect(out).toContain("the step's grade is its corrected decision");
  });

  it('shows a plot it cannot draw as an error instead of dropping it', () => {
    const report = fixtureReport();
    report.claims[0].steps[1].experiment!.data = {
      plots: [{ kind: 'histogram', title: 'x', samples: [0.1, Number.NaN, 0.3] }],
    };
    expect(renderHtmlReport(report)).toMatch(/plot-error">plot not drawn: .*must be finite/);
  });

  it('a malformed plot spec is a bug in flowproof, not a plot to skip: an InternalError', () => {
    const report = fixtureReport();
    report.claims[0].steps[1].experiment!.data = { plots: [{ kind: 'pie', title: 'x' }] };
    expect(() => renderHtmlReport(report)).toThrow(InternalError);
  });
});

describe('derivation prose', () => {
  it('renders paragraphs, headings, inline and display math, and fenced blocks', () => {
    const out = markdownBody(
      '# Claim\n\nLet $x<1$ and `a<b`.\n\n$$\na = b\n$$\n\n```experiment\nname: e\n```',
      'f.md',
    );
    expect(out).toContain('<h4>Claim</h4>');
    expect(out).toContain('<code>a&lt;b</code>');
    expect(count(out, /class="katex"/g)).toBe(2);
    expect(out).toContain('<pre class="fence" data-lang="experiment">name: e</pre>');
  });

  it('shows a formula KaTeX rejects as a visible error, not as raw LaTeX', () => {
    const out = markdownBody('$$\n\\frac{1\n$$', 'f.md');
    expect(out).toContain('class="math-error"');
    expect(out).not.toContain('$$');
  });
});
