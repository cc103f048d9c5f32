// The shape of a named Monte-Carlo experiment (DESIGN section 6) and of its result.
import type { Diagnostic, ExactEvidence, MonteCarloEvidence } from '../core/verdict.js';

export interface ExperimentContext {
  seed: number;
  backend?: string;
  /** Run at the larger, slower size (more samples, more steps). */
  thorough?: boolean;
  onProgress?: (fraction: number, note: string) => void;
}

/** What every experiment result holds, whatever its outcome. */
interface ResultBody {
  name: string;
  /** One entry per counted check: a statistical test (monte-carlo) or a deterministic one (exact). */
  evidence: (ExactEvidence | MonteCarloEvidence)[];
  /** Results reported but not counted, each with the reason. */
  diagnostics?: Diagnostic[];
  /** Human-readable findings. */
  notes: string[];
  /** Series for plots (histograms, per-t marginals, error vs steps). */
  data?: Record<string, unknown>;
}

/**
 * `passed`: every counted check passes (exact checks within their tolerance, tests after Holm within
 * the experiment); `rejected`: some do not, listed in `failed`; `inconclusive`: the run cannot bear on
 * the claim (a numerical failure, or a rejection that vanished with finer steps), with the reason.
 */
export type ExperimentResult =
  | (ResultBody & { outcome: 'passed' })
  | (ResultBody & { outcome: 'rejected'; failed: string[] })
  | (ResultBody & { outcome: 'inconclusive'; reason: string });

/** A typed experiment parameter. `default` applies to default runs, `thorough` (if given) to thorough ones. */
export type ParamSpec =
  | { kind: 'integer'; min: number; max?: number; default: number; thorough?: number; doc: string }
  | { kind: 'number'; min?: number; max?: number; default: number; doc: string }
  | { kind: 'choice'; choices: readonly string[]; default: string; doc: string }
  | { kind: 'list'; choices: readonly string[]; default: readonly string[]; doc: string }
  | { kind: 'numbers'; min?: number; max?: number; default: readonly number[]; doc: string };

export type ParamSpecs = Record<string, ParamSpec>;

/** The type of a parameter's value, from its declaration (a choice is one of its `choices`). */
export type ParamValueOf<S extends ParamSpec> = S extends { kind: 'integer' | 'number' }
  ? number
  : S extends { kind: 'choice'; choices: readonly (infer C)[] }
    ? C
    : S extends { kind: 'list'; choices: readonly (infer C)[] }
      ? readonly C[]
      : readonly number[];

/** Validated parameters of the declarations P: every declared one, with its type. */
export type ParamsOf<P extends ParamSpecs> = { readonly [K in keyof P]: ParamValueOf<P[K]> };

export type ParamValue = ParamValueOf<ParamSpec>;
/** Validated parameters of some experiment, as the registry and the shard files hold them. */
export type Params = ParamsOf<ParamSpecs>;

/** An experiment whose parameters have the types their declarations `P` give them. */
export interface ExperimentDef<P extends ParamSpecs> {
  name: string;
  summary: string;
  params: P;
  /** Runs on validated parameters (every declared parameter present). */
  run(params: ParamsOf<P>, ctx: ExperimentContext): Promise<ExperimentResult>;
  /**
   * For experiments with a time discretization: the same parameters with 4x the steps. A rejection is
   * reported only if it persists under this refinement (same seed), see runExperiment.
   */
  refine?(params: ParamsOf<P>): ParamsOf<P>;
  /** Present when the run splits into independent work units that can run as separate shards. */
  sharding?: Sharding<ParamsOf<P>>;
}

/**
 * An experiment as the registry holds it. The parameters it is given are validated against its
 * declarations first (resolveParams), which is what makes them the `ParamsOf<P>` its methods expect.
 */
export type Experiment = ExperimentDef<ParamSpecs>;

/** Parameter declarations kept with their literal kinds and choices, for `ParamsOf` outside an experiment. */
export function declareParams<const P extends ParamSpecs>(params: P): P {
  return params;
}

/**
 * Declares an experiment: `run`, `refine` and `sharding` see each parameter with its declared type. The
 * registry's `Experiment` takes any `Params` (method parameters are compared bivariantly); runExperiment
 * and the shard merge hand it only parameters resolveParams validated against `P`.
 */
export function defineExperiment<const P extends ParamSpecs>(def: ExperimentDef<P>): Experiment {
  return def;
}

/**
 * Scale-out (DESIGN section 10): a run is `units` independent work units (replications, particle blocks),
 * each a pure function of (parameters, seed, unit index). A shard runs a contiguous range of units and
 * returns what the result needs from them (JSON-serialisable; Float64Arrays allowed); `finish` builds the
 * result from the parts of all units in unit order, so any split, in one process or many, gives the same
 * result bit for bit. The experiment's `run` is `finish` of one part holding every unit.
 */
export interface Sharding<T = Params> {
  units(params: T): number;
  run(params: T, ctx: ExperimentContext, begin: number, end: number): Promise<ShardPart>;
  finish(parts: ShardPart[], params: T, ctx: ExperimentContext): ExperimentResult;
}

/** The output of units [begin, end) of a run; `ms` is its wall time. */
export interface ShardPart {
  begin: number;
  end: number;
  ms: number;
  data: Record<string, unknown>;
}
