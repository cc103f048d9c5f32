// The one-file HTML report of `flowproof verify --report out.html`: a summary table, then each claim
// with its math typeset by KaTeX on the server, every step's verdict and evidence, counterexamples,
// and plots as inline SVG. No script and no external resource: it opens offline, from an e-mail, a
// CI artefact (its only links are the sources' citations). A claim whose verdict is not what its file
// expects is red, and listed at the top. Evidence is shown by kind, each kind with its own fields only
// (src/report/evidence.ts); long tables are collapsed behind a one-line summary.
import { sourceLink, type Source } from '../core/citation.js';
import { FlowproofError } from '../core/errors.js';
import type { Diagnostic, Evidence, EvidenceKind, Grade, Verdict } from '../core/verdict.js';
import {
  byKind,
  EVIDENCE_KINDS,
  evidenceFields,
  evidenceSummary,
  GRADE_LABEL,
  printedPoint,
  type Field,
} from './evidence.js';
import { formatMs } from './format.js';
import { katexCss, renderMath } from './katex.js';
import { plotsInData, renderPlot, type PlotSpec } from './plots/index.js';
import { escapeXml as esc } from './plots/svg.js';
import { matchOf, type ClaimResult, type Match, type StepResult, type VerifyReport } from './types.js';

/** Tables with more rows than this are collapsed behind their one-line summary. */
export const LONG_TABLE = 8;

/** Longest checked-as form (characters of LaTeX) that is typeset; longer ones are shown as plain syntax. */
export const CHECKED_AS_TYPESET = 2000;

/** Plot kinds drawn as several panels, which take a whole row of the plot grid. */
const WIDE_PLOTS: ReadonlySet<PlotSpec['kind']> = new Set(['marginals']);

const MATCH_CELL: Record<Match, string> = {
  match: '✓ as expected',
  mismatch: '✗ not as expected',
  skipped: 'skipped (Monte Carlo off)',
};
const MATCH_META: Record<Match, string> = {
  match: 'as expected',
  mismatch: '<strong>not as expected</strong>',
  skipped: 'skipped (Monte Carlo off)',
};

export function renderHtmlReport(report: VerifyReport): string {
  const failing = report.claims.filter((c) => matchOf(c) === 'mismatch');
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
${report.claims.map(claimSection).join('\n')}
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
    (c) => `<tr class="${matchOf(c)}">
<td><a href="#${anchor(c.id)}">${esc(c.id)}</a><div class="sub">${inline(c.title, c.file)}</div></td>
<td>${gradeBadge(c.verdict.grade)}</td>
<td>${c.expected === 'holds' ? 'holds' : 'refuted (erratum)'}</td>
<td class="nowrap">${MATCH_CELL[matchOf(c)]}</td>
<td class="num">${formatMs(c.ms)}</td>
<td class="sub">${distinctWorks(c.sources).map(shortSource).join('; ')}</td>
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
<thead><tr><th>claim</th><th>evidence</th><th>expected</th><th>outcome</th><th>time</th><th>sources</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</section>`;
}

function claimSection(c: ClaimResult): string {
  return `<section class="claim ${matchOf(c)}" id="${anchor(c.id)}">
<h2>${gradeBadge(c.verdict.grade)} ${inline(c.title, c.file)} <span class="id">${esc(c.id)}</span></h2>
<p class="meta">${esc(c.file)}${c.convention ? ` · ${esc(c.convention)} convention` : ''} · expected: ${esc(c.expected)} · ${
    MATCH_META[matchOf(c)]
  } · ${formatMs(c.ms)}</p>
${c.sources.length ? `<div class="sources">Sources<ul>${c.sources.map((s) => `<li>${fullSource(s)}</li>`).join('')}</ul></div>` : ''}
${verdictNote(c.verdict)}
${c.body ? `<details class="body"><summary>The derivation as written</summary>${markdownBody(c.body, c.file)}</details>` : ''}
<h3>Steps</h3>
${c.steps.map(stepBlock).join('\n')}
</section>`;
}

function stepBlock(s: StepResult): string {
  const where = `${s.position.file}:${s.position.line}:${s.position.column}`;
  // Equations are the author's LaTeX; a side condition is described in words (its formula is what it was checked as).
  const head =
    s.kind === 'experiment'
      ? `<div class="experiment-name">experiment <code>${esc(s.lhs)}</code> ${paramsList(s.experiment?.params)}</div>`
      : s.kind === 'side-condition'
        ? `<div class="side-condition">side condition: ${esc(s.lhs)} = ${esc(s.rhs)}</div>`
        : `<div class="math-step">${math(`${s.lhs} = ${s.rhs}`, true, where)}</div>`;
  const notes = s.experiment?.notes.length
    ? `<ul class="notes">${s.experiment.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`
    : '';
  return `<div class="step ${stepClass(s.verdict.grade)}" data-step="${s.index}">
<div class="step-head">step ${s.index} · ${esc(s.kind)} · ${gradeBadge(s.verdict.grade)} · <span class="where">${esc(where)}</span> · ${formatMs(s.ms)}</div>
${head}
${checkedAs(s, where)}
${verdictNote(s.verdict)}
${counterexample(s.verdict)}
${byKind(s.verdict.evidence)
  .map(([kind, group]) => evidenceBlock(kind, group))
  .join('\n')}
${notes}
${diagnostics(s.experiment?.diagnostics ?? [])}
${plots(s)}
</div>`;
}

/**
 * What the identity engine compared, typeset from its internal form, with the plain syntax `check` reads.
 * A form longer than CHECKED_AS_TYPESET characters of LaTeX (a Fokker-Planck residual with every binding
 * expanded runs to 20,000) is pages of symbols and megabytes of HTML: it is shown as plain syntax only.
 */
function checkedAs(s: StepResult, where: string): string {
  if (s.lhsPlain === undefined) return '';
  const tex = s.checkedLatex ? `${s.checkedLatex.lhs} = ${s.checkedLatex.rhs}` : undefined;
  const typeset =
    tex === undefined
      ? ''
      : tex.length <= CHECKED_AS_TYPESET
        ? `<div class="math-step">${math(tex, true, where)}</div>`
        : `<p class="plain">${tex.length} characters of LaTeX: too long to typeset usefully; the plain form below is what was checked.</p>`;
  return `<details class="checked-as"><summary>checked as</summary>${typeset}<div class="plain">plain syntax (for <code>flowproof check</code>): <code>${esc(s.lhsPlain)} = ${esc(s.rhsPlain ?? '')}</code></div></details>`;
}

function verdictNote(v: Verdict): string {
  return v.reason ? `<p class="reason">${esc(v.reason)}</p>` : '';
}

function counterexample(v: Verdict): string {
  const cx = printedPoint(v);
  if (!cx) return '';
  const point = Object.entries(cx.point)
    .map(([k, val]) => `<tr><td><code>${esc(k)}</code></td><td class="num">${esc(val)}</td></tr>`)
    .join('');
  return `<div class="counterexample"><strong>Counterexample</strong>
<table><tbody>${point}
<tr><td>left side</td><td class="num" data-field="lhs">${esc(cx.lhs)}</td></tr>
<tr><td>right side</td><td class="num" data-field="rhs">${esc(cx.rhs)}</td></tr>
<tr><td>residual here</td><td class="num" data-field="residual">${esc(cx.residual)}</td></tr></tbody></table></div>`;
}

/**
 * The evidence of one kind: a line for a single symbolic or numeric result, else a table whose columns
 * are that kind's fields, collapsed behind its summary when long (diagnostics always: their reason is
 * shown above them). Every field cell carries data-field.
 */
function evidenceBlock(kind: EvidenceKind, group: Evidence[], diagnostic = false): string {
  const spec = EVIDENCE_KINDS[kind];
  const rows = group.map(evidenceFields);
  const cls = diagnostic ? 'evidence diagnostic' : 'evidence';
  if (rows.length === 1 && (kind === 'symbolic' || kind === 'numeric')) {
    const fields = rows[0].map(
      (f) => `<span data-field="${f.key}">${esc(f.label)} <b>${esc(f.value)}</b></span>`,
    );
    return `<div class="${cls}" data-kind="${kind}"><span class="kind" title="${esc(spec.meaning)}">${esc(spec.label)}</span>: ${fields.join(' · ')}</div>`;
  }
  const columns: Field[] = [];
  for (const r of rows) for (const f of r) if (!columns.some((c) => c.key === f.key)) columns.push(f);
  // A low p is marked where it takes part in the decision; a diagnostic's reason is stated above it.
  const lowP = (e: Evidence) => !diagnostic && e.kind === 'monte-carlo' && e.pValue < e.alpha;
  const outside = (e: Evidence) => e.kind === 'exact' && !(e.value <= e.tolerance);
  const body = rows.map((r, i) => {
    const e = group[i];
    const cells = columns.map((c) => {
      const f = r.find((x) => x.key === c.key);
      const star = c.key === 'p' && lowP(e) ? ' *' : '';
      return `<td${c.numeric ? ' class="num"' : ''} data-field="${c.key}">${f ? esc(f.value) + star : ''}</td>`;
    });
    const mark = lowP(e) ? ' class="low-p"' : outside(e) ? ' class="outside"' : '';
    return `<tr${mark}>${cells.join('')}</tr>`;
  });
  const summary = `<span class="kind">${esc(spec.label)}</span>: ${esc(evidenceSummary(kind, group))}`;
  const table = `<table class="evidence-table" data-kind="${kind}">
<thead><tr>${columns.map((c) => `<th>${esc(c.label)}</th>`).join('')}</tr></thead>
<tbody>${body.join('\n')}</tbody></table>`;
  const footnote = group.some(lowP)
    ? `<p class="footnote">* p below alpha before the experiment's multiple-testing correction (Holm); the step's grade is its corrected decision.</p>`
    : '';
  const meaning = `<div class="meaning">${esc(spec.meaning)}</div>`;
  const inner = `${meaning}<div class="scroll">${table}</div>${footnote}`;
  return rows.length > LONG_TABLE || diagnostic
    ? `<details class="${cls}" data-kind="${kind}"><summary>${summary} <span class="rows">(${rows.length} rows)</span></summary>${inner}</details>`
    : `<div class="${cls}" data-kind="${kind}"><div class="evidence-head">${summary}</div>${inner}</div>`;
}

/** Results an experiment reports without counting them, each group under the reason it does not count. */
function diagnostics(list: Diagnostic[]): string {
  if (list.length === 0) return '';
  const reasons = [...new Set(list.map((d) => d.whyNotCounted))];
  const groups = reasons.map((why) => {
    const evidence = list.filter((d) => d.whyNotCounted === why).map((d) => d.evidence);
    return `<p class="why"><strong>Not counted:</strong> ${esc(why)}.</p>${byKind(evidence)
      .map(([kind, group]) => evidenceBlock(kind, group, true))
      .join('\n')}`;
  });
  return `<div class="diagnostics"><div class="evidence-head"><strong>Diagnostics</strong> (${list.length}, reported, not counted toward the verdict)</div>${groups.join('\n')}</div>`;
}

function plots(s: StepResult): string {
  const data = s.experiment?.data;
  if (data === undefined || data === null || typeof data !== 'object') return '';
  try {
    const specs = plotsInData(data as Record<string, unknown>, s.experiment?.name ?? s.lhs);
    const figures = specs.map(
      (spec) => `<figure${WIDE_PLOTS.has(spec.kind) ? ' class="wide"' : ''}>${renderPlot(spec)}</figure>`,
    );
    return figures.length ? `<div class="plots">${figures.join('')}</div>` : '';
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

/** A citation in full: authors (year), the title linked to its URL or arXiv page, arXiv id, section. */
function fullSource(s: Source): string {
  if (typeof s === 'string') return esc(s);
  const link = sourceLink(s);
  const title = link ? `<a href="${esc(link)}">${esc(s.title)}</a>` : `<cite>${esc(s.title)}</cite>`;
  const who = s.authors?.length
    ? `${esc(s.authors.join(', '))}${s.year ? ` (${s.year})` : ''}. `
    : s.year
      ? `(${s.year}) `
      : '';
  const arxiv = s.arxiv ? ` arXiv:${esc(s.arxiv)}.` : '';
  return `${who}${title}.${arxiv}${s.section ? ` <span class="section">${esc(s.section)}</span>` : ''}`;
}

/** The sources with each work once (a claim may cite several sections of one work). */
function distinctWorks(sources: Source[]): Source[] {
  const seen = new Set<string>();
  return sources.filter((s) => {
    const key = typeof s === 'string' ? s : s.title;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A citation as "Surname et al. year", linked (its title on hover); a plain note as written. */
function shortSource(s: Source): string {
  if (typeof s === 'string') return esc(s);
  const surname = (n: string) => n.trim().split(/\s+/).pop() ?? n;
  const a = s.authors ?? [];
  const who =
    a.length === 0
      ? s.title
      : a.length === 1
        ? surname(a[0])
        : a.length === 2
          ? `${surname(a[0])} & ${surname(a[1])}`
          : `${surname(a[0])} et al.`;
  const text = `${who}${s.year ? ` ${s.year}` : ''}`;
  const link = sourceLink(s);
  const shown = link
    ? `<a href="${esc(link)}" title="${esc(s.title)}">${esc(text)}</a>`
    : `<span title="${esc(s.title)}">${esc(text)}</span>`;
  return shown;
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

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;margin:0 auto;max-width:1060px;padding:0 20px 60px}
h1{margin:24px 0 4px}h2{margin:28px 0 6px;font-size:20px}h3{font-size:16px;margin:16px 0 6px}
.meta,.sub,.sources,.where,.meaning,.rows{color:#555;font-size:13px}
.sources ul{margin:2px 0 6px;padding-left:20px}
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
.grade-confirmed-exact{background:#dfe3f8;color:#27306b}
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
.checked-as summary,.body summary{font-size:13px;color:#444;cursor:pointer}
.plain{font-size:12px;color:#555;overflow-x:auto}
.reason{font-style:italic;color:#444}
.counterexample{background:#fde7e9;border-radius:4px;padding:6px 10px;margin:6px 0}
.counterexample td{padding:1px 10px 1px 0;font-family:ui-monospace,monospace;font-size:13px}
.evidence{font-size:13px;color:#333;margin:6px 0}
.evidence .kind{font-weight:600}
details.evidence>summary{cursor:pointer}
.scroll{overflow-x:auto}
table.evidence-table{font-size:12.5px;margin:4px 0;border:1px solid #ddd}
table.evidence-table th{text-align:left;font-weight:normal;color:#555;padding:2px 8px;border-bottom:1px solid #ddd}
table.evidence-table td{padding:2px 8px;border-bottom:1px solid #f0f0f0}
table.evidence-table tr.low-p td{background:#fff0c2}
table.evidence-table tr.outside td{background:#fde7e9}
.diagnostics{border-left:3px solid #bbb;padding:2px 10px;margin:8px 0;background:#fafafa}
.why{font-size:13px;margin:4px 0}
.notes{font-size:13px;margin:6px 0;padding-left:20px}
.footnote{font-size:12px;color:#555}
.plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:10px 14px;margin-top:8px}
.plots figure{margin:0;min-width:0}
.plots figure.wide{grid-column:1/-1}
.plots svg{width:100%;height:auto}
.plot-error,.math-error{color:#7a0010;background:#fde7e9;padding:2px 6px}
pre.fence{background:#f5f5f5;padding:8px;font-size:13px;overflow-x:auto}
.body{margin:8px 0 4px}
`;
