// The soundness catalogue: identities of diffusion / score / flow-matching mathematics that hold, and
// plausible mistakes that must be refuted. `let` bindings are substituted after derivatives are taken
// (DESIGN 4), e.g. x_t = sqrt(abar) x0 + sqrt(1 - abar) eps. Shared by the catalogue test, the timing
// benchmark and the nerdamer measurement.
import { parseEquation, parseWhere } from '../../src/identity/index.js';
import { type Expr, declaredFunctions, parsePlain, substitute } from '../../src/symbolic/index.js';

export interface CatalogueEntry {
  name: string;
  claim: string;
  where: string;
  let?: Record<string, string>;
  holds: boolean;
}

const VP = 'abar in (0,1)';
const DDPM = 'a in (0,1), abar_prev in (0,1)'; // a = alpha_t = 1 - beta_t, abar_t = a * abar_prev
const XT_VP = { xt: 'sqrt(abar)*x0 + sqrt(1-abar)*eps' };
const XT_DDPM = { xt: 'sqrt(a*abar_prev)*x0 + sqrt(1-a*abar_prev)*eps' };
const XT_AFFINE = { xt: 'alpha*x0 + sigma*eps' };
const AFFINE = 'alpha > 0, sigma > 0';
const XT_FN = { xt: 'alpha(t)*x0 + sigma(t)*eps' };
const FN_PATH = 'alpha(t) > 0, sigma(t) > 0';
const MU_X0 = 'sqrt(abar_prev)*(1-a)/(1-a*abar_prev)*x0 + sqrt(a)*(1-abar_prev)/(1-a*abar_prev)*xt';
const MU_EPS = '(xt - (1-a)/sqrt(1-a*abar_prev)*eps)/sqrt(a)';
const Q_POST = 'log(normal_pdf(xt, sqrt(a)*y, 1-a)*normal_pdf(y, sqrt(abar_prev)*x0, 1-abar_prev))';
const GAUSS = 'normal_pdf(x, m(t), s(t)^2)';
const VP_GAUSS = 'normal_pdf(x, m0*exp(-b*t/2), 1 + (v0-1)*exp(-b*t))';
const FP_GENERAL_P = 'normal_pdf(x, m0*exp(F(t)), s(t)^2)';
const LIN_ALPHA = 'exp(-(b0*t + (b1-b0)*t^2/2)/2)';
const PF_DRIFT = (half: string): string =>
  `diff(alpha(t),t)/alpha(t)*xt - ${half}(2*sigma(t)*diff(sigma(t),t) - 2*diff(alpha(t),t)/alpha(t)*sigma(t)^2)*(-(xt - alpha(t)*x0)/sigma(t)^2)`;
const DDIM = (c: string): string => `sqrt(abar_prev)*(xt - sqrt(1-abar)*eps)/sqrt(abar) + ${c}*eps`;

export const CATALOGUE: CatalogueEntry[] = [
  // ---- true identities ----
  {
    name: 'score of the DDPM kernel',
    claim: 'diff(log(normal_pdf(x, sqrt(abar)*x0, 1-abar)), x) = -(x - sqrt(abar)*x0)/(1-abar)',
    where: VP,
    holds: true,
  },
  {
    name: 'score <-> noise (VP)',
    claim: 'diff(log(normal_pdf(xt, sqrt(abar)*x0, 1-abar)), xt) = -eps/sqrt(1-abar)',
    where: VP,
    let: XT_VP,
    holds: true,
  },
  {
    name: 'score <-> noise (affine path)',
    claim: 'diff(log(normal_pdf(xt, alpha*x0, sigma^2)), xt) = -eps/sigma',
    where: AFFINE,
    let: XT_AFFINE,
    holds: true,
  },
  { name: 'epsToData', claim: '(xt - sigma*eps)/alpha = x0', where: AFFINE, let: XT_AFFINE, holds: true },
  { name: 'dataToEps', claim: '(xt - alpha*x0)/sigma = eps', where: AFFINE, let: XT_AFFINE, holds: true },
  {
    name: 'scoreToEps',
    claim: '-sigma*(-(xt - alpha*x0)/sigma^2) = eps',
    where: AFFINE,
    let: XT_AFFINE,
    holds: true,
  },
  {
    name: 'VP round trip data -> eps -> data',
    claim: '(xt - sqrt(1-abar)*((xt - sqrt(abar)*x0)/sqrt(1-abar)))/sqrt(abar) = x0',
    where: VP,
    holds: true,
  },
  {
    name: 'vPredToData',
    claim: 'sqrt(abar)*xt - sqrt(1-abar)*(sqrt(abar)*eps - sqrt(1-abar)*x0) = x0',
    where: VP,
    let: XT_VP,
    holds: true,
  },
  {
    name: 'vPredToEps',
    claim: 'sqrt(1-abar)*xt + sqrt(abar)*(sqrt(abar)*eps - sqrt(1-abar)*x0) = eps',
    where: VP,
    let: XT_VP,
    holds: true,
  },
  {
    name: 'epsToVelocity (affine)',
    claim: 'dAlpha/alpha*xt + (dSigma - dAlpha*sigma/alpha)*eps = dAlpha*x0 + dSigma*eps',
    where: AFFINE,
    let: XT_AFFINE,
    holds: true,
  },
  {
    name: 'scoreToVelocity (affine)',
    claim: 'dAlpha/alpha*xt - (dSigma*sigma - dAlpha*sigma^2/alpha)*(-eps/sigma) = dAlpha*x0 + dSigma*eps',
    where: AFFINE,
    let: XT_AFFINE,
    holds: true,
  },
  {
    name: 'FM conditional velocity',
    claim: 'diff(t*x1 + (1-t)*x0, t) = x1 - x0',
    where: 't in [0,1]',
    holds: true,
  },
  {
    name: 'FM velocity from x_t (flow convention)',
    claim: '(x1 - xt)/(1-t) = x1 - x0',
    where: 't in (0,1)',
    let: { xt: 't*x1 + (1-t)*x0' },
    holds: true,
  },
  {
    name: 'PF-ODE drift = affine-path velocity',
    claim: `${PF_DRIFT('1/2*')} = diff(alpha(t),t)*x0 + diff(sigma(t),t)*eps`,
    where: FN_PATH,
    let: XT_FN,
    holds: true,
  },
  {
    name: 'continuity equation, 1-D Gaussian path',
    claim: `diff(${GAUSS}, t) + diff((diff(m(t),t) + diff(s(t),t)/s(t)*(x - m(t)))*${GAUSS}, x) = 0`,
    where: 'm(t) real, s(t) > 0',
    holds: true,
  },
  {
    name: 'Fokker-Planck, VP SDE (constant beta)',
    claim: `diff(${VP_GAUSS}, t) = -diff(-b/2*x*${VP_GAUSS}, x) + b/2*diff(${VP_GAUSS}, x, 2)`,
    where: 'b > 0, v0 > 0, t > 0',
    holds: true,
  },
  {
    name: 'Fokker-Planck, linear-drift SDE, general Gaussian path',
    claim: `diff(${FP_GENERAL_P}, t) = -diff(diff(F(t),t)*x*${FP_GENERAL_P}, x) + (s(t)*diff(s(t),t) - diff(F(t),t)*s(t)^2)*diff(${FP_GENERAL_P}, x, 2)`,
    where: 'F(t) real, s(t) > 0',
    holds: true,
  },
  {
    name: 'DDPM posterior mean: x0-form = eps-form',
    claim: `${MU_X0} = ${MU_EPS}`,
    where: DDPM,
    let: XT_DDPM,
    holds: true,
  },
  {
    name: 'DDPM posterior mean is the mode of q(x_{t-1} | x_t, x0)',
    claim: `diff(${Q_POST}, y) = 0`,
    where: DDPM,
    let: { y: MU_X0 },
    holds: true,
  },
  {
    name: 'DDPM posterior variance',
    claim: `diff(${Q_POST}, y, 2) = -(1 - a*abar_prev)/((1-abar_prev)*(1-a))`,
    where: DDPM,
    holds: true,
  },
  {
    name: 'DDIM eta = 0 step keeps the noise',
    claim: `${DDIM('sqrt(1-abar_prev)')} = sqrt(abar_prev)*x0 + sqrt(1-abar_prev)*eps`,
    where: 'abar in (0,1), abar_prev in (0,1)',
    let: XT_VP,
    holds: true,
  },
  {
    name: 'DDIM is Euler in rescaled variables',
    claim: `(${DDIM('sqrt(1-abar_prev)')})/sqrt(abar_prev) = xt/sqrt(abar) + (sqrt((1-abar_prev)/abar_prev) - sqrt((1-abar)/abar))*eps`,
    where: 'abar in (0,1), abar_prev in (0,1)',
    holds: true,
  },
  {
    name: 'Tweedie for Gaussian data',
    claim:
      '(xt + sigma^2*diff(log(normal_pdf(xt, alpha*mu0, alpha^2*s0^2 + sigma^2)), xt))/alpha = mu0 + alpha*s0^2*(xt - alpha*mu0)/(alpha^2*s0^2 + sigma^2)',
    where: 'alpha > 0, sigma > 0, s0 > 0',
    holds: true,
  },
  {
    name: 'sigma/alpha = 1/sqrt(snr)',
    claim: 'sqrt(1-abar)/sqrt(abar) = 1/sqrt(abar/(1-abar))',
    where: VP,
    holds: true,
  },
  {
    name: 'd logSnr / dt',
    claim: 'diff(log(alpha(t)^2/sigma(t)^2), t) = 2*(diff(alpha(t),t)/alpha(t) - diff(sigma(t),t)/sigma(t))',
    where: FN_PATH,
    holds: true,
  },
  {
    name: 'cosine schedule is variance preserving',
    claim: 'cos(pi*t/2)^2 + sin(pi*t/2)^2 = 1',
    where: 't in [0,1]',
    holds: true,
  },
  {
    name: 'cosine schedule drift f = dAlpha/alpha',
    claim: 'diff(log(cos(pi*t/2)), t) = -pi/2*tan(pi*t/2)',
    where: 't in [0,1)',
    holds: true,
  },
  {
    name: 'linear VP schedule: f = -beta/2',
    claim: `diff(${LIN_ALPHA}, t)/${LIN_ALPHA} = -(b0 + (b1-b0)*t)/2`,
    where: 'b0 > 0, b1 > 0, t in [0,1]',
    holds: true,
  },
  {
    name: 'linear VP schedule: g^2 = beta',
    claim: `diff(1 - ${LIN_ALPHA}^2, t) - 2*(-(b0 + (b1-b0)*t)/2)*(1 - ${LIN_ALPHA}^2) = b0 + (b1-b0)*t`,
    where: 'b0 > 0, b1 > 0, t in [0,1]',
    holds: true,
  },
  {
    name: 'DDPM: sqrt(abar_t) factorizes',
    claim: 'sqrt(a*abar_prev)*x0 = sqrt(a)*sqrt(abar_prev)*x0',
    where: DDPM,
    holds: true,
  },
  {
    name: 'rectified flow: velocity from noise prediction',
    claim: '(xt - x0)/t = x1 - x0',
    where: 't in (0,1)',
    let: { xt: 't*x1 + (1-t)*x0' },
    holds: true,
  },

  // ---- plausible mistakes ----
  {
    name: 'score <-> noise: wrong power of sqrt(1-abar)',
    claim: 'diff(log(normal_pdf(xt, sqrt(abar)*x0, 1-abar)), xt) = -eps/(1-abar)',
    where: VP,
    let: XT_VP,
    holds: false,
  },
  {
    name: 'score <-> noise: sign flip',
    claim: 'diff(log(normal_pdf(xt, sqrt(abar)*x0, 1-abar)), xt) = eps/sqrt(1-abar)',
    where: VP,
    let: XT_VP,
    holds: false,
  },
  {
    name: 'score (affine): sigma^2 for sigma',
    claim: 'diff(log(normal_pdf(xt, alpha*x0, sigma^2)), xt) = -eps/sigma^2',
    where: AFFINE,
    let: XT_AFFINE,
    holds: false,
  },
  {
    name: 'PF-ODE drift: missing 1/2',
    claim: `${PF_DRIFT('')} = diff(alpha(t),t)*x0 + diff(sigma(t),t)*eps`,
    where: FN_PATH,
    let: XT_FN,
    holds: false,
  },
  {
    name: 'continuity: missing 1/s in the velocity',
    claim: `diff(${GAUSS}, t) + diff((diff(m(t),t) + diff(s(t),t)*(x - m(t)))*${GAUSS}, x) = 0`,
    where: 'm(t) real, s(t) > 0',
    holds: false,
  },
  {
    name: 'Fokker-Planck: g^2 for g^2/2',
    claim: `diff(${VP_GAUSS}, t) = -diff(-b/2*x*${VP_GAUSS}, x) + b*diff(${VP_GAUSS}, x, 2)`,
    where: 'b > 0, v0 > 0, t > 0',
    holds: false,
  },
  {
    name: 'Fokker-Planck: drift sign flipped',
    claim: `diff(${VP_GAUSS}, t) = diff(-b/2*x*${VP_GAUSS}, x) + b/2*diff(${VP_GAUSS}, x, 2)`,
    where: 'b > 0, v0 > 0, t > 0',
    holds: false,
  },
  {
    name: 'DDPM posterior mean: abar_t and abar_{t-1} swapped',
    claim: `sqrt(a*abar_prev)*(1-a)/(1-a*abar_prev)*x0 + sqrt(a)*(1-abar_prev)/(1-a*abar_prev)*xt = ${MU_EPS}`,
    where: DDPM,
    let: XT_DDPM,
    holds: false,
  },
  {
    name: 'DDPM eps-form mean: sqrt(abar_t) for sqrt(alpha_t)',
    claim: `${MU_X0} = (xt - (1-a)/sqrt(1-a*abar_prev)*eps)/sqrt(a*abar_prev)`,
    where: DDPM,
    let: XT_DDPM,
    holds: false,
  },
  {
    name: 'DDPM eps-form mean: missing sqrt on 1 - abar_t',
    claim: `${MU_X0} = (xt - (1-a)/(1-a*abar_prev)*eps)/sqrt(a)`,
    where: DDPM,
    let: XT_DDPM,
    holds: false,
  },
  {
    name: 'DDPM posterior variance: missing (1 - abar_prev)',
    claim: `diff(${Q_POST}, y, 2) = -(1 - a*abar_prev)/(1-a)`,
    where: DDPM,
    holds: false,
  },
  {
    name: 'DDIM step: sqrt(1-abar_t) for sqrt(1-abar_{t-1})',
    claim: `${DDIM('sqrt(1-abar)')} = sqrt(abar_prev)*x0 + sqrt(1-abar_prev)*eps`,
    where: 'abar in (0,1), abar_prev in (0,1)',
    let: XT_VP,
    holds: false,
  },
  {
    name: 'x0 prediction with abar_{t-1} (off by one)',
    claim: '(xt - sqrt(1-abar_prev)*eps)/sqrt(abar_prev) = x0',
    where: 'abar in (0,1), abar_prev in (0,1)',
    let: XT_VP,
    holds: false,
  },
  {
    name: 'vPredToData: sign flip',
    claim: 'sqrt(abar)*xt + sqrt(1-abar)*(sqrt(abar)*eps - sqrt(1-abar)*x0) = x0',
    where: VP,
    let: XT_VP,
    holds: false,
  },
  {
    name: 'vPredToEps: alpha and sigma swapped',
    claim: 'sqrt(abar)*xt + sqrt(1-abar)*(sqrt(abar)*eps - sqrt(1-abar)*x0) = eps',
    where: VP,
    let: XT_VP,
    holds: false,
  },
  {
    name: 'FM velocity: data and noise swapped (flow convention)',
    claim: 'diff(t*x1 + (1-t)*x0, t) = x0 - x1',
    where: 't in [0,1]',
    holds: false,
  },
  {
    name: 'FM velocity: diffusion-convention path with flow-convention velocity',
    claim: '(x1 - xt)/(1-t) = x1 - x0',
    where: 't in (0,1)',
    let: { xt: '(1-t)*x1 + t*x0' },
    holds: false,
  },
  {
    name: 'Tweedie: sigma for sigma^2',
    claim:
      '(xt + sigma*diff(log(normal_pdf(xt, alpha*mu0, alpha^2*s0^2 + sigma^2)), xt))/alpha = mu0 + alpha*s0^2*(xt - alpha*mu0)/(alpha^2*s0^2 + sigma^2)',
    where: 'alpha > 0, sigma > 0, s0 > 0',
    holds: false,
  },
  {
    name: 'd logSnr / dt: missing factor 2',
    claim: 'diff(log(alpha(t)^2/sigma(t)^2), t) = diff(alpha(t),t)/alpha(t) - diff(sigma(t),t)/sigma(t)',
    where: FN_PATH,
    holds: false,
  },
  {
    name: 'cosine schedule: alpha^2 - sigma^2',
    claim: 'cos(pi*t/2)^2 - sin(pi*t/2)^2 = 1',
    where: 't in [0,1]',
    holds: false,
  },
  {
    name: 'linear VP schedule: f missing 1/2',
    claim: `diff(${LIN_ALPHA}, t)/${LIN_ALPHA} = -(b0 + (b1-b0)*t)`,
    where: 'b0 > 0, b1 > 0, t in [0,1]',
    holds: false,
  },
  {
    name: 'epsToVelocity: dAlpha/alpha for dSigma/sigma',
    claim: 'dSigma/sigma*xt + (dSigma - dAlpha*sigma/alpha)*eps = dAlpha*x0 + dSigma*eps',
    where: AFFINE,
    let: XT_AFFINE,
    holds: false,
  },
];

/** The two sides of an entry as expressions, with its let bindings applied. */
export function entrySides(e: CatalogueEntry): {
  lhs: Expr;
  rhs: Expr;
  domains: ReturnType<typeof parseWhere>;
} {
  const domains = parseWhere(e.where);
  const { lhs, rhs } = parseEquation(e.claim, domains);
  const functions = [...declaredFunctions(domains).keys()];
  const bindings = new Map(Object.entries(e.let ?? {}).map(([k, v]) => [k, parsePlain(v, { functions })]));
  return { lhs: substitute(lhs, bindings), rhs: substitute(rhs, bindings), domains };
}
