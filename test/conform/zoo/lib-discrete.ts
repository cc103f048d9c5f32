// Bug zoo: a small, independently written DDPM/DDIM library in the style of common Python schedulers
// (zero-based timesteps 0..T-1, alphas_cumprod[k] = prod_{j<=k} (1 - betas[j]), timestep -1 = the data).
// It does not use flowproof's code, so checking it against flowproof's reference means something.
export const NUM_TRAIN_TIMESTEPS = 1000;

/** DDPM linear betas from 1e-4 to 0.02. */
export const betas: number[] = Array.from(
  { length: NUM_TRAIN_TIMESTEPS },
  (_, i) => 1e-4 + ((0.02 - 1e-4) * i) / (NUM_TRAIN_TIMESTEPS - 1),
);

export function cumprod(xs: number[]): number[] {
  let p = 1;
  return xs.map((x) => (p *= x));
}

export const alphasCumprod: number[] = cumprod(betas.map((b) => 1 - b));

/** abar at a zero-based timestep; -1 (the step before the first) is the data, abar = 1. */
export const abarAt = (t: number): number => (t < 0 ? 1 : alphasCumprod[t]);

export type Prediction = 'eps' | 'data' | 'vPred' | 'score' | 'velocity';

/** (x0, eps) from a model output, as schedulers do it (`epsilon`, `sample`, `v_prediction`). */
export function splitPrediction(
  modelOutput: number,
  abar: number,
  x: number,
  predictionType: Prediction,
): [number, number] {
  const a = Math.sqrt(abar);
  const s = Math.sqrt(1 - abar);
  switch (predictionType) {
    case 'eps':
      return [(x - s * modelOutput) / a, modelOutput];
    case 'data':
      return [modelOutput, (x - a * modelOutput) / s];
    case 'vPred':
      return [a * x - s * modelOutput, a * modelOutput + s * x];
    case 'score':
      return [(x + s * s * modelOutput) / a, -s * modelOutput];
    default:
      throw new Error(`unsupported prediction type ${predictionType}`);
  }
}

/** The DDIM step (Song et al. eq. 12) with a given eta. */
export function ddimStep(
  modelOutput: number,
  t: number,
  tPrev: number,
  x: number,
  predictionType: Prediction,
  randn: () => number,
  eta: number,
  abar: (t: number) => number = abarAt,
): number {
  const abarT = abar(t);
  const abarPrev = abar(tPrev);
  const [x0, eps] = splitPrediction(modelOutput, abarT, x, predictionType);
  const variance = ((1 - abarPrev) / (1 - abarT)) * (1 - abarT / abarPrev);
  const stdDev = eta * Math.sqrt(variance);
  const direction = Math.sqrt(1 - abarPrev - stdDev * stdDev) * eps;
  return Math.sqrt(abarPrev) * x0 + direction + stdDev * randn();
}

// Conversions (value, x, t) at a zero-based timestep.
const point = (t: number) => ({ a: Math.sqrt(abarAt(t)), s: Math.sqrt(1 - abarAt(t)) });
export const epsToData = (eps: number, x: number, t: number) => (x - point(t).s * eps) / point(t).a;
export const dataToEps = (data: number, x: number, t: number) => (x - point(t).a * data) / point(t).s;
export const epsToScore = (eps: number, _x: number, t: number) => -eps / point(t).s;
export const scoreToEps = (score: number, _x: number, t: number) => -point(t).s * score;
export const epsToVPred = (eps: number, x: number, t: number) =>
  point(t).a * eps - point(t).s * epsToData(eps, x, t);
export const vPredToEps = (v: number, x: number, t: number) => point(t).a * v + point(t).s * x;
export const vPredToData = (v: number, x: number, t: number) => point(t).a * x - point(t).s * v;
