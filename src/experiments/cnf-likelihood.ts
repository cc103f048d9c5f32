// cnf-likelihood: the instantaneous change of variables. Along dx/dt = u_t(x) with the PF-ODE velocity
// u = f x - g^2 score / 2,  d/dt log p_t(x_t) = -div u_t(x_t),  so
//   log p_t0(x) = log p_T(x_T) + int_t0^T div u_t(x_t) dt,   x_t0 = x.
// The augmented ODE (x, int div u) is integrated forward with classic RK4; the result must match the
// exact mixture log-density at points drawn from p_t0, within a stated tolerance. The RK4 error is
// estimated by step doubling: a pass needs it below the tolerance, a refutation a residual beyond ten
// times it; otherwise the run is a NumericalError (too few steps for this path), never a verdict.
// div u = f d - g^2 div(score) / 2, with div(score) recovered from the target's exact div of its velocity.
import { samplingInterval } from '../samplers/index.js';
import { DomainError, NumericalError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { pathPoint } from '../params/index.js';
import { getPath, toConvention, type AffinePath } from '../schedules/index.js';
import { asMixture, getTarget, type GaussianMixture } from '../targets/index.js';
import type { LinesPlot } from '../report/plots/index.js';
import { ALPHA, exactCheck, finish, fmt, pathParam, targetsParam, type ExactOutcome } from './common.js';
import { mutationParam, type Mutation } from './mutations.js';
import { againstDiagonal, curve, round4 } from './plots.js';
import { defineExperiment } from './types.js';

export const TOLERANCE = 1e-4;

/** The velocity under test and its divergence: u = f x - c g^2 (k score), the claim being c = 1/2, k = 1. */
function field(law: GaussianMixture, path: AffinePath, mutation: Mutation) {
  const c = mutation === 'pf-ode-no-half' ? 1 : 0.5;
  const k = mutation === 'score-scale-1.05' ? 1.05 : 1;
  return (x: Float64Array, t: number, u: Float64Array): number => {
    const f = path.f(t);
    const g2 = path.g2(t);
    if (!(g2 > 0))
      throw new DomainError('cnf-likelihood', `g^2 at t = ${t}`, g2, 'must be > 0 (the path needs an SDE)');
    const fields = law.fieldsAt(x, pathPoint(path, t));
    // The exact velocity is f x - g^2 s / 2, so div s = 2 (f d - div velocity) / g^2.
    const divScore = (2 * (f * law.d - fields.divVelocity)) / g2;
    for (let j = 0; j < law.d; j++) u[j] = f * x[j] - c * g2 * k * fields.score[j];
    return f * law.d - c * g2 * k * divScore;
  };
}

/** log p_t0(x) by RK4 on (x, int div u) from t0 to T in `steps` steps. */
function odeLogDensity(
  law: GaussianMixture,
  path: AffinePath,
  u: ReturnType<typeof field>,
  x0: Float64Array,
  t0: number,
  T: number,
  steps: number,
): number {
  const { d } = law;
  const h = (T - t0) / steps;
  const x = Float64Array.from(x0);
  const y = new Float64Array(d);
  const ks = [0, 1, 2, 3].map(() => new Float64Array(d));
  let integral = 0;
  for (let s = 0; s < steps; s++) {
    const t = t0 + s * h;
    const div1 = u(x, t, ks[0]);
    for (let j = 0; j < d; j++) y[j] = x[j] + (h / 2) * ks[0][j];
    const div2 = u(y, t + h / 2, ks[1]);
    for (let j = 0; j < d; j++) y[j] = x[j] + (h / 2) * ks[1][j];
    const div3 = u(y, t + h / 2, ks[2]);
    for (let j = 0; j < d; j++) y[j] = x[j] + h * ks[2][j];
    const div4 = u(y, t + h, ks[3]);
    for (let j = 0; j < d; j++) x[j] += (h / 6) * (ks[0][j] + 2 * ks[1][j] + 2 * ks[2][j] + ks[3][j]);
    integral += (h / 6) * (div1 + 2 * div2 + 2 * div3 + div4);
  }
  return law.fieldsAt(x, pathPoint(path, T)).logDensity + integral;
}

export const cnfLikelihood = defineExperiment({
  name: 'cnf-likelihood',
  summary: 'log p_0(x) from the PF-ODE plus its divergence integral equals the exact log-density',
  params: {
    targets: targetsParam,
    path: pathParam(),
    points: {
      kind: 'integer',
      min: 1,
      default: 16,
      thorough: 100,
      doc: 'points x drawn from p_t0 per target',
    },
    steps: { kind: 'integer', min: 4, default: 200, thorough: 400, doc: 'RK4 steps from t0 to T' },
    mutation: mutationParam(['pf-ode-no-half', 'score-scale-1.05']),
  },
  async run(params, ctx) {
    const start = performance.now();
    const path = toConvention(getPath(params.path), 'diffusion');
    const steps = params.steps;
    const numPoints = params.points;
    const mutation = params.mutation;
    const { tEnd: t0, tStart: T } = samplingInterval(path);
    const outcomes: ExactOutcome[] = [];
    const notes: string[] = [];
    const series: Record<string, unknown>[] = [];
    const plots: LinesPlot[] = [];
    const targets = params.targets;
    for (const [ti, name] of targets.entries()) {
      const law = asMixture(getTarget(name));
      const c0 = pathPoint(path, t0);
      const points = law.marginal(c0.alpha, c0.sigma).sample(numPoints, new Rng(ctx.seed, ti));
      const u = field(law, path, mutation);
      let maxResidual = 0;
      let maxStepError = 0;
      const exacts: number[] = [];
      const odes: number[] = [];
      for (let p = 0; p < numPoints; p++) {
        const x = points.subarray(p * law.d, (p + 1) * law.d);
        const exact = law.fieldsAt(x, c0).logDensity;
        const fine = odeLogDensity(law, path, u, x, t0, T, steps);
        const coarse = odeLogDensity(law, path, u, x, t0, T, Math.max(2, Math.floor(steps / 2)));
        maxResidual = Math.max(maxResidual, Math.abs(fine - exact));
        maxStepError = Math.max(maxStepError, Math.abs(fine - coarse) / 15); // RK4: e(h) ~ (e(2h) - e(h)) / 15
        series.push({ target: name, x: [...x], exact, ode: fine });
        exacts.push(exact);
        odes.push(fine);
      }
      // Confirm only when the RK4 error is within the tolerance; refute only when the residual exceeds the
      // tolerance by far more than the RK4 error; anything between says the steps are too coarse.
      const refuteBeyond = TOLERANCE + 10 * maxStepError;
      if (maxStepError > TOLERANCE && maxResidual <= refuteBeyond) {
        throw new NumericalError(
          `cnf-likelihood on ${name}: RK4 error estimate ${fmt(maxStepError)} exceeds the tolerance ${TOLERANCE} ` +
            `and is comparable to the residual ${fmt(maxResidual)}; raise 'steps' (now ${steps}) for this path`,
        );
      }
      outcomes.push(
        exactCheck(
          `${name}: max |log p_ode - log p_exact| at t=${fmt(t0)}`,
          maxResidual,
          maxStepError > TOLERANCE ? refuteBeyond : TOLERANCE,
          { size: numPoints, unit: `points x ~ p_t0 (an RK4 solve of ${steps} steps each)` },
        ),
      );
      // Drawn by the HTML report: in 1-D the exact log p_t0 as a curve with the ODE values at the points,
      // else the ODE values against the exact ones.
      const title = `${name} at t = ${fmt(t0)}: log p by PF-ODE + divergence (RK4) vs exact`;
      const xs = [...points];
      if (law.d === 1) {
        const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
        const pad = 0.1 * (hi - lo || 1);
        const logDensity = (v: number) => law.fieldsAt([v], c0).logDensity;
        plots.push({
          kind: 'lines',
          title,
          xLabel: 'x',
          yLabel: 'log p(x)',
          series: [
            { name: 'exact log-density', ...curve(logDensity, lo - pad, hi + pad), exact: true },
            { name: 'PF-ODE + divergence', x: xs.map(round4), y: odes.map(round4), points: true },
          ],
        });
      } else {
        plots.push(
          againstDiagonal(
            title,
            { x: 'exact log p(x)', y: 'PF-ODE log p(x)', points: `${numPoints} points x ~ p_t0` },
            exacts.map(round4),
            odes.map(round4),
          ),
        );
      }
      notes.push(
        `${name}: largest residual ${fmt(maxResidual)}, RK4 error estimate ${fmt(maxStepError)} (tolerance ${TOLERANCE})`,
      );
      ctx.onProgress?.((ti + 1) / targets.length, name);
    }
    if (mutation !== 'none') notes.push(`mutation injected: ${mutation}`);
    const meta = {
      experiment: 'cnf-likelihood',
      seed: ctx.seed,
      backend: 'js',
      ms: performance.now() - start,
    };
    return finish(outcomes, meta, ALPHA, notes, { points: series, plots });
  },
});
