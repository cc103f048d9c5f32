// Run every check that applies to a loaded module, in a fixed order: schedule, grid, conversions, step, run.
import { moduleAxis } from './axis.js';
import { conversionChecks } from './checks/conversions.js';
import { discreteScheduleChecks } from './checks/discrete.js';
import { gridChecks } from './checks/grid.js';
import { runCheck, type RunOptions } from './checks/run.js';
import { continuousScheduleChecks } from './checks/schedule.js';
import { stepCheck } from './checks/step.js';
import type { Outcome } from '../core/verdict.js';
import type { ConformMeta, UserModule } from './module.js';
import {
  DEFAULT_TOLERANCE,
  FLOAT32_TOLERANCE,
  skip,
  type CheckResult,
  type CheckStatus,
  type Tolerance,
} from './result.js';

export interface ConformOptions {
  seed: number;
  /** fast-check runs per property. */
  numRuns: number;
  /** Default: DEFAULT_TOLERANCE, or FLOAT32_TOLERANCE for a module declaring dtype float32. */
  tolerance?: Partial<Tolerance>;
  /** The full-run check's settings, or false to leave it out. */
  run: Omit<RunOptions, 'seed'> | false;
}

export const DEFAULT_OPTIONS: ConformOptions = {
  seed: 1,
  numRuns: 200,
  run: { samples: 4000, numSteps: 50, alpha: 1e-3 },
};

export interface ConformReport {
  module: string;
  seed: number;
  meta: ConformMeta;
  /** Where the coefficients the checks use come from. */
  schedule: string;
  tolerance: Tolerance;
  /** What ran the module when not this process (the Python bridge), and its CPU seconds. */
  runtime?: string;
  runtimeCpuSeconds?: number;
  checks: CheckResult[];
}

export function conformModule(m: UserModule, options: Partial<ConformOptions> = {}): ConformReport {
  const opts = { ...DEFAULT_OPTIONS, ...options };
  const prop = { seed: opts.seed, numRuns: opts.numRuns };
  const tol: Tolerance = {
    ...(m.meta.dtype === 'float32' ? FLOAT32_TOLERANCE : DEFAULT_TOLERANCE),
    ...opts.tolerance,
  };
  const axis = moduleAxis(m);
  const checks: CheckResult[] = [];
  if (m.alpha && axis.kind === 'continuous') checks.push(...continuousScheduleChecks(m, axis, tol, prop));
  if (m.alphasCumprod) checks.push(...discreteScheduleChecks(m, tol));
  if (m.grid) checks.push(...gridChecks(m, axis, tol));
  checks.push(...conversionChecks(m, axis, tol, prop));
  if (m.step || m.stepWithModel) {
    checks.push(stepCheck(m, axis, tol, prop));
    checks.push(
      opts.run
        ? runCheck(m, axis, { ...opts.run, seed: opts.seed })
        : skip('run:gmm', 'full run not requested'),
    );
  }
  return {
    module: m.file,
    seed: opts.seed,
    meta: m.meta,
    schedule: axis.source,
    tolerance: tol,
    ...(m.runtime ? { runtime: m.runtime } : {}),
    ...(m.runtimeCpuSeconds ? { runtimeCpuSeconds: m.runtimeCpuSeconds() } : {}),
    checks,
  };
}

/** A report's outcome: rejected if a check failed, else inconclusive if one was, else passed (skips pass). */
export function conformOutcome(checks: readonly { status: CheckStatus }[]): Outcome {
  if (checks.some((c) => c.status === 'fail')) return 'rejected';
  if (checks.some((c) => c.status === 'inconclusive')) return 'inconclusive';
  return 'passed';
}
