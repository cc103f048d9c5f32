// Bug zoo, correct: the VP-SDE (beta 0.1..20) with a score model and the reverse-SDE Euler-Maruyama
// predictor of score-SDE: dx = [-beta/2 x - beta score] dt + sqrt(beta) dW backwards in time.
export const meta = {
  convention: 'diffusion',
  path: 'vp-sde',
  predictionType: 'score',
  sampler: 'euler-maruyama',
};

const B0 = 0.1;
const B1 = 20;
export const beta = (t: number) => B0 + t * (B1 - B0);
export const alpha = (t: number) => Math.exp(-0.25 * t * t * (B1 - B0) - 0.5 * t * B0);
export const sigma = (t: number) => Math.sqrt(1 - alpha(t) ** 2);
export const dAlpha = (t: number) => -0.5 * beta(t) * alpha(t);
export const dSigma = (t: number) => (0.5 * beta(t) * alpha(t) ** 2) / sigma(t);

export const scoreToEps = (score: number, _x: number, t: number) => -sigma(t) * score;
export const epsToScore = (eps: number, _x: number, t: number) => -eps / sigma(t);
export const scoreToData = (score: number, x: number, t: number) => (x + sigma(t) ** 2 * score) / alpha(t);
/** The probability-flow velocity f x - g^2 score / 2. */
export const scoreToVelocity = (score: number, x: number, t: number) =>
  -0.5 * beta(t) * x - 0.5 * beta(t) * score;

export function step(
  score: number,
  t: number,
  tPrev: number,
  x: number,
  _p: string,
  randn: () => number,
): number {
  const dt = tPrev - t;
  const drift = -0.5 * beta(t) * x - beta(t) * score;
  return x + drift * dt + Math.sqrt(beta(t) * -dt) * randn();
}
