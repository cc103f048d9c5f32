// A prover that says 0 while the numbers disagree must give `inconclusive`, never `proved` or
// `refuted`: simulated by replacing the normal form with one that always says 0.
import { describe, expect, it, vi } from 'vitest';
import { pointOf } from '../helpers/verdict.js';

vi.mock('../../src/symbolic/canonical.js', async (original) => ({
  ...(await original<typeof import('../../src/symbolic/canonical.js')>()),
  canonicalProof: () => ({ zero: true, rules: [] }),
}));

const { checkIdentity, parseEquation } = await import('../../src/identity/index.js');

describe('internal inconsistency', () => {
  it('reports a prover zero contradicted by the high-precision check as inconclusive', async () => {
    const { lhs, rhs } = parseEquation('x^2 = x + 1');
    const r = await checkIdentity(lhs, rhs, { seed: 1 });
    expect(r.grade).toBe('inconclusive');
    expect(r.reason).toMatch(/internal inconsistency/);
    expect(pointOf(r)).toBeDefined();
  });
  it('still proves a true identity (the numbers agree)', async () => {
    const { lhs, rhs } = parseEquation('x*(x + 1) = x^2 + x');
    expect((await checkIdentity(lhs, rhs, { seed: 1 })).grade).toBe('proved');
  });
});
