// Server-side SVG plots for the report and the notebooks: one function per plot kind, and a
// dispatcher that draws any PlotSpec (also after checking a spec that arrived as untyped data).
import { InternalError } from '../../core/errors.js';
import { convergencePlot } from './convergence.js';
import { histogramPlot } from './histogram.js';
import { linesPlot } from './lines.js';
import { marginalsPlot } from './marginals.js';
import { scatterPlot } from './scatter.js';
import { straightnessPlot } from './straightness.js';
import { PLOT_KINDS, type PlotSpec } from './types.js';

export * from './types.js';
export type { Grid } from './contour.js';
export { contourSegments } from './contour.js';
export { defaultBinCount, histogram } from './binning.js';
export { logLogFit } from './convergence.js';
export { convergencePlot, histogramPlot, linesPlot, marginalsPlot, scatterPlot, straightnessPlot };

export function renderPlot(spec: PlotSpec): string {
  switch (spec.kind) {
    case 'histogram':
      return histogramPlot(spec);
    case 'scatter':
      return scatterPlot(spec);
    case 'marginals':
      return marginalsPlot(spec);
    case 'convergence':
      return convergencePlot(spec);
    case 'straightness':
      return straightnessPlot(spec);
    case 'lines':
      return linesPlot(spec);
  }
}

/** Tabulates f at n evenly spaced points of [lo, hi], for a density line. */
export function tabulate(
  f: (x: number) => number,
  lo: number,
  hi: number,
  n = 200,
): { x: number[]; y: number[] } {
  const x = Array.from({ length: n }, (_, k) => lo + ((hi - lo) * k) / (n - 1));
  return { x, y: x.map(f) };
}

/**
 * The plot specs found in an experiment's `data.plots` (an array of PlotSpec). Experiments build them, so
 * anything else there is a bug: an InternalError naming the entry, never silently dropped.
 */
export function plotsInData(data: Record<string, unknown> | undefined, experiment: string): PlotSpec[] {
  const plots = data?.plots;
  if (plots === undefined) return [];
  if (!Array.isArray(plots))
    throw new InternalError(`experiment '${experiment}': data.plots must be an array, not ${typeof plots}`);
  return plots.map((p: unknown, i) => {
    const kind = (p as { kind?: unknown } | null)?.kind;
    if (typeof p !== 'object' || p === null || !PLOT_KINDS.includes(kind as PlotSpec['kind'])) {
      throw new InternalError(
        `experiment '${experiment}': data.plots[${i}] has unknown kind '${String(kind)}' (known: ${PLOT_KINDS.join(', ')})`,
      );
    }
    if (typeof (p as { title?: unknown }).title !== 'string') {
      throw new InternalError(
        `experiment '${experiment}': data.plots[${i}] (${String(kind)}) needs a string title`,
      );
    }
    return p as PlotSpec;
  });
}
