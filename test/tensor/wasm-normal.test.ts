import { describe, expect, it } from 'vitest';
import { finishZigguratMiss, Rng, ZIG1024, zigguratNormal } from '../../src/core/rng.js';
import { normalCdf, normalSf } from '../../src/stats/distributions.js';
import { ksOneSample } from '../../src/stats/ks.js';
import { compileModule, encodeModule, instantiate } from '../../src/tensor/wasm-encoder.js';
import { EXP2_TABLE_SIZE, writeExp2Table } from '../../src/tensor/wasm-exp.js';
import {
  emitFinish,
  emitNormals,
  finishMisses,
  LANES,
  MAX_SLOTS,
  MISS_RECORD_BYTES,
  RNG_BYTES,
  seedLanes,
  writeZigTable,
  ZIG_TABLE_BYTES,
} from '../../src/tensor/wasm-normal.js';

const EXP2 = RNG_BYTES + ZIG_TABLE_BYTES;
const L = { rng: 0, zig: RNG_BYTES, exp2: EXP2, misses: EXP2 + 8 * EXP2_TABLE_SIZE };
const OUT = L.misses + MISS_RECORD_BYTES * 1_000_000; // room for a miss record per draw (n <= 1e6)

type Normals = (out: number, rows: number, iters: number, rowBytes: number) => number;
type Finish = (out: number, count: number) => number;

/** A module of normals() and finish() with its tables written. */
function generator(pages = 256) {
  const exports = instantiate(
    compileModule(
      encodeModule(pages, [
        ['normals', emitNormals(L)],
        ['finish', emitFinish(L)],
      ]),
    ),
  );
  const memory = exports.memory.buffer;
  writeZigTable(memory, L);
  writeExp2Table(memory, L.exp2);
  return { memory, normals: exports.normals as Normals, finish: exports.finish as Finish };
}

/**
 * n (a multiple of 4 * rows) draws of stream (seed, stream) in `rows` rows, as WasmKernel.drawNoise
 * makes them; also the raw miss count and the tail draws left to finishMisses.
 */
function draw(
  seed: number,
  stream: number,
  n: number,
  rows = 1,
): { z: Float64Array; misses: number; tails: number } {
  const { memory, normals, finish } = generator();
  const rng = seedLanes(memory, L, seed, stream);
  const perRow = n / rows;
  const misses = normals(OUT, rows, perRow / 4, 8 * perRow);
  const tails = finish(OUT, misses);
  const z = new Float64Array(memory, OUT, n);
  finishMisses(new Int32Array(memory, L.misses, 2 * tails), z, tails, rng);
  return { z: z.slice(), misses, tails };
}

/**
 * How many (slot, layer) miss records are out of slot order or name a layer other than the one whose
 * rectangle the slot's raw abscissa x left: X[layer + 1] <= |x| < X[layer].
 */
function badRecords(records: Int32Array, raw: Float64Array): number {
  let bad = 0;
  for (let k = 0, last = -1; k < records.length; last = records[k], k += 2) {
    const x = Math.abs(raw[records[k]]);
    const i = records[k + 1];
    if (!(records[k] > last && x >= ZIG1024.X[i + 1] && x < ZIG1024.X[i])) bad++;
  }
  return bad;
}

describe('vectorized normals (wasm-normal)', () => {
  it('lane l is stream split(l) of the block stream: the same bits as the scalar 1024-layer ziggurat until its first miss', () => {
    const { z } = draw(7, 3, 4000);
    const raw = new Float64Array(4000);
    const { memory, normals } = generator();
    seedLanes(memory, L, 7, 3);
    const misses = normals(OUT, 1, 1000, 8000);
    raw.set(new Float64Array(memory, OUT, 4000));
    const records = new Int32Array(memory, L.misses, 2 * misses);
    const missed = new Set(records.filter((_, k) => k % 2 === 0));
    expect(badRecords(records, raw)).toBe(0);
    let compared = 0;
    for (let l = 0; l < LANES; l++) {
      const scalar = new Rng(7, 3).split(l);
      for (let i = l; i < 4000 && !missed.has(i); i += LANES, compared++)
        expect(z[i]).toBe(zigguratNormal(scalar, ZIG1024));
    }
    expect(compared).toBeGreaterThan(20);
    // Rectangle hits are final; misses are rewritten by the wedge/tail step.
    for (let i = 0; i < 4000; i++) if (!missed.has(i)) expect(raw[i]).toBe(z[i]);
  });

  it('draws exact N(0, 1): KS, moments, tails beyond the ziggurat base, across rows', () => {
    const n = 1_000_000;
    const { z, misses } = draw(2024, 1, n, 10);
    // 0.4282% of these draws leave their rectangle (expected sum_i (1 - X[i+1] / X[i]) / 1024 = 0.4277%;
    // the 256-layer generator missed 1.4920% of them); all of them are finished.
    expect(misses / n).toBeGreaterThan(0.003);
    expect(misses / n).toBeLessThan(0.006);
    const ks = ksOneSample(z, normalCdf, 1e-3);
    expect(ks.pValue).toBeGreaterThan(1e-3);
    let m1 = 0, m2 = 0, m3 = 0, m4 = 0; // prettier-ignore
    for (const x of z) {
      m1 += x;
      m2 += x * x;
      m3 += x ** 3;
      m4 += x ** 4;
    }
    // 4-sigma bands: sd of mean(x) 1/sqrt(n), of mean(x^2) sqrt(2/n), of mean(x^3) sqrt(15/n), of mean(x^4) sqrt(96/n).
    expect(Math.abs(m1 / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(m2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(Math.abs(m3 / n)).toBeLessThan(4 * Math.sqrt(15 / n));
    expect(Math.abs(m4 / n - 3)).toBeLessThan(4 * Math.sqrt(96 / n));
    // Tail masses P(|x| > c), including beyond the base R = 4.039 (the tail sampler): Poisson 4-sigma.
    for (const c of [2, 3, 3.6541528853610088, ZIG1024.R, 4.2]) {
      const k = z.reduce((acc, x) => acc + (Math.abs(x) > c ? 1 : 0), 0);
      const expected = 2 * n * normalSf(c);
      expect(Math.abs(k - expected)).toBeLessThan(4 * Math.sqrt(expected) + 1);
    }
    // Neighbouring slots (different lanes) and lane-mates are uncorrelated (4-sigma, sd 1/sqrt(n)).
    for (const lag of [1, 4]) {
      let c = 0;
      for (let i = lag; i < n; i++) c += z[i] * z[i - lag];
      expect(Math.abs(c / n)).toBeLessThan(4 / Math.sqrt(n));
    }
  });

  it('records the misses of a MAX_SLOTS call (2^23 slots: more than the 22 bits beside a 10-bit layer)', () => {
    const out = L.misses + MISS_RECORD_BYTES * MAX_SLOTS;
    const pages = Math.ceil((out + 8 * MAX_SLOTS) / 65536);
    const { memory, normals } = generator(pages);
    const rng = seedLanes(memory, L, 11, 2);
    const rows = 8192;
    const perRow = MAX_SLOTS / rows;
    const misses = normals(out, rows, perRow / 4, 8 * perRow);
    const z = new Float64Array(memory, out, MAX_SLOTS);
    const records = new Int32Array(memory, L.misses, 2 * misses);
    expect(misses / MAX_SLOTS).toBeLessThan(0.006);
    expect(badRecords(records, z)).toBe(0);
    expect(records[2 * misses - 2]).toBeGreaterThan(MAX_SLOTS - 1000);
    finishMisses(records, z, misses, rng);
    expect(z.every(Number.isFinite)).toBe(true);
  });

  it("finish() is rng.ts's finishZigguratMiss on the scalar stream split(5), bit for bit, but for the tail draws it leaves to split(4)", () => {
    const n = 400_000;
    const { memory, normals, finish } = generator();
    seedLanes(memory, L, 31, 4);
    const misses = normals(OUT, 1, n / 4, 8 * n);
    const z = new Float64Array(memory, OUT, n);
    const records = Int32Array.from(new Int32Array(memory, L.misses, 2 * misses));
    const raw = z.slice();
    const want = z.slice();
    const scalar = new Rng(31, 4).split(5);
    let tailsWanted = 0;
    for (let k = 0; k < 2 * misses; k += 2) {
      if (records[k + 1] === 0) tailsWanted++;
      else finishZigguratMiss(scalar, ZIG1024, want, records[k], records[k + 1]);
    }
    const tails = finish(OUT, misses);
    // About 0.43% of draws miss; a twentieth of the base layer's draws are tail draws.
    expect(misses).toBeGreaterThan(1200);
    expect(tails).toBe(tailsWanted);
    const left = new Set(new Int32Array(memory, L.misses, 2 * tails).filter((_, k) => k % 2 === 0));
    let differ = 0;
    for (let i = 0; i < n; i++) if (!left.has(i) && z[i] !== want[i]) differ++;
    expect(differ).toBe(0);
    // Both outcomes of the wedge test occur: kept abscissae, and rejected ones replaced by fresh draws.
    const slots = records.filter((_, k) => k % 2 === 0);
    const kept = slots.filter((slot) => z[slot] === raw[slot]).length;
    expect(kept).toBeGreaterThan(slots.length / 10);
    expect(slots.length - kept).toBeGreaterThan(slots.length / 10);
  });

  it('is a pure function of (seed, stream); other streams differ', () => {
    expect(draw(5, 9, 400).z).toEqual(draw(5, 9, 400).z);
    expect(draw(5, 10, 400).z[0]).not.toBe(draw(5, 9, 400).z[0]);
  });
});
