// exp for the softmax of a wasm kernel, on f64x2 lanes, emitted inline (no calls). The kernel's logits
// come pre-scaled by LOGIT_SCALE = N log2(e) (N = EXP2_TABLE_SIZE = 1024), so exp(l - max) = 2^(x/N) with
// x = l' - max l' <= 0:
//   x <- max(x, EXP2_CUTOFF),  m = nearest(x), g = x - m (exact, |g| <= 1/2),  m = N q + j (0 <= j < N)
//   2^(x/N) = s (1 + h(g)),  s = 2^q T[j],  T[j] = 2^(j/N) from an 8 KB table in the kernel's memory,
//   h(g) = e^(a g) - 1 (a = ln2/N) by a g + (a^2/2 + a^4/96) g^2 + (a^3/6) g^3: the degree-4 Taylor
//   polynomial with g^4 replaced by its Chebyshev economization g^2/4 - 1/128 on [-1/2, 1/2], the
//   constant dropped (truncation < a^4/24 (1/64) + a^5/120 < 1.4e-16 relative),
// evaluated as s + s h so that the rounding of h hardly matters. m by the shifter trick: t = x + 1.5 2^52
// rounds x to the nearest integer (ties to even) and holds m + 2^51 in its low mantissa bits, so
// m = t - 1.5 2^52 exactly and j = bits(t) & (N - 1). s without a multiply: the table holds
// bits(T[j]) - (j << 42), and bits(s) = that + (bits(t) << 42) = bits(T[j]) + (q << 52) (mod 2^64; the
// shift keeps m mod 2^22, and q >= -58 above the cutoff keeps s normal). The table is read by one
// load64_zero and one load64_lane per lane pair (wasm has no gather). Below the cutoff, and for NaN, the
// result is that of the cutoff, 2^(EXP2_CUTOFF/N) = e^EXP_CUTOFF (exp.ts returns 0 there): a softmax term
// that small weighs less than 2^-57 of the sum. Error: EXP2_ULP_BOUND (test/tensor/wasm-exp.test.ts, a
// million points).
import { EXP_CUTOFF } from './exp.js';
import { encodeModule, FunctionBuilder } from './wasm-encoder.js';

/** Entries N of the 2^(j/N) table. */
export const EXP2_TABLE_SIZE = 1024;
/** The kernel's logits are multiplied by this: x = LOGIT_SCALE l, exp(l) = 2^(x / EXP2_TABLE_SIZE). */
export const LOGIT_SCALE = EXP2_TABLE_SIZE * Math.LOG2E;
/** exp.ts's cutoff in the kernel's units. */
export const EXP2_CUTOFF = EXP_CUTOFF * LOGIT_SCALE;
/**
 * The error bound in ulps of Math.pow(2, x / EXP2_TABLE_SIZE), measured at 2^20 points x of [EXP2_CUTOFF, 0]
 * (uniform and log-uniform in |x|): 3 ulp. Neither side is correctly rounded: the table's entries are
 * 2 ** (j / 1024) as V8 computes them.
 */
export const EXP2_ULP_BOUND = 3;

const LOG2_BITS = Math.log2(EXP2_TABLE_SIZE);
const A = Math.LN2 / EXP2_TABLE_SIZE;
/** h(g) = C[0] g + C[1] g^2 + C[2] g^3 (the economized Taylor polynomial of the header). */
const C = [A, A ** 2 / 2 + A ** 4 / 96, A ** 3 / 6];
const SHIFTER = 1.5 * 2 ** 52;
/** bits(t) << Q_SHIFT puts bit LOG2_BITS of t (the lowest bit of q) at the exponent's lowest bit, 52. */
const Q_SHIFT = 52 - LOG2_BITS;

let entries: Float64Array | undefined;

/** The table, entry j holding bits(2^(j/N)) - (j << 42), made once per thread. */
function exp2Entries(): Float64Array {
  if (entries) return entries;
  entries = new Float64Array(EXP2_TABLE_SIZE);
  // j << 42 lies in the high 32-bit word (little-endian: word 2 j + 1); subtracting it there is the
  // 64-bit subtraction (the low word loses nothing, so nothing borrows).
  const words = new Int32Array(entries.buffer);
  for (let j = 0; j < EXP2_TABLE_SIZE; j++) {
    entries[j] = 2 ** (j / EXP2_TABLE_SIZE);
    words[2 * j + 1] -= j << (Q_SHIFT - 32);
  }
  return entries;
}

/** Write the table at byte address `at` of a kernel's memory. */
export function writeExp2Table(memory: ArrayBuffer, at: number): void {
  new Float64Array(memory, at, EXP2_TABLE_SIZE).set(exp2Entries());
}

/**
 * Append code setting v128 local `out` to 2^(x/N) of v128 local `x` (lanewise), reading the table at
 * byte address `table`; uses scratch locals `${out}_*`.
 */
export function emitExp2(f: FunctionBuilder, out: string, x: string, table: number): void {
  const c = f.local(`${out}_c`, 'v128');
  const t = f.local(`${out}_t`, 'v128');
  const g = f.local(`${out}_g`, 'v128');
  const s = f.local(`${out}_s`, 'v128');
  f.f64x2(EXP2_CUTOFF).get(x).simd('f64x2.pmax').tee(c);
  f.f64x2(SHIFTER).simd('f64x2.add').tee(t);
  f.f64x2(SHIFTER).simd('f64x2.sub').set(g);
  f.get(c).get(g).simd('f64x2.sub').set(g);
  // The table entry per lane: j is the low bits of i32 lanes 0 and 2 of t, masked and scaled to a byte
  // offset in scalar registers (the vector units are the busier), read by a zero-extending load and a
  // lane load.
  const entry = (lane: number) =>
    f
      .get(t)
      .simd('i32x4.extract_lane', lane)
      .i32(EXP2_TABLE_SIZE - 1)
      .op('i32.and')
      .i32(3)
      .op('i32.shl');
  entry(2);
  entry(0).simd('v128.load64_zero', table);
  f.simd('v128.load64_lane', table, 1);
  // s = 2^q T[j]: the entry's bits plus bits(t) << 42.
  f.get(t).i32(Q_SHIFT).simd('i64x2.shl').simd('i64x2.add').set(s);
  // s + s h(g), h by Horner: g (C0 + g (C1 + g C2))
  f.get(s).get(s);
  f.f64x2(C[2]);
  for (let i = 1; i >= 0; i--) f.get(g).simd('f64x2.mul').f64x2(C[i]).simd('f64x2.add');
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
