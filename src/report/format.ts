// Number and duration formats shared by every writer, so the terminal, JUnit and HTML agree digit for digit.

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Four significant digits; scientific notation below 1e-3 and from 1e6 on. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === 0 || !Number.isFinite(v)) return String(v);
  return Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6 ? v.toExponential(3) : String(Number(v.toPrecision(4)));
}
