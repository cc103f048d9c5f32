import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { ksTwoSample } from '../../src/stats/ks.js';
import { planSampling, sample, SAMPLERS } from '../../src/samplers/index.js';
import { asMixture, GaussianMixture, getTarget } from '../../src/targets/index.js';
import { getPath } from '../../src/schedules/index.js';
import {
  compileWasmKernel,
  fitsWasmKernel,
  kernelAgrees,
  MAX_MEMORY,
  maxRelDiff,
  runWasm,
  stepBoth,
  wasmSimdWorks,
} from '../../src/tensor/wasm-backend.js';
import { runJs } from '../../src/tensor/js-backend.js';
import { kernelLayout } from '../../src/tensor/wasm-kernel.js';
import { kernelShape } from '../../src/tensor/mixture-kernel.js';
import type { MixtureModel } from '../../src/tensor/program.js';

const asModel = (name: string): MixtureModel => {
  const m = asMixture(getTarget(name));
  return { kind: 'mixture', d: m.d, weights: m.weights, means: m.means, variances: m.variances };
};

// A diagonal-covariance mixture (the kernel's other code path): 5 components in d dimensions.
function diagonalModel(d: number): MixtureModel {
  const rng = new Rng(99, d);
  return {
    kind: 'mixture',
    d,
    weights: Float64Array.of(0.1, 0.2, 0.3, 0.25, 0.15),
    means: Float64Array.from({ length: 5 * d }, () => 3 * rng.normal()),
    variances: Float64Array.from({ length: 5 * d }, () => 0.05 + rng.uniform()),
  };
}

// An isotropic mixture with one variance per component (the kernel's general isotropic code path).
function isotropicModel(d: number): MixtureModel {
  const rng = new Rng(98, d);
  const variances = [0.1, 0.4, 0.9, 2].flatMap((v) => new Array(d).fill(v));
  return {
    kind: 'mixture',
    d,
    weights: Float64Array.of(0.4, 0.1, 0.3, 0.2),
    means: Float64Array.from({ length: 4 * d }, () => 3 * rng.normal()),
    variances: Float64Array.from(variances),
  };
}

// The three code paths of the kernel (one variance shared by all, isotropic per component, diagonal),
// each with its sums over components kept in registers (d <= 4) and over stored weights (wider).
const models: [string, MixtureModel][] = [
  ['gmm-2d-8 (one shared variance)', asModel('gmm-2d-8')],
  ['gmm-16d-8 (one shared variance)', asModel('gmm-16d-8')],
  ['4 components, d = 2, isotropic', isotropicModel(2)],
  ['4 components, d = 7, isotropic', isotropicModel(7)],
  ['5 components, d = 3, diagonal', diagonalModel(3)],
  ['5 components, d = 7, diagonal', diagonalModel(7)],
];

describe('wasm-simd kernel = the JS reference kernel, step by step, on the same normal draws', () => {
  it('passes its self-check here (so automatic selection picks it)', () => {
    expect(wasmSimdWorks()).toBe(true);
  });

  for (const sampler of Object.keys(SAMPLERS)) {
    it(`${sampler}: 1e-13 relative per step on random states (each particle, max norm)`, () => {
      const rng = new Rng(2026, 1);
      let worst = 0;
      for (const [, model] of models) {
        const plan = planSampling({ target: 'gmm-2d-8', sampler, numSteps: 40 });
        const p = plan.program;
        for (const s of [0, 1, 13, 27, p.numSteps - 1]) {
          const count = 257; // an odd count: the padding lane of the last pair is exercised
          // States around the path's scale at step s, some far out (small responsibilities).
          const scale = 3 * Math.max(1, plan.program.evalAlpha[s * p.maxStages]);
          const x = Float64Array.from({ length: count * model.d }, () => scale * rng.normal());
          const z = Float64Array.from({ length: count * model.d }, () => rng.normal());
          const { js, wasm } = stepBoth(model, p, s, x, z);
          expect(wasm.every(Number.isFinite)).toBe(true);
          worst = Math.max(worst, maxRelDiff(js, wasm, model.d));
        }
      }
      console.log(`${sampler}: max relative difference per step ${worst.toExponential(2)}`);
      expect(worst).toBeLessThan(1e-13);
    });
  }

  it('the check before a kernel first runs (kernelAgrees) passes on every code path, and fails on a wrong kernel', () => {
    const rng = new Rng(7, 7);
    for (const [, model] of models) {
      for (const sampler of ['reverse-sde-em', 'pf-ode-heun']) {
        const p = planSampling({ target: 'gmm-2d-8', sampler, numSteps: 25 }).program;
        const x = Float64Array.from({ length: 40 * model.d }, () => 2 * rng.normal());
        const compiled = compileWasmKernel(model, p);
        expect(kernelAgrees(model, p, compiled, x)).toBe(true);
        // A kernel gone wrong: one coefficient of its last step off by 1e-9 relative.
        const records = Float64Array.from(compiled.records);
        const cx = records.length - records.length / p.numSteps + 2; // entry 1 (cx) of the last record, both lanes
        records[cx] *= 1 + 1e-9;
        records[cx + 1] *= 1 + 1e-9;
        expect(kernelAgrees(model, p, { ...compiled, records }, x)).toBe(false);
      }
    }
  });

  it('a large kernel (d = 64, K = 64: the wide sums over 64 components) agrees as well', () => {
    const rng = new Rng(64, 64);
    const d = 64;
    const K = 64;
    const model: MixtureModel = {
      kind: 'mixture',
      d,
      weights: Float64Array.from({ length: K }, () => 0.5 + rng.uniform()),
      means: Float64Array.from({ length: K * d }, () => 2 * rng.normal()),
      variances: new Float64Array(K * d).fill(0.25),
    };
    const p = planSampling({ target: 'gmm-2d-8', sampler: 'pf-ode-heun', numSteps: 10 }).program;
    const x = Float64Array.from({ length: 9 * d }, () => 2 * rng.normal());
    const { js, wasm } = stepBoth(model, p, 5, x, new Float64Array(9 * d));
    expect(maxRelDiff(js, wasm, d)).toBeLessThan(1e-13);
  });
});

describe('wasm-simd runs', () => {
  const opts = {
    target: 'gmm-2d-8',
    sampler: 'reverse-sde-em',
    numSteps: 30,
    n: 2 * 1024 + 3,
    seed: 3,
  } as const;

  it('is chosen automatically and recorded; the same samples for 1 and 2 threads and on a rerun', async () => {
    const one = await sample({ ...opts, threads: 1 });
    expect(one.backend).toBe('wasm-simd');
    const two = await sample({ ...opts, threads: 2 });
    expect(two.threads).toBe(2);
    expect(two.samples).toEqual(one.samples);
    expect((await sample({ ...opts, threads: 1 })).samples).toEqual(one.samples);
    expect((await sample({ ...opts, seed: 4, threads: 1 })).samples[0]).not.toBe(one.samples[0]);
  });

  it('keeps one copy of the states: sample() allocates them shared, a plain array is copied and written back', async () => {
    const r = await sample({ ...opts, threads: 2 });
    expect(r.samples.buffer).toBeInstanceOf(SharedArrayBuffer);
    const { program } = planSampling(opts);
    const model = asModel('gmm-2d-8');
    const start = Float64Array.from({ length: opts.n * 2 }, (_, i) => Math.sin(i));
    const run = (x: Float64Array) => runWasm({ program, model, n: opts.n, d: 2, x, seed: 5, threads: 2 });
    const plain = Float64Array.from(start);
    const onShared = new Float64Array(new SharedArrayBuffer(start.length * 8));
    onShared.set(start);
    expect((await run(plain)).samples).toBe(plain);
    expect((await run(onShared)).samples).toBe(onShared);
    expect(plain).toEqual(Float64Array.from(onShared));
    expect(plain[0]).not.toBe(start[0]);
  });

  it('a kernel over MAX_MEMORY (1 GiB: a long RK4 program) is refused, one just under it is not', () => {
    const model = asModel('gmm-2d-8');
    const program = planSampling({ target: 'gmm-2d-8', sampler: 'pf-ode-rk4', numSteps: 10 }).program;
    const bytesPerStep =
      kernelLayout(kernelShape(model, program), 2).bytes - kernelLayout(kernelShape(model, program), 1).bytes;
    const longest = Math.floor(
      (MAX_MEMORY - kernelLayout(kernelShape(model, program), 0).bytes) / bytesPerStep,
    );
    expect(fitsWasmKernel(model, { ...program, numSteps: longest })).toBe(true);
    expect(fitsWasmKernel(model, { ...program, numSteps: longest + 1 })).toBe(false);
  });

  it('a model whose block noise exceeds the generator (d > 8192) runs on the js backend and says so', async () => {
    const d = 8193;
    const target = new GaussianMixture('wide', {
      weights: [1],
      means: [new Array(d).fill(1)],
      variances: 0.25,
    });
    const r = await sample({
      target,
      sampler: 'reverse-sde-em',
      numSteps: 3,
      n: 2,
      seed: 1,
      backend: 'wasm-simd',
    });
    expect(r.backend).toBe('js');
    expect(r.samples.every(Number.isFinite)).toBe(true);
  });

  it('a plain JS model function runs on the js backend, and the result says so', async () => {
    const fn = (x: Float64Array, n: number, d: number, _t: number, out: Float64Array) => out.fill(0);
    const r = await sample({ ...opts, model: { output: 'data', fn } });
    expect(r.backend).toBe('js');
  });

  it('a deterministic sampler gives the js backend`s trajectory up to rounding, from the same states', async () => {
    const plan = planSampling({ ...opts, sampler: 'pf-ode-heun', numSteps: 50, trajectories: true });
    const { n, seed } = opts;
    const x = new Float64Array(n * 2);
    plan.target.sampleInto(x, 0, n, new Rng(seed, 0), plan.start.alpha, plan.start.sigma);
    const req = { program: plan.program, model: asModel('gmm-2d-8'), n, d: 2, seed };
    const js = await runJs({ ...req, x: x.slice() });
    const wasm = await runWasm({ ...req, x: x.slice() });
    expect(wasm.ranOn).toBeUndefined();
    expect(wasm.trajectories?.length).toBe(51 * n * 2);
    expect(maxRelDiff(js.trajectories!, wasm.trajectories!, 2)).toBeLessThan(1e-10);
    expect(maxRelDiff(js.samples, wasm.samples, 2)).toBeLessThan(1e-10);
  });

  it('draws the initial states block by block in wasm: the law sample() draws (KS), kept as state 0', async () => {
    // init 'exact' at the noise end, and 'prior' (alpha = 0), on the anisotropic target (per-coordinate sd).
    for (const [target, init] of [
      ['gmm-2d-8', 'exact'],
      ['gaussian-2d-aniso', 'exact'],
      ['gmm-2d-8', 'prior'],
    ] as const) {
      const run = { ...opts, target, init, n: 20000, numSteps: 2, trajectories: [0] };
      const wasm = await sample({ ...run, backend: 'wasm-simd' });
      const js = await sample({ ...run, backend: 'js' });
      expect(wasm.backend).toBe('wasm-simd');
      const start = (r: typeof wasm) => r.trajectories!.subarray(0, r.n * r.d);
      expect(start(wasm)).not.toEqual(start(js));
      for (const j of [0, 1]) {
        const coord = (s: Float64Array) => s.filter((_, i) => i % 2 === j);
        expect(ksTwoSample(coord(start(js)), coord(start(wasm)), 1e-3).pValue).toBeGreaterThan(1e-3);
      }
    }
  });

  it("draws each initial state's component by the weights, and its data and noise with their scales", async () => {
    // Components far apart (at t = 0.02, alpha ~ 1 and sigma ~ 0.14): each draw's component is readable.
    const weights = [0.6, 0.3, 0.1];
    const target = new GaussianMixture('three', { weights, means: [[-10], [0], [10]], variances: 0.01 });
    const n = 60001; // odd: the last block's padding lane is exercised
    const r = await sample({ target, sampler: 'pf-ode-euler', tStart: 0.02, tEnd: 0.01, numSteps: 1, n, seed: 8, trajectories: [0], backend: 'wasm-simd' }); // prettier-ignore
    expect(r.backend).toBe('wasm-simd');
    const path = getPath('vp-sde');
    const [alpha, sigma] = [path.alpha(r.times[0]), path.sigma(r.times[0])];
    const x0 = r.trajectories!.subarray(0, n);
    weights.forEach((w, k) => {
      const mu = alpha * 10 * (k - 1);
      const mine = x0.filter((x) => Math.abs(x - mu) < 5 * alpha);
      // The share of component k: binomial, 5 standard errors.
      expect(Math.abs(mine.length / n - w)).toBeLessThan(5 * Math.sqrt((w * (1 - w)) / n));
      // Its mean and variance: alpha mu_k and alpha^2 v + sigma^2 (5 standard errors).
      const v = alpha * alpha * 0.01 + sigma * sigma;
      const mean = mine.reduce((a, x) => a + x, 0) / mine.length;
      const variance = mine.reduce((a, x) => a + (x - mean) ** 2, 0) / mine.length;
      expect(Math.abs(mean - mu)).toBeLessThan(5 * Math.sqrt(v / mine.length));
      expect(Math.abs(variance / v - 1)).toBeLessThan(5 * Math.sqrt(2 / mine.length));
    });
  });

  it('a stochastic sampler gives the same law as the js backend (other draws; two-sample KS)', async () => {
    const sde = { ...opts, n: 20000, numSteps: 100, seed: 11 };
    const js = await sample({ ...sde, backend: 'js' });
    const wasm = await sample({ ...sde, backend: 'wasm-simd' });
    expect(wasm.samples).not.toEqual(js.samples);
    for (const j of [0, 1]) {
      const coord = (s: Float64Array) => s.filter((_, i) => i % 2 === j);
      expect(ksTwoSample(coord(js.samples), coord(wasm.samples), 1e-3).pValue).toBeGreaterThan(1e-3);
    }
  });
});
