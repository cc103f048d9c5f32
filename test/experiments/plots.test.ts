// The plots an experiment carries in result.data.plots are drawn from its own run: histograms whose
// counts add up to the samples the run drew, scatters of its states, marginals at its checkpoints,
// estimates at its evaluation points; every spec is accepted and drawn by the report's plot module.
import { describe, expect, it } from 'vitest';
import { runExperiment, type ExperimentResult } from '../../src/experiments/index.js';
import { fmt } from '../../src/experiments/common.js';
import { binTogether, coordinateDensity } from '../../src/experiments/plots.js';
import {
  plotsInData,
  renderPlot,
  type HistogramPlot,
  type LinesPlot,
  type MarginalsPlot,
  type PlotSpec,
  type ScatterPlot,
} from '../../src/report/plots/index.js';
import { asMixture, getTarget } from '../../src/targets/index.js';
import { exact } from '../helpers/evidence.js';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The plots of a result, checked by the report's own reader and drawn once each. */
function plotsOf(r: ExperimentResult): PlotSpec[] {
  const plots = plotsInData(r.data, r.name);
  for (const p of plots) expect(renderPlot(p)).toMatch(new RegExp(`^<svg[^>]*data-kind="${p.kind}"`));
  return plots;
}

function expectBinned(edges: number[], counts: number[], n: number) {
  expect(edges).toHaveLength(counts.length + 1);
  for (let k = 1; k < edges.length; k++) expect(edges[k]).toBeGreaterThan(edges[k - 1]);
  expect(sum(counts)).toBe(n);
}

/** The integral of a tabulated density (trapezoid rule). */
const area = (c: { x: number[]; y: number[] }) =>
  c.x.slice(1).reduce((a, x, k) => a + ((x - c.x[k]) * (c.y[k + 1] + c.y[k])) / 2, 0);

/** A marginals panel: the named series, each binned on shared edges with all n states, over an exact density. */
function expectPanel(panel: MarginalsPlot['panels'][number], names: string[], n: number): void {
  expect(panel.series.map((s) => s.name)).toEqual(names);
  const series = panel.series as { edges: number[]; counts: number[] }[];
  for (const s of series) {
    expectBinned(s.edges, s.counts, n);
    expect(s.edges).toEqual(series[0].edges);
  }
  expect(area(panel.density!)).toBeGreaterThan(0.999);
}

describe('plot helpers', () => {
  it('bins sets on shared edges over their full range, so counts add up to each set', () => {
    const { edges, counts } = binTogether([[0, 1, 2, 3], [-1, 5], [2]], 6);
    expect(edges[0]).toBe(-1);
    expect(edges[6]).toBe(5);
    expect(counts.map(sum)).toEqual([4, 2, 1]);
    expect(counts[1]).toEqual([1, 0, 0, 0, 0, 1]);
    // A single repeated value still gets a bin of positive width; non-finite values are not counted.
    const one = binTogether([[2, 2, Number.NaN]], 4);
    expectBinned(one.edges, one.counts[0], 2);
  });

  it("a coordinate's exact density integrates to 1, and a law with atoms has none", () => {
    const ring = asMixture(getTarget('gmm-2d-8'));
    const f = coordinateDensity(ring, 0)!;
    const x = Array.from({ length: 2001 }, (_, k) => -8 + (16 * k) / 2000);
    expect(area({ x, y: x.map(f) })).toBeCloseTo(1, 6);
    expect(coordinateDensity(asMixture(getTarget('discrete-1d-3')), 0)).toBeUndefined();
  });
});

describe('experiment plots', () => {
  it('sampler-recovers-data: a histogram per sampler on 1-D targets, a scatter on 2-D ones', async () => {
    const samplers = ['ddpm', 'pf-ode-heun'];
    const r = await runExperiment(
      'sampler-recovers-data',
      { samples: 400, samplers, targets: ['gmm-1d-2', 'gmm-2d-8', 'discrete-1d-3'] },
      { seed: 4 },
    );
    const plots = plotsOf(r);
    expect(plots.map((p) => p.kind)).toEqual([
      'histogram',
      'histogram',
      'scatter',
      'scatter',
      'histogram',
      'histogram',
    ]);
    const hist = plots.filter((p): p is HistogramPlot => p.kind === 'histogram');
    for (const h of hist) {
      if (!('edges' in h)) throw new Error('a histogram of the run is stored as edges and counts');
      expectBinned(h.edges, h.counts, 400);
    }
    // The exact density of the data end: gmm-1d-2 has one (drawn wherever the law has mass),
    // the discrete law's data end (ddpm on the DDPM chain) is atoms.
    expect(area(hist[0].density!)).toBeGreaterThan(0.999);
    expect(hist[0].title).toContain('ddpm on gmm-1d-2');
    expect(hist[2].density).toBeUndefined();
    for (const s of plots.filter((p): p is ScatterPlot => p.kind === 'scatter')) {
      expect(s.samples.x).toHaveLength(400);
      expect(s.total).toBe(400);
      expect(s.density!.z).toHaveLength(s.density!.y.length);
      expect(s.density!.z[0]).toHaveLength(s.density!.x.length);
    }
  });

  it('sampler-recovers-data: a scatter shows at most 1000 of the run states', async () => {
    const r = await runExperiment(
      'sampler-recovers-data',
      { samples: 1500, samplers: ['pf-ode-rk4'], targets: ['gmm-2d-8'] },
      { seed: 4 },
    );
    const [s] = plotsOf(r) as ScatterPlot[];
    expect(s.samples.x).toHaveLength(1000);
    expect(s.total).toBe(1500);
    expect(renderPlot(s)).toContain('1000 of 1500');
  });

  it('pf-ode-vs-sde-marginals: both samplers at every checkpoint against p_t, first coordinate in d > 1', async () => {
    const r = await runExperiment('pf-ode-vs-sde-marginals', { samples: 400 }, { seed: 4 });
    const [m] = plotsOf(r) as MarginalsPlot[];
    expect(m.kind).toBe('marginals');
    expect(m.title).toContain('first coordinate');
    const checkpoints = r.data!.checkpoints as number[];
    expect(m.panels).toHaveLength(checkpoints.length);
    for (const panel of m.panels) expectPanel(panel, ['PF-ODE (Heun)', 'reverse SDE (Euler-Maruyama)'], 400);
    const oneD = await runExperiment(
      'pf-ode-vs-sde-marginals',
      { samples: 300, target: 'gmm-1d-2' },
      { seed: 4 },
    );
    const [m1] = plotsOf(oneD) as MarginalsPlot[];
    expect(m1.title).not.toContain('first coordinate');
  });

  it('eta-family-marginals: one panel per checkpoint, every eta in it against the exact p_t', async () => {
    const r = await runExperiment('eta-family-marginals', { samples: 400, etas: [0, 1] }, { seed: 4 });
    const [m] = plotsOf(r) as MarginalsPlot[];
    const checkpoints = r.data!.checkpoints as number[];
    expect(m.panels.map((p) => p.label)).toEqual(checkpoints.map((t) => `t = ${fmt(t)}`));
    expect(m.panels.map((p) => p.label)).toEqual(['t = 0.75', 't = 0.5', 't = 0.25', 't = 0.001']);
    for (const panel of m.panels) expectPanel(panel, ['eta = 0', 'eta = 1'], 400);
    // Each panel's exact curve is p_t at its own t: its mean moves toward the data's as t falls.
    const means = m.panels.map((p) => {
      const c = p.density!;
      const w = c.x.slice(1).map((x, k) => (x - c.x[k]) * (c.y[k + 1] + c.y[k]) * ((x + c.x[k]) / 4));
      return w.reduce((u, v) => u + v, 0);
    });
    for (let k = 1; k < means.length; k++) expect(means[k]).toBeGreaterThan(means[k - 1] + 0.05);
  });

  it('tweedie-score: the estimates at the evaluation points with CIs, on the formula curve per time', async () => {
    const r = await runExperiment('tweedie-score', { samples: 5000 }, { seed: 3 });
    const plots = plotsOf(r) as LinesPlot[];
    const points = r.data!.points as { t: number; x: number; mcData: number; formulaData: number }[];
    expect(plots).toHaveLength(4); // one per time
    plots.forEach((p, ti) => {
      const [formula, mc] = p.series;
      expect(formula.exact).toBe(true);
      expect(mc.points).toBe(true);
      const here = points.slice(2 * ti, 2 * ti + 2);
      expect(mc.x).toEqual(here.map((q) => Number(q.x.toPrecision(4))));
      expect(mc.y).toEqual(here.map((q) => Number(q.mcData.toPrecision(4))));
      mc.ci!.forEach(([lo, hi], k) => {
        expect(lo).toBeLessThanOrEqual(mc.y[k]);
        expect(hi).toBeGreaterThanOrEqual(mc.y[k]);
        // The curve passes (to plotting accuracy) through the formula's value at the point.
        const j = formula.x.findIndex((x) => x >= here[k].x);
        const slope = (formula.y[j] - formula.y[j - 1]) / (formula.x[j] - formula.x[j - 1]);
        const atX = formula.y[j - 1] + slope * (here[k].x - formula.x[j - 1]);
        expect(Math.abs(atX - here[k].formulaData)).toBeLessThan(0.05);
      });
    });
    // In d > 1 the estimates stand against the formula values on the diagonal.
    const ring = await runExperiment('tweedie-score', { target: 'gmm-2d-8', points: 1 }, { seed: 11 });
    const [diag] = plotsOf(ring) as LinesPlot[];
    expect(diag.series[1].x).toHaveLength(4 * 1 * 2); // times x points x coordinates
    expect(diag.series[1].ci).toHaveLength(8);
  });

  it('cnf-likelihood, ddim-is-euler and fm-cfm-gradient draw what their checks compare', async () => {
    const cnf = await runExperiment('cnf-likelihood', { points: 4 }, { seed: 2 });
    const [c1, c2] = plotsOf(cnf) as LinesPlot[];
    expect(c1.series[1].x).toHaveLength(4);
    expect(c2.series[1].y).toHaveLength(4);
    const ddim = await runExperiment('ddim-is-euler', { samples: 20, steps: 10 }, { seed: 2 });
    const [d] = plotsOf(ddim) as LinesPlot[];
    expect(d.logY).toBe(true);
    expect(d.series[0].x).toHaveLength(10);
    const largest = Math.max(...d.series[0].y);
    expect(largest).toBe(Number(exact(ddim)[0].value.toPrecision(3))); // the checked maximum, 3 digits kept
    const fm = await runExperiment(
      'fm-cfm-gradient',
      { batches: 60, batchSize: 16, pretrainSteps: 0 },
      { seed: 2 },
    );
    const [g] = plotsOf(fm) as LinesPlot[];
    expect(g.series[1].x).toHaveLength(fm.evidence.length);
  });
});
