// DDPM ancestral sampling (Ho et al. 2020, Alg. 2) on a VP marginal, written for a step between any two
// times t -> t' (consecutive tIndex values give the paper's chain; a coarser grid gives its respacing):
//   1 - beta = abar_t / abar_t',  x' = (x - beta / sigma_t eps) / sqrt(1 - beta) + sqrt(beta) z,
// with sigma^2 = beta (the paper's choice) and z = 0 on the last step (t' the data end, sigma_t' = 0).
import { DomainError } from '../core/errors.js';
import { lin } from './program-builder.js';
import type { TimePoint } from './clock.js';
import type { SamplerDef } from './types.js';

function requireVp(p: TimePoint): void {
  if (Math.abs(p.alpha * p.alpha + p.sigma * p.sigma - 1) > 1e-9) {
    throw new DomainError(
      'ddpm',
      `alpha^2 + sigma^2 at t = ${p.t}`,
      p.alpha ** 2 + p.sigma ** 2,
      'must be 1 (DDPM needs a variance-preserving path)',
    );
  }
}

export const ddpm: SamplerDef = {
  summary:
    "DDPM ancestral: x' = (x - beta/sigma eps)/sqrt(1 - beta) + sqrt(beta) z (VP paths, discrete or continuous)",
  convention: 'diffusion',
  stages: 1,
  continuousOnly: false,
  step: () => (ctx, t, tNext) => {
    const p = ctx.point(t);
    const q = ctx.point(tNext);
    requireVp(p);
    requireVp(q);
    const beta = 1 - (p.alpha * p.alpha) / (q.alpha * q.alpha);
    const eps = ctx.as('eps', ctx.evaluate(ctx.x, t));
    const scale = 1 / Math.sqrt(1 - beta);
    return {
      next: lin([scale, ctx.x], [(-scale * beta) / p.sigma, eps]),
      noise: q.sigma === 0 ? 0 : Math.sqrt(beta),
    };
  },
};
