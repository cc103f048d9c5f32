import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { resolveBackend, BACKENDS } from '../../src/tensor/index.js';
import { runOnBackend } from '../../src/tensor/backends.js';
import { planSampling, sample } from '../../src/samplers/index.js';
import { InputError } from '../../src/core/errors.js';
import { asMixture, getTarget } from '../../src/targets/index.js';
import { pathPoint } from '../../src/params/index.js';
import { getPath } from '../../src/schedules/index.js';

const missing = async (spec: string) => {
  throw new Error(`Cannot find package '${spec}'`);
};
const installed = async () => ({});

describe('backend selection', () => {
  it('defaults to wasm-simd when its self-check passes, else js; to tfjs-node-gpu when installed', async () => {
    expect(await resolveBackend(undefined, missing)).toBe('wasm-simd');
    expect(await resolveBackend('auto', missing)).toBe('wasm-simd');
    const broken = () => false;
    expect(await resolveBackend(undefined, missing, broken)).toBe('js');
    expect(await resolveBackend('auto', missing, broken)).toBe('js');
    await expect(resolveBackend('wasm-simd', missing, broken)).rejects.toThrow(/failed its self-check/);
    expect(await resolveBackend(undefined, installed)).toBe('tfjs-node-gpu');
  });
  it('honours an explicit choice and rejects unknown names', async () => {
    for (const b of ['js', 'wasm-simd', 'tfjs-wasm', 'tfjs-cpu'])
      expect(await resolveBackend(b, missing)).toBe(b);
    expect(await resolveBackend('tfjs-node', installed)).toBe('tfjs-node');
    await expect(resolveBackend('cuda', missing)).rejects.toThrow(
      /unknown backend 'cuda' \(known: auto, js, wasm-simd, tfjs-wasm/,
    );
    expect(BACKENDS).toContain('tfjs-node-gpu');
  });
  it('says how to install a missing optional backend', async () => {
    await expect(resolveBackend('tfjs-node', missing)).rejects.toThrow(InputError);
    await expect(resolveBackend('tfjs-node-gpu', missing)).rejects.toThrow(
      /needs the optional package @tensorflow\/tfjs-node-gpu, which is not installed \(npm install @tensorflow\/tfjs-node-gpu; its install downloads libtensorflow with CUDA\)/,
    );
  });
  it('really is missing here: the real loader reports tfjs-node as not installed', async () => {
    await expect(resolveBackend('tfjs-node')).rejects.toThrow(/not installed/);
  });
});

describe('backends agree', () => {
  it('js: the same samples for 1 and 2 worker threads (per-block RNG streams), and reruns are identical', async () => {
    const opts = { target: 'gmm-2d-8', sampler: 'reverse-sde-em', numSteps: 40, n: 5000, seed: 3, backend: 'js' } as const; // prettier-ignore
    const one = await sample({ ...opts, threads: 1 });
    const two = await sample({ ...opts, threads: 2 });
    const again = await sample({ ...opts, threads: 1 });
    expect(two.threads).toBe(2);
    expect(two.samples).toEqual(one.samples);
    expect(again.samples).toEqual(one.samples);
    const other = await sample({ ...opts, seed: 4, threads: 1 });
    expect(other.samples[0]).not.toBe(one.samples[0]);
  });

  it('js fused kernel = the same program with the exact denoiser as a plain JS model function', async () => {
    const m = asMixture(getTarget('gmm-2d-8'));
    const path = getPath('vp-sde');
    // The exact posterior mean via GaussianMixture.fieldsAt, point by point: an independent implementation.
    const fn = (x: Float64Array, n: number, d: number, t: number, out: Float64Array) => {
      const c = pathPoint(path, t);
      for (let i = 0; i < n; i++) out.set(m.fieldsAt(x.subarray(i * d, (i + 1) * d), c).data, i * d);
    };
    const opts = { target: m, sampler: 'pf-ode-heun', numSteps: 20, n: 3000, seed: 5, threads: 1, backend: 'js' } as const; // prettier-ignore
    const fused = await sample(opts);
    const plain = await sample({ ...opts, model: { output: 'data', fn } });
    for (let i = 0; i < fused.samples.length; i++) expect(fused.samples[i]).toBeCloseTo(plain.samples[i], 9);
    // And a score-output model through the conversion layer gives the same samples too.
    const scoreFn = (x: Float64Array, n: number, d: number, t: number, out: Float64Array) => {
      const c = pathPoint(path, t);
      for (let i = 0; i < n; i++) out.set(m.fieldsAt(x.subarray(i * d, (i + 1) * d), c).score, i * d);
    };
    const viaScore = await sample({ ...opts, model: { output: 'score', fn: scoreFn } });
    for (let i = 0; i < fused.samples.length; i += 97)
      expect(viaScore.samples[i]).toBeCloseTo(fused.samples[i], 8);
  });

  for (const backend of ['js', 'wasm-simd'] as const)
    it(`${backend}: the diagonal-covariance kernel matches the exact fields (anisotropic target)`, async () => {
      const target = asMixture(getTarget('gaussian-2d-aniso'));
      const path = getPath('vp-sde');
      const fn = (x: Float64Array, n: number, d: number, t: number, out: Float64Array) => {
        for (let i = 0; i < n; i++)
          out.set(target.fieldsAt(x.subarray(i * d, (i + 1) * d), pathPoint(path, t)).eps, i * d);
      };
      // Both from the same initial states (wasm-simd would draw its own in sample()).
      const opts = { target, sampler: 'ddim', eta: 0, path: 'vp-sde', numSteps: 10 } as const;
      const fusedPlan = planSampling(opts);
      const plainPlan = planSampling({ ...opts, model: { output: 'eps', fn } });
      const n = 2000;
      const x = new Float64Array(n * 2);
      target.sampleInto(x, 0, n, new Rng(2, 0), fusedPlan.start.alpha, fusedPlan.start.sigma);
      const { weights, means, variances } = target;
      const mixture = { kind: 'mixture', d: 2, weights, means, variances } as const;
      const run = { n, d: 2, seed: 2, threads: 1 };
      const fused = await runOnBackend(backend, {
        ...run,
        program: fusedPlan.program,
        model: mixture,
        x: x.slice(),
      });
      const plain = await runOnBackend('js', {
        ...run,
        program: plainPlan.program,
        model: { kind: 'js', fn },
        x: x.slice(),
      });
      expect(fused.ranOn).toBeUndefined();
      for (let i = 0; i < fused.samples.length; i += 13)
        expect(fused.samples[i]).toBeCloseTo(plain.samples[i], 8);
    });

  for (const backend of ['tfjs-cpu', 'tfjs-wasm'] as const) {
    it(`${backend} (float32) gives the js samples particle by particle, for an ODE and an SDE`, async () => {
      for (const sampler of ['pf-ode-heun', 'reverse-sde-em']) {
        const opts = { target: 'gmm-2d-8', sampler, numSteps: 30, n: 2000, seed: 9 } as const;
        const js = await sample({ ...opts, backend: 'js', threads: 1 });
        const tf = await sample({ ...opts, backend });
        expect(tf.backend).toBe(backend);
        let maxDiff = 0;
        for (let i = 0; i < js.samples.length; i++)
          maxDiff = Math.max(maxDiff, Math.abs(js.samples[i] - tf.samples[i]));
        // float32 rounding through 30 steps of a contracting flow: well below the target's scale (sd 0.3).
        expect(maxDiff).toBeLessThan(5e-3);
        expect(maxDiff).toBeGreaterThan(0); // really a different arithmetic
      }
    });
  }
});

describe('kernel exp', () => {
  it('expNonPositive is within 3 ulp-level relative error of Math.exp on [-40, 0] and 0 below', async () => {
    const { expNonPositive, EXP_CUTOFF } = await import('../../src/tensor/exp.js');
    let maxRel = 0;
    for (let i = 0; i < 400_000; i++) {
      const x = (EXP_CUTOFF * i) / 400_000;
      maxRel = Math.max(maxRel, Math.abs(expNonPositive(x) - Math.exp(x)) / Math.exp(x));
    }
    expect(maxRel).toBeLessThan(6e-16);
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-40.5)).toBe(0);
    expect(expNonPositive(-Math.LN2)).toBe(0.5);
  });
});
