// DDIM with eta (Song, Meng & Ermon 2021, eq. 12), for any affine path in the diffusion convention:
//   x' = alpha' data + sqrt(sigma'^2 - s^2) eps + s z,  s^2 = eta^2 sigma'^2 (1 - (alpha sigma')^2 / (alpha' sigma)^2),
// where s^2 at eta = 1 is the variance of the forward posterior q(x_t' | x_t, data) (for VP paths this is
// eq. 16's eta^2 (1 - abar')/(1 - abar) (1 - abar/abar')). eta = 0 is deterministic DDIM.
import { DomainError } from '../core/errors.js';
import { lin } from './program-builder.js';
import type { SamplerDef } from './types.js';

export const ddim: SamplerDef = {
  summary:
    "DDIM(eta): x' = alpha' data + sqrt(sigma'^2 - s^2) eps + s z (any diffusion path or discrete schedule)",
  convention: 'diffusion',
  stages: 1,
  continuousOnly: false,
  takesEta: true,
  step:
    ({ eta }) =>
    (ctx, t, tNext) => {
      if (!(eta >= 0 && eta <= 1)) throw new DomainError('ddim', 'eta', eta, 'must lie in [0, 1]');
      const p = ctx.point(t);
      const q = ctx.point(tNext);
      const ratio = (p.alpha * q.sigma) / (q.alpha * p.sigma);
      const s2 = eta * eta * q.sigma * q.sigma * Math.max(0, 1 - ratio * ratio);
      const ev = ctx.evaluate(ctx.x, t);
      const next = lin([q.alpha, ctx.as('data', ev)], [Math.sqrt(q.sigma * q.sigma - s2), ctx.as('eps', ev)]);
      return { next, noise: Math.sqrt(s2) };
    },
};
