// Bug zoo, buggy: DDIM with an x0-prediction model that never converts the output to eps: the model
// output is used as eps whatever the prediction type. Expected: step:ddim fails.
import { ddimStep } from './lib-discrete.js';
import { ETA, meta as base } from './ddim.js';

export { alphasCumprod, betas } from './lib-discrete.js';

export const meta = { ...base, predictionType: 'data' };

export function step(
  modelOutput: number,
  t: number,
  tPrev: number,
  x: number,
  _p: string,
  randn: () => number,
): number {
  return ddimStep(modelOutput, t, tPrev, x, 'eps', randn, ETA);
}
