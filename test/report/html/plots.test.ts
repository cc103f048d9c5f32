import { describe, expect, it } from 'vitest';
import { DomainError, InternalError } from '../../../src/core/errors.js';
import {
  contourSegments,
  convergencePlot,
  histogram,
  histogramPlot,
  logLogFit,
  marginalsPlot,
  plotsInData,
  renderPlot,
  scatterPlot,
  straightnessPlot,
  tabulate,
} from '../../../src/report/plots/index.js';
import { linearScale, logScale, niceTicks, formatTick } from '../../../src/report/plots/scale.js';
import { fixturePlots, mixtureSamples, normals } from './fixture.js';

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

describe('scales', () => {
  it('picks 1-2-5 ticks and maps the domain onto the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3.7, 12.2, 5)).toEqual([0, 5, 10]);
    const s = linearScale([2, 6], [0, 100]);
    expect(s(2)).toBe(0);
    expect(s(4)).toBe(50);
    expect(s(6)).toBe(100);
  });

  it('puts log ticks at decades, or 1-2-5 inside a short span, and refuses a non-positive domain', () => {
    expect(logScale([1e-4, 1], [0, 1]).ticks).toEqual([1e-4, 1e-3, 1e-2, 1e-1, 1]);
    expect(logScale([8, 128], [0, 1]).ticks).toEqual([10, 20, 50, 100]);
    const s = logScale([1, 100], [0, 200]);
    expect(s(10)).toBeCloseTo(100, 12);
    expect(Number.isNaN(s(0))).toBe(true);
    expect(() => logScale([0, 1], [0, 1])).toThrow(DomainError);
    expect(() => linearScale([Number.NaN, 1], [0, 1])).toThrow(DomainError);
  });

  it('formats ticks without binary noise', () => {
    expect(formatTick(0.30000000000000004)).toBe('0.3');
    expect(formatTick(1e-4)).toBe('1e-4');
    expect(formatTick(2e6)).toBe('2e6');
  });
});

describe('histogram', () => {
  it('is a density: bars integrate to the fraction of samples inside the range', () => {
    const xs = normals(20000, 3);
    const h = histogram({ samples: xs }, 40, [-10, 10]);
    const area = h.density.reduce((a, d, k) => a + d * (h.edges[k + 1] - h.edges[k]), 0);
    expect(area).toBeCloseTo(1, 12);
    // The bar at 0 estimates the standard normal density there, 0.3989 (binned over width 0.5).
    const k0 = h.edges.findIndex((e) => e >= 0) - 1;
    expect(h.density[k0]).toBeGreaterThan(0.33);
    expect(h.density[k0]).toBeLessThan(0.42);
  });

  it('takes pre-binned counts and checks them', () => {
    const h = histogram({ edges: [0, 1, 3], counts: [2, 2] });
    expect(h.density).toEqual([0.5, 0.25]);
    expect(() => histogram({ edges: [0, 1], counts: [1, 2] })).toThrow(DomainError);
    expect(() => histogram({ edges: [0, 1, 1], counts: [1, 2] })).toThrow(DomainError);
    expect(() => histogram({ samples: [1, Number.NaN] })).toThrow(/samples\[1\]/);
  });
});

describe('contours', () => {
  it('traces a circle for z = x^2 + y^2', () => {
    const g = tabulate((v) => v, -2, 2, 81).x;
    const z = g.map((y) => g.map((x) => x * x + y * y));
    const segs = contourSegments({ x: g, y: g, z }, 1);
    expect(segs.length).toBeGreaterThan(40);
    for (const seg of segs) for (const [x, y] of seg) expect(Math.hypot(x, y)).toBeCloseTo(1, 2);
  });

  it('resolves a saddle cell by its centre value', () => {
    // z = x y on one cell: corners 0 and 2 high; the centre (0) counts as high, so corners 1 and 3 are cut off.
    const segs = contourSegments(
      {
        x: [-1, 1],
        y: [-1, 1],
        z: [
          [1, -1],
          [-1, 1],
        ],
      },
      0,
    );
    expect(segs).toEqual([
      [
        [0, -1],
        [1, 0],
      ],
      [
        [0, 1],
        [-1, 0],
      ],
    ]);
    const low = contourSegments(
      {
        x: [-1, 1],
        y: [-1, 1],
        z: [
          [1, -1],
          [-1, 1],
        ],
      },
      0.5,
    );
    expect(low.length).toBe(2);
  });
});

describe('plots', () => {
  it('fits the log-log slope of a power law', () => {
    const steps = [8, 16, 32, 64];
    const fit = logLogFit(
      steps,
      steps.map((n) => 3 * n ** -2),
    );
    expect(fit?.slope).toBeCloseTo(-2, 12);
    expect(fit?.intercept).toBeCloseTo(Math.log10(3), 12);
    expect(logLogFit([8], [1])).toBeUndefined();
  });

  it('draws the convergence plot with its fitted slopes and one point per measurement', () => {
    const svg = convergencePlot({
      kind: 'convergence',
      title: 'order',
      series: [{ name: 'Heun', steps: [10, 20, 40], error: [1e-2, 2.5e-3, 6.25e-4], expectedSlope: -2 }],
    });
    expect(svg).toContain('Heun: slope -2.00 (expected -2)');
    expect(count(svg, /<circle /g)).toBe(3);
    expect(svg).toContain('data-kind="convergence"');
  });

  it('draws histogram bars that reach the tallest density', () => {
    const xs = mixtureSamples(2000, 1);
    const svg = histogramPlot({ kind: 'histogram', title: 'h', samples: xs, bins: 30 });
    expect(count(svg, /<rect x=/g)).toBeGreaterThanOrEqual(30);
    expect(svg).toContain('samples (n = 2000)');
  });

  it('limits the scatter to maxPoints and draws contour paths', () => {
    const [scatter] = fixturePlots().filter((p) => p.kind === 'scatter');
    const svg = renderPlot({ ...scatter, maxPoints: 100 } as typeof scatter);
    expect(count(svg, /<circle cx="[^"]*" cy="[^"]*" r="1.6"/g)).toBe(100);
    expect(count(svg, /data-level=/g)).toBe(5);
    expect(() => scatterPlot({ kind: 'scatter', title: 's', samples: { x: [1, 2], y: [1] } })).toThrow(
      DomainError,
    );
  });

  it('marks the straightness rounds above the bound', () => {
    const [spec] = fixturePlots().filter((p) => p.kind === 'straightness');
    const svg = renderPlot(spec);
    expect(count(svg, /fp-violation/g)).toBe(1); // round 4: 0.3 > 1/4
    expect(() =>
      straightnessPlot({
        kind: 'straightness',
        title: 's',
        rounds: [1, 2],
        straightness: [1],
        bound: [1, 1],
      }),
    ).toThrow(/one per round/);
  });

  it('draws one panel per time in the marginals figure, one outline per sampler', () => {
    const [spec] = fixturePlots().filter((p) => p.kind === 'marginals');
    const svg = marginalsPlot(spec as Parameters<typeof marginalsPlot>[0]);
    expect(count(svg, /class="fp-panel"/g)).toBe(3);
    expect(count(svg, /data-series="PF-ODE"/g)).toBe(3);
    expect(count(svg, /data-series="SDE"/g)).toBe(3);
  });

  it('draws exact curves as lines and estimates as points with CI whiskers', () => {
    const [spec] = fixturePlots().filter((p) => p.kind === 'lines');
    const svg = renderPlot(spec);
    expect(count(svg, /<circle cx="[^"]*" cy="[^"]*" r="2.8"/g)).toBe(5);
    expect(svg).toMatch(/<g data-series="exact" class="fp-exact"><path d="M[^"]{100,}/);
    expect(() =>
      renderPlot({ kind: 'lines', title: 'l', series: [{ name: 'a', x: [1, 2], y: [1] }] }),
    ).toThrow(/series\[0\]\.y/);
  });

  it('puts title and legend above the plot area, never over the data', () => {
    for (const spec of fixturePlots().filter((p) => p.kind !== 'marginals')) {
      const svg = renderPlot(spec);
      const top = Number(/<g transform="translate\(58,([\d.]+)\)">/.exec(svg)?.[1]);
      const legend = /class="fp-legend">(.*?)<\/g>/.exec(svg)?.[1] ?? '';
      const ys = [...legend.matchAll(/<text x="[^"]*" y="([\d.]+)"/g)].map((m) => Number(m[1]));
      expect(ys.length, spec.kind).toBeGreaterThan(0);
      for (const y of ys) expect(y, spec.kind).toBeLessThan(top);
    }
    // A long title wraps onto a second line instead of running out of the panel.
    const svg = renderPlot({
      kind: 'histogram',
      title: 'pf-ode-heun on gmm-1d-2 (vp-sde (diffusion), 100 steps)',
      samples: [1, 2, 3],
    });
    expect(count(svg, /class="fp-plot-title"/g)).toBe(2);
  });

  it('escapes text', () => {
    for (const svg of [
      renderPlot({ kind: 'histogram', title: '<script>&', samples: [1, 2, 3] }),
      renderPlot({
        kind: 'marginals',
        title: '<script>&',
        panels: [{ label: '<b>', series: [{ name: '<i>', samples: [1, 2] }] }],
      }),
    ]) {
      expect(svg).not.toMatch(/<(script|b|i)>/);
      expect(svg).toContain('&lt;script&gt;&amp;');
    }
  });
});

describe('plotsInData', () => {
  it('reads data.plots and rejects malformed entries by index', () => {
    expect(plotsInData(undefined, 'e')).toEqual([]);
    expect(plotsInData({ other: 1 }, 'e')).toEqual([]);
    expect(plotsInData({ plots: fixturePlots() }, 'e').map((p) => p.kind)).toEqual([
      'histogram',
      'scatter',
      'marginals',
      'convergence',
      'straightness',
      'lines',
    ]);
    expect(() => plotsInData({ plots: {} }, 'e')).toThrow(InternalError);
    expect(() => plotsInData({ plots: [{ kind: 'pie', title: 't' }] }, 'e')).toThrow(
      /plots\[0\].*unknown kind/,
    );
    expect(() => plotsInData({ plots: [{ kind: 'histogram' }] }, 'e')).toThrow(/title/);
  });
});
