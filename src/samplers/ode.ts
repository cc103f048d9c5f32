// ODE samplers: the probability-flow ODE dx/dt = f x - g^2 score / 2 of a diffusion-convention path, and
// the flow-matching ODE dx/dt = velocity of a flow-convention path, with Euler, Heun and classic RK4.
// Where the model output cannot be converted at the step's end point (sigma = 0 at the data end, where
// score and eps divide by sigma), the step falls back as in Karras et al. (2022, Alg. 1): Heun's last step
// is Euler, and RK4's last step is the explicit midpoint rule (its stages at t and t + h/2 only).
import { lin, type LinComb, type StepContext, type StepFn } from './program-builder.js';
import type { SamplerDef } from './types.js';

type Drift = (ctx: StepContext, y: LinComb, t: number) => LinComb;

/** PF-ODE drift f y - g^2 score(y) / 2. */
const pfOdeDrift: Drift = (ctx, y, t) => {
  const p = ctx.point(t);
  return lin([p.f(), y], [-p.g2() / 2, ctx.as('score', ctx.evaluate(y, t))]);
};

const flowDrift: Drift = (ctx, y, t) => ctx.as('velocity', ctx.evaluate(y, t));

const euler =
  (drift: Drift): StepFn =>
  (ctx, t, tNext) => ({ next: lin([1, ctx.x], [tNext - t, drift(ctx, ctx.x, t)]), noise: 0 });

const heun =
  (drift: Drift, field: 'score' | 'velocity'): StepFn =>
  (ctx, t, tNext) => {
    const h = tNext - t;
    const k1 = drift(ctx, ctx.x, t);
    const y = lin([1, ctx.x], [h, k1]);
    if (!ctx.canConvert(field, tNext)) return { next: y, noise: 0 };
    const k2 = drift(ctx, y, tNext);
    return { next: lin([1, ctx.x], [h / 2, k1], [h / 2, k2]), noise: 0 };
  };

const rk4 =
  (drift: Drift, field: 'score' | 'velocity'): StepFn =>
  (ctx, t, tNext) => {
    const h = tNext - t;
    const x = ctx.x;
    const k1 = drift(ctx, x, t);
    const k2 = drift(ctx, lin([1, x], [h / 2, k1]), t + h / 2);
    if (!ctx.canConvert(field, tNext)) return { next: lin([1, x], [h, k2]), noise: 0 };
    const k3 = drift(ctx, lin([1, x], [h / 2, k2]), t + h / 2);
    const k4 = drift(ctx, lin([1, x], [h, k3]), tNext);
    return { next: lin([1, x], [h / 6, k1], [h / 3, k2], [h / 3, k3], [h / 6, k4]), noise: 0 };
  };

const pfOde = (summary: string, stages: number, step: StepFn): SamplerDef => ({
  summary,
  convention: 'diffusion',
  stages,
  continuousOnly: true,
  step: () => step,
});
const flow = (summary: string, stages: number, step: StepFn): SamplerDef => ({
  summary,
  convention: 'flow',
  stages,
  continuousOnly: true,
  step: () => step,
});

export const pfOdeEuler = pfOde(
  'probability-flow ODE dx/dt = f x - g^2 score / 2, Euler',
  1,
  euler(pfOdeDrift),
);
export const pfOdeHeun = pfOde(
  'probability-flow ODE, Heun (2nd order; last step Euler at sigma = 0)',
  2,
  heun(pfOdeDrift, 'score'),
);
export const pfOdeRk4 = pfOde(
  'probability-flow ODE, classic RK4 (last step midpoint at sigma = 0)',
  4,
  rk4(pfOdeDrift, 'score'),
);
export const fmEuler = flow(
  'flow-matching ODE dx/dt = velocity (flow convention, noise t = 0 -> data t = 1), Euler',
  1,
  euler(flowDrift),
);
export const fmHeun = flow(
  'flow-matching ODE, Heun (last step Euler where the velocity is singular)',
  2,
  heun(flowDrift, 'velocity'),
);
