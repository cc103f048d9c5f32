// The seeded, splittable random number generator every random thing in flowproof uses.
//
// Streams are counter-based in their keying: `new Rng(seed, stream)` is a pure function of
// (seed, stream) (SplitMix64 mixes both into a 128-bit key), so shard k of a run, or particle block k of a
// sampler, gets its own independent reproducible stream no matter how work is split across threads.
// Inside a stream the generator is xoshiro128++ (Blackman & Vigna 2019; period 2^128 - 1, passes BigCrush),
// chosen because it needs only 32-bit integer ops, which V8 runs natively.
//
// Normals are exact (not Box-Muller with float shortcuts, not an approximation): the ziggurat of Marsaglia
// & Tsang (2000; 256 layers here, 1024 in the wasm generator) with Marsaglia's (1964) exact tail and,
// following Doornik (2005), the layer index and the abscissa taken from disjoint random bits (the original
// reused bits, which biases the output).
import { DomainError } from './errors.js';

const MASK64 = (1n << 64n) - 1n;
const GOLDEN = 0x9e3779b97f4a7c15n;

/** The SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijective 64-bit mixer. */
function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** Throw unless `seed` is an integer in [0, 2^53). */
export function checkSeed(fn: string, seed: number, name = 'seed'): number {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new DomainError(fn, name, seed, 'must be an integer in [0, 2^53)');
  }
  return seed;
}

/**
 * A ziggurat for the unnormalised density f(x) = exp(-x^2 / 2): `layers` layers of area V each, R the
 * right edge of the base layer. X[i] is the right edge of layer i (X[0] = V / f(R) is the base layer's
 * equivalent width, X[1] = R, X[i] = sqrt(-2 log(V / X[i-1] + f(X[i-1])))), X[layers] = 0; F[i] = f(X[i]).
 * `layers` is a power of 2 up to 1024: a draw's layer and sign bits (0 .. log2 layers) stay below the
 * uniform's bits 11-31 of the first word.
 */
export interface Ziggurat {
  readonly layers: number;
  readonly R: number;
  readonly V: number;
  readonly X: Float64Array;
  readonly F: Float64Array;
}

function ziggurat(layers: number, R: number, V: number): Ziggurat {
  const f = (x: number) => Math.exp(-0.5 * x * x);
  const X = new Float64Array(layers + 1);
  X[0] = V / f(R);
  X[1] = R;
  for (let i = 2; i < layers; i++) X[i] = Math.sqrt(-2 * Math.log(V / X[i - 1] + f(X[i - 1])));
  X[layers] = 0;
  return { layers, R, V, X, F: X.map(f) };
}

/** Marsaglia & Tsang's 256 layers (their R and V): Rng.normal and Rng.fillNormal. */
export const ZIG256 = ziggurat(256, 3.6541528853610088, 0.00492867323399);

/**
 * 1024 layers (the wasm generator, src/tensor/wasm-normal.ts): sum_i (1 - X[i+1] / X[i]) / layers = 0.43%
 * of draws miss their rectangle, against 1.49% with 256. R is the root of the closure condition (the top
 * layer's area X[1023] (1 - f(X[1023])) is V) with V = R f(R) + sqrt(pi / 2) erfc(R / sqrt 2), computed
 * offline with mpmath at 60 digits by bisection on R (R = 4.0388498461095045227..., V =
 * 0.0012263246463530880728...), rounded to double; the double recurrence closes to 1e-12 relative.
 */
export const ZIG1024 = ziggurat(1024, 4.038849846109504, 0.001226324646353088);

const TWO_M53 = 2 ** -53;

export class Rng {
  /** xoshiro128++ state s0..s3 (int32), never all zero. */
  private readonly st = new Int32Array(4);
  /** The key this stream was made from, recorded in results. */
  readonly seed: number;
  readonly stream: number;

  /** Stream `stream` (an integer >= 0) of seed `seed`. */
  constructor(seed: number, stream = 0) {
    checkSeed('Rng', seed);
    checkSeed('Rng', stream, 'stream');
    this.seed = seed;
    this.stream = stream;
    let state = mix64((mix64(BigInt(seed)) + GOLDEN * BigInt(stream + 1)) & MASK64);
    for (let i = 0; i < 4; i += 2) {
      state = (state + GOLDEN) & MASK64;
      const z = mix64(state);
      this.st[i] = Number(z & 0xffffffffn);
      this.st[i + 1] = Number(z >> 32n);
    }
    if ((this.st[0] | this.st[1] | this.st[2] | this.st[3]) === 0) this.st[0] = 1; // the one fixed point
  }

  /** An independent stream keyed by (seed, this stream, k), k < 2^32: for splitting work deterministically. */
  split(k: number): Rng {
    if (!Number.isInteger(k) || k < 0 || k >= 2 ** 32) {
      throw new DomainError('Rng.split', 'k', k, 'must be an integer in [0, 2^32)');
    }
    return new Rng(
      this.seed,
      Number(mix64((((BigInt(this.stream) << 32n) | BigInt(k)) + GOLDEN) & MASK64) >> 11n),
    );
  }

  /** A copy of the xoshiro128++ state words (to seed a vectorized generator with this stream). */
  stateWords(): Int32Array {
    return this.st.slice();
  }

  /** A uniform 32-bit unsigned integer (xoshiro128++). */
  nextUint32(): number {
    const st = this.st;
    const s0 = st[0];
    const s1 = st[1];
    const s2 = st[2] ^ s0;
    const s3 = st[3] ^ s1;
    const sum = (s0 + st[3]) | 0;
    st[1] = s1 ^ s2;
    st[0] = s0 ^ s3;
    st[2] = s2 ^ (s1 << 9);
    st[3] = (s3 << 11) | (s3 >>> 21);
    return (((sum << 7) | (sum >>> 25)) + s0) >>> 0;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) * TWO_M53;
  }

  /** A uniform integer in [0, n) for 1 <= n <= 2^32, without modulo bias (rejection above a multiple of n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) {
      throw new DomainError('Rng.int', 'n', n, 'must be an integer in [1, 2^32]');
    }
    const limit = Math.floor(2 ** 32 / n) * n;
    for (;;) {
      const w = this.nextUint32();
      if (w < limit) return w % n;
    }
  }

  /** An exact standard normal draw (the 256-layer ziggurat). */
  normal(): number {
    return zigguratNormal(this, ZIG256);
  }

  /**
   * Fill out[offset .. offset + count) with exact standard normal draws. Faster than repeated normal():
   * rectangle hits (98.5%) are taken in one tight loop; each miss keeps its own abscissa and layer and is
   * finished afterwards by the same wedge/tail test (a rejected one is redrawn afresh, which is what the
   * ziggurat's retry does), so every slot is still an exact, independent N(0, 1) draw.
   */
  fillNormal(out: Float64Array, offset = 0, count = out.length - offset): Float64Array {
    const chunk = Math.min(count, 1 << 22); // slot offsets within a chunk fit in 23 bits of a miss code
    if (this.misses.length < chunk) this.misses = new Int32Array(chunk);
    for (let begin = offset, end = offset + count; begin < end; begin += chunk) {
      const numMisses = fillRectangles(this.st, out, begin, Math.min(end, begin + chunk), this.misses);
      for (let k = 0; k < numMisses; k++)
        finishZigguratMiss(this, ZIG256, out, begin + (this.misses[k] >>> 8), this.misses[k] & 255);
    }
    return out;
  }

  /** Scratch for fillNormal: (slot << 8 | layer) of each rectangle miss. */
  private misses = new Int32Array(0);
}

// The ziggurat's rectangle test with the generator state held in locals: the hot loop of every stochastic
// sampler. A miss leaves its signed abscissa in out[j] and is recorded as (j - begin) << 8 | layer.
function fillRectangles(
  st: Int32Array,
  out: Float64Array,
  begin: number,
  end: number,
  misses: Int32Array,
): number {
  let s0 = st[0], s1 = st[1], s2 = st[2], s3 = st[3]; // prettier-ignore
  const X = ZIG256.X;
  let numMisses = 0;
  for (let j = begin; j < end; j++) {
    let sum = (s0 + s3) | 0;
    const w0 = (((sum << 7) | (sum >>> 25)) + s0) >>> 0;
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    sum = (s0 + s3) | 0;
    const w1 = (((sum << 7) | (sum >>> 25)) + s0) >>> 0;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const i = w0 & 255;
    const x = ((w0 >>> 11) * 4294967296 + w1) * TWO_M53 * X[i];
    out[j] = w0 & 256 ? -x : x;
    if (x >= X[i + 1]) misses[numMisses++] = ((j - begin) << 8) | i;
  }
  st[0] = s0;
  st[1] = s1;
  st[2] = s2;
  st[3] = s3;
  return numMisses;
}

/** An exact standard normal draw from ziggurat `z` with the stream `rng` (two words per attempt). */
export function zigguratNormal(rng: Rng, z: Ziggurat): number {
  const { X, layers } = z;
  for (;;) {
    const w0 = rng.nextUint32();
    const w1 = rng.nextUint32();
    const i = w0 & (layers - 1);
    // 53-bit uniform from bits 11-31 of w0 and all of w1, disjoint from the layer and sign bits.
    const x = ((w0 >>> 11) * 4294967296 + w1) * TWO_M53 * X[i];
    if (x < X[i + 1]) return w0 & layers ? -x : x;
    const y = zigSlow(rng, z, i, x);
    if (y === y) return w0 & layers ? -y : y; // NaN means rejected: draw again
  }
}

/**
 * Finish a draw of ziggurat `z` that missed its rectangle: out[j] holds the signed abscissa drawn in
 * `layer`; the wedge/tail test uses `rng`, and a rejected draw is replaced by a fresh one, so out[j] is an
 * exact N(0, 1) draw independent of the others.
 */
export function finishZigguratMiss(rng: Rng, z: Ziggurat, out: Float64Array, j: number, layer: number): void {
  const y = zigSlow(rng, z, layer, Math.abs(out[j]));
  out[j] = y === y ? (out[j] < 0 ? -y : y) : zigguratNormal(rng, z);
}

// Outside the rectangles: layer 0 is the tail beyond R (Marsaglia's exact method); layer i > 0 accepts x
// when a uniform height in [F[i], F[i+1]] falls under the density. Returns NaN on rejection.
function zigSlow(rng: Rng, z: Ziggurat, i: number, x: number): number {
  if (i === 0) {
    for (;;) {
      const tx = -Math.log(1 - rng.uniform()) / z.R;
      const ty = -Math.log(1 - rng.uniform());
      if (ty + ty >= tx * tx) return z.R + tx;
    }
  }
  const h = z.F[i] + rng.uniform() * (z.F[i + 1] - z.F[i]);
  return h < Math.exp(-0.5 * x * x) ? x : NaN;
}
