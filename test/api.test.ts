// The package entry (`main`: dist/index.js, built from src/index.ts) exposes each layer as a namespace
// and the entry points a maintainer scripts against (verifyFile, verifyClaims and scanFile are tested in
// test/verify/package-entry.test.ts).
import { describe, expect, it } from 'vitest';
import * as flowproof from '../src/index.js';
import { pointOf } from './helpers/verdict.js';

describe('package entry', () => {
  it('exposes one namespace per layer', () => {
    for (const ns of [
      'core',
      'symbolic',
      'identity',
      'schedules',
      'params',
      'targets',
      'tensor',
      'samplers',
      'stats',
      'experiments',
      'conform',
      'derivation',
      'report',
      'verify',
    ] as const)
      expect(Object.keys(flowproof[ns]).length, ns).toBeGreaterThan(0);
  });

  it('checkIdentity proves a true identity and refutes the missing-1/2 PF-ODE drift', async () => {
    const { checkIdentity, identity } = flowproof;
    const { lhs, rhs } = identity.parseEquation('f*x - 1/2*g^2*s = f*x - 1/2*g^2*s');
    expect((await checkIdentity(lhs, rhs, { seed: 1 })).grade).toBe('proved');
    const wrong = identity.parseEquation('f*x - g^2*s = f*x - 1/2*g^2*s');
    const v = await checkIdentity(wrong.lhs, wrong.rhs, { seed: 1 });
    expect(v.grade).toBe('refuted');
    expect(pointOf(v)).toBeDefined();
  });

  it('schedules and conversions agree through the entry: eps -> data -> eps on the VP-SDE', () => {
    const path = flowproof.schedules.getPath('vp-sde');
    const t = 0.3;
    const x = 0.7;
    const eps = -1.2;
    const c = flowproof.params.pathPoint(path, t);
    const data = flowproof.params.epsToData(eps, x, c);
    expect(data).toBeCloseTo((x - c.sigma * eps) / c.alpha, 12);
    expect(flowproof.params.dataToEps(data, x, c)).toBeCloseTo(eps, 12);
  });
});
