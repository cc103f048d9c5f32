// The fused float64 kernel of the 'js' backend: the exact Gaussian-mixture denoiser E[data | y] and the
// sampler update, generated as JavaScript source per (d, K, S, isotropic) with every loop over
// dimensions and components unrolled and the component means written in as constants. A particle's state
// stays in locals for a whole step (no per-op temporaries); the per-stage coefficients come from a small
// table that stays in L1 while a block of particles streams through it.
//
// Per stage at path coefficients (a, sigma), var_k = a^2 v_k + sigma^2, iv = 1 / var:
//   isotropic: log r_k = c_k + h_k |y|^2 + e_k <y, mu_k>  (c_k = log w_k - d/2 log var_k - a^2 iv_k |mu_k|^2 / 2,
//              h_k = -iv_k / 2, e_k = a iv_k);  E[data | y] = sum_k r_k (u_k mu_k + q_k y)
//   diagonal:  log r_k = c_k + sum_j h_kj (y_j - a mu_kj)^2;  E[data | y]_j = sum_k r_k (u_kj mu_kj + q_kj y_j)
// with q = a v iv (the posterior gain) and u = 1 - a q, responsibilities normalised after a max-shift.
import { DomainError } from '../core/errors.js';
import { expSource } from './exp.js';
import type { MixtureModel, ProgramSize, StepProgram } from './program.js';

export interface KernelShape {
  d: number;
  K: number;
  S: number;
  isotropic: boolean;
}

export function kernelShape(model: MixtureModel, program: ProgramSize): KernelShape {
  const { d } = model;
  const K = model.weights.length;
  let isotropic = true;
  for (let k = 0; k < K && isotropic; k++) {
    for (let j = 1; j < d; j++) if (model.variances[k * d + j] !== model.variances[k * d]) isotropic = false;
  }
  return { d, K, S: program.maxStages, isotropic };
}

/** Table entries per stage. */
export function tableStride({ d, K, isotropic }: KernelShape): number {
  return isotropic ? 1 + 5 * K : 1 + K + 3 * K * d;
}

/** The per-stage coefficient table [numSteps * S * stride] (the formulas in the header). */
export function stageTable(model: MixtureModel, program: StepProgram, shape: KernelShape): Float64Array {
  const { d, K, S, isotropic } = shape;
  const T = tableStride(shape);
  const tab = new Float64Array(program.numSteps * S * T);
  // Per component, the same at every stage: log w_k and |mu_k|^2.
  const logW = Float64Array.from(model.weights, Math.log);
  const mu2 = new Float64Array(K);
  for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) mu2[k] += model.means[k * d + j] ** 2;
  for (let st = 0; st < program.numSteps * S; st++) {
    if (st % S >= program.stages[Math.floor(st / S)]) continue; // a stage this step skips
    const a = program.evalAlpha[st];
    const sigma = program.evalSigma[st];
    const o = st * T;
    tab[o] = a;
    for (let k = 0; k < K; k++) {
      if (isotropic) {
        const v = model.variances[k * d];
        const iv = 1 / (a * a * v + sigma * sigma);
        const q = a * v * iv;
        tab[o + 1 + k] = logW[k] + 0.5 * d * Math.log(iv) - 0.5 * a * a * iv * mu2[k];
        tab[o + 1 + K + k] = -0.5 * iv;
        tab[o + 1 + 2 * K + k] = a * iv;
        tab[o + 1 + 3 * K + k] = 1 - a * q;
        tab[o + 1 + 4 * K + k] = q;
      } else {
        let c = logW[k];
        for (let j = 0; j < d; j++) {
          const v = model.variances[k * d + j];
          const iv = 1 / (a * a * v + sigma * sigma);
          const q = a * v * iv;
          c += 0.5 * Math.log(iv);
          tab[o + 1 + K + k * d + j] = -0.5 * iv;
          tab[o + 1 + K + K * d + k * d + j] = 1 - a * q;
          tab[o + 1 + K + 2 * K * d + k * d + j] = q;
        }
        tab[o + 1 + k] = c;
      }
    }
  }
  for (let i = 0; i < tab.length; i++) {
    if (!Number.isFinite(tab[i])) {
      const st = Math.floor(i / T);
      throw new DomainError(
        'mixture kernel',
        `sigma at step ${Math.floor(st / S)}`,
        program.evalSigma[st],
        'leaves a zero-variance component (an atom) singular: evaluate the model only where sigma > 0',
      );
    }
  }
  return tab;
}

const lit = (v: number) => (v < 0 || Object.is(v, -0) ? `(${v})` : String(v));
const range = (n: number) => [...Array(n).keys()];
const sum = (terms: string[]) => terms.join(' + ');

/**
 * Source of `(ctx) => runBlock(start, count, rng)`: runs the whole program on particles
 * [start, start + count) of ctx.X, drawing step noise from rng (one fillNormal per noisy step).
 */
export function kernelSource(model: MixtureModel, shape: KernelShape): string {
  const { d, K, S, isotropic } = shape;
  const T = tableStride(shape);
  const mu = (k: number, j: number) => lit(model.means[k * d + j]);
  const J = range(d);
  const Kr = range(K);
  // Stage coefficients: hoisted into locals before the particle loop when the table is small (isotropic),
  // read from the table otherwise (the diagonal table has 3 K d entries per stage).
  const tv = (i: number, e: number): string => (isotropic ? `t${i}_${e}` : `tab[o${i} + ${e}]`);
  const stageCode = (i: number): string => {
    const lines: string[] = [];
    lines.push(`if (ns > ${i}) {`);
    lines.push(`const a = ${tv(i, 0)};`);
    for (const j of J) {
      const terms = [`ex${i} * x${j}`, ...range(i).map((jj) => `a${i}_${jj} * m${jj}_${j}`)];
      lines.push(`const y${j} = ${sum(terms)};`);
    }
    if (isotropic) {
      lines.push(`const yy = ${sum(J.map((j) => `y${j} * y${j}`))};`);
      for (const k of Kr) {
        const dot = sum(J.map((j) => `y${j} * ${mu(k, j)}`));
        lines.push(
          `const l${k} = ${tv(i, 1 + k)} + ${tv(i, 1 + K + k)} * yy + ${tv(i, 1 + 2 * K + k)} * (${dot});`,
        );
      }
    } else {
      for (const k of Kr) {
        const quad = J.map((j) => {
          const h = tv(i, 1 + K + k * d + j);
          return `${h} * (y${j} - a * ${mu(k, j)}) * (y${j} - a * ${mu(k, j)})`;
        });
        lines.push(`const l${k} = ${tv(i, 1 + k)} + ${sum(quad)};`);
      }
    }
    lines.push(`let mx = l0;`);
    for (const k of Kr.slice(1)) lines.push(`if (l${k} > mx) mx = l${k};`);
    for (const k of Kr) lines.push(expSource(`r${k}`, `l${k} - mx`, 'EXP'));
    lines.push(`const inv = 1 / (${sum(Kr.map((k) => `r${k}`))});`);
    if (isotropic) {
      for (const k of Kr) lines.push(`const ru${k} = r${k} * ${tv(i, 1 + 3 * K + k)};`);
      lines.push(`const rq = ${sum(Kr.map((k) => `r${k} * ${tv(i, 1 + 4 * K + k)}`))};`);
      for (const j of J)
        lines.push(`m${i}_${j} = (${sum(Kr.map((k) => `ru${k} * ${mu(k, j)}`))} + rq * y${j}) * inv;`);
    } else {
      for (const j of J) {
        const terms = Kr.map((k) => {
          const u = tv(i, 1 + K + K * d + k * d + j);
          const q = tv(i, 1 + K + 2 * K * d + k * d + j);
          return `r${k} * (${u} * ${mu(k, j)} + ${q} * y${j})`;
        });
        lines.push(`m${i}_${j} = (${sum(terms)}) * inv;`);
      }
    }
    lines.push('}');
    return lines.join('\n');
  };
  const Sr = range(S);
  return `"use strict";
const { X, Z, tab, stages, evalX, evalM, nextX, nextM, nextZ, saveSlot, traj, numSteps, n } = ctx;
const EXP = ctx.expTable;
return function runBlock(start, count, rng) {
  for (let s = 0; s < numSteps; s++) {
    const ns = stages[s];
    const cz = nextZ[s];
    if (cz !== 0) rng.fillNormal(Z, 0, count * ${d});
    const cx = nextX[s];
    ${Sr.map((i) => `const ex${i} = evalX[s * ${S} + ${i}]; const b${i} = nextM[s * ${S} + ${i}];`).join('\n    ')}
    ${Sr.flatMap((i) => range(i).map((j) => `const a${i}_${j} = evalM[(s * ${S} + ${i}) * ${S} + ${j}];`)).join('\n    ')}
    ${Sr.map((i) => `const o${i} = (s * ${S} + ${i}) * ${T};`).join(' ')}
    ${
      isotropic
        ? Sr.map((i) =>
            range(T)
              .map((e) => `const t${i}_${e} = tab[o${i} + ${e}];`)
              .join(' '),
          ).join('\n    ')
        : ''
    }
    for (let p = 0; p < count; p++) {
      const base = (start + p) * ${d};
      const zb = p * ${d};
      ${J.map((j) => `const x${j} = X[base + ${j}];`).join(' ')}
      ${Sr.map((i) => J.map((j) => `let m${i}_${j} = 0;`).join(' ')).join('\n      ')}
      ${Sr.map(stageCode).join('\n')}
      ${J.map((j) => `X[base + ${j}] = cx * x${j} + ${sum(Sr.map((i) => `b${i} * m${i}_${j}`))} + cz * Z[zb + ${j}];`).join('\n      ')}
    }
    const slot = saveSlot[s + 1];
    if (slot >= 0) traj.set(X.subarray(start * ${d}, (start + count) * ${d}), (slot * n + start) * ${d});
  }
};`;
}

/** The context a compiled kernel reads (typed arrays may live on SharedArrayBuffers). */
export interface KernelContext {
  X: Float64Array;
  /** exp.ts's table (passed in: generated code has no imports). */
  expTable: Float64Array;
  Z: Float64Array;
  tab: Float64Array;
  stages: Int32Array;
  evalX: Float64Array;
  evalM: Float64Array;
  nextX: Float64Array;
  nextM: Float64Array;
  nextZ: Float64Array;
  /** [numSteps + 1] trajectory slot of the state after step s, or -1. */
  saveSlot: Int32Array;
  traj: Float64Array;
  numSteps: number;
  n: number;
}

export type RunBlock = (
  start: number,
  count: number,
  rng: { fillNormal(out: Float64Array, offset: number, count: number): Float64Array },
) => void;

export function compileKernel(source: string, ctx: KernelContext): RunBlock {
  return new Function('ctx', source)(ctx) as RunBlock;
}

/** The trajectory slot of every state (-1 when not kept). */
export function saveSlots(save: Uint8Array): Int32Array {
  let next = 0;
  return Int32Array.from(save, (keep) => (keep ? next++ : -1));
}
