// 2-D samples against contour lines of the exact density.
import { DomainError } from '../../core/errors.js';
import { contourSegments } from './contour.js';
import { panel, svgRoot, type LegendEntry } from './frame.js';
import { extent } from './scale.js';
import { EXACT_COLOR, PALETTE, el, px } from './svg.js';
import type { ScatterPlot } from './types.js';

const LEVEL_FRACTIONS = [0.05, 0.2, 0.4, 0.6, 0.8];

export function scatterPlot(spec: ScatterPlot, size = { width: 330, height: 340 }): string {
  const { x: xs, y: ys } = spec.samples;
  if (xs.length !== ys.length)
    throw new DomainError(
      'scatterPlot',
      'samples.y',
      ys.length,
      `must have ${xs.length} entries like samples.x`,
    );
  const shown = Math.min(xs.length, spec.maxPoints ?? 1500);
  const grid = spec.density;
  const xDomain = extent([...xs.slice(0, shown), ...(grid?.x ?? [])], 0.02);
  const yDomain = extent([...ys.slice(0, shown), ...(grid?.y ?? [])], 0.02);
  const legend: LegendEntry[] = [
    {
      label: `${spec.sampleLabel ?? 'samples'} (${shown} of ${spec.total ?? xs.length})`,
      color: PALETTE[0],
      mark: 'dot',
    },
  ];
  if (grid) legend.push({ label: 'exact density contours', color: EXACT_COLOR, mark: 'line' });
  const p = panel({
    ...size,
    title: spec.title,
    x: { label: 'x₁', domain: xDomain },
    y: { label: 'x₂', domain: yDomain },
    legend,
  });
  const dots = [];
  for (let k = 0; k < shown; k++) {
    if (Number.isFinite(xs[k]) && Number.isFinite(ys[k]))
      dots.push(el('circle', { cx: p.x(xs[k]), cy: p.y(ys[k]), r: 1.6 }));
  }
  const marks = [el('g', { fill: PALETTE[0], 'fill-opacity': 0.45 }, dots)];
  if (grid) {
    const zMax = Math.max(...grid.z.flat().filter(Number.isFinite));
    const levels = spec.levels ?? LEVEL_FRACTIONS.map((f) => f * zMax);
    const lines = levels.map((level) => {
      const d = contourSegments(grid, level)
        .map(([[x0, y0], [x1, y1]]) => `M${px(p.x(x0))},${px(p.y(y0))}L${px(p.x(x1))},${px(p.y(y1))}`)
        .join('');
      return el('path', { d, 'data-level': String(level) });
    });
    marks.push(el('g', { fill: 'none', stroke: EXACT_COLOR, 'stroke-width': 1.2, class: 'fp-exact' }, lines));
  }
  return svgRoot('scatter', spec.title, size.width, size.height, [p.render(marks)]);
}
