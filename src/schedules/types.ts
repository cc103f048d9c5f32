// The shapes every schedule has. A continuous path is defined once symbolically (alpha(t), sigma(t) as
// expressions in the symbol `t`); everything numeric is compiled from that definition.
import type { Convention } from '../core/convention.js';
import type { Expr } from '../symbolic/expr.js';

/**
 * An affine path x_t = alpha(t) * data + sigma(t) * noise, in its declared time convention.
 * SDE view (meaningful in the diffusion convention): dx = f(t) x dt + g(t) dW with
 * f = dAlpha / alpha and g^2 = d(sigma^2)/dt - 2 f sigma^2.
 */
export interface AffinePath {
  readonly name: string;
  readonly convention: Convention;
  /** Closed time interval on which alpha, sigma are defined. */
  readonly tMin: number;
  readonly tMax: number;
  /** The definition: alpha and sigma as expressions in the symbol 't'. */
  readonly symbolic: { alpha: Expr; sigma: Expr };
  alpha(t: number): number;
  sigma(t: number): number;
  dAlpha(t: number): number;
  dSigma(t: number): number;
  /** snr = alpha^2 / sigma^2 (Infinity where sigma = 0). */
  snr(t: number): number;
  logSnr(t: number): number;
  /** SDE drift factor f(t) = dAlpha / alpha. */
  f(t: number): number;
  /** Squared diffusion g(t)^2 = d(sigma^2)/dt - 2 f sigma^2; may be negative (then no SDE exists). */
  g2(t: number): number;
}

/** A discrete DDPM-style schedule: beta[t] for t = 1..T, abar[t] = prod_{s<=t} (1 - beta[s]), abar[0] = 1. */
export interface DiscreteSchedule {
  readonly name: string;
  readonly numSteps: number;
  /** beta[tIndex] for tIndex = 1..numSteps (index 0 is unused and holds 0). */
  readonly betas: Float64Array;
  /** abar[tIndex] for tIndex = 0..numSteps, abar[0] = 1. */
  readonly alphasCumprod: Float64Array;
  abar(tIndex: number): number;
  /** alpha = sqrt(abar), sigma = sqrt(1 - abar) of the affine marginal at tIndex. */
  alpha(tIndex: number): number;
  sigma(tIndex: number): number;
}
