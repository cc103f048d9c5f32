// Sample histogram (as a density) with the exact density on top.
import { histogram } from './binning.js';
import { panel, svgRoot, type LegendEntry } from './frame.js';
import { extent } from './scale.js';
import { EXACT_COLOR, PALETTE, el, polyline } from './svg.js';
import type { HistogramPlot } from './types.js';

export function histogramPlot(spec: HistogramPlot, size = { width: 330, height: 290 }): string {
  const h = histogram(spec, spec.bins);
  const density = spec.density;
  const xDomain = extent([h.edges[0], h.edges[h.edges.length - 1], ...(density?.x ?? [])]);
  const yMax = extent([0, ...h.density, ...(density?.y ?? [])])[1] * 1.08;
  const legend: LegendEntry[] = [
    { label: `${spec.sampleLabel ?? 'samples'} (n = ${h.total})`, color: PALETTE[0], mark: 'box' },
  ];
  if (density) legend.push({ label: spec.densityLabel ?? 'exact density', color: EXACT_COLOR, mark: 'line' });
  const p = panel({
    ...size,
    title: spec.title,
    x: { label: spec.xLabel ?? 'x', domain: xDomain },
    y: { label: 'density', domain: [0, yMax] },
    legend,
  });
  const bars = h.density.map((d, k) =>
    el('rect', {
      x: p.x(h.edges[k]),
      y: p.y(d),
      width: Math.max(0, p.x(h.edges[k + 1]) - p.x(h.edges[k]) - 0.5),
      height: p.y(0) - p.y(d),
    }),
  );
  const marks = [
    el('g', { fill: PALETTE[0], 'fill-opacity': 0.35, stroke: PALETTE[0], 'stroke-width': 0.5 }, bars),
  ];
  if (density) marks.push(densityPath(density, p.x, p.y));
  return svgRoot('histogram', spec.title, size.width, size.height, [p.render(marks)]);
}

export function densityPath(
  c: { x: number[]; y: number[] },
  x: (v: number) => number,
  y: (v: number) => number,
) {
  const d = polyline(c.x.map((v, k) => [x(v), y(c.y[k])]));
  return el('path', { d, fill: 'none', stroke: EXACT_COLOR, 'stroke-width': 1.8, class: 'fp-exact' });
}
