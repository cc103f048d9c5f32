import { describe, expect, it } from 'vitest';
import { EXP2_CUTOFF, EXP2_ULP_BOUND, exp2TestModule } from '../../src/tensor/wasm-exp.js';
import { compileModule, instantiate } from '../../src/tensor/wasm-encoder.js';

/** The vectorized 2^x applied to xs (an even number of points). */
function wasmExp2(xs: Float64Array): Float64Array {
  const exports = instantiate(compileModule(exp2TestModule(Math.ceil((xs.length * 8) / 65536) + 1)));
  const mem = new Float64Array(exports.memory.buffer, 0, xs.length);
  mem.set(xs);
  (exports.exp2 as (ptr: number, pairs: number) => void)(0, xs.length / 2);
  return mem.slice();
}

/** The spacing of doubles at y > 0 (one ulp). */
function ulp(y: number): number {
  const e = Math.floor(Math.log2(y));
  const u = 2 ** (e - 52);
  return y >= 2 ** (e + 1) ? 2 * u : y < 2 ** e ? u / 2 : u;
}

describe('vectorized 2^x (wasm-exp)', () => {
  it(`is within ${EXP2_ULP_BOUND} ulp of Math.pow(2, x) at a million points of [EXP2_CUTOFF, 0]`, () => {
    const n = 1 << 20;
    const xs = new Float64Array(n);
    let seed = 12345;
    const uniform = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
    for (let i = 0; i < n; i++) {
      // Half uniform over the range, half log-uniform in |x| in [1e-300, 57.7] (the reduction near 0 and
      // near odd multiples of 1/2 where f changes sign).
      xs[i] = i % 2 ? EXP2_CUTOFF * uniform() : -(10 ** (-300 + 301.76 * uniform()));
    }
    const edges = [0, -0, -5e-324, EXP2_CUTOFF + 1e-12, -0.5, -1, -1.5, -10.5 - 1e-14, -20.5 + 1e-14];
    xs.set(edges);
    const ys = wasmExp2(xs);
    let worst = 0;
    let at = 0;
    for (let i = 0; i < n; i++) {
      if (!(xs[i] > EXP2_CUTOFF)) continue;
      const e = 2 ** xs[i];
      const err = Math.abs(ys[i] - e) / ulp(e);
      if (err > worst) [worst, at] = [err, xs[i]];
    }
    console.log(`wasm 2^x: max error ${worst} ulp vs Math.pow(2, x) over [${EXP2_CUTOFF}, 0] (at x = ${at})`);
    expect(worst).toBeLessThanOrEqual(EXP2_ULP_BOUND);
    expect(ys[0]).toBe(1);
  });

  it('returns 0 at and below the cutoff, for -Infinity and NaN (as exp.ts)', () => {
    const ys = wasmExp2(Float64Array.of(EXP2_CUTOFF, EXP2_CUTOFF - 1e-9, -1075, -1e300, -Infinity, NaN));
    expect([...ys]).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
