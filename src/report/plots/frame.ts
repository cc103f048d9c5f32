// A chart frame: the plot area with its scales, axes, ticks, grid, labels, and the title and legend
// above it (never over the data). Charts draw their marks in plot-area coordinates; the area is a
// nested <svg>, which clips marks to it without needing document-unique ids.
import { el, escapeXml, text } from './svg.js';
import { formatTick, linearScale, logScale, type Scale } from './scale.js';

export interface AxisSpec {
  label: string;
  domain: [number, number];
  log?: boolean;
}

export interface LegendEntry {
  label: string;
  color: string;
  mark: 'line' | 'dashed' | 'box' | 'dot';
}

export interface PanelSpec {
  width: number;
  height: number;
  title?: string;
  x: AxisSpec;
  y: AxisSpec;
  /** Drawn above the plot area, never over the data. */
  legend?: LegendEntry[];
}

export interface Panel {
  x: Scale;
  y: Scale;
  /** The panel as a <g>, with `marks` drawn inside the clipped plot area. */
  render(marks: string[]): string;
}

const MARGIN = { left: 58, right: 12, bottom: 42 };
/** Approximate advance of a character: titles (13 px, bold) and legend labels (11 px). */
const TITLE_CHAR = 7.8;
const LEGEND_CHAR = 6.5;
const TITLE_LINE = 16;
const LEGEND_LINE = 15;

/** Splits `text` at spaces into at most `maxLines` lines of about `width` px (the last takes the rest). */
export function wrapLines(text: string, width: number, charWidth: number, maxLines = 2): string[] {
  const perLine = Math.max(8, Math.floor(width / charWidth));
  const lines: string[] = [];
  let rest = text.trim();
  while (rest.length > perLine && lines.length < maxLines - 1) {
    const cut = rest.lastIndexOf(' ', perLine);
    const at = cut > perLine / 3 ? cut : perLine;
    lines.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  lines.push(rest);
  return lines;
}

const entryWidth = (e: LegendEntry) => 30 + LEGEND_CHAR * e.label.length;

/** Legend entries packed into rows of at most `width` px. */
function legendRows(entries: LegendEntry[], width: number): LegendEntry[][] {
  const rows: LegendEntry[][] = [];
  let used = Infinity;
  for (const e of entries) {
    if (used + entryWidth(e) > width) {
      rows.push([]);
      used = 0;
    }
    rows[rows.length - 1].push(e);
    used += entryWidth(e);
  }
  return rows;
}

export function panel(spec: PanelSpec): Panel {
  const room = spec.width - 16;
  const titleLines = spec.title ? wrapLines(spec.title, room, TITLE_CHAR) : [];
  const rows = spec.legend?.length ? legendRows(spec.legend, room) : [];
  const top = 8 + titleLines.length * TITLE_LINE + rows.length * LEGEND_LINE + 8;
  const w = spec.width - MARGIN.left - MARGIN.right;
  const h = spec.height - top - MARGIN.bottom;
  const x = spec.x.log ? logScale(spec.x.domain, [0, w]) : linearScale(spec.x.domain, [0, w], 6);
  const y = spec.y.log ? logScale(spec.y.domain, [h, 0]) : linearScale(spec.y.domain, [h, 0], 5);
  const render = (marks: string[]): string => {
    const xTicks = x.ticks.filter((v) => inside(x, v, w));
    const yTicks = y.ticks.filter((v) => inside(y, v, h));
    const grid = [
      ...xTicks.map((v) => el('line', { x1: x(v), x2: x(v), y1: 0, y2: h })),
      ...yTicks.map((v) => el('line', { x1: 0, x2: w, y1: y(v), y2: y(v) })),
    ];
    const axes = [
      el('rect', { x: 0, y: 0, width: w, height: h, fill: 'none', stroke: '#888' }),
      ...xTicks.map((v) => text(x(v), h + 15, formatTick(v), { 'text-anchor': 'middle' })),
      ...yTicks.map((v) => text(-6, y(v) + 4, formatTick(v), { 'text-anchor': 'end' })),
      text(w / 2, h + 34, spec.x.label, { 'text-anchor': 'middle', class: 'fp-axis-label' }),
      text(-h / 2, -44, spec.y.label, {
        'text-anchor': 'middle',
        transform: 'rotate(-90)',
        class: 'fp-axis-label',
      }),
    ];
    // A title line still longer than the panel (one unbreakable word) is squeezed to fit.
    const title = titleLines.map((line, i) =>
      text(8, 8 + (i + 1) * TITLE_LINE - 4, line, {
        class: 'fp-plot-title',
        'font-size': 13,
        'font-weight': 600,
        textLength: line.length * TITLE_CHAR > room ? room : undefined,
        lengthAdjust: line.length * TITLE_CHAR > room ? 'spacingAndGlyphs' : undefined,
      }),
    );
    const legendTop = 8 + titleLines.length * TITLE_LINE;
    const legend = rows.map((row, i) => legendRow(row, 8, legendTop + (i + 1) * LEGEND_LINE - 3));
    return el('g', {}, [
      ...title,
      ...legend,
      el('g', { transform: `translate(${MARGIN.left},${top})` }, [
        el('g', { stroke: '#e4e4e4' }, grid),
        el('svg', { x: 0, y: 0, width: w, height: h, overflow: 'hidden' }, marks),
        el('g', { 'font-size': 11, fill: '#333' }, axes),
      ]),
    ]);
  };
  return { x, y, render };
}

function inside(s: Scale, v: number, size: number): boolean {
  const p = s(v);
  return Number.isFinite(p) && p >= -0.5 && p <= size + 0.5;
}

/** A one-line legend starting at (x, y), for figures of several panels. */
export function legendRow(entries: LegendEntry[], x: number, y: number): string {
  let at = 0;
  const items = entries.map((e) => {
    const item = legendSample(e, at, y) + text(at + 19, y, e.label);
    at += entryWidth(e);
    return item;
  });
  return el('g', { transform: `translate(${x},0)`, 'font-size': 11, class: 'fp-legend' }, items);
}

function legendSample(e: LegendEntry, x: number, y: number): string {
  return e.mark === 'box'
    ? el('rect', { x, y: y - 8, width: 14, height: 9, fill: e.color, 'fill-opacity': 0.35, stroke: e.color })
    : e.mark === 'dot'
      ? el('circle', { cx: x + 7, cy: y - 4, r: 3, fill: e.color })
      : el('line', {
          x1: x,
          x2: x + 14,
          y1: y - 4,
          y2: y - 4,
          stroke: e.color,
          'stroke-width': 2,
          'stroke-dasharray': e.mark === 'dashed' ? '4 3' : undefined,
        });
}

/** The outer <svg>: accessible title, a class and kind the report and its browser test look for. */
export function svgRoot(kind: string, title: string, width: number, height: number, body: string[]): string {
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      class: 'fp-plot',
      'data-kind': kind,
      role: 'img',
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      'font-family': 'system-ui, sans-serif',
    },
    [`<title>${escapeXml(title)}</title>`, ...body],
  );
}
