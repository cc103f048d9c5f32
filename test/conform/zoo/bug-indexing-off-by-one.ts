// Bug zoo, buggy: a zero-based alphas_cumprod array declared as one-based (abar[0] = 1 - beta_1, not 1).
// Expected: discrete:indexing fails.
import { meta as base } from './ddim.js';

export { alphasCumprod, betas, step } from './ddim.js';

export const meta = { ...base, timestepIndexing: 'one-based' };
