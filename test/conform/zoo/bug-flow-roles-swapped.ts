// Bug zoo, buggy: a library declaring the flow convention (t = 0 noise) but with the diffusion
// convention's roles (t = 0 data). Expected: schedule:endpoints and schedule:reference fail.
import { shifted } from './fm-euler.js';

export { meta, step } from './fm-euler.js';

export const sigma = (t: number) => shifted(t);
export const alpha = (t: number) => 1 - sigma(t);
