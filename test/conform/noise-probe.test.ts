// The noise probe reads the exact law of a Gaussian step whatever its noise split, and refuses what it
// cannot read exactly.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { probeStep } from '../../src/conform/noise-probe.js';
import type { Randn } from '../../src/conform/module.js';
import { guard } from '../../src/conform/property.js';

const rng = () => new Rng(11, 0);

describe('probeStep', () => {
  it('one draw: mean and std of m + s z', () => {
    expect(probeStep((randn: Randn) => 2 + 0.5 * randn(), rng(), 1e-12)).toEqual({
      kind: 'law',
      mean: 2,
      std: 0.5,
      draws: 1,
    });
  });
  it('three draws with a negative coefficient: std = sqrt(sum s_i^2)', () => {
    const p = probeStep((randn) => -1 + 0.3 * randn() - 0.4 * randn() + 1.2 * randn(), rng(), 1e-12);
    expect(p.kind).toBe('law');
    if (p.kind !== 'law') return;
    expect(p.mean).toBe(-1);
    expect(p.std).toBeCloseTo(Math.sqrt(0.09 + 0.16 + 1.44), 14);
    expect(p.draws).toBe(3);
  });
  it('deterministic steps have std 0 and no draws', () => {
    expect(probeStep(() => 4.25, rng(), 1e-12)).toEqual({ kind: 'law', mean: 4.25, std: 0, draws: 0 });
  });
  it('a step using Math.random instead of randn is an error', () => {
    const p = probeStep(() => Math.random(), rng(), 1e-12);
    expect(p.kind).toBe('error');
    if (p.kind === 'error') expect(p.message).toMatch(/draw noise only from the randn argument/);
  });
  it('a step not affine in its draws is not compared', () => {
    const p = probeStep(
      (randn) => {
        const z = randn();
        return z * z;
      },
      rng(),
      1e-12,
    );
    expect(p.kind).toBe('not-affine');
  });
  it('a step whose number of draws depends on the values is not compared', () => {
    const p = probeStep((randn) => (randn() > 0.5 ? randn() : 0), rng(), 1e-12);
    expect(p.kind).toBe('not-affine');
  });
  it('a runaway loop of draws is an error, not a hang', () => {
    // As in the step check, the user's step runs inside guard(), which turns the throw into a value.
    const runaway = (randn: Randn) => {
      let s = 0;
      for (;;) s += randn() + 1e-3;
      return s;
    };
    const p = probeStep((randn) => guard(() => runaway(randn)), rng(), 1e-12);
    expect(p).toEqual({ kind: 'error', message: 'threw: called randn more than 256 times' });
  });
  it('errors from the step are reported, not thrown', () => {
    expect(probeStep(() => 'threw: boom', rng(), 1e-12)).toEqual({ kind: 'error', message: 'threw: boom' });
  });
});
