// exp for the softmax of a wasm kernel, on f64x2 lanes, emitted inline (no calls). The kernel's logits
// come pre-scaled by LOGIT_SCALE = 256 log2(e), so exp(l - max) = 2^(x/256) with x = l' - max l' <= 0:
//   x <- max(x, EXP2_CUTOFF),  m = nearest(x), g = x - m (exact, |g| <= 1/2),  m = 256 q + j (0 <= j < 256)
//   2^(x/256) = s (1 + h(g)),  s = 2^q T[j],  T[j] = 2^(j/256) from a 2 KB table in the kernel's memory,
//   h(g) = e^(g ln2/256) - 1 by its degree-4 Taylor polynomial (truncation (ln2/512)^5/120 < 4e-17),
// evaluated as s + s h so that the rounding of h hardly matters. m by the shifter trick: t = x + 1.5 2^52
// rounds x to the nearest integer (ties to even) and holds m + 2^51 in its low mantissa bits, so
// m = t - 1.5 2^52 exactly and j = bits(t) & 255. s without a multiply: the table holds
// bits(T[j]) - (j << 44), and bits(s) = that + (bits(t) << 44) = bits(T[j]) + (q << 52) (mod 2^64; the
// shift keeps m mod 2^20, and q >= -58 above the cutoff keeps s normal). The table is read by two scalar
// loads per lane pair (wasm has no gather). Below the cutoff, and for NaN, the result is that of the
// cutoff, 2^(EXP2_CUTOFF/256) = e^EXP_CUTOFF (exp.ts returns 0 there): a softmax term that small weighs
// less than 2^-57 of the sum. Error: EXP2_ULP_BOUND (test/tensor/wasm-exp.test.ts, a million points).
import { EXP_CUTOFF } from './exp.js';
import { encodeModule, FunctionBuilder } from './wasm-encoder.js';

/** Entries of the 2^(j/256) table. */
export const EXP2_TABLE_SIZE = 256;
/** The kernel's logits are multiplied by this: x = LOGIT_SCALE l, exp(l) = 2^(x / 256). */
export const LOGIT_SCALE = EXP2_TABLE_SIZE * Math.LOG2E;
/** exp.ts's cutoff in the kernel's units. */
export const EXP2_CUTOFF = EXP_CUTOFF * LOGIT_SCALE;
/**
 * The error bound in ulps of Math.pow(2, x / 256), measured at 2^20 points x of [EXP2_CUTOFF, 0] (uniform
 * and log-uniform in |x|): 2 ulp. Neither side is correctly rounded: the table's entries are
 * 2 ** (j / 256) as V8 computes them (within 0.75 ulp of 2^(j/256); mpmath, 50 digits).
 */
export const EXP2_ULP_BOUND = 2;

const LOG2_BITS = Math.log2(EXP2_TABLE_SIZE);
/** h(g) = sum_i C[i] g^i, i = 1..4: the Taylor coefficients of e^(g ln2/256) - 1. */
const C = [1, 1 / 2, 1 / 6, 1 / 24].map((c, i) => c * (Math.LN2 / EXP2_TABLE_SIZE) ** (i + 1));
const SHIFTER = 1.5 * 2 ** 52;
/** bits(t) << Q_SHIFT puts bit LOG2_BITS of t (the lowest bit of q) at the exponent's lowest bit, 52. */
const Q_SHIFT = 52 - LOG2_BITS;

/** Write the table at byte address `at` of a kernel's memory: entry j holds bits(2^(j/256)) - (j << 44). */
export function writeExp2Table(memory: ArrayBuffer, at: number): void {
  const f = new Float64Array(memory, at, EXP2_TABLE_SIZE);
  const bits = new BigInt64Array(memory, at, EXP2_TABLE_SIZE);
  for (let j = 0; j < EXP2_TABLE_SIZE; j++) {
    f[j] = 2 ** (j / EXP2_TABLE_SIZE);
    bits[j] -= BigInt(j) << BigInt(Q_SHIFT);
  }
}

/**
 * Append code setting v128 local `out` to 2^(x/256) of v128 local `x` (lanewise), reading the table at
 * byte address `table`; uses scratch locals `${out}_*`.
 */
export function emitExp2(f: FunctionBuilder, out: string, x: string, table: number): void {
  const c = f.local(`${out}_c`, 'v128');
  const t = f.local(`${out}_t`, 'v128');
  const g = f.local(`${out}_g`, 'v128');
  const j = f.local(`${out}_j`, 'v128');
  const s = f.local(`${out}_s`, 'v128');
  f.f64x2(EXP2_CUTOFF).get(x).simd('f64x2.pmax').tee(c);
  f.f64x2(SHIFTER).simd('f64x2.add').tee(t);
  f.f64x2(SHIFTER).simd('f64x2.sub').set(g);
  f.get(c).get(g).simd('f64x2.sub').set(g);
  // The table entry per lane: j is in the low 32 bits of each 64-bit lane (i32 lanes 0 and 2).
  f.get(t)
    .i64x2(BigInt(EXP2_TABLE_SIZE - 1))
    .simd('v128.and')
    .set(j);
  f.get(j).simd('i32x4.extract_lane', 0).i32(3).op('i32.shl').op('f64.load', table).simd('f64x2.splat');
  f.get(j).simd('i32x4.extract_lane', 2).i32(3).op('i32.shl').op('f64.load', table);
  f.simd('f64x2.replace_lane', 1);
  // s = 2^q T[j]: the entry's bits plus bits(t) << 44.
  f.get(t).i32(Q_SHIFT).simd('i64x2.shl').simd('i64x2.add').set(s);
  // s + s h(g), h by Horner: g (C1 + g (C2 + g (C3 + g C4)))
  f.get(s).get(s);
  f.f64x2(C[3]);
  for (let i = 2; i >= 0; i--) f.get(g).simd('f64x2.mul').f64x2(C[i]).simd('f64x2.add');
  f.get(g).simd('f64x2.mul').simd('f64x2.mul').simd('f64x2.add').set(out);
}

/** Byte address of the data in exp2TestModule's memory (the table is at 0). */
export const EXP2_TEST_DATA = 8 * EXP2_TABLE_SIZE;

/**
 * A module exporting exp2(pairs): in place over `pairs` f64x2 at EXP2_TEST_DATA, with the table at 0
 * (written by writeExp2Table; for tests).
 */
export function exp2TestModule(pages: number): Uint8Array {
  const f = new FunctionBuilder([['pairs', 'i32']], null);
  f.local('ptr', 'i32');
  f.local('v', 'v128');
  f.local('e', 'v128');
  f.op('block').op('loop');
  f.get('pairs').op('i32.eqz').op('br_if', 1);
  f.get('ptr').simd('v128.load', EXP2_TEST_DATA).set('v');
  emitExp2(f, 'e', 'v', 0);
  f.get('ptr').get('e').simd('v128.store', EXP2_TEST_DATA);
  f.get('ptr').i32(16).op('i32.add').set('ptr');
  f.get('pairs').i32(-1).op('i32.add').set('pairs');
  f.op('br', 0).op('end').op('end');
  return encodeModule(pages, [['exp2', f]]);
}
