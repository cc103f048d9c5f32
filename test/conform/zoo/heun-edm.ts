// Bug zoo, correct: EDM (alpha = 1, sigma = t) with a denoiser (x0-prediction) and Heun's second-order
// step as in k-diffusion's sample_heun (without churn).
export const meta = { convention: 'diffusion', path: 'edm', predictionType: 'data', sampler: 'heun' };

export const alpha = (_t: number) => 1;
export const sigma = (t: number) => t;
export const dataToEps = (data: number, x: number, t: number) => (x - data) / t;
export const epsToData = (eps: number, x: number, t: number) => x - t * eps;

type Model = (x: number, t: number) => number;

/** dx/dsigma = (x - D(x; sigma)) / sigma. */
export const derivative = (model: Model, x: number, s: number) => (x - model(x, s)) / s;

export function stepWithModel(model: Model, t: number, tPrev: number, x: number): number {
  const d = derivative(model, x, t);
  const dt = tPrev - t;
  const x2 = x + d * dt;
  const d2 = derivative(model, x2, tPrev);
  return x + ((d + d2) / 2) * dt;
}
