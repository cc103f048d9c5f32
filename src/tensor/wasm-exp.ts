// 2^x for x <= 0 on f64x2 lanes, emitted inline into a wasm kernel (no table, no lane extraction, no
// multiply by ln 2: the kernel's logits come pre-scaled by log2(e), so exp(l - max) = 2^(l' - max')):
//   k = nearest(x), f = x - k (exact, |f| <= 1/2),  2^x = 2^k p(f)
// with p the degree-11 polynomial fitted to 2^f on [-1/2, 1/2] in Chebyshev nodes (mpmath, 50 digits;
// fit error 3e-18 relative, 0.02 ulp), evaluated by Horner. k by the shifter trick: t = x + 1.5 2^52
// rounds x to the nearest integer (ties to even) and holds k + 2^51 in its low mantissa bits, so
// k = t - 1.5 2^52 exactly and bits(2^k) = (bits(t) << 52) + bits(1.0) (the shift keeps k mod 2^12).
// Like exp.ts it returns 0 for x <= EXP2_CUTOFF (exp.ts's cutoff in base 2) and for NaN: a softmax term
// that small weighs less than 2^-57 of the sum. Error against Math.pow(2, x) over [EXP2_CUTOFF, 0]:
// EXP2_ULP_BOUND (test/tensor/wasm-exp.test.ts checks it at a million points).
import { EXP_CUTOFF } from './exp.js';
import { encodeModule, FunctionBuilder } from './wasm-encoder.js';

/** exp.ts's cutoff for exp(x), in base 2: exp(x) = 2^(x log2 e). */
export const EXP2_CUTOFF = EXP_CUTOFF * Math.LOG2E;
/**
 * The error bound in ulps of Math.pow(2, x)'s result over [EXP2_CUTOFF, 0]: the measured maximum at 2^20
 * points (uniform and log-uniform in |x|) is 2 ulp, of which Math.pow's own error is up to 0.9 (at the
 * worst point, x = -54.4875..., the result is 1.13 ulp from 2^x computed to 40 digits).
 */
export const EXP2_ULP_BOUND = 2;

/** p(f) ~ 2^f on [-1/2, 1/2], coefficients of f^0 .. f^11. */
const P = [
  1.0, 0.6931471805599453, 0.24022650695910158, 0.055504108664821625, 0.009618129107587256,
  0.001333355814640647, 0.00015403530463724353, 1.5252733841556773e-5, 1.3215432535912375e-6,
  1.0178057087733941e-7, 7.074194297288521e-9, 4.4558179083360645e-10,
];
const ONE_BITS = 0x3ff0000000000000n;
const SHIFTER = 1.5 * 2 ** 52;

/** Append code setting v128 local `out` to 2^x of v128 local `x` (lanewise); uses scratch locals `${out}_*`. */
export function emitExp2(f: FunctionBuilder, out: string, x: string): void {
  const t = f.local(`${out}_t`, 'v128');
  const r = f.local(`${out}_r`, 'v128');
  f.get(x).f64x2(SHIFTER).simd('f64x2.add').tee(t);
  f.f64x2(SHIFTER).simd('f64x2.sub');
  f.set(r);
  f.get(x).get(r).simd('f64x2.sub').set(r);
  f.f64x2(P[P.length - 1]);
  for (let i = P.length - 2; i >= 0; i--) f.get(r).simd('f64x2.mul').f64x2(P[i]).simd('f64x2.add');
  // 2^k (lanes with x <= EXP2_CUTOFF or NaN are masked below).
  f.get(t).i32(52).simd('i64x2.shl').i64x2(ONE_BITS).simd('i64x2.add');
  f.simd('f64x2.mul');
  f.get(x).f64x2(EXP2_CUTOFF).simd('f64x2.gt').simd('v128.and').set(out);
}

/** A module exporting exp2(ptr, pairs): in place over `pairs` f64x2 at byte address ptr (for tests). */
export function exp2TestModule(pages: number): Uint8Array {
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
  emitExp2(f, 'e', 'v');
  f.get('ptr').get('e').simd('v128.store');
  f.get('ptr').i32(16).op('i32.add').set('ptr');
  f.get('pairs').i32(-1).op('i32.add').set('pairs');
  f.op('br', 0).op('end').op('end');
  return encodeModule(pages, [['exp2', f]]);
}
