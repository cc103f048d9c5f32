// The exact conditional law of a user's stochastic step, without Monte Carlo. A Gaussian step is an
// affine function of its standard-normal draws z_1..z_k: out = m + sum_i s_i z_i, so its law is
// N(m, sum_i s_i^2) however the noise is split. We read m with every draw 0, each s_i with draw i = 1,
// and then confirm the affine form at random draws; a step that is not affine in its draws (or draws
// a different number of times) cannot be compared exactly and is reported as such, never passed.
import type { Rng } from '../core/rng.js';
import type { Randn } from './module.js';

/** More draws than this in one step is treated as a runaway loop. */
const MAX_DRAWS = 256;
/** Random draws at which the affine form is confirmed. */
const CONFIRMATIONS = 2;

export type Probe =
  | { kind: 'law'; mean: number; std: number; draws: number }
  | { kind: 'error'; message: string }
  | { kind: 'not-affine'; message: string };

/** `run` calls the user's step with the given randn and returns its output (a string if it threw or gave a non-number). */
export function probeStep(run: (randn: Randn) => number | string, rng: Rng, tolerance: number): Probe {
  const call = (draws: (i: number) => number): { out: number | string; count: number } => {
    let count = 0;
    const out = run(() => {
      if (count >= MAX_DRAWS) throw new RangeError(`called randn more than ${MAX_DRAWS} times`);
      return draws(count++);
    });
    return { out, count };
  };
  const base = call(() => 0);
  if (typeof base.out === 'string') return { kind: 'error', message: base.out };
  const again = call(() => 0);
  if (again.out !== base.out)
    return {
      kind: 'error',
      message: `two identical calls gave ${base.out} and ${again.out}: draw noise only from the randn argument (it is seeded)`,
    };
  const k = base.count;
  const s = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const r = call((j) => (j === i ? 1 : 0));
    if (typeof r.out === 'string') return { kind: 'error', message: r.out };
    if (r.count !== k)
      return {
        kind: 'not-affine',
        message: `the number of randn calls depends on the values drawn (${k} vs ${r.count})`,
      };
    s[i] = r.out - base.out;
  }
  for (let c = 0; c < CONFIRMATIONS; c++) {
    const z = Float64Array.from({ length: k }, () => rng.normal());
    const r = call((j) => z[j]);
    if (typeof r.out === 'string') return { kind: 'error', message: r.out };
    const predicted = base.out + s.reduce((acc, si, i) => acc + si * z[i], 0);
    if (r.count !== k || !(Math.abs(r.out - predicted) <= tolerance))
      return {
        kind: 'not-affine',
        message: `the output is not an affine function of the ${k} standard-normal draws, so its law is not compared exactly`,
      };
  }
  return { kind: 'law', mean: base.out, std: Math.sqrt(s.reduce((acc, si) => acc + si * si, 0)), draws: k };
}
