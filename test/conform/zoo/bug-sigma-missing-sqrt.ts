// Bug zoo, buggy: the VP-SDE schedule with sigma = 1 - alpha^2 (a missing square root).
// Expected: schedule:variance-preserving and schedule:reference fail.
import { alpha } from './em-vpsde.js';

export { meta, alpha, step } from './em-vpsde.js';

export const sigma = (t: number) => 1 - alpha(t) ** 2;
