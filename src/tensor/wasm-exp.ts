// exp(x) for x <= 0 on f64x2 lanes, emitted inline into a wasm kernel (no table, no lane extraction):
//   k = nearest(x / ln2), r = (x - k ln2_hi) - k ln2_lo   (Cody-Waite, fdlibm's split: k ln2_hi is exact)
//   exp(x) = 2^k p(r),  p = the degree-13 Taylor polynomial of exp by Horner, |r| <= ln2/2
// (truncation r^14/14! e^|r| < 5e-18 relative, 0.02 ulp). k by the shifter trick: t = x / ln2 + 1.5 2^52
// rounds x / ln2 to the nearest integer (ties to even) and holds k + 2^51 in its low mantissa bits, so
// k = t - 1.5 2^52 exactly and bits(2^k) = (bits(t) << 52) + bits(1.0) (the shift keeps k mod 2^12). Like exp.ts it returns 0 for x <= EXP_CUTOFF (and for NaN): a softmax term that
// small weighs less than 2^-57 of the sum. Error against Math.exp over [EXP_CUTOFF, 0]: EXP_ULP_BOUND
// (test/tensor/wasm-exp.test.ts checks it at a million points).
import { EXP_CUTOFF } from './exp.js';
import { encodeModule, FunctionBuilder } from './wasm-encoder.js';

export { EXP_CUTOFF };
/**
 * The error bound in ulps of Math.exp's result over [EXP_CUTOFF, 0]: the measured maximum at 2^20 points
 * (uniform and log-uniform in |x|) is 1 ulp, i.e. the result is Math.exp's or a neighbouring double.
 */
export const EXP_ULP_BOUND = 1;

const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const DEGREE = 13;
const ONE_BITS = 0x3ff0000000000000n;
const SHIFTER = 1.5 * 2 ** 52;

/** Append code setting v128 local `out` to exp of v128 local `x` (lanewise); uses scratch locals `${out}_*`. */
export function emitExp(f: FunctionBuilder, out: string, x: string): void {
  const t = f.local(`${out}_t`, 'v128');
  const k = f.local(`${out}_k`, 'v128');
  const r = f.local(`${out}_r`, 'v128');
  f.get(x)
    .f64x2(1 / Math.LN2)
    .simd('f64x2.mul')
    .f64x2(SHIFTER)
    .simd('f64x2.add')
    .tee(t);
  f.f64x2(SHIFTER).simd('f64x2.sub').set(k);
  f.get(x).get(k).f64x2(LN2_HI).simd('f64x2.mul').simd('f64x2.sub');
  f.get(k).f64x2(LN2_LO).simd('f64x2.mul').simd('f64x2.sub').set(r);
  // Horner: c13; then (acc * r + c_i) down to c_0 = 1, with c_i = 1/i!.
  let fact = 1;
  const coef: number[] = [1];
  for (let i = 1; i <= DEGREE; i++) coef.push(1 / (fact *= i));
  f.f64x2(coef[DEGREE]);
  for (let i = DEGREE - 1; i >= 0; i--) f.get(r).simd('f64x2.mul').f64x2(coef[i]).simd('f64x2.add');
  // 2^k (lanes with x <= EXP_CUTOFF or NaN are masked below).
  f.get(t).i32(52).simd('i64x2.shl').i64x2(ONE_BITS).simd('i64x2.add');
  f.simd('f64x2.mul');
  f.get(x).f64x2(EXP_CUTOFF).simd('f64x2.gt').simd('v128.and').set(out);
}

/** A module exporting exp(ptr, pairs): in place over `pairs` f64x2 at byte address ptr (for tests). */
export function expTestModule(pages: number): Uint8Array {
  const f = new FunctionBuilder(
    [
      ['ptr', 'i32'],
      ['pairs', 'i32'],
    ],
    null,
  );
  f.local('v', 'v128');
  f.local('e', 'v128');
  f.op('block').op('loop');
  f.get('pairs').op('i32.eqz').op('br_if', 1);
  f.get('ptr').simd('v128.load').set('v');
  emitExp(f, 'e', 'v');
  f.get('ptr').get('e').simd('v128.store');
  f.get('ptr').i32(16).op('i32.add').set('ptr');
  f.get('pairs').i32(-1).op('i32.add').set('pairs');
  f.op('br', 0).op('end').op('end');
  return encodeModule(pages, [['exp', f]]);
}
