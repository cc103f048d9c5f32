// Curves and point estimates (with optional confidence intervals) against one x axis: an exact
// function next to its Monte-Carlo estimate, for instance.
import { DomainError } from '../../core/errors.js';
import { panel, svgRoot, type LegendEntry } from './frame.js';
import { extent } from './scale.js';
import { EXACT_COLOR, PALETTE, el, polyline } from './svg.js';
import type { LinesPlot } from './types.js';

export function linesPlot(spec: LinesPlot, size = { width: 330, height: 290 }): string {
  spec.series.forEach((s, i) => {
    if (s.y.length !== s.x.length)
      throw new DomainError(
        'linesPlot',
        `series[${i}].y`,
        s.y.length,
        `must have ${s.x.length} entries like x`,
      );
    if (s.ci && s.ci.length !== s.x.length)
      throw new DomainError(
        'linesPlot',
        `series[${i}].ci`,
        s.ci.length,
        `must have ${s.x.length} entries like x`,
      );
  });
  const colour = (i: number) => (spec.series[i].exact ? EXACT_COLOR : PALETTE[i % PALETTE.length]);
  const usable = (v: number) => Number.isFinite(v) && (!spec.logY || v > 0);
  const xs = spec.series.flatMap((s) => s.x).filter((v) => Number.isFinite(v) && (!spec.logX || v > 0));
  const ys = spec.series.flatMap((s) => [...s.y, ...(s.ci?.flat() ?? [])]).filter(usable);
  const [y0, y1] = extent(ys, spec.logY ? 0 : 0.05);
  const legend: LegendEntry[] = spec.series.map((s, i) => ({
    label: s.name,
    color: colour(i),
    mark: s.points ? 'dot' : 'line',
  }));
  const p = panel({
    ...size,
    title: spec.title,
    x: {
      label: spec.xLabel ?? 'x',
      domain: extent(xs, spec.logX || !spec.series.some((q) => q.points) ? 0 : 0.03),
      log: spec.logX,
    },
    y: { label: spec.yLabel ?? 'y', domain: spec.logY ? [y0 / 1.5, y1 * 1.5] : [y0, y1], log: spec.logY },
    legend,
  });
  const marks = spec.series.map((s, i) => {
    const c = colour(i);
    const parts: string[] = [];
    if (s.points) {
      s.x.forEach((x, k) => {
        if (s.ci)
          parts.push(
            el('line', { x1: p.x(x), x2: p.x(x), y1: p.y(s.ci[k][0]), y2: p.y(s.ci[k][1]), stroke: c }),
          );
        if (usable(s.y[k])) parts.push(el('circle', { cx: p.x(x), cy: p.y(s.y[k]), r: 2.8, fill: c }));
      });
    } else {
      const d = polyline(s.x.map((x, k) => [p.x(x), p.y(s.y[k])]));
      parts.push(el('path', { d, fill: 'none', stroke: c, 'stroke-width': s.exact ? 1.8 : 1.5 }));
    }
    return el('g', { 'data-series': s.name, class: s.exact ? 'fp-exact' : undefined }, parts);
  });
  return svgRoot('lines', spec.title, size.width, size.height, [p.render(marks)]);
}
