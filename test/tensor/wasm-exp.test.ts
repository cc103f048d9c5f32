import { describe, expect, it } from 'vitest';
import {
  EXP2_CUTOFF,
  EXP2_TABLE_SIZE,
  EXP2_TEST_DATA,
  EXP2_ULP_BOUND,
  exp2TestModule,
  writeExp2Table,
} from '../../src/tensor/wasm-exp.js';
import { compileModule, instantiate } from '../../src/tensor/wasm-encoder.js';

/** The vectorized 2^(x/N) applied to xs (an even number of points). */
function wasmExp2(xs: Float64Array): Float64Array {
  const pages = Math.ceil((EXP2_TEST_DATA + xs.length * 8) / 65536) + 1;
  const exports = instantiate(compileModule(exp2TestModule(pages)));
  writeExp2Table(exports.memory.buffer, 0);
  const mem = new Float64Array(exports.memory.buffer, EXP2_TEST_DATA, xs.length);
  mem.set(xs);
  (exports.exp2 as (pairs: number) => void)(xs.length / 2);
  return mem.slice();
}

/** The spacing of doubles at y > 0 (one ulp). */
function ulp(y: number): number {
  const e = Math.floor(Math.log2(y));
  const u = 2 ** (e - 52);
  return y >= 2 ** (e + 1) ? 2 * u : y < 2 ** e ? u / 2 : u;
}

describe('vectorized exp of the wasm kernels (2^(x/N))', () => {
  it(`is within ${EXP2_ULP_BOUND} ulp of Math.pow(2, x / N) at a million points of [EXP2_CUTOFF, 0]`, () => {
    const n = 1 << 20;
    const xs = new Float64Array(n);
    let seed = 12345;
    const uniform = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
    for (let i = 0; i < n; i++) {
      // Half uniform over the range, half log-uniform in |x| in [1e-300, |EXP2_CUTOFF|] (the reduction near
      // 0, and every table entry and sign of g).
      xs[i] =
        i % 2 ? EXP2_CUTOFF * uniform() : -(10 ** (-300 + (300 + Math.log10(-EXP2_CUTOFF)) * uniform()));
    }
    const N = EXP2_TABLE_SIZE;
    const edges = [
      0,
      -0,
      -5e-324,
      EXP2_CUTOFF + 1e-9,
      -0.5,
      -1.5,
      -N + 0.5,
      -N,
      -N - 0.5,
      -10 * N - 0.5 - 1e-12,
    ];
    xs.set(edges);
    const ys = wasmExp2(xs);
    let worst = 0;
    let at = 0;
    for (let i = 0; i < n; i++) {
      if (!(xs[i] > EXP2_CUTOFF)) continue;
      const e = 2 ** (xs[i] / EXP2_TABLE_SIZE);
      const err = Math.abs(ys[i] - e) / ulp(e);
      if (err > worst) [worst, at] = [err, xs[i]];
    }
    console.log(
      `wasm exp: max error ${worst} ulp vs Math.pow(2, x / N) over [${EXP2_CUTOFF}, 0] (at x = ${at})`,
    );
    expect(worst).toBeLessThanOrEqual(EXP2_ULP_BOUND);
    expect(ys[0]).toBe(1);
    expect(ys[7]).toBe(0.5);
  });

  it('gives the cutoff`s value e^-40 (< 2^-57) at and below the cutoff, for -Infinity and NaN', () => {
    const ys = wasmExp2(Float64Array.of(EXP2_CUTOFF, EXP2_CUTOFF - 1e-9, -1e6, -1e300, -Infinity, NaN));
    const floor = 2 ** (EXP2_CUTOFF / EXP2_TABLE_SIZE);
    expect(floor).toBeCloseTo(Math.exp(-40), 30);
    expect(floor).toBeLessThan(2 ** -57);
    for (const y of ys) expect(Math.abs(y - floor)).toBeLessThanOrEqual(EXP2_ULP_BOUND * ulp(floor));
  });
});
