// The plots a report can show, as plain data (JSON-serialisable), so an experiment can carry them in
// its result and the report draws them without knowing the experiment.
import type { Grid } from './contour.js';

/** A tabulated function: y[k] = f(x[k]), x increasing. */
export interface Curve {
  x: number[];
  y: number[];
}

/** Samples of a 1-D law, or their histogram (counts per [edges[k], edges[k+1])). */
export type SampleSet = { samples: number[] } | { edges: number[]; counts: number[] };

/** Histogram of samples (as a density) against the exact density. */
export type HistogramPlot = {
  kind: 'histogram';
  title: string;
  xLabel?: string;
  sampleLabel?: string;
  bins?: number;
  density?: Curve;
  densityLabel?: string;
} & SampleSet;

/** 2-D samples against contours of the exact density. */
export interface ScatterPlot {
  kind: 'scatter';
  title: string;
  samples: { x: number[]; y: number[] };
  sampleLabel?: string;
  density?: Grid;
  /** Contour levels; default: fractions 0.05, 0.2, 0.4, 0.6, 0.8 of the density's maximum. */
  levels?: number[];
  /** Points drawn at most (the first ones: samples are i.i.d.); default 1500. */
  maxPoints?: number;
  /** The sample size of the run, when `samples` holds only the first of them; default: their number. */
  total?: number;
}

/** Small multiples: several samplers' marginals at several times, each against the exact marginal. */
export interface MarginalsPlot {
  kind: 'marginals';
  title: string;
  xLabel?: string;
  bins?: number;
  panels: { label: string; series: ({ name: string } & SampleSet)[]; density?: Curve }[];
}

/** Error against number of steps on log-log axes, with fitted lines log10(err) = intercept + slope log10(steps). */
export interface ConvergencePlot {
  kind: 'convergence';
  title: string;
  yLabel?: string;
  series: {
    name: string;
    steps: number[];
    error: number[];
    fit?: { slope: number; intercept: number };
    expectedSlope?: number;
  }[];
}

/** Straightness per reflow round, with confidence intervals and the bound it must stay under. */
export interface StraightnessPlot {
  kind: 'straightness';
  title: string;
  rounds: number[];
  straightness: number[];
  ci?: [number, number][];
  bound?: number[];
  boundLabel?: string;
}

/** Curves (e.g. an exact function) and point estimates with confidence intervals on shared axes. */
export interface LinesPlot {
  kind: 'lines';
  title: string;
  xLabel?: string;
  yLabel?: string;
  logX?: boolean;
  logY?: boolean;
  series: {
    name: string;
    x: number[];
    y: number[];
    /** Draw points (with `ci` whiskers if given) instead of a line. */
    points?: boolean;
    ci?: [number, number][];
    /** An exact curve: drawn in the exact-law colour. */
    exact?: boolean;
  }[];
}

export type PlotSpec =
  HistogramPlot | ScatterPlot | MarginalsPlot | ConvergencePlot | StraightnessPlot | LinesPlot;

export const PLOT_KINDS = [
  'histogram',
  'scatter',
  'marginals',
  'convergence',
  'straightness',
  'lines',
] as const;
