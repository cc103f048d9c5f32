// The parsed form of a LaTeX formula, before it is lowered to the internal expression form. It keeps
// every construct the seeds write, checkable or not (expectations, norms, sets, differentials), so a
// formula can parse and then be reported as "not checkable, because ...". `from`/`to` are token indices.

export interface Span {
  from: number;
  to: number;
}

export type DerivOp = 'd' | 'partial' | 'nabla' | 'divergence';

export type Tex = Span &
  (
    | { k: 'num'; text: string }
    /** A symbol such as `x_t`, `\bar\alpha_t`, `u_t^\theta`; `canon` is its canonical spelling. */
    | { k: 'atom'; canon: string }
    | { k: 'pi' }
    | { k: 'add'; terms: Tex[]; signs: (1 | -1)[] }
    | { k: 'mul'; factors: Tex[] }
    | { k: 'div'; num: Tex; den: Tex }
    | { k: 'pow'; base: Tex; exp: Tex }
    | { k: 'sqrt'; arg: Tex; index?: Tex }
    /** An elementary function by its LaTeX name without the backslash (`log`, `tanh`); `base` of `\log_b`. */
    | { k: 'fn'; fn: string; arg: Tex; base?: Tex }
    | { k: 'abs'; body: Tex }
    /** `f(a, b)`, `q(x | y)`: `given` holds what follows `|` or `\mid`; `sep` is ',' or ';'. */
    | { k: 'apply'; head: Tex; args: Tex[]; given: Tex[]; sep: string }
    /** `\mathcal{N}(x; m, v)` (3 arguments: a density) or `\mathcal{N}(m, v)` (a distribution). */
    | { k: 'normal'; args: Tex[]; sep: string }
    | { k: 'deriv'; op: DerivOp; wrt?: Tex; body: Tex }
    | { k: 'integral'; lo?: Tex; hi?: Tex; body: Tex; wrt: Tex }
    | { k: 'differential'; wrt: Tex }
    /** `\mathbb{E}_{sub}[body | given]` or `E[...]`. */
    | { k: 'expect'; sub?: Tex; body: Tex; given: Tex[] }
    /** `\|x\|`, `\|x\|_2`: `index` is the norm's subscript. */
    | { k: 'norm'; body: Tex; index?: Tex }
    | { k: 'bigop'; op: string; sub?: Tex; sup?: Tex; body: Tex }
    | { k: 'tuple'; items: Tex[]; open: string }
    | { k: 'set'; items: Tex[] }
    | { k: 'text'; text: string }
    | { k: 'opaque'; what: string }
    /** A relation chain `a = b \leq c`; a statement of a display block is one of these (or a bare member). */
    | { k: 'chain'; members: Tex[]; ops: string[] }
    | { k: 'quantifier'; q: string; body: Tex }
    | { k: 'underbrace'; body: Tex; note?: Tex }
  );

/** Every sub-expression of a node (for searches over the parse tree). */
export function childrenOf(t: Tex): Tex[] {
  switch (t.k) {
    case 'add':
      return t.terms;
    case 'mul':
      return t.factors;
    case 'div':
      return [t.num, t.den];
    case 'pow':
      return [t.base, t.exp];
    case 'sqrt':
      return t.index ? [t.arg, t.index] : [t.arg];
    case 'fn':
      return t.base ? [t.arg, t.base] : [t.arg];
    case 'abs':
    case 'norm':
    case 'deriv':
    case 'underbrace':
      return [t.body];
    case 'apply':
      return [t.head, ...t.args, ...t.given];
    case 'normal':
      return t.args;
    case 'integral':
      return [t.body, ...(t.lo ? [t.lo] : []), ...(t.hi ? [t.hi] : [])];
    case 'expect':
      return [t.body, ...t.given];
    case 'bigop':
      return [t.body];
    case 'tuple':
    case 'set':
      return t.items;
    case 'chain':
      return t.members;
    case 'quantifier':
      return [t.body];
    default:
      return [];
  }
}
