// Bug zoo, buggy: a Karras grid whose final power is 1/rho where rho is meant, so sigma spans only
// [0.88, 1.09] instead of [0.002, 80]. No grid is declared and the Euler step agrees with the grid, so
// only the grid's noise end can catch it. Expected: grid:endpoints fails.
// Twin of python/zoo/bug_karras_rho_inverted.py.
export { stepWithModel } from './karras-euler.js';

export const meta = { convention: 'diffusion', path: 'edm', predictionType: 'data', sampler: 'euler' };

const rho = 7;
const minInvRho = 0.002 ** (1 / rho);
const maxInvRho = 80 ** (1 / rho);
export const sigmas = [
  ...Array.from({ length: 30 }, (_, i) => (maxInvRho + (i / 29) * (minInvRho - maxInvRho)) ** (1 / rho)),
  0,
];
