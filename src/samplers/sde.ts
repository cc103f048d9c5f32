// Reverse-time SDE samplers on a diffusion-convention path, dx = f x dt + g dW forward in time:
// reverse drift f x - g^2 score, Euler-Maruyama over a step h = tNext - t < 0 (Song et al. 2021); and
// the stochastic eta family dx = [f x - (1 + eta^2)/2 g^2 score] dt + eta g dW-bar, whose every member has
// the same marginals (eta = 0 is the PF-ODE, eta = 1 the reverse SDE).
import { DomainError } from '../core/errors.js';
import { lin } from './program-builder.js';
import type { StepContext, StepFn } from './program-builder.js';
import type { TimePoint } from './clock.js';
import type { SamplerDef } from './types.js';

function diffusion2(p: TimePoint): number {
  const g2 = p.g2();
  if (!(g2 >= 0))
    throw new DomainError(
      'reverse SDE',
      `g^2 at t = ${p.t}`,
      g2,
      'must be >= 0 (this path has no forward SDE here)',
    );
  return g2;
}

/** One Euler-Maruyama step of dx = [f x - (1 + eta^2)/2 g^2 score] dt + eta g dW. */
export function etaStep(eta: number): StepFn {
  if (!(eta >= 0 && Number.isFinite(eta)))
    throw new DomainError('eta family', 'eta', eta, 'must be a finite number >= 0');
  return (ctx: StepContext, t, tNext) => {
    const p = ctx.point(t);
    const h = tNext - t;
    const g2 = diffusion2(p);
    const score = ctx.as('score', ctx.evaluate(ctx.x, t));
    const next = lin([1 + h * p.f(), ctx.x], [(-h * (1 + eta * eta) * g2) / 2, score]);
    return { next, noise: eta * Math.sqrt(Math.abs(h) * g2) };
  };
}

export const reverseSdeEm: SamplerDef = {
  summary: 'reverse-time SDE, Euler-Maruyama: x += (f x - g^2 score) h + g sqrt(|h|) z',
  convention: 'diffusion',
  stages: 1,
  continuousOnly: true,
  step: () => etaStep(1),
};

export const etaFamily: SamplerDef = {
  summary:
    'dx = [f x - (1 + eta^2)/2 g^2 score] dt + eta g dW (eta = 0: PF-ODE, 1: reverse SDE), Euler-Maruyama',
  convention: 'diffusion',
  stages: 1,
  continuousOnly: true,
  takesEta: true,
  step: ({ eta }) => etaStep(eta),
};
