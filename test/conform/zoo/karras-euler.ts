// Bug zoo, correct: Euler on EDM (sigma = t) as k-diffusion's sample_euler, over a 30-step Karras grid
// (rho = 7) exported as `sigmas` (with the final 0). Twin of python/zoo/k_euler.py.
export const meta = {
  convention: 'diffusion',
  path: 'edm',
  predictionType: 'data',
  sampler: 'euler',
  grid: { name: 'karras', numSteps: 30, sigmaMin: 0.002, sigmaMax: 80, rho: 7 },
};

export function getSigmasKarras(n: number, sigmaMin: number, sigmaMax: number, rho = 7): number[] {
  const minInvRho = sigmaMin ** (1 / rho);
  const maxInvRho = sigmaMax ** (1 / rho);
  const ramp = (i: number) => i / (n - 1);
  return [...Array.from({ length: n }, (_, i) => (maxInvRho + ramp(i) * (minInvRho - maxInvRho)) ** rho), 0];
}

export const sigmas = getSigmasKarras(30, 0.002, 80);

type Model = (x: number, t: number) => number;

export function stepWithModel(model: Model, t: number, tPrev: number, x: number): number {
  const d = (x - model(x, t)) / t;
  return x + d * (tPrev - t);
}
