// A minimal WebAssembly binary encoder: enough to emit the generated SIMD kernels (one module, its own
// memory, i32/f64/v128 functions) without an external toolchain. Instructions are appended to a function
// body in stack-machine order; names map to local indices. Encoding per the WebAssembly 2.0 spec
// (LEB128 integers, sections 1 type, 3 function, 5 memory, 7 export, 10 code; SIMD ops are 0xfd + LEB128).

export type ValType = 'i32' | 'f64' | 'v128';
const TYPE_CODE: Record<ValType, number> = { i32: 0x7f, f64: 0x7c, v128: 0x7b };

function uleb(out: number[], v: number): void {
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
}

function sleb(out: number[], v: number): void {
  for (;;) {
    const byte = v & 0x7f;
    v = Math.floor(v / 128);
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

/** out.push(...items) without the argument-count limit (a kernel body can be megabytes). */
function append(out: number[], items: readonly number[]): void {
  for (const b of items) out.push(b);
}

function f64Bytes(v: number): number[] {
  return [...new Uint8Array(Float64Array.of(v).buffer)];
}

/** The SIMD (0xfd-prefixed) opcodes the kernels use. */
export const SIMD = {
  'v128.load': 0x00, 'v128.store': 0x0b, 'v128.const': 0x0c,
  'v128.load64_lane': 0x57, 'v128.load64_zero': 0x5d,
  'i8x16.shuffle': 0x0d, 'i32x4.splat': 0x11, 'f64x2.splat': 0x14, 'i32x4.extract_lane': 0x1b,
  'f64x2.extract_lane': 0x21, 'f64x2.ge': 0x4c,
  'v128.and': 0x4e, 'v128.or': 0x50, 'v128.xor': 0x51, 'v128.any_true': 0x53, 'i32x4.shl': 0xab,
  'i32x4.shr_u': 0xad, 'i32x4.add': 0xae, 'i64x2.shl': 0xcb, 'i64x2.add': 0xce, 'f64x2.add': 0xf0,
  'f64x2.sub': 0xf1, 'f64x2.mul': 0xf2, 'f64x2.div': 0xf3, 'f64x2.pmax': 0xf7,
  'f64x2.convert_low_i32x4_u': 0xff,
} as const; // prettier-ignore
export type SimdOp = keyof typeof SIMD;

/** The plain (one-byte) opcodes the kernels use. */
export const OP = {
  block: 0x02, loop: 0x03, if: 0x04, end: 0x0b, br: 0x0c, br_if: 0x0d, select: 0x1b, 'local.get': 0x20,
  'local.set': 0x21, 'local.tee': 0x22, 'i32.load': 0x28, 'f64.load': 0x2b, 'i32.store': 0x36,
  'f64.store': 0x39, 'i32.const': 0x41, 'f64.const': 0x44, 'i32.eqz': 0x45, 'i32.lt_u': 0x49,
  'i32.ge_u': 0x4f, 'f64.lt': 0x63, 'f64.gt': 0x64, 'f64.ge': 0x66, 'i32.add': 0x6a, 'i32.sub': 0x6b,
  'i32.mul': 0x6c, 'i32.and': 0x71, 'i32.xor': 0x73, 'i32.shl': 0x74, 'i32.shr_u': 0x76,
  'i32.rotl': 0x77, 'f64.abs': 0x99, 'f64.neg': 0x9a, 'f64.add': 0xa0, 'f64.sub': 0xa1, 'f64.mul': 0xa2,
  'f64.convert_i32_u': 0xb8,
} as const; // prettier-ignore
type PlainOp = keyof typeof OP;
const MEM_OPS = new Set<string>(['i32.load', 'f64.load', 'i32.store', 'f64.store']);
const MEM_SIMD = new Set<string>(['v128.load', 'v128.store', 'v128.load64_lane', 'v128.load64_zero']); // prettier-ignore
const ALIGN: Record<string, number> = { 'i32.load': 2, 'i32.store': 2, 'f64.load': 3, 'f64.store': 3, 'v128.load': 4, 'v128.store': 4, 'v128.load64_lane': 3, 'v128.load64_zero': 3 }; // prettier-ignore

/** One function: parameters, named locals and a body. */
export class FunctionBuilder {
  private readonly localIndex = new Map<string, number>();
  private readonly localTypes: ValType[] = [];
  readonly body: number[] = [];

  constructor(
    readonly params: [string, ValType][],
    readonly result: ValType | null,
  ) {
    params.forEach(([name], i) => this.localIndex.set(name, i));
  }

  /** Declare a local (idempotent for the same name and type). */
  local(name: string, type: ValType): string {
    if (!this.localIndex.has(name)) {
      this.localIndex.set(name, this.params.length + this.localTypes.length);
      this.localTypes.push(type);
    }
    return name;
  }

  private index(name: string): number {
    const i = this.localIndex.get(name);
    if (i === undefined) throw new Error(`wasm encoder: unknown local ${name}`);
    return i;
  }

  get(name: string): this {
    this.body.push(OP['local.get']);
    uleb(this.body, this.index(name));
    return this;
  }

  set(name: string): this {
    this.body.push(OP['local.set']);
    uleb(this.body, this.index(name));
    return this;
  }

  tee(name: string): this {
    this.body.push(OP['local.tee']);
    uleb(this.body, this.index(name));
    return this;
  }

  /** A plain instruction; memory ops take a constant byte offset, br/br_if a label depth. */
  op(name: PlainOp, imm = 0): this {
    this.body.push(OP[name]);
    if (MEM_OPS.has(name)) {
      uleb(this.body, ALIGN[name]);
      uleb(this.body, imm);
    } else if (name === 'br' || name === 'br_if') uleb(this.body, imm);
    else if (name === 'block' || name === 'loop' || name === 'if') this.body.push(0x40);
    return this;
  }

  i32(v: number): this {
    this.body.push(OP['i32.const']);
    sleb(this.body, v | 0);
    return this;
  }

  f64(v: number): this {
    this.body.push(OP['f64.const'], ...f64Bytes(v));
    return this;
  }

  /**
   * A SIMD instruction; memory ops take a constant byte offset, lane ops a lane index (load64_lane both:
   * the offset, then the lane).
   */
  simd(name: SimdOp, imm = 0, lane = 0): this {
    this.body.push(0xfd);
    uleb(this.body, SIMD[name]);
    if (MEM_SIMD.has(name)) {
      uleb(this.body, ALIGN[name]);
      uleb(this.body, imm);
      if (name === 'v128.load64_lane') this.body.push(lane);
    } else if (name.endsWith('extract_lane') || name.endsWith('replace_lane')) this.body.push(imm);
    return this;
  }

  /** v128.const of two f64 lanes. */
  f64x2(a: number, b = a): this {
    this.body.push(0xfd);
    uleb(this.body, SIMD['v128.const']);
    this.body.push(...f64Bytes(a), ...f64Bytes(b));
    return this;
  }

  /** v128.const of two i64 lanes given as bigint. */
  i64x2(a: bigint, b = a): this {
    this.body.push(0xfd);
    uleb(this.body, SIMD['v128.const']);
    const buf = new BigInt64Array([a, b]);
    this.body.push(...new Uint8Array(buf.buffer));
    return this;
  }

  /** i8x16.shuffle with 16 byte indices into the concatenation of the two operands. */
  shuffle(lanes: number[]): this {
    this.body.push(0xfd);
    uleb(this.body, SIMD['i8x16.shuffle']);
    this.body.push(...lanes);
    return this;
  }

  encode(): number[] {
    const out: number[] = [];
    const groups: [number, ValType][] = [];
    for (const t of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    uleb(out, groups.length);
    for (const [count, t] of groups) {
      uleb(out, count);
      out.push(TYPE_CODE[t]);
    }
    append(out, this.body);
    out.push(OP.end);
    const sized: number[] = [];
    uleb(sized, out.length);
    append(sized, out);
    return sized;
  }
}

function section(id: number, content: number[]): number[] {
  const out = [id];
  uleb(out, content.length);
  return out.concat(content);
}

function vec(items: number[][]): number[] {
  const out: number[] = [];
  uleb(out, items.length);
  for (const it of items) append(out, it);
  return out;
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  const out: number[] = [];
  uleb(out, bytes.length);
  return out.concat(bytes);
}

/** A module with its own exported memory ("memory", `pages` of 64 KiB) and the exported functions. */
export function encodeModule(pages: number, functions: [string, FunctionBuilder][]): Uint8Array {
  const types = functions.map(([, f]) => {
    const t = [0x60];
    uleb(t, f.params.length);
    for (const [, p] of f.params) t.push(TYPE_CODE[p]);
    if (f.result) t.push(1, TYPE_CODE[f.result]);
    else t.push(0);
    return t;
  });
  const memory = [0x00];
  uleb(memory, pages);
  const exports = [
    [...name('memory'), 0x02, 0],
    ...functions.map(([fname], i) => {
      const e = [...name(fname), 0x00];
      uleb(e, i);
      return e;
    }),
  ];
  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  append(bytes, section(1, vec(types)));
  append(bytes, section(3, vec(functions.map((_, i) => { const b: number[] = []; uleb(b, i); return b; })))); // prettier-ignore
  append(bytes, section(5, vec([memory])));
  append(bytes, section(7, vec(exports)));
  append(bytes, section(10, vec(functions.map(([, f]) => f.encode()))));
  return Uint8Array.from(bytes);
}

/** A compiled module (opaque; can be posted to a worker thread). */
export type WasmModule = { readonly __wasmModule: unique symbol };
/** An instance's exports: its memory and functions. */
export type WasmExports = Record<string, unknown> & { memory: { buffer: ArrayBuffer } };
// Node's WebAssembly API, which neither lib ES2022 nor @types/node 20 declares: the members used here.
const api = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => WasmModule;
      Instance: new (module: WasmModule) => { exports: WasmExports };
    };
  }
).WebAssembly;

/** Compile module bytes (synchronously; throws on invalid bytes or a runtime without SIMD). */
export function compileModule(bytes: Uint8Array): WasmModule {
  return new api.Module(bytes);
}

export function instantiate(module: WasmModule): WasmExports {
  return new api.Instance(module).exports;
}
