// The experiment registry: one file per experiment in this folder, one line each below.
import { InputError, NumericalError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import type { Experiment, ExperimentContext, ExperimentResult, Params } from './types.js';
import { resolveParams, describeParam } from './params.js';
import { fmCfmExact } from './fm-cfm-exact.js';
import { fmCfmGradient } from './fm-cfm-gradient.js';
import { tweedieScore } from './tweedie-score.js';
import { samplerRecoversData } from './sampler-recovers-data.js';
import { pfOdeVsSde } from './pf-ode-vs-sde.js';
import { etaFamilyMarginals } from './eta-family.js';
import { ddimIsEuler } from './ddim-is-euler.js';
import { cnfLikelihood } from './cnf-likelihood.js';
import { convergenceOrder } from './convergence-order.js';
import { reflowGaussianExact } from './reflow-gaussian.js';
import { reflowStraightness } from './reflow-straightness.js';
import { entropicOtSinkhorn } from './entropic-ot-sinkhorn.js';
import { sbSdeMarginals } from './sb-sde-marginals.js';
import { couplingStraightness } from './coupling-straightness.js';

export type { Experiment, ExperimentContext, ExperimentResult, ParamSpec } from './types.js';

const EXPERIMENTS: Experiment[] = [
  samplerRecoversData,
  pfOdeVsSde,
  etaFamilyMarginals,
  ddimIsEuler,
  cnfLikelihood,
  convergenceOrder,
  tweedieScore,
  fmCfmExact,
  fmCfmGradient,
  reflowGaussianExact,
  reflowStraightness,
  entropicOtSinkhorn,
  sbSdeMarginals,
  couplingStraightness,
];

export function listExperiments(): { name: string; summary: string; params: Record<string, string> }[] {
  return EXPERIMENTS.map((e) => ({
    name: e.name,
    summary: e.summary,
    params: Object.fromEntries(Object.entries(e.params).map(([k, spec]) => [k, describeParam(spec)])),
  }));
}

export function getExperiment(name: string): Experiment {
  const found = EXPERIMENTS.find((e) => e.name === name);
  if (!found) {
    const known = EXPERIMENTS.map((e) => e.name).join(', ');
    throw new InputError(
      `unknown experiment '${name}'${didYouMean(
        name,
        EXPERIMENTS.map((e) => e.name),
      )} (known: ${known})`,
      {},
      name,
    );
  }
  return found;
}

/**
 * Runs a named experiment; an unknown name or a bad parameter is an InputError naming it. A numerical
 * failure inside the run (a non-finite state, a diverged training, a solver that did not converge) says
 * nothing about the claim: the result is inconclusive with that reason.
 */
export async function runExperiment(
  name: string,
  params: Record<string, unknown>,
  ctx: ExperimentContext,
): Promise<ExperimentResult> {
  const experiment = getExperiment(name);
  if (!Number.isSafeInteger(ctx.seed) || ctx.seed < 0) {
    throw new InputError(`experiment '${name}': seed must be a non-negative integer`, {}, String(ctx.seed));
  }
  const resolved = resolveParams(experiment, params, ctx.thorough ?? false);
  return numericallySafe(name, async () =>
    confirmRejection(experiment, resolved, ctx, await experiment.run(resolved, ctx)),
  );
}

/** `run()`, or an inconclusive result when it fails numerically (the one place such failures become data). */
export async function numericallySafe(
  name: string,
  run: () => Promise<ExperimentResult>,
): Promise<ExperimentResult> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof NumericalError)) throw err;
    return { name, outcome: 'inconclusive', reason: err.message, evidence: [], notes: [] };
  }
}

/**
 * A rejection from a discretized run is a refutation only if it survives 4x the steps on the same draws:
 * the discretization bias shrinks, a wrong formula does not. If it vanishes, the steps were too coarse:
 * the result is inconclusive. Returns `result` itself unless it was rejected and refinement applies.
 */
export async function confirmRejection(
  experiment: Experiment,
  resolved: Params,
  ctx: ExperimentContext,
  result: ExperimentResult,
): Promise<ExperimentResult> {
  if (result.outcome !== 'rejected' || !experiment.refine || resolved.refine !== 'on') return result;
  const name = experiment.name;
  const finer = await experiment.run(experiment.refine(resolved), ctx);
  if (finer.outcome === 'passed') {
    const reason =
      `experiment '${name}' (seed ${ctx.seed}) rejects at the default steps but not with 4x the steps: ` +
      `discretization error, not evidence about the claim; run it with more steps (${result.notes[0]})`;
    const { evidence, diagnostics, notes, data } = result;
    return {
      name,
      outcome: 'inconclusive',
      reason,
      evidence,
      ...(diagnostics ? { diagnostics } : {}),
      notes,
      data,
    };
  }
  return {
    ...finer,
    notes: [...finer.notes, `the rejection persists with 4x the steps (first run: ${result.notes[0]})`],
  };
}
