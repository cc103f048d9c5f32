// The README's screenshots are made by `npm run docs:screenshots` (screenshots.ts beside this file), which
// records what they show in docs/screenshots.json. Adding or removing a derivation, or changing an
// erratum, without regenerating them fails here; so does a README whose numbers differ from the pictures.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url));
const record = JSON.parse(read('docs/screenshots.json').toString()) as {
  claims: number;
  byGrade: Record<string, number>;
  seed: number;
  version: string;
};
const derivations = readdirSync(new URL('../../derivations/', import.meta.url)).filter(
  (f) => f.endsWith('.md') && f !== 'README.md',
);
const errata = derivations.filter((f) => /^expect: refuted$/m.test(read(`derivations/${f}`).toString()));

describe('README screenshots', () => {
  it('were made from a report of the current derivation files', () => {
    expect(record.claims).toBe(derivations.length);
    expect(Object.values(record.byGrade).reduce((a, b) => a + b, 0)).toBe(derivations.length);
    expect(record.byGrade.refuted).toBe(errata.length);
    expect(record.byGrade.inconclusive ?? 0).toBe(0);
  });

  it('exist as PNG images', () => {
    for (const png of ['docs/report.png', 'docs/report-evidence.png', 'docs/report-marginals.png']) {
      const bytes = read(png);
      expect(bytes.subarray(1, 4).toString(), png).toBe('PNG');
      expect(bytes.length, png).toBeGreaterThan(20_000);
    }
  });

  it('are described in the README with the numbers they show', () => {
    const readme = read('README.md').toString();
    for (const [grade, n] of Object.entries(record.byGrade)) expect(readme).toContain(`${n} ${grade}`);
    for (const png of ['report.png', 'report-evidence.png', 'report-marginals.png'])
      expect(readme).toContain(`(docs/${png})`);
  });
});
