// The notation of the field as data: one entry per symbol family, with its domain, its role and where
// the convention comes from. It gives a paper zero-configuration domains (`\bar\alpha_t` in (0,1),
// `\sigma_t` > 0, `x_0` real, ...) and tells the reader which names are functions (`p_t(x)`, `f(t)`) and
// which are variables before parentheses (`a(1-b)` is a product). Front matter, `--where`, a sidecar or a
// `% flowproof:` comment override it. Spellings are canonical (tokens joined by single spaces).

/**
 * `state`: a data point or a random state (`x_0`, `x_t`, `X_t`): equated to an expression after its
 * first use, it is re-expressed, not defined. `noise`: a standard normal draw.
 */
export type Role = 'variable' | 'state' | 'function' | 'noise' | 'constant';

export interface Notation {
  /** The family: the symbol without sub/superscripts, e.g. `\bar \alpha`, `x`, `\epsilon`. */
  family: string;
  /** Applies when the symbol has a subscript (`sub`), has none (`bare`), or always (`any`). */
  when: 'sub' | 'bare' | 'any';
  role: Role;
  /** Domain text as the identity engine reads it ('real', '(0,1)', '> 0'). */
  domain: string;
  /** Where the convention comes from (printed with every assumption). */
  source: string;
}

const DDPM = 'DDPM notation (Ho et al. 2020)';
const SDE = 'score SDE notation (Song et al. 2021)';
const PATH = 'Gaussian-path notation (Kingma et al. 2021; Lipman et al. 2023)';
const COMMON = 'common usage';

export const NOTATION: readonly Notation[] = [
  {
    family: '\\bar \\alpha',
    when: 'any',
    role: 'variable',
    domain: '(0,1)',
    source: `${DDPM}: cumulative product of 1 - beta`,
  },
  { family: '\\hat \\alpha', when: 'any', role: 'variable', domain: '(0,1)', source: DDPM },
  {
    family: '\\alpha',
    when: 'any',
    role: 'variable',
    domain: '(0,1)',
    source: `${DDPM} (alpha_t = 1 - beta_t) or ${PATH} (signal coefficient): in (0,1) either way`,
  },
  { family: '\\beta', when: 'sub', role: 'variable', domain: '(0,1)', source: `${DDPM}: noise schedule` },
  {
    family: '\\tilde \\beta',
    when: 'any',
    role: 'variable',
    domain: '(0,1)',
    source: `${DDPM}: posterior variance`,
  },
  { family: '\\bar \\beta', when: 'any', role: 'variable', domain: '> 0', source: SDE },
  { family: '\\beta', when: 'bare', role: 'variable', domain: '> 0', source: `${SDE}: beta(t) > 0` },
  { family: '\\sigma', when: 'any', role: 'variable', domain: '> 0', source: `${PATH}: noise level` },
  { family: '\\tilde \\sigma', when: 'any', role: 'variable', domain: '> 0', source: COMMON },
  { family: '\\hat \\sigma', when: 'any', role: 'variable', domain: '> 0', source: COMMON },
  { family: '\\gamma', when: 'any', role: 'variable', domain: 'real', source: COMMON },
  {
    family: '\\lambda',
    when: 'any',
    role: 'variable',
    domain: 'real',
    source: `${PATH}: log signal-to-noise ratio`,
  },
  {
    family: '\\eta',
    when: 'any',
    role: 'variable',
    domain: '[0,1]',
    source: 'DDIM notation (Song et al. 2021): stochasticity',
  },
  { family: 't', when: 'any', role: 'variable', domain: '(0,1)', source: 'time on [0, 1]' },
  { family: 's', when: 'bare', role: 'variable', domain: '(0,1)', source: 'a second time on [0, 1]' },
  { family: '\\tau', when: 'any', role: 'variable', domain: '(0,1)', source: 'time on [0, 1]' },
  {
    family: 'T',
    when: 'bare',
    role: 'variable',
    domain: '> 0',
    source: 'number of steps (a positive number; integrality not used)',
  },
  { family: 'N', when: 'bare', role: 'variable', domain: '> 0', source: 'a count' },
  { family: 'K', when: 'bare', role: 'variable', domain: '> 0', source: 'a count' },
  { family: 'd', when: 'bare', role: 'variable', domain: '> 0', source: 'the dimension' },
  { family: 'D', when: 'bare', role: 'variable', domain: '> 0', source: 'the dimension' },
  { family: 'n', when: 'bare', role: 'variable', domain: '> 0', source: 'a count' },
  { family: 'h', when: 'bare', role: 'variable', domain: '> 0', source: 'a step size' },
  { family: '\\Delta', when: 'any', role: 'variable', domain: '> 0', source: 'a step size (\\Delta t)' },
  { family: '\\delta', when: 'any', role: 'variable', domain: '> 0', source: 'a small positive number' },
  {
    family: '\\epsilon',
    when: 'any',
    role: 'noise',
    domain: 'real',
    source: `${DDPM}: standard normal noise`,
  },
  {
    family: '\\varepsilon',
    when: 'any',
    role: 'noise',
    domain: 'real',
    source: `${DDPM}: standard normal noise`,
  },
  {
    family: '\\bar \\epsilon',
    when: 'any',
    role: 'noise',
    domain: 'real',
    source: 'merged standard normal noise',
  },
  { family: '\\hat \\epsilon', when: 'any', role: 'variable', domain: 'real', source: 'predicted noise' },
  {
    family: 'x',
    when: 'any',
    role: 'state',
    domain: 'real',
    source: 'a data point or state, read coordinate-wise',
  },
  {
    family: 'y',
    when: 'any',
    role: 'state',
    domain: 'real',
    source: 'a data point or state, read coordinate-wise',
  },
  {
    family: 'z',
    when: 'any',
    role: 'state',
    domain: 'real',
    source: 'a latent or state, read coordinate-wise',
  },
  { family: 'X', when: 'any', role: 'state', domain: 'real', source: 'a random state, read coordinate-wise' },
  { family: 'Y', when: 'any', role: 'state', domain: 'real', source: 'a random state, read coordinate-wise' },
  { family: '\\hat x', when: 'any', role: 'variable', domain: 'real', source: 'an estimate of a data point' },
  {
    family: '\\tilde x',
    when: 'any',
    role: 'state',
    domain: 'real',
    source: 'a state, read coordinate-wise',
  },
  { family: '\\mu', when: 'any', role: 'variable', domain: 'real', source: 'a mean' },
  {
    family: '\\tilde \\mu',
    when: 'any',
    role: 'variable',
    domain: 'real',
    source: `${DDPM}: posterior mean`,
  },
  { family: 'm', when: 'any', role: 'variable', domain: 'real', source: 'a mean' },
  { family: '\\theta', when: 'any', role: 'variable', domain: 'real', source: 'model parameters' },
  { family: 'v', when: 'any', role: 'function', domain: 'real', source: 'a velocity field' },
  { family: 'u', when: 'any', role: 'function', domain: 'real', source: 'a velocity field' },
  { family: 'g', when: 'any', role: 'function', domain: '> 0', source: `${SDE}: diffusion coefficient` },
  { family: 'f', when: 'any', role: 'function', domain: 'real', source: `${SDE}: drift coefficient` },
  { family: 'p', when: 'any', role: 'function', domain: '> 0', source: 'a probability density' },
  { family: 'q', when: 'any', role: 'function', domain: '> 0', source: 'a probability density' },
  { family: '\\rho', when: 'any', role: 'function', domain: '> 0', source: 'a probability density' },
  { family: 'w', when: 'any', role: 'function', domain: '> 0', source: 'a loss weighting' },
  {
    family: 'I',
    when: 'bare',
    role: 'constant',
    domain: 'real',
    source: 'the identity matrix: 1 per coordinate',
  },
  { family: 'e', when: 'bare', role: 'constant', domain: 'real', source: "Euler's number" },
];

/** Families whose name before parentheses is always a function application. */
const FUNCTION_FAMILIES = new Set([
  'p',
  'q',
  '\\rho',
  'f',
  'g',
  'u',
  'v',
  '\\mu',
  'D',
  'F',
  'G',
  'J',
  'L',
  '\\ell',
  '\\mathcal L',
  '\\mathcal J',
  '\\Phi',
  '\\Psi',
  '\\phi',
  '\\psi',
  'w',
  'S',
  'H',
  'V',
  'U',
  'E',
  'P',
  '\\mathbb P',
  '\\mathbb E',
  'KL',
  '\\mathrm{SNR}',
]);
/** Symbols that name a learned network when they carry these labels (`\epsilon_\theta`, `s_\theta^*`). */
const NETWORK_LABELS = /(^| )(_|\^) (\\theta|\\phi|\\psi|\{ \\theta [^}]*\}|\\star|\*)/;
/** A single time-like symbol: `t`, `s`, `\tau`, `r`, `t_i`, `t'`, `t_{i+1}`. */
const TIME_LIKE = /^((?:\\(?:tilde|bar|hat) )?(?:t|s|\\tau|r))( _ (\S+|\{ [^{}]* \}))?( ')?$/;
/** Greek letters that name schedules of time in this field (`\beta(t)`, `\sigma(s)`, `\lambda(t)`). */
const SCHEDULE_LETTERS = new Set([
  '\\alpha',
  '\\beta',
  '\\gamma',
  '\\sigma',
  '\\lambda',
  '\\eta',
  '\\nu',
  '\\omega',
  '\\phi',
  '\\psi',
  '\\kappa',
  '\\xi',
  '\\zeta',
]);
/** One symbol, possibly subscripted or primed. */
const ONE_SYMBOL = /^(\\[A-Za-z]+|[A-Za-z])( _ (\S+|\{ [^{}]* \}))?( ')?$/;
/** Order terms `O(h^2)`, `o(1)`, `\mathcal O(h)`: never a product. */
export const ORDER_TERMS = new Set(['O', 'o', '\\mathcal O']);

/**
 * Index letters of subscripts (`\alpha_t`, `x_i`, `\sigma_k`): a binding of `F_t` holds at every index letter,
 * and a family member's shape does not depend on which one it uses.
 */
export const INDEX_LETTERS = /^(t|s|i|j|k|n|m|l)$/;

/** The parts of a canonical spelling: decorations + base, subscript, superscript label, primes. */
export function familyOf(canon: string): { family: string; sub?: string; rest: string } {
  const m =
    /^((?:\\(?:bar|hat|tilde|dot|ddot|vec|check|overline|widehat|widetilde|breve|mathring|underline) )*(?:\\[A-Za-z]+(?: [A-Za-z])?|\\text\{[^}]*\}|\\operatorname\{[^}]*\}|[A-Za-z]))(.*)$/.exec(
      canon,
    );
  if (!m) return { family: canon, rest: '' };
  const rest = m[2].trim();
  const sub = /^_ (\{ [^]*? \}|\S+)/.exec(rest)?.[1];
  return { family: m[1].replace(/^\\mathcal ([A-Z])$/, '\\mathcal $1'), sub, rest };
}

/** The dictionary entry for a canonical spelling, if the field has a convention for it. */
export function notationOf(canon: string): Notation | undefined {
  const { family, sub, rest } = familyOf(canon);
  // A label (`^\theta`, `^*`) or a prime makes another object (a network, an optimum, a derivative).
  if (/\^|'/.test(rest) || NETWORK_LABELS.test(` ${rest}`)) return undefined;
  const has = sub !== undefined;
  return NOTATION.find((n) => n.family === family && (n.when === 'any' || (n.when === 'sub') === has));
}

/**
 * Is `head` followed by `( inner )` a function application rather than a product? `inner` is the
 * canonical spelling of the single argument. Bound names are decided by the caller first.
 */
export function looksLikeFunction(head: string, inner: string): boolean {
  if (/^\\(text|operatorname|mathrm)\b/.test(head)) return true;
  if (ORDER_TERMS.has(head)) return true;
  if (NETWORK_LABELS.test(head)) return true;
  const { family } = familyOf(head);
  const bare = family.replace(/^(\\(bar|hat|tilde|dot|vec|check|breve) )+/, '');
  if (FUNCTION_FAMILIES.has(family) || FUNCTION_FAMILIES.has(bare)) return true;
  // `c_{\mathrm{skip}}(\sigma)`, `w_{\text{SNR}}(t)`: a name with a word as its subscript, of one symbol.
  if (/ _ \\text\{[A-Za-z]{2,}\}$/.test(head) && ONE_SYMBOL.test(inner)) return true;
  // `\beta(u)`, `\sigma(s)`: an unscripted Greek schedule name of one variable is a function of it.
  if (family === head && SCHEDULE_LETTERS.has(head) && ONE_SYMBOL.test(inner)) return true;
  // `x(t)`, `m(s)`: any name of a time-like variable is a function of time.
  return TIME_LIKE.test(inner) && !/^\d/.test(head);
}
