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
  it('always ends in a verdict within its budget', async () => {
    const domains = fc.constantFrom(parseWhere(''), parseWhere('a in (0,1), x > 0'), parseWhere('y <= 0'));
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(
        exprArbitrary,
        exprArbitrary,
        domains,
        fc.integer({ min: 0, max: 1000 }),
        async (l, r, d, seed) => {
          const t0 = Date.now();
          const v = await checkIdentity(l, r, { domains: d, seed, points: 8, timeBudgetMs: BUDGET_MS });
          const ms = Date.now() - t0;
          slowest = Math.max(slowest, ms);
          expect(['proved', 'holds-numerically', 'refuted', 'inconclusive']).toContain(v.grade);
          if (v.grade === 'refuted') expect(v.counterexample).toBeDefined();
          // The falsifier and the CAS each stop at their share of the budget; allow scheduling slack.
          expect(ms).toBeLessThan(BUDGET_MS * 3 + 2000);
        },
      ),
      { numRuns: 300, seed: 17 },
    );
    expect(slowest).toBeGreaterThan(0);
  });
});
