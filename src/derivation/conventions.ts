// Macros papers of this field use without always shipping their definition: the ICLR / NeurIPS
// templates' `math_commands.tex` (`\rvx` a random vector, `\mX` a matrix, `\gN` a calligraphic N, `\E`
// expectation) and other common ones (`\dd` the differential, `\kl{p}{q}`). A paper's own definition,
// or a `--macros` file, always wins; a convention is used only for a command the reader does not know
// otherwise, and the scan says which it assumed.
import type { MacroDef } from './macros.js';
import { tokenize } from './tokens.js';

const GREEK =
  'alpha beta gamma delta epsilon varepsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau upsilon phi varphi chi psi omega';
const GREEK_NAMES = new Set(GREEK.split(' '));
const CAPITAL_GREEK = new Set([
  'Gamma',
  'Delta',
  'Theta',
  'Lambda',
  'Xi',
  'Pi',
  'Sigma',
  'Upsilon',
  'Phi',
  'Psi',
  'Omega',
]);

/** Fixed names: `\E`, `\R`, `\dd`, `\kl{p}{q}` and friends. */
const NAMED: Record<string, [number, string]> = {
  '\\E': [0, '\\mathbb{E}'],
  '\\Ex': [0, '\\mathbb{E}'],
  '\\EE': [0, '\\mathbb{E}'],
  '\\EX': [0, '\\mathbb{E}'],
  '\\R': [0, '\\mathbb{R}'],
  '\\RR': [0, '\\mathbb{R}'],
  '\\Reals': [0, '\\mathbb{R}'],
  '\\N': [0, '\\mathcal{N}'],
  '\\Ls': [0, '\\mathcal{L}'],
  '\\KL': [0, 'D_{\\mathrm{KL}}'],
  '\\kl': [2, 'D_{\\mathrm{KL}}(#1 \\| #2)'],
  '\\dd': [0, '\\mathrm{d}'],
  '\\diff': [0, '\\mathrm{d}'],
  '\\mathd': [0, '\\mathrm{d}'],
  '\\dif': [0, '\\mathrm{d}'],
  '\\eps': [0, '\\epsilon'],
  '\\veps': [0, '\\varepsilon'],
  '\\beps': [0, '\\boldsymbol{\\epsilon}'],
  '\\bmu': [0, '\\boldsymbol{\\mu}'],
  '\\btheta': [0, '\\boldsymbol{\\theta}'],
  '\\bSigma': [0, '\\boldsymbol{\\Sigma}'],
  '\\norm': [1, '\\left\\| #1 \\right\\|'],
  '\\abs': [1, '\\left| #1 \\right|'],
  '\\Var': [0, '\\operatorname{Var}'],
  '\\Cov': [0, '\\operatorname{Cov}'],
  '\\Tr': [0, '\\operatorname{Tr}'],
  '\\tr': [0, '\\operatorname{tr}'],
  '\\diag': [0, '\\operatorname{diag}'],
  '\\argmin': [0, '\\operatorname*{arg\\,min}'],
  '\\argmax': [0, '\\operatorname*{arg\\,max}'],
  '\\vzero': [0, '\\mathbf{0}'],
  '\\vone': [0, '\\mathbf{1}'],
  '\\mI': [0, '\\mathbf{I}'],
  '\\Id': [0, '\\mathbf{I}'],
  '\\indicator': [0, '\\mathbb{1}'],
  // Blogs' site-wide MathJax macros (defined in a layout file the post does not carry).
  '\\d': [0, '\\mathrm{d}'],
  '\\Expect': [0, '\\mathbb{E}'],
  '\\var': [0, '\\operatorname{Var}'],
  '\\cov': [0, '\\operatorname{Cov}'],
  '\\normal': [0, '\\mathcal{N}'],
  '\\Normal': [0, '\\mathcal{N}'],
  '\\vecI': [0, '\\mathbf{I}'],
  '\\L': [0, '\\mathcal{L}'],
  '\\what': [1, '\\widehat{#1}'],
  '\\wbar': [1, '\\overline{#1}'],
  '\\wtilde': [1, '\\widetilde{#1}'],
};

/** Where a convention comes from, as the scan reports it. */
export const CONVENTION_SOURCE = "the ICLR/NeurIPS template's math_commands.tex and common usage";

/** The conventional meaning of an undefined command, or undefined. `known`: commands the reader has. */
export function conventionFor(name: string, known: (cmd: string) => boolean): MacroDef | undefined {
  if (known(name)) return undefined;
  const fixed = NAMED[name];
  if (fixed) return def(name, fixed[0], fixed[1]);
  const m = /^\\(rv|v|b|rm|m|t|g|s|c|bm|r)([A-Za-z]+)$/.exec(name);
  if (!m) return undefined;
  const [, prefix, rest] = m;
  const greek = GREEK_NAMES.has(rest) || CAPITAL_GREEK.has(rest);
  const body = greek ? `\\${rest}` : rest;
  const oneLetter = /^[A-Za-z]$/.test(rest);
  // \rvx, \rvepsilon (random vectors); \vx, \bx (vectors); \mX, \rmX, \tSigma (matrices, tensors).
  if (
    (prefix === 'rv' || prefix === 'v' || prefix === 'b' || prefix === 'bm') &&
    (oneLetter || GREEK_NAMES.has(rest))
  )
    return def(name, 0, greek ? `\\boldsymbol{${body}}` : `\\mathbf{${body}}`);
  if (
    (prefix === 'm' || prefix === 'rm' || prefix === 't') &&
    (/^[A-Z]$/.test(rest) || CAPITAL_GREEK.has(rest))
  )
    return def(name, 0, greek ? `\\boldsymbol{${body}}` : `\\mathbf{${body}}`);
  // \ru, \rx: a random scalar, roman.
  if (prefix === 'r' && /^[a-z]$/.test(rest)) return def(name, 0, `\\mathrm{${rest}}`);
  // \gN (graphs: calligraphic), \sA (sets: sans-serif), \cL (calligraphic).
  if ((prefix === 'g' || prefix === 'c') && /^[A-Z]$/.test(rest)) return def(name, 0, `\\mathcal{${rest}}`);
  if (prefix === 's' && /^[A-Z]$/.test(rest)) return def(name, 0, `\\mathsf{${rest}}`);
  return undefined;
}

function def(name: string, params: number, body: string): MacroDef {
  return { name, params, body: tokenize(body), kind: 'macro', seq: -Infinity, where: CONVENTION_SOURCE };
}
