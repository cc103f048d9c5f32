// A chart frame: the plot area with its scales, axes, ticks, grid, labels and legend. Charts draw
// their marks in plot-area coordinates; the area is a nested <svg>, which clips marks to it without
// needing document-unique ids.
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
  legend?: LegendEntry[];
  /** Data points the legend should not hide: it goes to the plot corner covering fewest of them. */
  avoid?: [number, number][];
}

export interface Panel {
  x: Scale;
  y: Scale;
  /** The panel as a <g>, with `marks` drawn inside the clipped plot area. */
  render(marks: string[]): string;
}

const MARGIN = { left: 58, right: 12, top: 26, bottom: 42 };

export function panel(spec: PanelSpec): Panel {
  const w = spec.width - MARGIN.left - MARGIN.right;
  const h = spec.height - MARGIN.top - MARGIN.bottom;
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
    // A title longer than the panel is squeezed to fit (about 7 px per character at 13 px).
    const room = spec.width - 16;
    const title = spec.title
      ? text(8 - MARGIN.left, -10, spec.title, {
          class: 'fp-plot-title',
          'font-size': 13,
          'font-weight': 600,
          textLength: spec.title.length * 7 > room ? room : undefined,
          lengthAdjust: spec.title.length * 7 > room ? 'spacingAndGlyphs' : undefined,
        })
      : '';
    return el('g', { transform: `translate(${MARGIN.left},${MARGIN.top})` }, [
      title,
      el('g', { stroke: '#e4e4e4' }, grid),
      el('svg', { x: 0, y: 0, width: w, height: h, overflow: 'hidden' }, marks),
      el('g', { 'font-size': 11, fill: '#333' }, axes),
      spec.legend
        ? legend(
            spec.legend,
            w,
            h,
            (spec.avoid ?? []).map(([u, v]) => [x(u), y(v)]),
          )
        : '',
    ]);
  };
  return { x, y, render };
}

function inside(s: Scale, v: number, size: number): boolean {
  const p = s(v);
  return Number.isFinite(p) && p >= -0.5 && p <= size + 0.5;
}

function legend(entries: LegendEntry[], w: number, h: number, avoid: [number, number][]): string {
  const rows = entries.map((e, i) => {
    const y = 12 + i * 16;
    return legendSample(e, 0, y) + text(19, y, e.label);
  });
  const width = 26 + 6.5 * Math.max(...entries.map((e) => e.label.length));
  const height = 8 + entries.length * 16;
  // Corners in order of preference; the box spans [x - 6, x - 6 + width] x [y, y + height].
  const corners: [number, number][] = [
    [w - width, 6],
    [12, 6],
    [w - width, h - height - 6],
    [12, h - height - 6],
  ];
  const covered = ([x, y]: [number, number]) =>
    avoid.filter(([u, v]) => u >= x - 6 && u <= x - 6 + width && v >= y && v <= y + height).length;
  const [bx, by] = corners.reduce((best, c) => (covered(c) < covered(best) ? c : best));
  return el('g', { transform: `translate(${bx},${by})`, 'font-size': 11, class: 'fp-legend' }, [
    el('rect', { x: -6, y: 0, width: width, height, fill: 'white', 'fill-opacity': 0.85, stroke: '#ccc' }),
    ...rows,
  ]);
}

/** A one-line legend starting at (x, y), for figures of several panels. */
export function legendRow(entries: LegendEntry[], x: number, y: number): string {
  let at = 0;
  const items = entries.map((e) => {
    const item = legendSample(e, at, y) + text(at + 19, y, e.label);
    at += 32 + 6.5 * e.label.length;
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
