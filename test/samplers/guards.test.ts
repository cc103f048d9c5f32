import { describe, expect, it } from 'vitest';
import { planSampling, sample, samplingInterval, timeGrid } from '../../src/samplers/index.js';
import { affinePath, getPath } from '../../src/schedules/index.js';
import { DomainError, InputError, NumericalError } from '../../src/core/errors.js';
import { ONE, mul, rational, sub, sym } from '../../src/symbolic/expr.js';

const T = sym('t');
import { pathClock } from '../../src/samplers/clock.js';

const base = { target: 'gmm-1d-2', n: 100, seed: 1 } as const;

describe('time grids', () => {
  it('reject non-monotone grids, zero-length steps, times outside the path and the wrong direction', async () => {
    await expect(
      sample({ ...base, sampler: 'pf-ode-euler', numSteps: 0, grid: [1, 0.5, 0.7, 0.1] }),
    ).rejects.toThrow(/t\[2\].*breaks the monotone order/);
    await expect(
      sample({ ...base, sampler: 'pf-ode-euler', numSteps: 0, grid: [1, 0.5, 0.5, 0.1] }),
    ).rejects.toThrow(/zero-length step/);
    await expect(
      sample({ ...base, sampler: 'pf-ode-euler', numSteps: 0, grid: [1.5, 0.5, 0.1] }),
    ).rejects.toThrow(DomainError);
    await expect(
      sample({ ...base, sampler: 'pf-ode-euler', numSteps: 0, grid: [0.1, 0.5, 1] }),
    ).rejects.toThrow(/noise end toward the data end/);
    await expect(
      sample({ ...base, sampler: 'pf-ode-euler', numSteps: 0, grid: [1, NaN, 0.1] }),
    ).rejects.toThrow(/NaN/);
    // More DDPM steps than the discrete schedule has step indices: said up front, with the count.
    await expect(sample({ ...base, sampler: 'ddpm', numSteps: 1500 })).rejects.toThrow(
      /'numSteps' = 1500 must be <= 1000, the number of step indices from 1000 to 0/,
    );
    await expect(
      sample({ ...base, sampler: 'ddpm', numSteps: 10, grid: 'sideways' as never }),
    ).rejects.toThrow(InputError);
  });

  it('quadratic and karras grids are monotone, pinned at the ends, and denser near the data', () => {
    const clock = pathClock(getPath('vp-sde'), false);
    for (const kind of ['quadratic', 'karras'] as const) {
      const g = timeGrid(kind, 20, clock, 1, 1e-3);
      expect(g[0]).toBe(1);
      expect(g[20]).toBe(1e-3);
      expect(g[19] - g[20]).toBeLessThan((g[0] - g[1]) / 5);
    }
    // Karras spacing is uniform in (sigma/alpha)^(1/7).
    const g = timeGrid('karras', 10, clock, 1, 1e-3);
    const u = [...g].map((t) => clock.noiseLevel(t) ** (1 / 7));
    for (let i = 1; i < 10; i++) expect(u[i] - u[i - 1]).toBeCloseTo(u[1] - u[0], 9);
  });
});

describe('guard rails at the ends and in the coefficients', () => {
  it('defaults: VP stops at t = 1e-3 (sigma(0) = 0); rectified flow runs 0 -> 1; DDPM T -> 0', () => {
    expect(planSampling({ target: 'gmm-1d-2', sampler: 'pf-ode-euler', numSteps: 10 }).times[10]).toBe(1e-3);
    const fm = planSampling({ target: 'gmm-1d-2', sampler: 'fm-euler', numSteps: 10 });
    expect([fm.times[0], fm.times[10]]).toEqual([0, 1]);
    const dd = planSampling({ target: 'gmm-1d-2', sampler: 'ddpm', numSteps: 10 });
    expect([dd.times[0], dd.times[10]]).toEqual([1000, 0]);
    expect(dd.program.nextZ[9]).toBe(0); // no noise on the step into the data (Ho et al. Alg. 2)
    expect(dd.program.nextZ[8]).toBeGreaterThan(0);
  });

  it('Heun and RK4 fall back at sigma = 0 (EDM Alg. 1) instead of dividing by it', async () => {
    const heun = planSampling({ target: 'gmm-1d-2', sampler: 'fm-heun', numSteps: 8 });
    expect([...heun.program.stages]).toEqual([2, 2, 2, 2, 2, 2, 2, 1]);
    const rk4 = planSampling({
      target: 'gmm-1d-2',
      sampler: 'pf-ode-rk4',
      numSteps: 4,
      path: 've-sde',
      tEnd: 0,
    });
    expect(rk4.program.stages[3]).toBe(4); // VE: sigma(0) = 0.01 > 0, no fallback needed
    const vp = planSampling({ target: 'gmm-1d-2', sampler: 'pf-ode-rk4', numSteps: 4, tEnd: 0 });
    expect(vp.program.stages[3]).toBe(2); // VP at t = 0: sigma = 0, explicit midpoint
    const r = await sample({ ...base, target: 'discrete-1d-3', sampler: 'fm-heun', numSteps: 16, n: 2000 });
    expect(r.samples.every(Number.isFinite)).toBe(true);
    // Atoms are recovered: every sample is near -1, 0 or 2.
    expect(r.samples.every((x) => Math.min(Math.abs(x + 1), Math.abs(x), Math.abs(x - 2)) < 0.2)).toBe(true);
  });

  it('a path with g^2 < 0 has no reverse SDE: an error, not NaN noise', async () => {
    // alpha = 1, sigma = 1 - t/2 decreases in diffusion time: g^2 = 2 sigma dSigma < 0.
    const shrinking = affinePath({
      name: 'shrinking',
      convention: 'diffusion',
      alpha: ONE,
      sigma: sub(ONE, mul(rational(1n, 2n), T)),
      tMin: 0,
      tMax: 1,
    });
    await expect(
      sample({ ...base, sampler: 'reverse-sde-em', numSteps: 10, path: shrinking }),
    ).rejects.toThrow(/g\^2 at t = 1.*must be >= 0/);
  });

  it('eta outside its range, DDPM off a VP path and a sampler on the wrong kind of schedule are errors', async () => {
    await expect(sample({ ...base, sampler: 'ddim', numSteps: 10, eta: 1.5 })).rejects.toThrow(/eta/);
    await expect(sample({ ...base, sampler: 'eta-family', numSteps: 10, eta: -1 })).rejects.toThrow(/eta/);
    await expect(sample({ ...base, sampler: 'ddpm', numSteps: 10, path: 'edm' })).rejects.toThrow(
      /variance-preserving/,
    );
    await expect(
      sample({
        ...base,
        sampler: 'pf-ode-heun',
        numSteps: 10,
        schedule: planSampling({ target: 'gmm-1d-2', sampler: 'ddpm', numSteps: 2 }) as never,
      }),
    ).rejects.toThrow();
    await expect(sample({ ...base, sampler: 'ddpm', numSteps: 10, n: 0 })).rejects.toThrow(/'n'/);
    await expect(sample({ ...base, sampler: 'ddpm', numSteps: 10, seed: -3 })).rejects.toThrow(/seed/);
  });

  it('a model that produces non-finite values is a NumericalError naming the step, never a silent NaN', async () => {
    const bad = (_x: Float64Array, _n: number, _d: number, t: number, out: Float64Array) =>
      out.fill(t < 0.5 ? NaN : 0);
    await expect(
      sample({ ...base, sampler: 'pf-ode-euler', numSteps: 10, model: { output: 'score', fn: bad } }),
    ).rejects.toThrow(NumericalError);
    await expect(
      sample({ ...base, sampler: 'pf-ode-euler', numSteps: 10, model: { output: 'score', fn: bad } }),
    ).rejects.toThrow(/model output at step 6, t = 0.4006/);
    // Finite model outputs whose update overflows: caught on the state as well.
    const huge = (_x: Float64Array, _n: number, _d: number, _t: number, out: Float64Array) => out.fill(1e308);
    await expect(
      sample({ ...base, sampler: 'pf-ode-euler', numSteps: 3, model: { output: 'score', fn: huge } }),
    ).rejects.toThrow(/non-finite/);
  });

  it('trajectories keep every state: the initial one first, the samples last', async () => {
    const r = await sample({
      ...base,
      sampler: 'reverse-sde-em',
      numSteps: 5,
      trajectories: true,
      threads: 1,
    });
    expect(r.trajectories!.length).toBe(6 * 100);
    expect(r.trajectories!.subarray(500)).toEqual(r.samples);
    const again = await sample({ ...base, sampler: 'reverse-sde-em', numSteps: 5, threads: 1 });
    expect(again.samples).toEqual(r.samples); // keeping trajectories does not change the draws
  });

  it('trajectories as grid indices keep those states only, equal to the full trajectory there', async () => {
    const run = { ...base, sampler: 'reverse-sde-em', numSteps: 5, threads: 1 };
    const all = (await sample({ ...run, trajectories: true })).trajectories!;
    const some = await sample({ ...run, trajectories: [0, 2, 5] });
    expect(some.trajectories!.length).toBe(3 * 100);
    for (const [c, i] of [0, 2, 5].entries())
      expect(some.trajectories!.subarray(c * 100, (c + 1) * 100)).toEqual(
        all.subarray(i * 100, (i + 1) * 100),
      );
    for (const bad of [[2, 2], [3, 1], [6], [1.5]])
      await expect(sample({ ...run, trajectories: bad })).rejects.toThrow(
        /argument 'trajectories' = .* must be increasing grid indices in 0\.\.5/,
      );
  });

  it('default ends: 1e-3 inside an end where alpha or sigma vanishes, rounding included', () => {
    expect(samplingInterval(getPath('vp-sde'))).toEqual({ tStart: 1, tEnd: 1e-3 });
    expect(samplingInterval(getPath('ve-sde'))).toEqual({ tStart: 1, tEnd: 0 }); // sigma(0) = 0.01
    // trig: alpha(1) = cos(pi/2) = 6e-17, not 0; starting there made f = dAlpha/alpha ~ -2.6e16.
    expect(samplingInterval(getPath('trig'))).toEqual({ tStart: 1 - 1e-3, tEnd: 1e-3 });
    const plan = planSampling({ target: 'gmm-1d-2', sampler: 'pf-ode-euler', path: 'trig', numSteps: 4 });
    expect([plan.times[0], plan.times[4]]).toEqual([1 - 1e-3, 1e-3]);
  });
});
