// Bug zoo, correct but unusual: DDPM ancestral sampling written as k-diffusion's Euler-ancestral in
// VE coordinates (sigma_up / sigma_down split), with the fresh noise made of two independent draws
// sqrt(0.3) z1 + sqrt(0.7) z2. Same conditional law as the DDPM posterior step.
import { abarAt } from './lib-discrete.js';

export { alphasCumprod, betas } from './lib-discrete.js';

export const meta = {
  convention: 'diffusion',
  predictionType: 'eps',
  schedule: { name: 'ddpm-linear', numSteps: 1000 },
  timestepIndexing: 'zero-based',
  sampler: 'ddpm',
};

const sigmaVe = (abar: number) => Math.sqrt((1 - abar) / abar);

export function step(
  eps: number,
  t: number,
  tPrev: number,
  x: number,
  _p: string,
  randn: () => number,
): number {
  const s = sigmaVe(abarAt(t));
  const sPrev = sigmaVe(abarAt(tPrev));
  const sigmaUp = Math.sqrt((sPrev * sPrev * (s * s - sPrev * sPrev)) / (s * s));
  const sigmaDown = Math.sqrt(sPrev * sPrev - sigmaUp * sigmaUp);
  const scaled = x / Math.sqrt(abarAt(t));
  const noise = Math.sqrt(0.3) * randn() + Math.sqrt(0.7) * randn();
  const next = scaled + eps * (sigmaDown - s) + sigmaUp * noise;
  return next * Math.sqrt(abarAt(tPrev));
}
