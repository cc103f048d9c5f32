// The soundness catalogue at several seeds: every true identity is proved or holds numerically (never
// refuted), every mistake is refuted with a counterexample, and `proved` needs a prover.
import { afterAll, describe, expect, it } from 'vitest';
import { checkIdentity } from '../../src/identity/index.js';
import { closeCasWorker } from '../../src/symbolic/cas.js';
import { CATALOGUE, entrySides } from './catalogue.js';
import { pointOf } from '../helpers/verdict.js';

const SEEDS = [1, 2, 3];
// Fewer points than the CLI default keep the whole catalogue at three seeds inside the test budget;
// the benchmark runs it at the default.
const POINTS = 40;

afterAll(() => closeCasWorker());

describe('soundness catalogue', () => {
  it('has at least 40 entries, with true identities and mistakes', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(40);
    expect(CATALOGUE.filter((e) => e.holds).length).toBeGreaterThanOrEqual(20);
    expect(CATALOGUE.filter((e) => !e.holds).length).toBeGreaterThanOrEqual(20);
  });

  const cases = CATALOGUE.flatMap((e) => SEEDS.map((seed) => [e.name, seed, e] as const));
  it.each(cases)('%s (seed %i)', async (_name, seed, entry) => {
    const { lhs, rhs, domains } = entrySides(entry);
    const r = await checkIdentity(lhs, rhs, { domains, seed, points: POINTS, timeBudgetMs: 15_000 });
    const numeric = r.evidence.find((e) => e.kind === 'numeric');
    expect(numeric && numeric.kind === 'numeric' && numeric.seed).toBe(seed);
    if (entry.holds) {
      expect(r.grade, r.reason).toMatch(/^(proved|holds-numerically)$/);
      expect(pointOf(r)).toBeUndefined();
      if (r.grade === 'proved') expect(r.evidence.some((e) => e.kind === 'symbolic')).toBe(true);
    } else {
      expect(r.grade, r.reason).toBe('refuted');
      const c = pointOf(r)!;
      expect(Object.keys(c.point).length).toBeGreaterThan(0);
      expect(c.lhs).not.toBe(c.rhs);
    }
  });
});
