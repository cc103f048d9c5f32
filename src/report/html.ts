// The one-file HTML report of `flowproof verify --report out.html`: a summary table, then each claim
// with its math typeset by KaTeX on the server, every step's verdict and evidence, counterexamples,
// and plots as inline SVG. No script and no external resource: it opens offline, from an e-mail, a
// CI artefact. A claim whose verdict is not what its file expects is red, and listed at the top.
import type { Evidence, Grade, MonteCarloEvidence, Verdict } from '../core/verdict.js';
import { FlowproofError } from '../core/errors.js';
import { katexCss, renderMath } from './katex.js';
import { plotsInData, renderPlot } from './plots/index.js';
import { escapeXml as esc } from './plots/svg.js';
import { outcome, type ClaimResult, type Outcome, type StepResult, type VerifyReport } from './types.js';

const GRADE_LABEL: Record<Grade, string> = {
  proved: 'proved',
  'holds-numerically': 'holds numerically',
  'confirmed-mc': 'confirmed (Monte Carlo)',
  refuted: 'refuted',
  inconclusive: 'inconclusive',
};

const OUTCOME_CELL: Record<Outcome, string> = {
  match: '✓ as expected',
  mismatch: '✗ not as expected',
  skipped: 'skipped (Monte Carlo off)',
};
const OUTCOME_META: Record<Outcome, string> = {
  match: 'as expected',
  mismatch: '<strong>not as expected</strong>',
  skipped: 'skipped (Monte Carlo off)',
};

export function renderHtmlReport(report: VerifyReport): string {
  const failing = report.claims.filter((c) => outcome(c) === 'mismatch');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>flowproof verify — ${report.summary.matching}/${report.summary.total} claims as expected</title>
<style>${katexCss()}</style>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>flowproof verify</h1>
<p class="meta">flowproof ${esc(report.tool.version)} · started ${esc(report.startedAt)} · base seed ${report.seed} ·
Monte Carlo ${report.options.monteCarlo ? (report.options.thorough ? 'on (thorough)' : 'on') : 'off'}${
    report.options.only ? ` · only ${esc(report.options.only)}` : ''
  } · ${formatMs(report.summary.ms)}</p>
${banner(report, failing)}
</header>
<main>
${summaryTable(report)}
${report.claims.map((c) => claimSection(c, report.tool.version)).join('\n')}
</main>
</body>
</html>
`;
}

function banner(report: VerifyReport, failing: ClaimResult[]): string {
  const checked = report.summary.total - report.summary.skipped;
  const skipped = report.summary.skipped > 0 ? ` ${report.summary.skipped} skipped (Monte Carlo off).` : '';
  if (failing.length === 0) {
    return `<div class="banner ok" id="status">All ${checked} claims checked came out as their files expect.${skipped}</div>`;
  }
  const links = failing.map(
    (c) => `<a href="#${anchor(c.id)}">${esc(c.id)}</a> (${GRADE_LABEL[c.verdict.grade]})`,
  );
  return `<div class="banner fail" id="status"><strong>${failing.length} of ${checked} claims checked did not come out as expected:</strong> ${links.join(', ')}</div>`;
}

function summaryTable(report: VerifyReport): string {
  const rows = report.claims.map(
    (c) => `<tr class="${outcome(c)}">
<td><a href="#${anchor(c.id)}">${esc(c.id)}</a><div class="sub">${esc(c.title)}</div></td>
<td>${gradeBadge(c.verdict.grade)}</td>
<td>${c.expected === 'holds' ? 'holds' : 'refuted (erratum)'}</td>
<td class="nowrap">${OUTCOME_CELL[outcome(c)]}</td>
<td class="num">${formatMs(c.ms)}</td>
<td>${c.sources.map((s) => `<div class="sub">${esc(s)}</div>`).join('')}</td>
</tr>`,
  );
  const grades = (Object.entries(report.summary.byGrade) as [Grade, number][])
    .filter(([, n]) => n > 0)
    .map(([g, n]) => `${gradeBadge(g)} ${n}`)
    .join(' ');
  return `<section id="summary">
<h2>Summary</h2>
<p>${report.summary.matching} of ${report.summary.total - report.summary.skipped} as expected${
    report.summary.skipped > 0 ? ` · ${report.summary.skipped} skipped` : ''
  } · ${grades}</p>
<table class="summary">
<thead><tr><th>claim</th><th>evidence</th><th>expected</th><th>outcome</th><th>time</th><th>source</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</section>`;
}

function claimSection(c: ClaimResult, version: string): string {
  return `<section class="claim ${outcome(c)}" id="${anchor(c.id)}">
<h2>${gradeBadge(c.verdict.grade)} ${esc(c.title)} <span class="id">${esc(c.id)}</span></h2>
<p class="meta">${esc(c.file)}${c.convention ? ` · ${esc(c.convention)} convention` : ''} · expected: ${esc(c.expected)} · ${
    OUTCOME_META[outcome(c)]
  } · ${formatMs(c.ms)}</p>
${c.sources.length ? `<p class="sources">Sources: ${c.sources.map(esc).join('; ')}</p>` : ''}
${verdictNote(c.verdict)}
${c.body ? `<details class="body"><summary>The derivation as written</summary>${markdownBody(c.body, c.file)}</details>` : ''}
<h3>Steps</h3>
${c.steps.map((s) => stepBlock(s, version)).join('\n')}
</section>`;
}

function stepBlock(s: StepResult, version: string): string {
  const where = `${s.position.file}:${s.position.line}:${s.position.column}`;
  // Equations are the author's LaTeX; a side condition is described in words (its formula is the plain form).
  const head =
    s.kind === 'experiment'
      ? `<div class="experiment-name">experiment <code>${esc(s.lhs)}</code> ${paramsList(s.experiment?.params)}</div>`
      : s.kind === 'side-condition'
        ? `<div class="side-condition">side condition: ${esc(s.lhs)} = ${esc(s.rhs)}</div>`
        : `<div class="math-step">${math(`${s.lhs} = ${s.rhs}`, true, where)}</div>`;
  const plain =
    s.lhsPlain !== undefined
      ? `<details><summary>checked as</summary><code>${esc(s.lhsPlain)} = ${esc(s.rhsPlain ?? '')}</code></details>`
      : '';
  const notes = s.experiment?.notes.length
    ? `<ul class="notes">${s.experiment.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`
    : '';
  return `<div class="step ${stepClass(s.verdict.grade)}" data-step="${s.index}">
<div class="step-head">step ${s.index} · ${esc(s.kind)} · ${gradeBadge(s.verdict.grade)} · <span class="where">${esc(where)}</span> · ${formatMs(s.ms)}</div>
${head}
${plain}
${verdictNote(s.verdict)}
${counterexample(s.verdict)}
${s.verdict.evidence.map(evidenceLine).join('\n')}
${monteCarloTable(
  s.verdict.evidence.filter((e): e is MonteCarloEvidence => e.kind === 'monte-carlo'),
  version,
)}
${notes}
${plots(s)}
</div>`;
}

function verdictNote(v: Verdict): string {
  return v.reason ? `<p class="reason">${esc(v.reason)}</p>` : '';
}

function counterexample(v: Verdict): string {
  const cx = v.counterexample;
  if (!cx) return '';
  const point = Object.entries(cx.point)
    .map(([k, val]) => `<tr><td><code>${esc(k)}</code></td><td class="num">${esc(val)}</td></tr>`)
    .join('');
  return `<div class="counterexample"><strong>Counterexample</strong>
<table><tbody>${point}
<tr><td>left side</td><td class="num">${esc(cx.lhs)}</td></tr>
<tr><td>right side</td><td class="num">${esc(cx.rhs)}</td></tr></tbody></table></div>`;
}

function evidenceLine(e: Evidence): string {
  switch (e.kind) {
    case 'symbolic':
      return `<div class="evidence">computer algebra: strategy <code>${esc(e.strategy)}</code>, ${formatMs(e.ms)}</div>`;
    case 'numeric':
      return `<div class="evidence">high precision: ${e.pointsTried} points at ${e.precisionDigits} digits, max residual ${esc(e.maxResidual)}, seed ${e.seed}, ${formatMs(e.ms)}</div>`;
    case 'monte-carlo':
      return '';
  }
}

/** One row per Monte-Carlo test of a step: everything needed to judge and reproduce it. */
function monteCarloTable(tests: MonteCarloEvidence[], version: string): string {
  if (tests.length === 0) return '';
  const rows = tests.map((e) => {
    const low = e.pValue < e.alpha;
    return `<tr${low ? ' class="low-p"' : ''}><td>${esc(e.experiment)}: ${esc(e.test)}</td><td class="num">${fmt(e.estimate)}</td><td class="num">[${fmt(e.ci[0])}, ${fmt(e.ci[1])}]</td><td class="num">${fmt(e.pValue)}${low ? ' *' : ''}</td><td class="num">${fmt(e.alpha)}</td><td class="num">${fmt(e.minDetectableEffect)}</td><td class="num">${e.samples}</td><td class="num">${e.seed}</td><td>${esc(e.backend)}</td><td class="num">${formatMs(e.ms)}</td></tr>`;
  });
  const starred = tests.some((e) => e.pValue < e.alpha)
    ? " * p below alpha before the experiment's multiple-testing correction; the step's grade is its corrected decision."
    : '';
  return `<table class="mc"><caption>Monte Carlo (${tests.length} test${tests.length > 1 ? 's' : ''}, flowproof ${esc(version)})</caption>
<thead><tr><th>test</th><th>estimate</th><th>confidence interval</th><th>p-value</th><th>alpha</th><th>min. detectable effect</th><th>samples</th><th>seed</th><th>backend</th><th>time</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>${starred ? `<p class="footnote">${starred.trim()}</p>` : ''}`;
}

function plots(s: StepResult): string {
  const data = s.experiment?.data;
  if (data === undefined || data === null || typeof data !== 'object') return '';
  try {
    const svgs = plotsInData(data as Record<string, unknown>, s.experiment?.name ?? s.lhs).map(renderPlot);
    return svgs.length
      ? `<div class="plots">${svgs.map((svg) => `<figure>${svg}</figure>`).join('')}</div>`
      : '';
  } catch (err) {
    // A plot that cannot be drawn is shown as such, never silently left out.
    if (!(err instanceof FlowproofError)) throw err;
    return `<div class="plot-error">plot not drawn: ${esc(err.message)}</div>`;
  }
}

function paramsList(params: Record<string, unknown> | undefined): string {
  if (!params || Object.keys(params).length === 0) return '';
  const items = Object.entries(params).map(([k, v]) => `${esc(k)} = ${esc(JSON.stringify(v))}`);
  return `<span class="params">(${items.join(', ')})</span>`;
}

/**
 * The derivation's prose: paragraphs, `#` headings, fenced blocks as preformatted text, `$$...$$`
 * display math and `$...$` inline math through KaTeX. Everything else is shown as escaped text.
 */
export function markdownBody(body: string, file: string): string {
  const out: string[] = [];
  const blocks = body.replace(/\r\n/g, '\n').split(/(```[^\n]*\n[\s\S]*?\n```|\$\$[\s\S]*?\$\$)/);
  for (const block of blocks) {
    if (block.startsWith('```')) {
      const [fence, ...rest] = block.split('\n');
      const label = fence.slice(3).trim();
      out.push(
        `<pre class="fence"${label ? ` data-lang="${esc(label)}"` : ''}>${esc(rest.slice(0, -1).join('\n'))}</pre>`,
      );
    } else if (block.startsWith('$$')) {
      out.push(`<div class="display">${math(block.slice(2, -2).trim(), true, file)}</div>`);
    } else {
      for (const para of block.split(/\n\s*\n/)) {
        const t = para.trim();
        if (!t) continue;
        const heading = /^(#{1,6})\s+(.*)$/s.exec(t);
        if (heading)
          out.push(`<h${heading[1].length + 3}>${inline(heading[2], file)}</h${heading[1].length + 3}>`);
        else out.push(`<p>${inline(t, file)}</p>`);
      }
    }
  }
  return out.join('\n');
}

function inline(text: string, file: string): string {
  return text
    .split(/(\$[^$\n]+\$|`[^`\n]+`)/)
    .map((piece) => {
      if (piece.length > 2 && piece.startsWith('$') && piece.endsWith('$'))
        return math(piece.slice(1, -1), false, file);
      if (piece.length > 2 && piece.startsWith('`') && piece.endsWith('`'))
        return `<code>${esc(piece.slice(1, -1))}</code>`;
      return esc(piece).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
    })
    .join('');
}

/** KaTeX, or, for a formula it cannot typeset, a visible error box with the source (never a raw `$$`). */
function math(latex: string, display: boolean, where: string): string {
  try {
    return renderMath(latex, { display, source: where });
  } catch (err) {
    if (!(err instanceof FlowproofError)) throw err;
    return `<span class="math-error" title="${esc(err.message)}">cannot typeset: <code>${esc(latex)}</code></span>`;
  }
}

function gradeBadge(g: Grade): string {
  return `<span class="grade grade-${g}">${GRADE_LABEL[g]}</span>`;
}

function stepClass(g: Grade): string {
  return g === 'refuted' ? 'refuted' : g === 'inconclusive' ? 'inconclusive' : 'supported';
}

function anchor(id: string): string {
  return `claim-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function fmt(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === 0 || !Number.isFinite(v)) return String(v);
  return Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6 ? v.toExponential(3) : String(Number(v.toPrecision(4)));
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;margin:0 auto;max-width:1060px;padding:0 20px 60px}
h1{margin:24px 0 4px}h2{margin:28px 0 6px;font-size:20px}h3{font-size:16px;margin:16px 0 6px}
.meta,.sub,.sources,.where{color:#555;font-size:13px}
.id{font:12px ui-monospace,monospace;color:#666;font-weight:normal}
.banner{padding:12px 16px;border-radius:6px;margin:14px 0;font-size:15px}
.banner.ok{background:#e6f4ea;border:1px solid #34a853}
.banner.fail{background:#fde7e9;border:2px solid #c0162b;color:#7a0010}
.banner a{color:inherit}
table{border-collapse:collapse}
table.summary{width:100%;font-size:14px}
.summary th,.summary td{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
tr.mismatch td{background:#fde7e9}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.nowrap{white-space:nowrap}
.grade{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap}
.grade-proved{background:#1e7a34;color:#fff}
.grade-holds-numerically{background:#cdebd5;color:#14532d}
.grade-confirmed-mc{background:#cfe8f3;color:#0b4a6f}
.grade-refuted{background:#c0162b;color:#fff}
.grade-inconclusive{background:#fff0c2;color:#6b4e00}
section.claim{border-top:1px solid #ccc;padding-top:4px}
section.claim.mismatch{border-left:5px solid #c0162b;padding-left:12px}
.step{border:1px solid #e0e0e0;border-radius:6px;padding:8px 12px;margin:10px 0}
.step.refuted{border-color:#c0162b;background:#fff7f8}
.step.inconclusive{border-color:#e0b000}
.step-head{font-size:13px;color:#444}
.math-step,.display{overflow-x:auto;overflow-y:hidden}
.reason{font-style:italic;color:#444}
.counterexample{background:#fde7e9;border-radius:4px;padding:6px 10px;margin:6px 0}
.counterexample td{padding:1px 10px 1px 0;font-family:ui-monospace,monospace;font-size:13px}
.evidence{font-size:13px;color:#333;margin:4px 0}
table.mc{font-size:12.5px;margin:6px 0;border:1px solid #ddd;display:block;overflow-x:auto}
table.mc caption{text-align:left;font-weight:600;padding:4px 0}
table.mc th{text-align:left;font-weight:normal;color:#555;padding:2px 8px;border-bottom:1px solid #ddd}
table.mc td{padding:2px 8px;border-bottom:1px solid #f0f0f0}
table.mc tr.low-p td{background:#fff0c2}
.footnote{font-size:12px;color:#555}
.plots{display:flex;flex-wrap:wrap;gap:12px}
.plots figure{margin:6px 0}
.plots svg{max-width:100%;height:auto}
.plot-error,.math-error{color:#7a0010;background:#fde7e9;padding:2px 6px}
pre.fence{background:#f5f5f5;padding:8px;font-size:13px;overflow-x:auto}
.body{margin:8px 0 4px}
`;
