// Straightness per reflow round with confidence intervals, against the bound; rounds above the bound
// are drawn red.
import { DomainError } from '../../core/errors.js';
import { panel, svgRoot, type LegendEntry } from './frame.js';
import { extent } from './scale.js';
import { EXACT_COLOR, PALETTE, el, polyline } from './svg.js';
import type { StraightnessPlot } from './types.js';

const VIOLATION = '#C0162B';

export function straightnessPlot(spec: StraightnessPlot, size = { width: 330, height: 290 }): string {
  const { rounds, straightness: s, ci, bound } = spec;
  for (const [name, arr] of [
    ['straightness', s],
    ['ci', ci],
    ['bound', bound],
  ] as const) {
    if (arr && arr.length !== rounds.length)
      throw new DomainError(
        'straightnessPlot',
        name,
        arr.length,
        `must have ${rounds.length} entries, one per round`,
      );
  }
  const xDomain = extent(rounds);
  const yMax = extent([0, ...s, ...(ci?.flat() ?? []), ...(bound ?? [])])[1] * 1.1;
  const legend: LegendEntry[] = [
    { label: ci ? 'straightness (95% CI)' : 'straightness', color: PALETTE[0], mark: 'line' },
  ];
  if (bound) legend.push({ label: spec.boundLabel ?? 'bound', color: EXACT_COLOR, mark: 'dashed' });
  const p = panel({
    ...size,
    title: spec.title,
    x: { label: 'reflow round', domain: [xDomain[0] - 0.3, xDomain[1] + 0.3] },
    y: { label: 'straightness', domain: [0, yMax] },
    legend,
  });
  const over = (k: number) => bound !== undefined && s[k] > bound[k];
  const marks = [
    el('path', {
      d: polyline(rounds.map((r, k) => [p.x(r), p.y(s[k])])),
      fill: 'none',
      stroke: PALETTE[0],
      'stroke-width': 1.5,
    }),
  ];
  if (bound) {
    const d = polyline(rounds.map((r, k) => [p.x(r), p.y(bound[k])]));
    marks.push(
      el('path', {
        d,
        fill: 'none',
        stroke: EXACT_COLOR,
        'stroke-width': 1.5,
        'stroke-dasharray': '6 4',
        class: 'fp-bound',
      }),
    );
  }
  rounds.forEach((r, k) => {
    const colour = over(k) ? VIOLATION : PALETTE[0];
    if (ci)
      marks.push(
        el('line', {
          x1: p.x(r),
          x2: p.x(r),
          y1: p.y(ci[k][0]),
          y2: p.y(ci[k][1]),
          stroke: colour,
          'stroke-width': 1.5,
        }),
      );
    marks.push(
      el('circle', {
        cx: p.x(r),
        cy: p.y(s[k]),
        r: 3.5,
        fill: colour,
        class: over(k) ? 'fp-violation' : undefined,
      }),
    );
  });
  return svgRoot('straightness', spec.title, size.width, size.height, [p.render(marks)]);
}
