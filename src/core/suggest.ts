// "Did you mean": the known names closest to a mistyped one, for every error about an unknown name
// (command, flag, claim id, schedule, experiment, ...).

/** Edit distance with adjacent transpositions (optimal string alignment), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows = [...Array(s.length + 1)].map((_, i) => [i, ...Array(t.length).fill(0)] as number[]);
  for (let j = 1; j <= t.length; j++) rows[0][j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
    }
  }
  return rows[s.length][t.length];
}

/**
 * The candidates close to `input`: within an edit distance of a quarter of its length (at least 1), or
 * containing it / contained in it (for inputs of 3+ characters); of those, the ones within one edit of
 * the closest, closest first, at most three.
 */
export function closest(input: string, candidates: Iterable<string>): string[] {
  const lower = input.toLowerCase();
  const limit = Math.max(1, Math.floor(input.length / 4));
  const scored: [string, number][] = [];
  for (const c of new Set(candidates)) {
    if (c === input) continue;
    const d = editDistance(input, c);
    const cl = c.toLowerCase();
    const contains = lower.length >= 3 && (cl.includes(lower) || lower.includes(cl));
    if (d <= limit || contains) scored.push([c, contains && d > limit ? limit + 0.5 : d]);
  }
  const best = Math.min(...scored.map(([, d]) => d));
  return scored
    .filter(([, d]) => d <= best + 1)
    .sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]))
    .slice(0, 3)
    .map(([c]) => c);
}

/** `", did you mean 'vp-sde'?"` (with `prefix` before each name, e.g. '--'), or '' when none is close. */
export function didYouMean(input: string, candidates: Iterable<string>, prefix = ''): string {
  const names = closest(input, candidates).map((c) => `'${prefix}${c}'`);
  if (names.length === 0) return '';
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
  return `, did you mean ${list}?`;
}
