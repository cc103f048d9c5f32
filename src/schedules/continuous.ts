// The continuous-time paths of the field, each defined once by alpha(t) and sigma(t).
import { DomainError } from '../core/errors.js';
import {
  add,
  call,
  div,
  exp,
  mul,
  neg,
  num,
  pow,
  PI,
  rational,
  sqrt,
  sub,
  type Expr,
} from '../symbolic/expr.js';
import { affinePath, T } from './path.js';
import type { AffinePath } from './types.js';

const TWO = rational(2n);
const ONE = rational(1n);

function requirePositive(fn: string, argument: string, x: number): void {
  if (!(typeof x === 'number' && Number.isFinite(x) && x > 0)) {
    throw new DomainError(fn, argument, x, 'must be a finite number > 0');
  }
}

/** log alpha(t) = -1/2 int_0^t beta(s) ds with beta(s) = betaMin + s (betaMax - betaMin). */
function vpLogAlpha(betaMin: number, betaMax: number): Expr {
  const bMin = num(betaMin);
  const bDelta = sub(num(betaMax), bMin);
  return neg(add(mul(rational(1n, 2n), bMin, T), mul(rational(1n, 4n), bDelta, pow(T, TWO))));
}

/** VP-SDE (Song et al. 2021): dx = -beta(t)/2 x dt + sqrt(beta(t)) dW, so g^2 = beta(t). */
export function vpSde(betaMin = 0.1, betaMax = 20): AffinePath {
  requirePositive('vpSde', 'betaMin', betaMin);
  if (!(betaMax >= betaMin))
    throw new DomainError('vpSde', 'betaMax', betaMax, `must be >= betaMin = ${betaMin}`);
  const alpha = exp(vpLogAlpha(betaMin, betaMax));
  return affinePath({
    name: 'vp-sde',
    convention: 'diffusion',
    alpha,
    sigma: sqrt(sub(ONE, pow(alpha, TWO))),
    tMin: 0,
    tMax: 1,
  });
}

/** sub-VP SDE: the VP mean with sigma = 1 - alpha^2, so g^2 = beta(t) (1 - alpha^4). */
export function subVpSde(betaMin = 0.1, betaMax = 20): AffinePath {
  requirePositive('subVpSde', 'betaMin', betaMin);
  if (!(betaMax >= betaMin))
    throw new DomainError('subVpSde', 'betaMax', betaMax, `must be >= betaMin = ${betaMin}`);
  const alpha = exp(vpLogAlpha(betaMin, betaMax));
  return affinePath({
    name: 'sub-vp',
    convention: 'diffusion',
    alpha,
    sigma: sub(ONE, pow(alpha, TWO)),
    tMin: 0,
    tMax: 1,
  });
}

/**
 * VE-SDE: alpha = 1, sigma(t) = sigmaMin (sigmaMax / sigmaMin)^t, g^2 = d(sigma^2)/dt. As in Song et
 * al.'s code, sigma(t) is the marginal standard deviation itself (the sigmaMin^2 already present at
 * t = 0 is treated as part of the data law).
 */
export function veSde(sigmaMin = 0.01, sigmaMax = 50): AffinePath {
  requirePositive('veSde', 'sigmaMin', sigmaMin);
  if (!(sigmaMax > sigmaMin))
    throw new DomainError('veSde', 'sigmaMax', sigmaMax, `must be > sigmaMin = ${sigmaMin}`);
  return affinePath({
    name: 've-sde',
    convention: 'diffusion',
    alpha: ONE,
    sigma: mul(num(sigmaMin), pow(div(num(sigmaMax), num(sigmaMin)), T)),
    tMin: 0,
    tMax: 1,
  });
}

/** EDM (Karras et al. 2022): x = data + t noise, time is sigma itself, t in [sigmaMin, sigmaMax]. */
export function edm(sigmaMin = 0.002, sigmaMax = 80): AffinePath {
  requirePositive('edm', 'sigmaMin', sigmaMin);
  if (!(sigmaMax > sigmaMin))
    throw new DomainError('edm', 'sigmaMax', sigmaMax, `must be > sigmaMin = ${sigmaMin}`);
  return affinePath({
    name: 'edm',
    convention: 'diffusion',
    alpha: ONE,
    sigma: T,
    tMin: sigmaMin,
    tMax: sigmaMax,
  });
}

/**
 * Rectified flow / conditional-OT path, flow convention: x_t = t data + (1 - (1 - sigmaMin) t) noise.
 * In this convention (time running from noise to data) g^2 = -2 (1 - t)/t < 0 for sigmaMin = 0: there is
 * no forward noising SDE in that direction. In the diffusion convention (toConvention) g^2 > 0.
 */
export function rectifiedFlow(sigmaMin = 0): AffinePath {
  if (!(typeof sigmaMin === 'number' && sigmaMin >= 0 && sigmaMin < 1))
    throw new DomainError('rectifiedFlow', 'sigmaMin', sigmaMin, 'must lie in [0, 1)');
  return affinePath({
    name: 'rectified-flow',
    convention: 'flow',
    alpha: T,
    sigma: sub(ONE, mul(sub(ONE, num(sigmaMin)), T)),
    tMin: 0,
    tMax: 1,
  });
}

/**
 * Cosine path (Nichol & Dhariwal's closed form, continuous t in [0, 1]):
 * alpha(t) = cos(pi/2 (t + s)/(1 + s)) / cos(pi/2 s/(1 + s)), sigma = sqrt(1 - alpha^2). At t = 1,
 * alpha = 0 exactly, where f = dAlpha / alpha diverges.
 */
export function cosinePath(s = 0.008): AffinePath {
  if (!(typeof s === 'number' && s >= 0 && Number.isFinite(s)))
    throw new DomainError('cosinePath', 's', s, 'must be a finite number >= 0');
  const S = num(s);
  const phase = (x: Expr) => mul(div(PI, TWO), div(add(x, S), add(ONE, S)));
  const alpha = div(call('cos', phase(T)), call('cos', phase(rational(0n))));
  return affinePath({
    name: 'cosine',
    convention: 'diffusion',
    alpha,
    sigma: sqrt(sub(ONE, pow(alpha, TWO))),
    tMin: 0,
    tMax: 1,
  });
}

/** The trigonometric path alpha = cos(pi t / 2), sigma = sin(pi t / 2) (cosine with s = 0). */
export function trigPath(): AffinePath {
  const phase = mul(div(PI, TWO), T);
  return affinePath({
    name: 'trig',
    convention: 'diffusion',
    alpha: call('cos', phase),
    sigma: call('sin', phase),
    tMin: 0,
    tMax: 1,
  });
}
