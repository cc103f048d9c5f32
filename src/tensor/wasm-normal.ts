// Vectorized exact standard normals for the wasm kernels: four xoshiro128++ streams in the i32x4 lanes
// (lane l of block stream (seed, b) is Rng(seed, b).split(l), so every lane is an independent stream of
// rng.ts's generator) feed a 1024-layer ziggurat (rng.ts's ZIG1024; Rng.normal keeps 256 layers). Per
// lane, two 32-bit words give the layer i = w0 & 1023, the sign (bit 10) and a 53-bit uniform u from
// w0 >>> 11 and w1 (disjoint bits); x = u X[i] (the same operations, so the same bits, as rng.ts's
// zigguratNormal with ZIG1024) is kept when x < X[i + 1]. A miss (measured 0.42-0.43% of draws, against
// 1.48-1.49% with 256 layers) is recorded as the pair (slot, layer) and finished by finish(), rng.ts's
// wedge test and redraw in wasm on the scalar stream split(5); the rare base-layer tail draws (about 5e-5
// of all draws) are finished in JS by rng.ts's tail method on split(4) (finishMisses). WasmKernel.drawNoise
// (d = 2, 1024 particles) measured 2.3 ns per normal (2.4 with the misses finished in JS, 3.3 with 256
// layers).
import { finishZigguratMiss, Rng, ZIG1024 } from '../core/rng.js';
import { FunctionBuilder } from './wasm-encoder.js';
import { emitExp2, LOGIT_SCALE } from './wasm-exp.js';

export const LANES = 4;

// The layer is bits 0-9 of w0, the sign bit 10.
const MASK = ZIG1024.layers - 1;
const SIGN = ZIG1024.layers;

/**
 * Most slots one normals() call may fill: d <= 8192 at BLOCK = 1024 particles. A miss record keeps the
 * slot in an i32 of its own, so this is the range the backend allows, not a limit of the encoding.
 */
export const MAX_SLOTS = 2 ** 23;

/** Bytes of the layer tables at NormalLayout.zig: X[0..1024], then F[0..1024] (f64). */
export const ZIG_TABLE_BYTES = 16 * ZIG1024.X.length;

/** Bytes of the generator states at NormalLayout.rng: the four lanes, then the scalar stream of finish(). */
export const RNG_BYTES = 80;

/** Bytes of one miss record: (slot, layer) as two i32. */
export const MISS_RECORD_BYTES = 8;

/** Byte addresses the generator uses: states (RNG_BYTES), layer tables, miss records, the exp2 table. */
export interface NormalLayout {
  rng: number;
  zig: number;
  misses: number;
  /** emitExp2's table (finish() evaluates the density with it). */
  exp2: number;
}

/**
 * normals(out, rows, iters, rowBytes) -> misses: fills rows of 4 * iters f64 at out + r * rowBytes;
 * a miss's slot is its f64 index from `out`.
 */
export function emitNormals(L: NormalLayout): FunctionBuilder {
  const f = new FunctionBuilder(
    [
      ['out', 'i32'],
      ['rows', 'i32'],
      ['iters', 'i32'],
      ['rowBytes', 'i32'],
    ],
    'i32',
  );
  const v = (n: string) => f.local(n, 'v128');
  const s = [v('s0'), v('s1'), v('s2'), v('s3')];
  for (const n of ['t', 'w0', 'w1', 'hi', 'sgn', 'u', 'xa', 'xb', 'na', 'nb']) v(n);
  for (const n of ['ptr', 'end', 'row', 'nm', 'rec', 'i0', 'i1', 'i2', 'i3']) f.local(n, 'i32');
  s.forEach((n, i) =>
    f
      .i32(L.rng)
      .simd('v128.load', 16 * i)
      .set(n),
  );
  const rotl = (name: string, r: number) =>
    f
      .get(name)
      .i32(r)
      .simd('i32x4.shl')
      .get(name)
      .i32(32 - r)
      .simd('i32x4.shr_u')
      .simd('v128.or');
  // One xoshiro128++ output per lane into `w`, then the state update.
  const next = (w: string) => {
    f.get('s0').get('s3').simd('i32x4.add').set('t');
    rotl('t', 7).get('s0').simd('i32x4.add').set(w);
    f.get('s1').i32(9).simd('i32x4.shl').set('t');
    f.get('s2').get('s0').simd('v128.xor').set('s2');
    f.get('s3').get('s1').simd('v128.xor').set('s3');
    f.get('s1').get('s2').simd('v128.xor').set('s1');
    f.get('s0').get('s3').simd('v128.xor').set('s0');
    f.get('s2').get('t').simd('v128.xor').set('s2');
    rotl('s3', 11).set('s3');
  };
  const HIGH = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
  // Lanes 2l, 2l+1 of an i32x4 as two f64 lanes (pair 0: lanes 0,1; pair 1: lanes 2,3).
  const toF64 = (name: string, pair: number) => {
    f.get(name);
    if (pair === 1) f.get(name).shuffle(HIGH);
    f.simd('f64x2.convert_low_i32x4_u');
  };
  // X[i] (offset 0) or X[i + 1] (offset 8) for the two lanes of a pair (a zero-extending load and a lane
  // load; the lanes' i hold byte offsets 8 i).
  const table = (pair: number, offset: number) => {
    f.get(`i${2 * pair + 1}`);
    f.get(`i${2 * pair}`).simd('v128.load64_zero', L.zig + offset);
    f.simd('v128.load64_lane', L.zig + offset, 1);
  };
  f.i32(0).set('nm').i32(0).set('row');
  f.op('block').op('loop');
  f.get('row').get('rows').op('i32.ge_u').op('br_if', 1);
  f.get('out').get('row').get('rowBytes').op('i32.mul').op('i32.add').tee('ptr');
  f.get('iters').i32(32).op('i32.mul').op('i32.add').set('end');
  f.op('block').op('loop');
  f.get('ptr').get('end').op('i32.ge_u').op('br_if', 1);
  next('w0');
  next('w1');
  // Each lane's layer as a byte offset 8 i into the table, masked and scaled in scalar registers.
  for (let l = 0; l < LANES; l++)
    f.get('w0').simd('i32x4.extract_lane', l).i32(MASK).op('i32.and').i32(3).op('i32.shl').set(`i${l}`);
  f.get('w0').i32(11).simd('i32x4.shr_u').set('hi');
  // Sign bit 10 of w0 moved to bit 31 of its i32 lane, then (shuffled) to bit 63 of an f64 lane.
  f.get('w0').i32(SIGN).simd('i32x4.splat').simd('v128.and').i32(21).simd('i32x4.shl').set('sgn');
  for (const pair of [0, 1]) {
    const x = pair === 0 ? 'xa' : 'xb';
    toF64('hi', pair);
    f.f64x2(4294967296).simd('f64x2.mul');
    toF64('w1', pair);
    f.simd('f64x2.add')
      .f64x2(2 ** -53)
      .simd('f64x2.mul');
    table(pair, 0);
    f.simd('f64x2.mul').set(x);
    table(pair, 8);
    f.set(pair === 0 ? 'na' : 'nb');
    f.get('ptr').get(x);
    const a = 4 * 2 * pair; // byte of the pair's first i32 lane in sgn
    f.get('sgn').f64x2(0).shuffle([16, 17, 18, 19, a, a + 1, a + 2, a + 3, 16, 17, 18, 19, a + 4, a + 5, a + 6, a + 7]); // prettier-ignore
    f.simd('v128.xor').simd('v128.store', 16 * pair);
  }
  f.get('xa').get('na').simd('f64x2.ge').get('xb').get('nb').simd('f64x2.ge').simd('v128.or');
  f.simd('v128.any_true').op('if');
  for (let l = 0; l < LANES; l++) {
    const [x, nx] = l < 2 ? ['xa', 'na'] : ['xb', 'nb'];
    f.get(x)
      .simd('f64x2.extract_lane', l % 2)
      .get(nx)
      .simd('f64x2.extract_lane', l % 2)
      .op('f64.ge');
    f.op('if');
    // Record nm: the slot (ptr - out) / 8 + l, then the layer.
    f.get('nm').i32(3).op('i32.shl').tee('rec');
    f.get('ptr').get('out').op('i32.sub').i32(3).op('i32.shr_u').i32(l).op('i32.add').op('i32.store', L.misses); // prettier-ignore
    f.get('rec')
      .get(`i${l}`)
      .i32(3)
      .op('i32.shr_u')
      .op('i32.store', L.misses + 4);
    f.get('nm').i32(1).op('i32.add').set('nm');
    f.op('end');
  }
  f.op('end');
  f.get('ptr').i32(32).op('i32.add').set('ptr');
  f.op('br', 0).op('end').op('end');
  f.get('row').i32(1).op('i32.add').set('row');
  f.op('br', 0).op('end').op('end');
  s.forEach((n, i) =>
    f
      .i32(L.rng)
      .get(n)
      .simd('v128.store', 16 * i),
  );
  f.get('nm');
  return f;
}

/**
 * finish(out, count) -> left: finishes the `count` miss records of normals() (slot, layer) in place in the
 * rows at `out`, as rng.ts's finishZigguratMiss does, with the scalar xoshiro128++ stream at L.rng + 64:
 * a draw in layer i > 0 is kept when a uniform height in [F[i], F[i+1]] falls under the density
 * e^(-x^2/2) (emitExp2, within EXP2_ULP_BOUND of it: a decision differs from the exact one only for a
 * height within a few ulps of the density), else replaced by a fresh ziggurat draw (rectangle test, then
 * the same steps). A draw in the base layer's tail (layer 0, 5.4% of its misses, about 5e-5 of all draws)
 * is left to finishMisses: its records are moved to the front, with its signed abscissa in its slot, and
 * their number returned. No JS runs per miss: the misses of a block cost its first steps no cold code.
 */
export function emitFinish(L: NormalLayout): FunctionBuilder {
  const f = new FunctionBuilder(
    [
      ['out', 'i32'],
      ['count', 'i32'],
    ],
    'i32',
  );
  for (const n of ['k', 'left', 'slot', 'layer', 'w0', 'w1', 'neg', 't', 'at']) f.local(n, 'i32');
  for (const n of ['x', 'u']) f.local(n, 'f64');
  f.local('e', 'v128');
  f.local('density', 'v128');
  const rng = scalarStream(f, L);
  const next = rng.next;
  const table = (offset: number) =>
    f
      .get('layer')
      .i32(3)
      .op('i32.shl')
      .op('f64.load', L.zig + offset);
  const F = 8 * ZIG1024.X.length;
  // out[slot] = neg ? -x : x
  const write = () => {
    f.get('at').get('x').op('f64.neg').get('x').get('neg').op('select').op('f64.store', 0);
  };
  f.op('block').op('loop');
  f.get('k').get('count').op('i32.ge_u').op('br_if', 1);
  f.get('k').i32(3).op('i32.shl').tee('t').op('i32.load', L.misses).set('slot');
  f.get('t')
    .op('i32.load', L.misses + 4)
    .set('layer');
  f.get('out').get('slot').i32(3).op('i32.shl').op('i32.add').set('at');
  f.get('at').op('f64.load', 0).set('x');
  f.get('x').f64(0).op('f64.lt').set('neg');
  f.get('x').op('f64.abs').set('x');
  f.op('block').op('loop');
  // The base layer's tail: recorded for finishMisses (with the signed abscissa in the slot).
  f.get('layer').op('i32.eqz').op('if');
  write();
  f.get('left').i32(3).op('i32.shl').tee('t').get('slot').op('i32.store', L.misses);
  f.get('t')
    .i32(0)
    .op('i32.store', L.misses + 4);
  f.get('left').i32(1).op('i32.add').set('left');
  f.op('br', 2).op('end');
  // The wedge: h = F[i] + u (F[i+1] - F[i]) < e^(-x^2/2), with u a 53-bit uniform as Rng.uniform.
  rng.uniform('u');
  table(F);
  f.get('u');
  table(F + 8);
  table(F);
  f.op('f64.sub').op('f64.mul').op('f64.add');
  f.get('x')
    .get('x')
    .op('f64.mul')
    .f64(-0.5 * LOGIT_SCALE)
    .op('f64.mul')
    .simd('f64x2.splat')
    .set('e');
  emitExp2(f, 'density', 'e', L.exp2);
  f.get('density').simd('f64x2.extract_lane', 0);
  f.op('f64.lt').op('if');
  write();
  f.op('br', 2).op('end');
  // Rejected: a fresh draw, as zigguratNormal (layer from bits 0-9, sign bit 10, uniform from the rest).
  next('w0');
  next('w1');
  f.get('w0').i32(MASK).op('i32.and').set('layer');
  f.get('w0').i32(SIGN).op('i32.and').set('neg');
  f.get('w0').i32(11).op('i32.shr_u').op('f64.convert_i32_u').f64(4294967296).op('f64.mul');
  f.get('w1')
    .op('f64.convert_i32_u')
    .op('f64.add')
    .f64(2 ** -53)
    .op('f64.mul');
  table(0);
  f.op('f64.mul').set('x');
  f.get('x');
  table(8);
  f.op('f64.lt').op('if');
  write();
  f.op('br', 2).op('end');
  f.op('br', 0).op('end').op('end');
  f.get('k').i32(1).op('i32.add').set('k');
  f.op('br', 0).op('end').op('end');
  rng.save();
  f.get('left');
  return f;
}

/**
 * The scalar xoshiro128++ stream at L.rng + 64 in locals of `f` (loaded where this is called; save()
 * stores it back): next(w) sets i32 local w to its next output, uniform(u) f64 local u to a 53-bit
 * uniform in [0, 1) made as Rng.uniform makes it.
 */
export function scalarStream(f: FunctionBuilder, L: NormalLayout) {
  const S = ['s0', 's1', 's2', 's3'].map((n) => f.local(`rng_${n}`, 'i32'));
  const [s0, s1, s2, s3] = S;
  const t = f.local('rng_t', 'i32');
  const w0 = f.local('rng_w0', 'i32');
  const w1 = f.local('rng_w1', 'i32');
  S.forEach((n, i) =>
    f
      .i32(L.rng + 64)
      .op('i32.load', 4 * i)
      .set(n),
  );
  const next = (w: string) => {
    f.get(s0).get(s3).op('i32.add').i32(7).op('i32.rotl').get(s0).op('i32.add').set(w);
    f.get(s1).i32(9).op('i32.shl').set(t);
    f.get(s2).get(s0).op('i32.xor').set(s2);
    f.get(s3).get(s1).op('i32.xor').set(s3);
    f.get(s1).get(s2).op('i32.xor').set(s1);
    f.get(s0).get(s3).op('i32.xor').set(s0);
    f.get(s2).get(t).op('i32.xor').set(s2);
    f.get(s3).i32(11).op('i32.rotl').set(s3);
  };
  return {
    next,
    uniform(u: string) {
      next(w0);
      next(w1);
      f.get(w0).i32(5).op('i32.shr_u').op('f64.convert_i32_u').f64(67108864).op('f64.mul');
      f.get(w1)
        .i32(6)
        .op('i32.shr_u')
        .op('f64.convert_i32_u')
        .op('f64.add')
        .f64(2 ** -53)
        .op('f64.mul')
        .set(u);
    },
    save: () =>
      S.forEach((n, i) =>
        f
          .i32(L.rng + 64)
          .get(n)
          .op('i32.store', 4 * i),
      ),
  };
}

/** Write the layer tables X and F into memory at L.zig. */
export function writeZigTable(memory: ArrayBuffer, L: NormalLayout): void {
  const X = new Float64Array(memory, L.zig, 2 * ZIG1024.X.length);
  X.set(ZIG1024.X);
  X.set(ZIG1024.F, ZIG1024.X.length);
}

/**
 * Key the four lanes with streams (seed, stream).split(0..3) and finish()'s scalar stream with split(5);
 * returns split(4), the stream for the tail draws finish() leaves to finishMisses.
 */
export function seedLanes(memory: ArrayBuffer, L: NormalLayout, seed: number, stream: number): Rng {
  const base = new Rng(seed, stream);
  const st = new Int32Array(memory, L.rng, RNG_BYTES / 4);
  for (let l = 0; l < LANES; l++) {
    const w = base.split(l).stateWords();
    for (let i = 0; i < 4; i++) st[i * LANES + l] = w[i];
  }
  st.set(base.split(LANES + 1).stateWords(), 4 * LANES);
  return base.split(LANES);
}

/**
 * Finish the first `count` misses of `records` (an Int32Array view at L.misses: slot, layer pairs) in
 * `out` (the f64 view at the generator's `out`).
 */
export function finishMisses(records: Int32Array, out: Float64Array, count: number, rng: Rng): void {
  for (let k = 0; k < 2 * count; k += 2) finishZigguratMiss(rng, ZIG1024, out, records[k], records[k + 1]);
}
