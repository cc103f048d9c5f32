// Build an AffinePath from its symbolic definition: alpha(t), sigma(t) as expressions in `t`. Every
// numeric function is compiled from those two expressions and their exact symbolic derivatives, so the
// symbolic and numeric forms cannot drift apart.
import type { Convention } from '../core/convention.js';
import { DomainError } from '../core/errors.js';
import { div, mul, num, pow, rational, sub, substitute, sym, type Expr } from '../symbolic/expr.js';
import { compileFloat64 } from '../symbolic/float64.js';
import { derivative } from '../symbolic/derivative.js';
import type { AffinePath } from './types.js';

export const T = sym('t');

export interface PathDefinition {
  name: string;
  convention: Convention;
  alpha: Expr;
  sigma: Expr;
  tMin: number;
  tMax: number;
}

/** The symbolic quantities of a path, all derived from alpha and sigma. */
export function pathExpressions(def: Pick<PathDefinition, 'alpha' | 'sigma'>) {
  const dAlpha = derivative(def.alpha, 't');
  const dSigma = derivative(def.sigma, 't');
  const f = div(dAlpha, def.alpha);
  // g^2 = d(sigma^2)/dt - 2 f sigma^2 = 2 sigma dSigma - 2 f sigma^2
  const g2 = sub(mul(rational(2n), def.sigma, dSigma), mul(rational(2n), f, pow(def.sigma, rational(2n))));
  return { alpha: def.alpha, sigma: def.sigma, dAlpha, dSigma, f, g2 };
}

export function affinePath(def: PathDefinition): AffinePath {
  if (!(def.tMin < def.tMax))
    throw new DomainError('affinePath', 'tMin', def.tMin, `must be < tMax = ${def.tMax}`);
  const ex = pathExpressions(def);
  const checkT = (fn: string, t: number) => {
    if (typeof t !== 'number' || Number.isNaN(t) || t < def.tMin || t > def.tMax) {
      throw new DomainError(`${def.name}.${fn}`, 't', t, `must lie in [${def.tMin}, ${def.tMax}]`);
    }
  };
  // A compiled quantity that must be finite; `atEdge` names the values allowed where it diverges.
  const quantity = (fn: string, e: Expr, allowInfinite = false) => {
    const c = compileFloat64(e, ['t']);
    const arg = [0];
    return (t: number): number => {
      checkT(fn, t);
      arg[0] = t;
      const v = c(arg);
      if (Number.isNaN(v) || (!allowInfinite && !Number.isFinite(v))) {
        throw new DomainError(`${def.name}.${fn}`, 't', t, `gives a non-finite value (${v}) here`);
      }
      return v;
    };
  };
  const alpha = quantity('alpha', ex.alpha);
  const sigma = quantity('sigma', ex.sigma);
  const snr = (t: number) => {
    const a = alpha(t);
    const s = sigma(t);
    return s === 0 ? Infinity : (a * a) / (s * s);
  };
  return {
    name: def.name,
    convention: def.convention,
    tMin: def.tMin,
    tMax: def.tMax,
    symbolic: { alpha: ex.alpha, sigma: ex.sigma },
    alpha,
    sigma,
    dAlpha: quantity('dAlpha', ex.dAlpha),
    dSigma: quantity('dSigma', ex.dSigma),
    snr,
    // log snr = 2 log(alpha / sigma); Infinity where sigma = 0, -Infinity where alpha = 0.
    logSnr: (t: number) => Math.log(snr(t)),
    f: quantity('f', ex.f),
    g2: quantity('g2', ex.g2),
  };
}

/**
 * A time of a path in the other time convention: tau = tMin + tMax - t (1 - t on [0, 1]), the flip
 * toConvention applies to the path's formulas.
 */
export function flipTime(t: number, path: Pick<AffinePath, 'tMin' | 'tMax'>): number {
  return path.tMin + path.tMax - t;
}

/**
 * The same path in the other time convention: tau = tMin + tMax - t (i.e. 1 - t on [0, 1]). This is
 * the one place where the diffusion and flow conventions are translated.
 */
export function toConvention(path: AffinePath, target: Convention): AffinePath {
  if (path.convention === target) return path;
  const flip = new Map([['t', sub(num(path.tMin + path.tMax), T)]]);
  return affinePath({
    name: path.name,
    convention: target,
    alpha: substitute(path.symbolic.alpha, flip),
    sigma: substitute(path.symbolic.sigma, flip),
    tMin: path.tMin,
    tMax: path.tMax,
  });
}
