// Small multiples: at each time, every sampler's marginal (outlined histogram) and the exact one.
import { histogram, centralRange, type Histogram } from './binning.js';
import { legendRow, panel, svgRoot, type LegendEntry } from './frame.js';
import { densityPath } from './histogram.js';
import { extent } from './scale.js';
import { EXACT_COLOR, PALETTE, el, polyline, text } from './svg.js';
import type { MarginalsPlot, SampleSet } from './types.js';

/** Three panels to a row, four when there are exactly four (the usual t = 0.75, 0.5, 0.25, 0), narrower. */
const layout = (panels: number) =>
  panels === 4
    ? { perRow: 4, panel: { width: 250, height: 230 } }
    : { perRow: 3, panel: { width: 300, height: 230 } };

export function marginalsPlot(spec: MarginalsPlot): string {
  const { perRow, panel: size } = layout(spec.panels.length);
  const names = [...new Set(spec.panels.flatMap((q) => q.series.map((s) => s.name)))];
  const colour = (name: string) => PALETTE[names.indexOf(name) % PALETTE.length];
  const legend: LegendEntry[] = names.map((name) => ({ label: name, color: colour(name), mark: 'line' }));
  if (spec.panels.some((q) => q.density)) legend.push({ label: 'exact', color: EXACT_COLOR, mark: 'dashed' });
  const cells = spec.panels.map((q, i) => {
    // One binning per panel, shared by its series, so their outlines compare bin by bin.
    const range = sharedRange(q.series);
    const hs = q.series.map((s) => histogram(s, spec.bins, range));
    const xDomain = extent([
      ...hs.flatMap((h) => [h.edges[0], h.edges[h.edges.length - 1]]),
      ...(q.density?.x ?? []),
    ]);
    const yMax = extent([0, ...hs.flatMap((h) => h.density), ...(q.density?.y ?? [])])[1] * 1.08;
    const p = panel({
      ...size,
      title: q.label,
      x: { label: spec.xLabel ?? 'x', domain: xDomain },
      y: { label: 'density', domain: [0, yMax] },
    });
    const marks = hs.map((h, k) =>
      el('path', {
        d: stepPath(h, p.x, p.y),
        fill: 'none',
        stroke: colour(q.series[k].name),
        'stroke-width': 1.5,
        'data-series': q.series[k].name,
      }),
    );
    if (q.density) marks.push(el('g', { 'stroke-dasharray': '5 3' }, densityPath(q.density, p.x, p.y)));
    const [dx, dy] = [(i % perRow) * size.width, Math.floor(i / perRow) * size.height];
    return el('g', { transform: `translate(${dx},${dy})`, class: 'fp-panel' }, p.render(marks));
  });
  const width = Math.min(spec.panels.length, perRow) * size.width;
  // The legend follows the title on its line if both fit, else it gets a line of its own.
  const legendAt = 24 + 8 * spec.title.length;
  const legendWidth = legend.reduce((w, e) => w + 32 + 6.5 * e.label.length, 0);
  const ownLine = legendAt + legendWidth > width;
  const header = ownLine ? 40 : 22;
  const height = Math.ceil(spec.panels.length / perRow) * size.height + header;
  // A title wider than the figure is squeezed to fit (about 7 px per character at 13 px).
  const squeeze = spec.title.length * 7 > width - 16;
  const title = text(8, 16, spec.title, {
    'font-size': 13,
    'font-weight': 600,
    textLength: squeeze ? width - 16 : undefined,
    lengthAdjust: squeeze ? 'spacingAndGlyphs' : undefined,
  });
  return svgRoot('marginals', spec.title, width, height, [
    title,
    ownLine ? legendRow(legend, 8, 34) : legendRow(legend, legendAt, 16),
    el('g', { transform: `translate(0,${header})` }, cells),
  ]);
}

function sharedRange(series: SampleSet[]): [number, number] | undefined {
  const raw = series.filter((s): s is { samples: number[] } => 'samples' in s);
  if (raw.length === 0) return undefined;
  const ranges = raw.map((s) => centralRange(s.samples));
  return [Math.min(...ranges.map((r) => r[0])), Math.max(...ranges.map((r) => r[1]))];
}

/** The outline of a histogram: a staircase through the bar tops. */
function stepPath(h: Histogram, x: (v: number) => number, y: (v: number) => number): string {
  const pts: [number, number][] = [[x(h.edges[0]), y(0)]];
  h.density.forEach((d, k) => pts.push([x(h.edges[k]), y(d)], [x(h.edges[k + 1]), y(d)]));
  pts.push([x(h.edges[h.edges.length - 1]), y(0)]);
  return polyline(pts);
}
