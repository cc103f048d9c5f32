// Generated expression pairs into the whole engine: every run ends in a verdict (no uncaught exception)
// within its time budget, and a `refuted` always carries a counterexample.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkIdentity } from '../../src/identity/index.js';
import { closeCasWorker } from '../../src/symbolic/cas.js';
import { parseWhere } from '../../src/identity/index.js';
import { exprArbitrary } from '../symbolic/arbitraries.js';

afterAll(() => closeCasWorker());

const BUDGET_MS = 1500;

describe('engine fuzz', () => {
  it('always ends in a verdict, each prover reporting how its budget ended', async () => {
    const domains = fc.constantFrom(parseWhere(''), parseWhere('a in (0,1), x > 0'), parseWhere('y <= 0'));
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(
        exprArbitrary,
        exprArbitrary,
        domains,
        fc.integer({ min: 0, max: 1000 }),
        async (l, r, d, seed) => {
          const v = await checkIdentity(l, r, { domains: d, seed, points: 8, timeBudgetMs: BUDGET_MS });
          expect(['proved', 'holds-numerically', 'refuted', 'inconclusive']).toContain(v.grade);
          if (v.grade === 'refuted') expect(v.counterexample).toBeDefined();
          // Every prover that ran reports how its share of the budget ended.
          if (v.grade === 'holds-numerically')
            expect(v.reason).toMatch(
              /algebrite: (not reduced to 0|timed out after \d+ ms|no time left|error)/,
            );
          const numeric = v.evidence.find((e) => e.kind === 'numeric');
          if (numeric) checked++;
        },
      ),
      { numRuns: 300, seed: 17 },
    );
    expect(checked).toBeGreaterThan(0);
  });
});
