import { afterAll, describe, expect, it } from 'vitest';
import { checkIdentity, falsify, parseEquation, parseWhere } from '../../src/identity/index.js';
import { casProvesZero, closeCasWorker } from '../../src/symbolic/cas.js';
import { compileFloat64, parsePlain } from '../../src/symbolic/index.js';
import { pointOf } from '../helpers/verdict.js';

afterAll(() => closeCasWorker());

const check = (claim: string, where = '', options: Parameters<typeof checkIdentity>[2] = {}) => {
  const domains = parseWhere(where);
  const { lhs, rhs } = parseEquation(claim, domains);
  return checkIdentity(lhs, rhs, { domains, ...options });
};

describe('checkIdentity', () => {
  it('proves with a prover and records the high-precision evidence and seed', async () => {
    const r = await check(
      '(sqrt(abar)*x0 + sqrt(1-abar)*eps - sqrt(abar)*x0)/(1-abar) = eps/sqrt(1-abar)',
      'abar in (0,1)',
      { seed: 42 },
    );
    expect(r.grade).toBe('proved');
    expect(r.evidence[0]).toMatchObject({ kind: 'symbolic', strategy: 'normal-form' });
    expect(r.evidence[1]).toMatchObject({ kind: 'numeric', seed: 42, pointsTried: 100, precisionDigits: 72 });
    expect(r.lhs).toContain('abar');
  });

  it('refutes with a shrunk, simple counterexample that reproduces', async () => {
    const r = await check('x^2 + y = x + y', '', { seed: 9 });
    expect(r.grade).toBe('refuted');
    const x = pointOf(r)!.point.x;
    expect(['-1', '2', '-2', '0.5', '3', '-0.5', '0.25', '0.75', '0.1', '0.9', '10']).toContain(x);
    expect(Number(pointOf(r)!.lhs)).toBeCloseTo(Number(x) ** 2 + Number(pointOf(r)!.point.y), 12);
    const again = await check('x^2 + y = x + y', '', { seed: 9 });
    expect(pointOf(again)).toEqual(pointOf(r));
  });

  it('does not cry wolf where float64 would: cancellation 1e-11 from the edge of the domain', async () => {
    const claim = '(x1 - (t*x1 + (1-t)*x0))/(1-t) = x1 - x0';
    const { lhs, rhs } = parseEquation(claim);
    const vars = ['t', 'x0', 'x1'];
    const at = [1 - 1e-11, 0.3, 0.7];
    const l = compileFloat64(lhs, vars)(at);
    const r = compileFloat64(rhs, vars)(at);
    expect(Math.abs(l - r) / Math.abs(r)).toBeGreaterThan(1e-7); // float64 alone would "refute"
    for (const seed of [1, 2, 3, 4]) {
      const f = falsify(lhs, rhs, {
        domains: parseWhere('t in (0,1)'),
        seed,
        points: 200,
        timeLimitMs: 20_000,
      });
      expect(f.counterexample).toBeUndefined();
      expect(f.maxResidual).toBeLessThan(1e-40);
    }
  });

  it('skips points where a side is undefined and says so; never-defined claims are inconclusive', async () => {
    const half = await check('sqrt(x)*sqrt(x) = x');
    expect(half.grade).toBe('proved');
    const never = await check('log(-x^2 - 1) = 0');
    expect(never.grade).toBe('inconclusive');
    expect(never.reason).toMatch(/only 0 of the sampled points/);
  });

  it('refutes only what is false on the declared domain', async () => {
    expect((await check('sqrt(x^2) = x', 'x > 0')).grade).toBe('proved');
    const r = await check('sqrt(x^2) = x');
    expect(r.grade).toBe('refuted');
    expect(Number(pointOf(r)!.point.x)).toBeLessThan(0);
    // however thin the part of the domain where it fails
    const thin = await check('sqrt(x^2) = x', 'x in (-1e-20, 1)');
    expect(thin.grade).toBe('refuted');
    expect(Number(pointOf(thin)!.point.x)).toBeLessThan(0);
  });

  it('instantiates undefined functions as smooth functions with exact derivatives', async () => {
    const ok = await check("diff(s(t)^2, t) = 2*s(t)*s'(t)", 's(t) > 0');
    expect(ok.grade).toBe('proved');
    const bad = await check("diff(s(t)^3, t) = 2*s(t)^2*s'(t)", 's(t) > 0');
    expect(bad.grade).toBe('refuted');
    expect(pointOf(bad)!.point['s(t)']).toMatch(/t|exp/);
  });

  it('stays within its time budget when no prover succeeds', async () => {
    const r = await check('atan(x) + atan(1/x) = pi/2', 'x > 0', { timeBudgetMs: 1500, points: 30 });
    expect(r.grade).toBe('holds-numerically');
    // Each CAS reports how its share of the budget ended: no answer, a cut-off at the budget, or no
    // time left for it.
    for (const cas of ['algebrite', 'mathjs'])
      expect(r.reason).toMatch(new RegExp(`${cas}: (not reduced to 0|timed out after \\d+ ms|no time left)`));
    const cut = [...r.reason!.matchAll(/timed out after (\d+) ms/g)].map((m) => Number(m[1]));
    for (const ms of cut) expect(ms).toBeLessThanOrEqual(1500 + 250);
  });
});

describe('external CAS worker', () => {
  it('proves through Algebrite with renamed symbols (i is not the imaginary unit)', async () => {
    const a = await casProvesZero(parsePlain('i*(i+1)'), parsePlain('i^2 + i'), 'algebrite', 20_000);
    expect(a.zero).toBe(true);
    const b = await casProvesZero(parsePlain('i^2'), parsePlain('-1'), 'algebrite', 20_000);
    expect(b.zero).toBe(false);
  });
  it('terminates a CAS that runs past its budget, then serves the next request', async () => {
    const p = 'normal_pdf(x, m0*exp(-b*t/2), 1 + (v0-1)*exp(-b*t))';
    const fp = parsePlain(`diff(${p}, t) + diff(-b/2*x*${p}, x) - b/2*diff(${p}, x, 2)`);
    const slow = await casProvesZero(fp, parsePlain('0'), 'algebrite', 500);
    expect(slow.timedOut).toBe(true);
    expect(slow.out).toBeUndefined();
    expect(slow.ms).toBeGreaterThanOrEqual(500);
    const next = await casProvesZero(parsePlain('x + x'), parsePlain('2*x'), 'algebrite', 20_000);
    expect(next.zero).toBe(true);
  });
});
