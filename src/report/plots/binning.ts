// Histograms as densities: counts / (total * bin width), comparable with a density curve.
import { DomainError } from '../../core/errors.js';
import type { SampleSet } from './types.js';

export interface Histogram {
  edges: number[];
  /** Density value per bin. */
  density: number[];
  total: number;
}

/** Rice's rule, 2 n^(1/3) bins, kept within [10, 80] so bars stay readable. */
export function defaultBinCount(n: number): number {
  return Math.min(80, Math.max(10, Math.ceil(2 * Math.cbrt(n))));
}

/** Bins the samples on `range` (default: the central 99.8% of them) into equal-width bins. */
export function histogram(set: SampleSet, bins?: number, range?: [number, number]): Histogram {
  if ('edges' in set) return fromCounts(set.edges, set.counts);
  const xs = set.samples;
  xs.forEach((v, k) => {
    if (!Number.isFinite(v)) throw new DomainError('histogram', `samples[${k}]`, v, 'must be finite');
  });
  const [lo, hi] = range ?? centralRange(xs);
  const n = bins ?? defaultBinCount(xs.length);
  const width = (hi - lo) / n || 1;
  const counts = new Array<number>(n).fill(0);
  for (const v of xs) {
    const k = Math.floor((v - lo) / width);
    // Samples outside the range are not drawn but still count in the total, so bars stay densities.
    if (k >= 0 && k < n) counts[k]++;
    else if (v === hi) counts[n - 1]++;
  }
  const edges = Array.from({ length: n + 1 }, (_, k) => lo + k * width);
  return { edges, density: counts.map((c) => c / (xs.length * width)), total: xs.length };
}

function fromCounts(edges: number[], counts: number[]): Histogram {
  if (edges.length !== counts.length + 1)
    throw new DomainError(
      'histogram',
      'edges',
      edges.length,
      `must have counts.length + 1 = ${counts.length + 1} entries`,
    );
  const total = counts.reduce((a, b) => a + b, 0);
  const density = counts.map((c, k) => {
    const w = edges[k + 1] - edges[k];
    if (!(w > 0)) throw new DomainError('histogram', `edges[${k + 1}]`, edges[k + 1], 'must increase');
    return total > 0 ? c / (total * w) : 0;
  });
  return { edges, density, total };
}

/** The 0.1% and 99.9% sample quantiles: a few far outliers should not squash the picture. */
export function centralRange(xs: number[]): [number, number] {
  if (xs.length === 0) return [0, 1];
  const sorted = Float64Array.from(xs).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return [at(0.001), at(0.999)];
}
