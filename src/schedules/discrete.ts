// Discrete VP schedules in DDPM indexing: beta[t] for t = 1..T, abar[t] = prod_{s<=t} (1 - beta[s]),
// abar[0] = 1. Each is defined once by a symbolic expression in the step index `t`, compiled to float64.
import { DomainError } from '../core/errors.js';
import { add, call, div, mul, num, pow, PI, rational, sub, substitute, type Expr } from '../symbolic/expr.js';
import { compileFloat64 } from '../symbolic/float64.js';
import { T } from './path.js';
import type { DiscreteSchedule } from './types.js';

/**
 * How a library numbers its timesteps. `one-based` is DDPM's paper indexing (timestep t uses abar[t]);
 * `zero-based` is the common library indexing (timestep k uses alphas_cumprod[k] = abar[k + 1]).
 */
export type TimestepIndexing = 'zero-based' | 'one-based';

function requireSteps(fn: string, numSteps: number): void {
  if (!Number.isInteger(numSteps) || numSteps < 1) {
    throw new DomainError(fn, 'numSteps', numSteps, 'must be an integer >= 1');
  }
}

function requireIndex(fn: string, argument: string, tIndex: number, lo: number, hi: number): void {
  if (!Number.isInteger(tIndex) || tIndex < lo || tIndex > hi) {
    throw new DomainError(fn, argument, tIndex, `must be an integer in [${lo}, ${hi}]`);
  }
}

/** A schedule from the symbolic expression of beta in the step index t (evaluated at t = 1..T). */
function fromBetaExpr(name: string, numSteps: number, beta: Expr, clip = 1): DiscreteSchedule {
  const betaAt = compileFloat64(beta, ['t']);
  const betas = new Float64Array(numSteps + 1);
  const alphasCumprod = new Float64Array(numSteps + 1);
  alphasCumprod[0] = 1;
  for (let t = 1; t <= numSteps; t++) {
    const b = Math.min(betaAt([t]), clip);
    if (!(b > 0 && b < 1)) throw new DomainError(name, `beta[${t}]`, b, 'must lie in (0, 1)');
    betas[t] = b;
    alphasCumprod[t] = alphasCumprod[t - 1] * (1 - b);
  }
  const abar = (tIndex: number) => {
    requireIndex(`${name}.abar`, 'tIndex', tIndex, 0, numSteps);
    return alphasCumprod[tIndex];
  };
  return {
    name,
    numSteps,
    betas,
    alphasCumprod,
    abar,
    alpha: (tIndex) => Math.sqrt(abar(tIndex)),
    sigma: (tIndex) => Math.sqrt(1 - abar(tIndex)),
  };
}

/** DDPM linear betas: beta[t] = betaStart + (t - 1)/(T - 1) (betaEnd - betaStart), t = 1..T. */
export function ddpmLinear(numSteps = 1000, betaStart = 1e-4, betaEnd = 0.02): DiscreteSchedule {
  requireSteps('ddpmLinear', numSteps);
  if (!(betaStart > 0 && betaStart < 1))
    throw new DomainError('ddpmLinear', 'betaStart', betaStart, 'must lie in (0, 1)');
  if (!(betaEnd >= betaStart && betaEnd < 1))
    throw new DomainError('ddpmLinear', 'betaEnd', betaEnd, `must lie in [betaStart = ${betaStart}, 1)`);
  const slope = numSteps === 1 ? rational(0n) : div(sub(num(betaEnd), num(betaStart)), num(numSteps - 1));
  return fromBetaExpr('ddpm-linear', numSteps, add(num(betaStart), mul(slope, sub(T, rational(1n)))));
}

/** Improved-DDPM cosine: abar(t) = c(t)/c(0), c(t) = cos(pi/2 (t/T + s)/(1 + s))^2 (closed form). */
export function cosineAbarExpr(numSteps: number, s: number): Expr {
  const c = (x: Expr) =>
    pow(
      call(
        'cos',
        mul(div(PI, rational(2n)), div(add(div(x, num(numSteps)), num(s)), add(rational(1n), num(s)))),
      ),
      rational(2n),
    );
  return div(c(T), c(rational(0n)));
}

export interface CosineSchedule extends DiscreteSchedule {
  /** The unclipped closed form abar(t) = c(t)/c(0); differs from the clipped cumprod near t = T. */
  abarClosedForm(tIndex: number): number;
}

/**
 * Improved-DDPM cosine schedule: beta[t] = min(1 - abar(t)/abar(t - 1), maxBeta) from the closed form,
 * and alphasCumprod the cumulative product of the clipped betas (as libraries implement it).
 */
export function ddpmCosine(numSteps = 1000, s = 0.008, maxBeta = 0.999): CosineSchedule {
  requireSteps('ddpmCosine', numSteps);
  if (!(s >= 0 && Number.isFinite(s)))
    throw new DomainError('ddpmCosine', 's', s, 'must be a finite number >= 0');
  if (!(maxBeta > 0 && maxBeta < 1))
    throw new DomainError('ddpmCosine', 'maxBeta', maxBeta, 'must lie in (0, 1)');
  const abarExpr = cosineAbarExpr(numSteps, s);
  const abarPrevExpr = substitute(abarExpr, new Map([['t', sub(T, rational(1n))]]));
  const beta = sub(rational(1n), div(abarExpr, abarPrevExpr));
  const schedule = fromBetaExpr('ddpm-cosine', numSteps, beta, maxBeta);
  const closed = compileFloat64(abarExpr, ['t']);
  return {
    ...schedule,
    abarClosedForm: (tIndex: number) => {
      requireIndex('ddpm-cosine.abarClosedForm', 'tIndex', tIndex, 0, numSteps);
      return closed([tIndex]);
    },
  };
}

/** abar of a library timestep under the given indexing (`zero-based` timestep k -> abar[k + 1]). */
export function abarAtTimestep(
  schedule: DiscreteSchedule,
  timestep: number,
  indexing: TimestepIndexing,
): number {
  const tIndex = indexing === 'zero-based' ? timestep + 1 : timestep;
  requireIndex('abarAtTimestep', 'timestep', tIndex, 0, schedule.numSteps);
  return schedule.abar(tIndex);
}

/**
 * DDIM variance for the step timestep -> prevTimestep (Song et al. 2021, eq. 16):
 * sigma^2 = eta^2 (1 - abar') / (1 - abar) (1 - abar / abar'), abar' the abar of prevTimestep. A
 * prevTimestep before the first step (-1 zero-based, 0 one-based) has abar' = 1.
 */
export function ddimSigma2(
  schedule: DiscreteSchedule,
  timestep: number,
  prevTimestep: number,
  indexing: TimestepIndexing,
  eta = 1,
): number {
  if (!(prevTimestep < timestep))
    throw new DomainError('ddimSigma2', 'prevTimestep', prevTimestep, `must be < timestep = ${timestep}`);
  if (!(eta >= 0 && Number.isFinite(eta)))
    throw new DomainError('ddimSigma2', 'eta', eta, 'must be a finite number >= 0');
  const abarT = abarAtTimestep(schedule, timestep, indexing);
  const abarPrev = abarAtTimestep(schedule, prevTimestep, indexing);
  return eta * eta * ((1 - abarPrev) / (1 - abarT)) * (1 - abarT / abarPrev);
}

/**
 * Karras et al. (2022) sigmas: sigma_i = (sigmaMax^(1/rho) + i/(N-1) (sigmaMin^(1/rho) - sigmaMax^(1/rho)))^rho
 * for i = 0..N-1, then a final 0 appended (length N + 1).
 */
export function karrasSigmas(numSteps: number, sigmaMin = 0.002, sigmaMax = 80, rho = 7): Float64Array {
  if (!Number.isInteger(numSteps) || numSteps < 2)
    throw new DomainError('karrasSigmas', 'numSteps', numSteps, 'must be an integer >= 2');
  if (!(sigmaMin > 0)) throw new DomainError('karrasSigmas', 'sigmaMin', sigmaMin, 'must be > 0');
  if (!(sigmaMax > sigmaMin))
    throw new DomainError('karrasSigmas', 'sigmaMax', sigmaMax, `must be > sigmaMin = ${sigmaMin}`);
  if (!(rho > 0 && Number.isFinite(rho)))
    throw new DomainError('karrasSigmas', 'rho', rho, 'must be a finite number > 0');
  const out = new Float64Array(numSteps + 1);
  const hi = sigmaMax ** (1 / rho);
  const lo = sigmaMin ** (1 / rho);
  for (let i = 0; i < numSteps; i++) out[i] = (hi + (i / (numSteps - 1)) * (lo - hi)) ** rho;
  // Pin the ends exactly (the power of a root is not always bit-exact).
  out[0] = sigmaMax;
  out[numSteps - 1] = sigmaMin;
  out[numSteps] = 0;
  return out;
}
