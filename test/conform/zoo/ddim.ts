// Bug zoo, correct: the discrete DDIM library with eta = 0.5 and its conversions.
import { ddimStep, type Prediction } from './lib-discrete.js';

export {
  alphasCumprod,
  betas,
  epsToData,
  dataToEps,
  epsToScore,
  scoreToEps,
  epsToVPred,
  vPredToEps,
  vPredToData,
} from './lib-discrete.js';

export const meta = {
  convention: 'diffusion',
  predictionType: 'eps',
  schedule: { name: 'ddpm-linear', numSteps: 1000 },
  timestepIndexing: 'zero-based',
  sampler: 'ddim',
  eta: 0.5,
};

export const ETA = 0.5;

export function step(
  modelOutput: number,
  t: number,
  tPrev: number,
  x: number,
  predictionType: Prediction,
  randn: () => number,
): number {
  return ddimStep(modelOutput, t, tPrev, x, predictionType, randn, ETA);
}
