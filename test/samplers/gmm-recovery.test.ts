// Each sampler driven by the exact score recovers the target: on a 1-D two-component and a 2-D
// eight-component mixture, every sample mean and covariance entry lies within its Monte-Carlo band plus a
// discretisation allowance derived by step doubling. For a method of weak order p the bias at N steps is
// b(N) = C h^p + o(h^p), so est(N/2) - est(N) ~ (2^p - 1) b(N): the allowance is
//   |est(N/2) - est(N)| / (2^p - 1)  +  z se(est(N/2) - est(N)) / (2^p - 1),
// the second term bounding the Monte-Carlo noise of the difference (runs treated as independent, which
// over-covers for the coupled deterministic samplers). z = 4 per statistic (alpha 6e-5; about 100 checks).
import { describe, expect, it } from 'vitest';
import { sample } from '../../src/samplers/index.js';

const Z = 4;

interface Moments {
  stats: number[];
  se: number[];
}

/** Means and upper-triangle covariances of samples [n x d], each with its standard error. */
function moments(xs: Float64Array, n: number, d: number): Moments {
  const m = new Array(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) m[j] += xs[i * d + j] / n;
  const stats: number[] = [];
  const se: number[] = [];
  for (let j = 0; j < d; j++) {
    let v = 0;
    for (let i = 0; i < n; i++) v += (xs[i * d + j] - m[j]) ** 2;
    stats.push(m[j]);
    se.push(Math.sqrt(v / n / n));
  }
  for (let j = 0; j < d; j++) {
    for (let k = j; k < d; k++) {
      let c = 0;
      let c2 = 0;
      for (let i = 0; i < n; i++) {
        const p = (xs[i * d + j] - m[j]) * (xs[i * d + k] - m[k]);
        c += p;
        c2 += p * p;
      }
      c /= n;
      stats.push(c);
      se.push(Math.sqrt((c2 / n - c * c) / n));
    }
  }
  return { stats, se };
}

function exactMoments(mean: Float64Array, cov: Float64Array, d: number): number[] {
  const out = [...mean];
  for (let j = 0; j < d; j++) for (let k = j; k < d; k++) out.push(cov[j * d + k]);
  return out;
}

const samplers: [string, number, number, object][] = [
  // name, weak order, steps N, options
  ['reverse-sde-em', 1, 300, {}],
  ['eta-family', 1, 300, { eta: 0.5 }],
  ['pf-ode-euler', 1, 160, {}],
  ['pf-ode-heun', 2, 60, {}],
  ['pf-ode-rk4', 4, 20, {}],
  ['fm-euler', 1, 160, {}],
  ['fm-heun', 2, 60, {}],
  ['ddim', 1, 160, { eta: 0 }],
  // DDPM respaced to 250 of the linear schedule's 1000 steps (and 125 for the coarse run).
  ['ddpm', 1, 250, {}],
];

for (const [target, n] of [
  ['gmm-1d-2', 40_000],
  ['gmm-2d-8', 25_000],
] as const) {
  describe(`samplers recover ${target} with the exact score`, () => {
    for (const [sampler, order, N, extra] of samplers) {
      it(`${sampler} (order ${order}, ${N} steps)`, async () => {
        const run = (numSteps: number) =>
          sample({ target, sampler, numSteps, n, seed: 11, threads: 1, ...extra });
        const fine = await run(N);
        const coarse = await run(N / 2);
        const d = fine.d;
        const truth = exactMoments(fine.reference.mean(), fine.reference.covariance(), d);
        const a = moments(fine.samples, n, d);
        const b = moments(coarse.samples, n, d);
        const q = 2 ** order - 1;
        for (let i = 0; i < truth.length; i++) {
          const allowance = (Math.abs(b.stats[i] - a.stats[i]) + Z * Math.hypot(a.se[i], b.se[i])) / q;
          const err = Math.abs(a.stats[i] - truth[i]);
          expect(err, `statistic ${i}: ${a.stats[i]} vs exact ${truth[i]}`).toBeLessThan(
            Z * a.se[i] + allowance,
          );
        }
      });
    }
  });
}
