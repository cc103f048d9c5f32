// Error against steps on log-log axes: the slope of the fitted line is the observed order
// (error ~ C steps^slope, so order p shows as slope -p).
import { panel, svgRoot, type LegendEntry } from './frame.js';
import { extent } from './scale.js';
import { PALETTE, el, polyline } from './svg.js';
import type { ConvergencePlot } from './types.js';

export function convergencePlot(spec: ConvergencePlot, size = { width: 330, height: 300 }): string {
  const positive = (v: number) => Number.isFinite(v) && v > 0;
  const fits = spec.series.map((s) => s.fit ?? logLogFit(s.steps, s.error));
  const legend: LegendEntry[] = spec.series.map((s, i) => ({
    label: `${s.name}: slope ${fits[i] ? fits[i].slope.toFixed(2) : 'n/a'}${s.expectedSlope !== undefined ? ` (expected ${s.expectedSlope})` : ''}`,
    color: PALETTE[i % PALETTE.length],
    mark: 'line',
  }));
  const [x0, x1] = extent(spec.series.flatMap((s) => s.steps).filter(positive));
  const [y0, y1] = extent(spec.series.flatMap((s) => s.error).filter(positive));
  const p = panel({
    ...size,
    title: spec.title,
    x: { label: 'steps', domain: [x0 / 1.15, x1 * 1.15], log: true },
    y: { label: spec.yLabel ?? 'error', domain: [y0 / 1.5, y1 * 1.5], log: true },
    legend,
  });
  const marks = spec.series.map((s, i) => {
    const colour = PALETTE[i % PALETTE.length];
    const dots = s.steps.map((n, k) =>
      positive(n) && positive(s.error[k]) ? el('circle', { cx: p.x(n), cy: p.y(s.error[k]), r: 3.2 }) : '',
    );
    const fit = fits[i];
    const line = fit
      ? el('path', {
          d: polyline([x0, x1].map((n) => [p.x(n), p.y(10 ** (fit.intercept + fit.slope * Math.log10(n)))])),
          stroke: colour,
          'stroke-width': 1.5,
          class: 'fp-fit',
        })
      : '';
    return el('g', { fill: colour, 'data-series': s.name }, [line, ...dots]);
  });
  return svgRoot('convergence', spec.title, size.width, size.height, [p.render(marks)]);
}

/** Least-squares line through (log10 steps, log10 error) over the positive points; undefined if < 2. */
export function logLogFit(
  steps: number[],
  error: number[],
): { slope: number; intercept: number } | undefined {
  const pts = steps
    .map((n, k) => [n, error[k]])
    .filter(([n, e]) => n > 0 && e > 0 && Number.isFinite(n) && Number.isFinite(e))
    .map(([n, e]) => [Math.log10(n), Math.log10(e)]);
  if (pts.length < 2) return undefined;
  const mx = pts.reduce((a, [u]) => a + u, 0) / pts.length;
  const my = pts.reduce((a, [, v]) => a + v, 0) / pts.length;
  const sxx = pts.reduce((a, [u]) => a + (u - mx) ** 2, 0);
  if (sxx === 0) return undefined;
  const slope = pts.reduce((a, [u, v]) => a + (u - mx) * (v - my), 0) / sxx;
  return { slope, intercept: my - slope * mx };
}
