// Scales (data -> pixels) and tick choice for linear and log axes.
import { DomainError } from '../../core/errors.js';

export interface Scale {
  (v: number): number;
  domain: [number, number];
  ticks: number[];
  log: boolean;
}

/** Linear map of [lo, hi] to [r0, r1], with "nice" tick values (1, 2, 5 times a power of ten). */
export function linearScale(domain: [number, number], range: [number, number], tickCount = 5): Scale {
  let [lo, hi] = domain;
  requireFiniteDomain('linearScale', lo, hi);
  if (lo === hi) [lo, hi] = lo === 0 ? [-1, 1] : [lo - Math.abs(lo) / 2, hi + Math.abs(hi) / 2];
  const ticks = niceTicks(lo, hi, tickCount);
  const [r0, r1] = range;
  const f = ((v: number) => r0 + ((v - lo) / (hi - lo)) * (r1 - r0)) as Scale;
  f.domain = [lo, hi];
  f.ticks = ticks;
  f.log = false;
  return f;
}

/** Base-10 log map of [lo, hi] (both > 0) to [r0, r1]; ticks at powers of ten (or 1-2-5 inside one decade). */
export function logScale(domain: [number, number], range: [number, number]): Scale {
  let [lo, hi] = domain;
  requireFiniteDomain('logScale', lo, hi);
  if (!(lo > 0)) throw new DomainError('logScale', 'domain[0]', lo, 'must be > 0 on a log axis');
  if (lo === hi) [lo, hi] = [lo / 2, hi * 2];
  const [l0, l1] = [Math.log10(lo), Math.log10(hi)];
  const [r0, r1] = range;
  const f = ((v: number) => (v > 0 ? r0 + ((Math.log10(v) - l0) / (l1 - l0)) * (r1 - r0) : NaN)) as Scale;
  f.domain = [lo, hi];
  const decades: number[] = [];
  for (let e = Math.ceil(l0 - 1e-9); e <= Math.floor(l1 + 1e-9); e++) decades.push(cleanFloat(10 ** e));
  // Within less than ~2 decades, powers of ten alone are too few to read a value off the axis.
  f.ticks = decades.length >= 3 ? decades : logSubTicks(lo, hi);
  f.log = true;
  return f;
}

export function niceTicks(lo: number, hi: number, count: number): number[] {
  const step = niceStep((hi - lo) / Math.max(1, count));
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) out.push(cleanFloat(k * step));
  return out;
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

function logSubTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); 10 ** e <= hi; e++) {
    for (const m of [1, 2, 5]) {
      const v = cleanFloat(m * 10 ** e);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  }
  return out;
}

/** Removes binary noise such as 0.30000000000000004 from a tick value. */
function cleanFloat(v: number): number {
  return Number(v.toPrecision(12));
}

/** Short tick label: 0.001 -> 1e-3 style only where plain decimals get long. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    const e = Math.floor(Math.log10(a));
    const m = cleanFloat(v / 10 ** e);
    return m === 1 ? `1e${e}` : m === -1 ? `-1e${e}` : `${m}e${e}`;
  }
  return String(cleanFloat(v));
}

/** [min, max] of the finite values, padded by `pad` of the span; [0, 1] when there are none. */
export function extent(values: Iterable<number>, pad = 0): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [0, 1];
  const span = hi - lo;
  return [lo - pad * span, hi + pad * span];
}

function requireFiniteDomain(fn: string, lo: number, hi: number): void {
  if (!Number.isFinite(lo)) throw new DomainError(fn, 'domain[0]', lo, 'must be finite');
  if (!Number.isFinite(hi)) throw new DomainError(fn, 'domain[1]', hi, 'must be finite');
  if (hi < lo) throw new DomainError(fn, 'domain', [lo, hi], 'must be increasing');
}
