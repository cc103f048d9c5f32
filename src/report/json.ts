// JSON output: the report objects as they are (their shape is the versioned schema of types.ts).
// Exact rationals or other bigints that reach a report are written as decimal strings, never dropped.
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n';
}
