// Bug zoo, buggy: alphasCumprod[t] = 1 - betas[t], a single factor where the product is meant.
// Expected: discrete:cumprod and discrete:reference fail.
import { betas } from './lib-discrete.js';

export { betas, meta, step } from './ddim.js';

export const alphasCumprod = betas.map((b) => 1 - b);
