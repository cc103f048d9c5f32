// Plot specs built from an experiment's own samples, for `result.data.plots` (drawn by the HTML report,
// src/report/plots). The specs are plain data, so only their types come from the report; what an
// experiment carries is kept small: histograms as edges and counts (over the full range of the
// samples, so the counts add up to the samples drawn), at most ~1500 scatter points, curves of 200
// points, numbers rounded to 4 significant digits where only the picture needs them.
import type {
  Curve,
  Grid,
  HistogramPlot,
  LinesPlot,
  MarginalsPlot,
  ScatterPlot,
} from '../report/plots/index.js';
import { defaultBinCount } from '../report/plots/index.js';
import { normalPdf } from '../stats/index.js';
import type { GaussianMixture } from '../targets/index.js';

/** Four significant digits: plenty for a picture, a third of the JSON of a full float64. */
export const round4 = (v: number): number => (Number.isFinite(v) ? Number(v.toPrecision(4)) : v);

/** Coordinate j of `count` rows (default: all) of a row-major [n x d] array. */
export function column(rows: ArrayLike<number>, d: number, j: number, count = rows.length / d): number[] {
  return Array.from({ length: count }, (_, i) => rows[i * d + j]);
}

/**
 * Equal-width bins over [min, max] of all the finite values of every set (shared edges, so sets compare
 * bin by bin), and each set's counts: they sum to its number of finite values.
 */
export function binTogether(
  sets: ArrayLike<number>[],
  bins?: number,
): { edges: number[]; counts: number[][] } {
  let lo = Infinity;
  let hi = -Infinity;
  let largest = 0;
  for (const s of sets) {
    largest = Math.max(largest, s.length);
    for (let i = 0; i < s.length; i++) {
      if (!Number.isFinite(s[i])) continue;
      lo = Math.min(lo, s[i]);
      hi = Math.max(hi, s[i]);
    }
  }
  if (!(lo <= hi)) [lo, hi] = [0, 1];
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  const n = bins ?? defaultBinCount(largest);
  const width = (hi - lo) / n;
  const edges = Array.from({ length: n + 1 }, (_, k) => (k === n ? hi : lo + k * width));
  const counts = sets.map((s) => {
    const c = new Array<number>(n).fill(0);
    for (let i = 0; i < s.length; i++) {
      if (Number.isFinite(s[i])) c[Math.min(n - 1, Math.floor((s[i] - lo) / width))]++;
    }
    return c;
  });
  return { edges, counts };
}

/** The exact density of coordinate j of a diagonal Gaussian mixture; undefined if a component is an atom. */
export function coordinateDensity(law: GaussianMixture, j: number): ((x: number) => number) | undefined {
  const { d, numComponents: K } = law;
  const comps = Array.from({ length: K }, (_, k) => ({
    w: law.weights[k],
    m: law.means[k * d + j],
    v: law.variances[k * d + j],
  }));
  if (comps.some((c) => !(c.v > 0))) return undefined;
  return (x) => comps.reduce((p, c) => p + c.w * normalPdf(x, c.m, c.v), 0);
}

/** Where coordinate j of the law has its mass: every component's mean +- `sds` standard deviations. */
export function componentRange(law: GaussianMixture, j: number, sds = 4): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < law.numComponents; k++) {
    const m = law.means[k * law.d + j];
    const s = Math.sqrt(law.variances[k * law.d + j]);
    lo = Math.min(lo, m - sds * s);
    hi = Math.max(hi, m + sds * s);
  }
  return [lo, hi];
}

/** f at n evenly spaced points of [lo, hi], rounded for the picture. */
export function curve(f: (x: number) => number, lo: number, hi: number, n = 200): Curve {
  const x = Array.from({ length: n }, (_, k) => lo + ((hi - lo) * k) / (n - 1));
  return { x: x.map(round4), y: x.map((v) => round4(f(v))) };
}

/**
 * The exact density of coordinate j over a histogram's edges and wherever the law has mass (components'
 * means +- 4 sd), so the whole exact curve is seen; none for a law with atoms.
 */
function densityOver(law: GaussianMixture, j: number, edges: number[]): Curve | undefined {
  const f = coordinateDensity(law, j);
  const [lo, hi] = componentRange(law, j);
  return f && curve(f, Math.min(lo, edges[0]), Math.max(hi, edges[edges.length - 1]));
}

/** A histogram of coordinate 0 of the rows against the exact density of coordinate 0 of `law`. */
export function histogramAgainst(
  rows: ArrayLike<number>,
  law: GaussianMixture,
  title: string,
  sampleLabel = 'samples',
): HistogramPlot {
  const values = column(rows, law.d, 0);
  const { edges, counts } = binTogether([values]);
  const density = densityOver(law, 0, edges);
  return {
    kind: 'histogram',
    title: law.d > 1 ? `${title}, first coordinate` : title,
    xLabel: law.d > 1 ? 'x₁' : 'x',
    sampleLabel,
    edges,
    counts: counts[0],
    ...(density ? { density, densityLabel: 'exact density' } : {}),
  };
}

/**
 * The first two coordinates of (at most maxPoints of) the rows against contours of the exact density of
 * those coordinates under `law` (d >= 2), on a 61 x 61 grid spanning the points shown.
 */
export function scatterAgainst(
  rows: ArrayLike<number>,
  law: GaussianMixture,
  title: string,
  maxPoints = 1500,
): ScatterPlot {
  const { d } = law;
  const shown = Math.min(rows.length / d, maxPoints);
  const xs = column(rows, d, 0, shown);
  const ys = column(rows, d, 1, shown);
  const plot: ScatterPlot = {
    kind: 'scatter',
    title: d > 2 ? `${title}, first two coordinates` : title,
    samples: { x: xs.map(round4), y: ys.map(round4) },
    sampleLabel: 'samples',
    maxPoints: shown,
    total: rows.length / d,
  };
  if (law.variances.every((v) => v > 0)) plot.density = densityGrid(law, span(xs), span(ys));
  return plot;
}

/** The range of the finite values, widened by 5% each side. */
function span(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const pad = 0.05 * (hi - lo || 1);
  return [lo - pad, hi + pad];
}

/** The exact joint density of coordinates 0 and 1 (diagonal components factorise) on a grid. */
function densityGrid(law: GaussianMixture, [x0, x1]: [number, number], [y0, y1]: [number, number]): Grid {
  const n = 61;
  const x = Array.from({ length: n }, (_, i) => x0 + ((x1 - x0) * i) / (n - 1));
  const y = Array.from({ length: n }, (_, i) => y0 + ((y1 - y0) * i) / (n - 1));
  const { d, numComponents: K } = law;
  const z = y.map((yv) =>
    x.map((xv) => {
      let p = 0;
      for (let k = 0; k < K; k++) {
        p +=
          law.weights[k] *
          normalPdf(xv, law.means[k * d], law.variances[k * d]) *
          normalPdf(yv, law.means[k * d + 1], law.variances[k * d + 1]);
      }
      return round4(p);
    }),
  );
  return { x: x.map(round4), y: y.map(round4), z };
}

export interface MarginalSeries {
  name: string;
  /** Row-major [n x law.d] states. */
  rows: ArrayLike<number>;
}

/** One small-multiples panel: each series' coordinate 0 binned on shared edges, and the exact density. */
export function marginalPanel(
  label: string,
  series: MarginalSeries[],
  law: GaussianMixture,
): MarginalsPlot['panels'][number] {
  const { edges, counts } = binTogether(series.map((s) => column(s.rows, law.d, 0)));
  const density = densityOver(law, 0, edges);
  return {
    label,
    series: series.map((s, k) => ({ name: s.name, edges, counts: counts[k] })),
    ...(density ? { density } : {}),
  };
}

/** A points series against the diagonal y = x (exact): estimates against the values a formula predicts. */
export function againstDiagonal(
  title: string,
  labels: { x: string; y: string; points: string },
  predicted: number[],
  estimated: number[],
  ci?: [number, number][],
): LinesPlot {
  const all = [...predicted, ...estimated].filter(Number.isFinite);
  const [lo, hi] = [Math.min(...all), Math.max(...all)];
  return {
    kind: 'lines',
    title,
    xLabel: labels.x,
    yLabel: labels.y,
    series: [
      { name: 'y = x (the claim)', x: [lo, hi], y: [lo, hi], exact: true },
      { name: labels.points, x: predicted, y: estimated, points: true, ...(ci ? { ci } : {}) },
    ],
  };
}
