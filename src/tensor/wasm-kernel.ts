// The fused float64 kernel of the 'wasm-simd' backend: the same Gaussian-mixture denoiser and sampler
// update as mixture-kernel.ts (the same formulas and stage table, the same order of floating-point
// operations), generated as a WebAssembly module per (d, K, S, isotropic) that advances two particles per
// f64x2 lane pair. What differs: the softmax's exp (wasm-exp.ts, on logits pre-scaled to its units), and
// for a mixture with one shared variance the terms that are the same for every component are taken out
// of the sums; a step agrees with the JS reference to a few ulps. Layout: structure of arrays within a
// block (coordinate j of particle p at X + (j BLOCK + p) 8), one record of coefficients per step,
// nothing allocated while stepping. Memory: the normal generator's lane states and 1024-layer ziggurat
// table (wasm-normal.ts), the exp2 table, one 8-byte miss record per noise slot, X, Z, the means, K
// logits of scratch, the step records.
import { emitExp2, EXP2_TABLE_SIZE, LOGIT_SCALE } from './wasm-exp.js';
import { encodeModule, FunctionBuilder } from './wasm-encoder.js';
import {
  emitFinish,
  emitNormals,
  MISS_RECORD_BYTES,
  RNG_BYTES,
  scalarStream,
  ZIG_TABLE_BYTES,
  type NormalLayout,
} from './wasm-normal.js';
import { stageTable, tableStride, type KernelShape } from './mixture-kernel.js';
import { BLOCK, type MixtureModel, type StepProgram } from './program.js';

/** Byte addresses in a kernel instance's memory. */
export interface KernelLayout extends NormalLayout {
  /** The 2^(j/256) table of emitExp2. */
  exp2: number;
  /** States [d][BLOCK] and noise [d][BLOCK] (structure of arrays). */
  x: number;
  z: number;
  /** The means mu_kj as f64x2 pairs [K][d], and K logits of scratch. */
  means: number;
  logits: number;
  /** For the initial draws: the weights w_k [K] and standard deviations sqrt(v_kj) [K][d] (f64). */
  mix: number;
  /** The per-step records. */
  coef: number;
  /** Entries per step record (each stored twice, as an f64x2). */
  recordStride: number;
  bytes: number;
}

// Record of step s: [stages, cx, cz, ex_0..S-1, b_0..S-1, a_(i,j) (S x S), stage tables (S x T)].
const REC = { stages: 0, cx: 1, cz: 2, ex: 3 };

export function kernelLayout(shape: KernelShape, numSteps: number): KernelLayout {
  const { d, K, S } = shape;
  const align = (v: number) => Math.ceil(v / 64) * 64;
  const exp2 = align(RNG_BYTES + ZIG_TABLE_BYTES);
  const misses = align(exp2 + 8 * EXP2_TABLE_SIZE);
  const x = align(misses + MISS_RECORD_BYTES * d * BLOCK); // room for every slot to miss
  const z = x + 8 * d * BLOCK;
  const means = z + 8 * d * BLOCK;
  const logits = means + 16 * K * d;
  const mix = logits + 16 * K;
  const coef = align(mix + 8 * K * (1 + d));
  const recordStride = 3 + 2 * S + S * S + S * tableStride(shape);
  return {
    rng: 0,
    zig: RNG_BYTES,
    exp2,
    misses,
    x,
    z,
    means,
    logits,
    mix,
    coef,
    recordStride,
    bytes: coef + 16 * recordStride * numSteps,
  };
}

/**
 * The step records [numSteps * recordStride * 2] (see REC and the stage table of mixture-kernel.ts). The
 * table's log-density coefficients (isotropic c, h, e; diagonal c, h) are multiplied by LOGIT_SCALE, the
 * units emitExp2 takes (the responsibilities are 2^((l' - max l') / 256)).
 */
export function stepRecords(model: MixtureModel, p: StepProgram, shape: KernelShape): Float64Array {
  const { d, K, S, isotropic } = shape;
  const T = tableStride(shape);
  const R = 3 + 2 * S + S * S + S * T;
  const tab = stageTable(model, p, shape);
  const logits = isotropic ? 3 * K : K + K * d;
  for (let o = 0; o < tab.length; o += T) for (let e = 1; e <= logits; e++) tab[o + e] *= LOGIT_SCALE;
  const rec = new Float64Array(p.numSteps * R);
  for (let s = 0; s < p.numSteps; s++) {
    const o = s * R;
    rec[o + REC.stages] = p.stages[s];
    rec[o + REC.cx] = p.nextX[s];
    rec[o + REC.cz] = p.nextZ[s];
    rec.set(p.evalX.subarray(s * S, (s + 1) * S), o + REC.ex);
    rec.set(p.nextM.subarray(s * S, (s + 1) * S), o + REC.ex + S);
    rec.set(p.evalM.subarray(s * S * S, (s + 1) * S * S), o + REC.ex + 2 * S);
    rec.set(tab.subarray(s * S * T, (s + 1) * S * T), o + REC.ex + 2 * S + S * S);
  }
  // Every entry twice: the kernel reads an entry as a v128 (one load; a splat load costs V8 two instructions).
  const pairs = new Float64Array(2 * rec.length);
  for (let i = 0; i < rec.length; i++) pairs[2 * i] = pairs[2 * i + 1] = rec[i];
  return pairs;
}

/** The means mu_kj [K][d], each twice (an f64x2), for L.means. */
export function meanPairs(model: MixtureModel): Float64Array {
  const pairs = new Float64Array(2 * model.means.length);
  model.means.forEach((m, i) => (pairs[2 * i] = pairs[2 * i + 1] = m));
  return pairs;
}

/** The weights and standard deviations for L.mix: [w_0..w_(K-1), sqrt(v_kj) [K][d]]. */
export function mixTable(model: MixtureModel): Float64Array {
  const K = model.weights.length;
  const table = new Float64Array(K + model.variances.length);
  table.set(model.weights);
  model.variances.forEach((v, i) => (table[K + i] = Math.sqrt(v)));
  return table;
}

/** initNoise(count, sigma): X = sigma Z on the block's d rows (count particles, rounded up to a pair). */
function emitInitNoise(d: number, L: KernelLayout): FunctionBuilder {
  const f = new FunctionBuilder(
    [
      ['count', 'i32'],
      ['sigma', 'f64'],
    ],
    null,
  );
  for (const n of ['row', 'at', 'end']) f.local(n, 'i32');
  f.local('s', 'v128');
  f.get('sigma').simd('f64x2.splat').set('s');
  f.op('block').op('loop');
  f.get('row')
    .i32(8 * BLOCK * d)
    .op('i32.ge_u')
    .op('br_if', 1);
  // Row j at byte 8 BLOCK j of X and Z: its (count + 1) / 2 pairs.
  f.get('row').tee('at').get('count').i32(1).op('i32.add').i32(1).op('i32.shr_u').i32(4).op('i32.shl');
  f.op('i32.add').set('end');
  f.op('block').op('loop');
  f.get('at').get('end').op('i32.ge_u').op('br_if', 1);
  f.get('at').get('s').get('at').simd('v128.load', L.z).simd('f64x2.mul').simd('v128.store', L.x);
  f.get('at').i32(16).op('i32.add').set('at');
  f.op('br', 0).op('end').op('end');
  f.get('row')
    .i32(8 * BLOCK)
    .op('i32.add')
    .set('row');
  f.op('br', 0).op('end').op('end');
  return f;
}

/**
 * initData(count, alpha): X += alpha (mu_k + sqrt(v_k) Z) per particle, k drawn from the weights with
 * the scalar stream (a uniform u; k the first with u < w_0 + ... + w_k, by subtraction, as
 * GaussianMixture.sampleInto). With X = sigma noise (initNoise) and Z standard normals, particle p is then
 * a draw of alpha data + sigma noise.
 */
function emitInitData(d: number, K: number, L: KernelLayout): FunctionBuilder {
  const f = new FunctionBuilder(
    [
      ['count', 'i32'],
      ['alpha', 'f64'],
    ],
    null,
  );
  for (const n of ['p', 'k', 'j', 'at', 'kd']) f.local(n, 'i32');
  f.local('u', 'f64');
  f.local('w', 'f64');
  const rng = scalarStream(f, L);
  f.op('block').op('loop');
  f.get('p').get('count').op('i32.ge_u').op('br_if', 1);
  rng.uniform('u');
  f.i32(0).set('k');
  f.op('block').op('loop');
  f.get('k')
    .i32(K - 1)
    .op('i32.ge_u')
    .op('br_if', 1);
  f.get('k').i32(3).op('i32.shl').op('f64.load', L.mix).set('w');
  f.get('u').get('w').op('f64.lt').op('br_if', 1);
  f.get('u').get('w').op('f64.sub').set('u');
  f.get('k').i32(1).op('i32.add').set('k');
  f.op('br', 0).op('end').op('end');
  // Row j of particle p at 8 (j BLOCK + p); component k's entries at 8 (k d + j).
  f.get('k').i32(d).op('i32.mul').set('kd');
  f.i32(0).set('j');
  f.op('block').op('loop');
  f.get('j').i32(d).op('i32.ge_u').op('br_if', 1);
  f.get('j').i32(BLOCK).op('i32.mul').get('p').op('i32.add').i32(3).op('i32.shl').set('at');
  f.get('at');
  f.get('alpha');
  f.get('kd').get('j').op('i32.add').i32(4).op('i32.shl').op('f64.load', L.means);
  f.get('kd')
    .get('j')
    .op('i32.add')
    .i32(3)
    .op('i32.shl')
    .op('f64.load', L.mix + 8 * K);
  f.get('at').op('f64.load', L.z).op('f64.mul').op('f64.add').op('f64.mul');
  f.get('at').op('f64.load', L.x).op('f64.add');
  f.op('f64.store', L.x);
  f.get('j').i32(1).op('i32.add').set('j');
  f.op('br', 0).op('end').op('end');
  f.get('p').i32(1).op('i32.add').set('p');
  f.op('br', 0).op('end').op('end');
  rng.save();
  return f;
}

const range = (n: number) => [...Array(n).keys()];

/** Up to this d the softmax's sums over components are kept per coordinate in registers (see emitStep). */
const NARROW_D = 4;

/** step(rec, pairs): one step of the program for particles [0, 2 pairs) of the block at L.x. */
function emitStep(model: MixtureModel, shape: KernelShape, L: KernelLayout): FunctionBuilder {
  const { d, K, S, isotropic } = shape;
  const T = tableStride(shape);
  // One variance shared by every component and coordinate: h, e, u and q are the same for every k.
  const shared = isotropic && model.variances.every((x) => x === model.variances[0]);
  const f = new FunctionBuilder(
    [
      ['rec', 'i32'],
      ['pairs', 'i32'],
    ],
    null,
  );
  const v = (n: string) => f.local(n, 'v128');
  const J = range(d);
  const Sr = range(S);
  f.local('ptr', 'i32');
  f.local('end', 'i32');
  f.local('ns', 'f64');
  f.local('kp', 'i32');
  f.local('kd', 'i32');
  f.get('rec').op('f64.load', 0).set('ns');
  // Program coefficients (stored as f64x2 pairs) are loaded where used: a load costs what a spill's
  // reload does, and keeps registers free for the particles' values.
  const coef = (entry: number) => () => f.get('rec').simd('v128.load', 16 * entry);
  const tabBase = REC.ex + 2 * S + S * S;
  const tv = (i: number, e: number) => f.get('rec').simd('v128.load', 16 * (tabBase + i * T + e));
  // Sum of terms, left to right (as the JS kernel's `a + b + c`).
  const sum = (terms: (() => void)[]) =>
    terms.forEach((t, idx) => {
      t();
      if (idx > 0) f.simd('f64x2.add');
    });
  const mul = (a: () => void, b: () => void) => () => {
    a();
    b();
    f.simd('f64x2.mul');
  };
  const get = (n: string) => () => f.get(n);

  const stage = (i: number) => {
    f.get('ns').f64(i).op('f64.gt').op('if');
    for (const j of J) {
      sum([mul(coef(REC.ex + i), get(`x${j}`)), ...range(i).map((jj) => mul(coef(REC.ex + 2 * S + i * S + jj), get(`m${jj}_${j}`)))]); // prettier-ignore
      f.set(v(`y${j}`));
    }
    // Two loops over the components, not K unrolled copies: smaller code, the exp's constants made once
    // per stage, and no spills (TurboFan interleaves unrolled exps). kp = 16 k and kd = 16 k d step
    // through the stage table's per-component entries and the means; the logits wait in L.logits.
    const kTab =
      (e: number, stride: 'kp' | 'kd' = 'kp') =>
      () =>
        f
          .get('rec')
          .get(stride)
          .op('i32.add')
          .simd('v128.load', 16 * (tabBase + i * T + e));
    const muK = (j: number) => () => f.get('kd').simd('v128.load', L.means + 16 * j);
    const loopK = (body: () => void) => {
      f.i32(0).set('kp').i32(0).set('kd');
      f.op('loop');
      body();
      f.get('kp').i32(16).op('i32.add').set('kp');
      f.get('kd')
        .i32(16 * d)
        .op('i32.add')
        .set('kd');
      f.get('kp')
        .i32(16 * K)
        .op('i32.lt_u')
        .op('br_if', 0);
      f.op('end');
    };
    if (isotropic && !shared) {
      sum(J.map((j) => mul(get(`y${j}`), get(`y${j}`))));
      f.set(v('yy'));
    }
    if (!isotropic) tv(i, 0).set(v('a'));
    f.f64x2(-Infinity).set(v('mx'));
    loopK(() => {
      const dot = () => sum(J.map((j) => mul(get(`y${j}`), muK(j))));
      if (shared) {
        // l_k - h |y|^2 = c_k + e <y, mu_k>  (h |y|^2 is the same for every k: it cancels in the softmax)
        sum([kTab(1), mul(() => tv(i, 1 + 2 * K), dot)]);
      } else if (isotropic) {
        // l_k = c_k + h_k |y|^2 + e_k <y, mu_k>
        sum([kTab(1), mul(kTab(1 + K), get('yy')), mul(kTab(1 + 2 * K), dot)]);
      } else {
        // l_k = c_k + sum_j h_kj (y_j - a mu_kj)^2
        const diff = (j: number) => () => {
          f.get(`y${j}`).get('a');
          muK(j)();
          f.simd('f64x2.mul').simd('f64x2.sub');
        };
        sum([kTab(1), ...J.map((j) => mul(mul(kTab(1 + K + j, 'kd'), diff(j)), diff(j)))]);
      }
      f.set(v('l'));
      f.get('kp').get('l').simd('v128.store', L.logits);
      f.get('mx').get('l').simd('f64x2.pmax').set('mx');
    });
    // r_k = exp(l_k - max), and the sums over k of r_k and, per coordinate j,
    //   shared: r_k mu_kj;  isotropic: (r_k u_k) mu_kj, with rq = sum_k r_k q_k;
    //   diagonal: r_k (u_kj mu_kj + q_kj y_j).
    // For d <= NARROW_D each r_k is folded into the d + 1 sums as it is made. For a wider d, d sums would
    // not fit in registers (each would be spilled and reloaded per component): r_k (r_k u_k) is stored
    // over l_k instead and each coordinate's sum runs over the stored weights after. Either way the terms
    // are added in the order k = 0, 1, ...
    const narrow = d <= NARROW_D;
    const acc = (name: string, term: () => void) => {
      f.get(name);
      term();
      f.simd('f64x2.add').set(v(name));
    };
    const weight = () => f.get('kp').simd('v128.load', L.logits);
    const term = (j: number, r: () => void) =>
      shared || isotropic
        ? mul(r, muK(j))
        : mul(r, () => sum([mul(kTab(1 + K + K * d + j, 'kd'), muK(j)), mul(kTab(1 + K + 2 * K * d + j, 'kd'), get(`y${j}`))])); // prettier-ignore
    for (const name of ['rs', 'rq', ...(narrow ? J.map((j) => `s${j}`) : [])]) f.f64x2(0).set(v(name));
    loopK(() => {
      weight().get('mx').simd('f64x2.sub').set(v('e'));
      emitExp2(f, v('r'), 'e', L.exp2);
      acc('rs', get('r'));
      if (isotropic && !shared) {
        mul(get('r'), kTab(1 + 3 * K))();
        f.set(v('ru'));
        acc('rq', mul(get('r'), kTab(1 + 4 * K)));
      }
      const w = isotropic && !shared ? 'ru' : 'r';
      if (narrow) for (const j of J) acc(`s${j}`, term(j, get(w)));
      else f.get('kp').get(w).simd('v128.store', L.logits);
    });
    f.f64x2(1).get('rs').simd('f64x2.div').set(v('inv'));
    for (const j of J) {
      let sj = `s${j}`;
      if (!narrow) {
        sj = v('sj');
        f.f64x2(0).set(sj);
        loopK(() => acc(sj, term(j, weight)));
      }
      if (shared) {
        // E[data | y] = u sum_k r_k mu_k / sum_k r_k + q y
        f.get(sj).get('inv').simd('f64x2.mul');
        tv(i, 1 + 3 * K);
        f.simd('f64x2.mul');
        mul(() => tv(i, 1 + 4 * K), get(`y${j}`))();
        f.simd('f64x2.add').set(`m${i}_${j}`);
      } else if (isotropic) {
        f.get(sj);
        mul(get('rq'), get(`y${j}`))();
        f.simd('f64x2.add').get('inv').simd('f64x2.mul').set(`m${i}_${j}`);
      } else {
        f.get(sj).get('inv').simd('f64x2.mul').set(`m${i}_${j}`);
      }
    }
    f.op('end');
  };

  f.i32(0).set('ptr');
  f.get('pairs').i32(16).op('i32.mul').set('end');
  f.op('block').op('loop');
  f.get('ptr').get('end').op('i32.ge_u').op('br_if', 1);
  for (const j of J)
    f.get('ptr')
      .simd('v128.load', L.x + 8 * j * BLOCK)
      .set(v(`x${j}`));
  for (const i of Sr) for (const j of J) f.f64x2(0).set(v(`m${i}_${j}`));
  Sr.forEach(stage);
  // x' = cx x + sum_i b_i m_i + cz z
  for (const j of J) {
    f.get('ptr');
    sum([mul(coef(REC.cx), get(`x${j}`)), ...Sr.map((i) => mul(coef(REC.ex + S + i), get(`m${i}_${j}`))), mul(coef(REC.cz), () => f.get('ptr').simd('v128.load', L.z + 8 * j * BLOCK))]); // prettier-ignore
    f.simd('v128.store', L.x + 8 * j * BLOCK);
  }
  f.get('ptr').i32(16).op('i32.add').set('ptr');
  f.op('br', 0).op('end').op('end');
  return f;
}

/** The kernel module: exports memory, step(rec, pairs), normals(out, rows, iters, rowBytes) and finish(out, count). */
export function kernelModule(model: MixtureModel, shape: KernelShape, L: KernelLayout): Uint8Array {
  return encodeModule(Math.ceil(L.bytes / 65536), [
    ['step', emitStep(model, shape, L)],
    ['normals', emitNormals(L)],
    ['finish', emitFinish(L)],
    ['initNoise', emitInitNoise(shape.d, L)],
    ['initData', emitInitData(shape.d, shape.K, L)],
  ]);
}
