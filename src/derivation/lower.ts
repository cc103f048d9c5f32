// Lowering parsed LaTeX to the internal expression form, in a scope of declared symbols and `let`
// bindings. Derivatives see every binding except their own variable's (so `\nabla_{x_t}` differentiates
// with x_t free, and `\frac{d}{dt}` is a total derivative); plain bindings are applied last. What cannot
// be an Expr (an expectation, a norm, a distribution, an indefinite integral) is a NotCheckable with
// the reason, so `scan` can report it; `verify` turns it into an InputError at the same position.
import { InputError } from '../core/errors.js';
import {
  type Expr,
  E,
  ONE,
  PI,
  add,
  applyFn,
  decimal,
  div,
  freeSymbols,
  mul,
  neg,
  normalPdf,
  pow,
  substitute,
  sym,
  call,
} from '../symbolic/expr.js';
import { derivative } from '../symbolic/derivative.js';
import { functionOfTex } from '../symbolic/functions.js';
import type { SymbolDomain } from '../symbolic/domain.js';
import { childrenOf, type Tex } from './ast.js';
import { identifierOf } from './file.js';
import { familyOf, INDEX_LETTERS, looksLikeFunction, notationOf } from './dictionary.js';
import { antiderivative } from './integrate.js';
import { canonical, type ParsedMath } from './parser.js';
import { spelling } from './show.js';
import { locate } from './tokens.js';

/** A declared symbol, or an undefined function of one variable (`of` is its variable's symbol name). */
export interface SymbolDecl {
  name: string;
  domain: SymbolDomain;
  of?: string;
  /** Declared by the notation dictionary on first use (a later binding of the same spelling wins). */
  auto?: true;
}

/** The declaration of a spelling, unless it was only declared automatically and is now bound. */
function symbolOf(c: string, scope: Scope): SymbolDecl | undefined {
  const d = scope.symbols.get(c);
  return d?.auto && scope.lets.has(c) ? undefined : d;
}

/** A `let` binding: `params` empty for a plain binding (`x_t: ...`), else a function (`p_t(x): ...`). */
export interface LetDecl {
  name: string;
  /** Parameter symbol names, and their canonical spellings in the body. */
  params: string[];
  paramSpellings: string[];
  body: Tex;
  math: ParsedMath;
}

export interface Scope {
  /** By canonical LaTeX spelling. */
  symbols: Map<string, SymbolDecl>;
  lets: Map<string, LetDecl>;
  /**
   * Zero configuration (reading a paper): declares an undeclared spelling from the field's notation, or
   * leaves it unknown (undefined). A function declaration has `of` set. Unset: every symbol is declared.
   */
  auto?: (canon: string, as: 'variable' | 'function') => SymbolDecl | undefined;
  /** Applications of unknown functions read as opaque values (`\epsilon_\theta(x_t, t)`), by spelling. */
  opaque?: Map<string, OpaqueValue>;
}

/** The value of an unknown function at its arguments: any number, the same wherever it is written. */
export interface OpaqueValue {
  name: string;
  /** The function's spelling (`\Phi`, `\epsilon_\theta`): values of one function at several arguments are related. */
  head: string;
  /** Symbols its arguments mention (with and without bindings): it may vary with them. */
  dependsOn: Set<string>;
}

/** An identity the lowering relied on: d/d`variable` of an antiderivative equals the integrand. */
export interface SideCondition {
  lhs: Expr;
  rhs: Expr;
  /** The integration variable, and the limits its range is taken from. */
  variable: string;
  limits: Expr[];
  /** Domains of every integration variable free in lhs/rhs (filled in by lowerMember). */
  domains: Record<string, SymbolDomain>;
  where: { math: ParsedMath; node: Tex };
}

export class NotCheckable extends Error {
  constructor(
    readonly reason: string,
    readonly math: ParsedMath,
    readonly node: Tex,
  ) {
    super(reason);
  }

  /** As an InputError positioned at the construct, quoting it. */
  toInputError(): InputError {
    const { source, tokens, origin } = this.math;
    const at = tokens[this.node.from]?.at ?? 0;
    const end = this.node.to > this.node.from ? tokens[this.node.to - 1] : undefined;
    const stop = end
      ? end.at + (end.kind === 'text' ? end.text.length + (end.arg?.length ?? 0) + 2 : end.text.length)
      : at + 1;
    return new InputError(
      this.reason,
      { file: origin.file, ...locate(source, at, origin) },
      source.slice(at, stop),
    );
  }
}

interface Env {
  scope: Scope;
  math: ParsedMath;
  /** Function parameters and integration variables in scope: canonical spelling -> symbol name. */
  bound: Map<string, string>;
  /** Arguments of `(p_t u_t)(x)`: every function atom inside is applied to them. */
  implicitArgs?: Expr[];
  /** How many function atoms consumed implicitArgs (an application that consumes none is an error). */
  consumed?: { n: number };
  sideConditions: SideCondition[];
  /** Guards against a binding that refers to itself. */
  expanding: Set<string>;
  fresh: { n: number };
}

const MAX_LET_DEPTH = 64;

export interface Lowered {
  expr: Expr;
  sideConditions: SideCondition[];
}

/** Lower one chain member to an Expr with every let binding applied. */
export function lowerMember(node: Tex, math: ParsedMath, scope: Scope): Lowered {
  const env: Env = {
    scope,
    math,
    bound: new Map(),
    sideConditions: [],
    expanding: new Set(),
    fresh: { n: 0 },
  };
  const expr = applyLets(lower(node, env), scope, env);
  const sides = env.sideConditions.map((c) => ({
    ...c,
    lhs: applyLets(c.lhs, scope, env),
    rhs: applyLets(c.rhs, scope, env),
    limits: c.limits.map((l) => applyLets(l, scope, env)),
  }));
  // An integration variable ranges over the hull of its limits; inner limits may mention outer variables.
  const known = new Map<string, SymbolDomain>([...scope.symbols.values()].map((d) => [d.name, d.domain]));
  const ranges = new Map<string, SymbolDomain>();
  for (let round = 0; round <= sides.length; round++) {
    for (const c of sides)
      if (!ranges.has(c.variable)) {
        const d = hull(c.limits, (n) => known.get(n) ?? ranges.get(n));
        if (d) ranges.set(c.variable, d);
      }
  }
  const sideConditions = sides.map((c) => {
    const domains: Record<string, SymbolDomain> = {};
    for (const n of new Set([...freeSymbols(c.lhs), ...freeSymbols(c.rhs)]))
      if (!known.has(n)) domains[n] = ranges.get(n) ?? REAL_LINE;
    return { ...c, domains };
  });
  return { expr, sideConditions };
}

const REAL_LINE: SymbolDomain = { lo: -Infinity, hi: Infinity, loOpen: true, hiOpen: true };

/** Substitute plain let bindings until none is left (except `keep`). */
function applyLets(e: Expr, scope: Scope, env: Env, keep?: string): Expr {
  // Only the bindings the expression uses are lowered (a paper has many; one may be unusable).
  const byName = new Map<string, [string, LetDecl]>();
  for (const [canon, d] of scope.lets)
    if (d.params.length === 0 && d.name !== keep) byName.set(d.name, [canon, d]);
  const bodies = new Map<string, Expr>();
  const letsIn = (x: Expr) => [...freeSymbols(x)].filter((n) => byName.has(n));
  // Lower every binding `e` reaches first, refusing a cycle: substituting one grows without end.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (n: string, path: string[]): void => {
    if (state.get(n) === 'done') return;
    if (state.get(n) === 'open') {
      const cycle = [...path.slice(path.indexOf(n)), n].map((m) => say(byName.get(m)![0]));
      throw new InputError(`let bindings refer to each other in a cycle (${cycle.join(' -> ')})`);
    }
    state.set(n, 'open');
    bodies.set(n, letBody(...byName.get(n)!, env));
    for (const m of letsIn(bodies.get(n)!)) visit(m, [...path, n]);
    state.set(n, 'done');
  };
  for (const n of letsIn(e)) visit(n, []);
  for (let depth = 0; depth < MAX_LET_DEPTH; depth++) {
    const used = letsIn(e);
    if (used.length === 0) return e;
    e = substitute(e, new Map(used.map((n) => [n, bodies.get(n)!])));
  }
  throw new InputError(`let bindings nest deeper than ${MAX_LET_DEPTH} levels`);
}

/**
 * Bindings expanded inside a function's body or an integral speak of the bound variable: in
 * `f(t) = \frac{d}{dt} \log \alpha_t` with `\alpha_t = 1 - t^2`, the `t` of the binding is f's argument.
 */
function atBound(e: Expr, env: Env): Expr {
  const rename = new Map<string, Expr>();
  for (const [c, name] of env.bound) {
    const global = symbolOf(c, env.scope);
    if (global && global.of === undefined && global.name !== name) rename.set(global.name, sym(name));
  }
  return rename.size ? substitute(e, rename) : e;
}

function letBody(canon: string, d: LetDecl, env: Env): Expr {
  if (env.expanding.has(canon))
    throw new NotCheckable(`let binding '${say(canon)}' refers to itself`, d.math, d.body);
  env.expanding.add(canon);
  try {
    const bound = new Map(d.paramSpellings.map((c, i) => [c, d.params[i]]));
    const inner = { ...env, math: d.math, bound, implicitArgs: undefined };
    const body = lower(d.body, inner);
    return d.params.length === 0 ? body : atBound(applyLets(body, env.scope, env), inner);
  } finally {
    env.expanding.delete(canon);
  }
}

/** The binding of `canon` lowered, or why it cannot be (its body uses something uncheckable). */
export function lowerBinding(canon: string, scope: Scope): { expr: Expr } | { problem: string } {
  const d = scope.lets.get(canon);
  if (!d) return { problem: `'${say(canon)}' is not bound` };
  const env: Env = {
    scope,
    math: d.math,
    bound: new Map(),
    sideConditions: [],
    expanding: new Set(),
    fresh: { n: 0 },
  };
  try {
    return { expr: applyLets(letBody(canon, d, env), scope, env) };
  } catch (err) {
    if (err instanceof NotCheckable) return { problem: err.reason };
    if (err instanceof InputError) return { problem: err.detail };
    throw err;
  }
}

const not = (reason: string, env: Env, node: Tex): NotCheckable => new NotCheckable(reason, env.math, node);

function canon(node: Tex, env: Env): string {
  return node.k === 'atom' ? node.canon : canonical(env.math.tokens, node.from, node.to);
}

const say = spelling;

function lower(node: Tex, env: Env): Expr {
  switch (node.k) {
    case 'num':
      return decimal(node.text);
    case 'pi':
      return PI;
    case 'atom':
      return atom(node, env);
    case 'add':
      return add(...node.terms.map((t, i) => (node.signs[i] === 1 ? lower(t, env) : neg(lower(t, env)))));
    case 'mul':
      return mul(...node.factors.map((f) => lower(f, env)));
    case 'div':
      return div(lower(node.num, env), lower(node.den, env));
    case 'pow':
      return pow(lower(node.base, env), lower(node.exp, env));
    case 'sqrt':
      return node.index
        ? pow(lower(node.arg, env), div(ONE, lower(node.index, env)))
        : call('sqrt', lower(node.arg, env));
    case 'fn':
      return elementary(node, env);
    case 'abs':
      return call('abs', lower(node.body, env));
    case 'apply':
      return application(node, env);
    case 'normal':
      return normal(node, env);
    case 'deriv':
      return deriv(node, env);
    case 'integral':
      return integral(node, env);
    case 'underbrace':
      return lower(node.body, env);
    case 'differential':
      throw not('a differential (dt, dW): a stochastic or differential form, not a value', env, node);
    case 'expect':
      throw not('an expectation: needs a Monte-Carlo experiment, not algebra', env, node);
    case 'norm':
      throw not('a norm of a vector quantity: not a scalar identity', env, node);
    case 'bigop':
      throw not(`\\${node.op} over an index: not supported by the identity engine`, env, node);
    case 'tuple':
      throw not('a tuple or interval, not a value', env, node);
    case 'set':
      throw not('a set, not a value', env, node);
    case 'text':
      throw not('text, not a value', env, node);
    case 'opaque':
      throw not(`${node.what}, not a value`, env, node);
    case 'chain':
      throw not('a relation inside an expression', env, node);
    case 'quantifier':
      throw not(`a quantified statement (\\${node.q})`, env, node);
  }
}

/** `\log`, `\ln`, `\exp`, `\sin`, ... and `\log_b x = \log x / \log b`. */
function elementary(node: Extract<Tex, { k: 'fn' }>, env: Env): Expr {
  const name = functionOfTex(node.fn);
  if (!name) throw not(`the function \\${node.fn} is not supported by the identity engine`, env, node);
  const value = call(name, lower(node.arg, env));
  if (!node.base) return value;
  if (name !== 'log') throw not(`a subscript on \\${node.fn}`, env, node);
  return div(value, call('log', lower(node.base, env)));
}

/** Spellings of Euler's number; a paper's undefined `I` is the identity matrix (1 per coordinate). */
const EULER = new Set(['e', '\\text{e}']);

function atom(node: Extract<Tex, { k: 'atom' }>, env: Env): Expr {
  const c = node.canon;
  const bound = env.bound.get(c);
  if (bound !== undefined) return sym(bound);
  const args = env.implicitArgs;
  if (args && env.consumed) env.consumed.n++;
  let decl = symbolOf(c, env.scope);
  if (!decl && !env.scope.lets.has(c)) {
    // Euler's e wherever the file does not name a symbol e; the identity matrix only in a paper.
    if (EULER.has(c)) return E;
    const other = args ? undefined : atOtherIndex(c, env);
    if (other) {
      // `\bar\alpha_i` where the paper binds `\bar\alpha_t`: the binding speaks of every index.
      const key = `${other.canon} at ${other.to}`;
      if (env.expanding.has(key))
        throw new NotCheckable(`let binding '${say(other.canon)}' refers to itself`, other.decl.math, node);
      env.expanding.add(key);
      try {
        const body = renameIndex(other.decl.body, other.from, other.to);
        return lower(body, { ...env, math: other.decl.math, bound: new Map(), implicitArgs: undefined });
      } finally {
        env.expanding.delete(key);
      }
    }
    if (env.scope.auto) {
      if (c === 'I') return ONE;
      decl = env.scope.auto(c, args ? 'function' : 'variable');
    }
  }
  if (decl && decl.of === undefined) return sym(decl.name);
  const fn = declaredFunction(c, env.scope);
  if (fn)
    return applyFn(fn.decl.name, args ? oneArg(args, c, env, node) : sym(fn.decl.of as string), fn.order);
  const let_ = env.scope.lets.get(c);
  if (let_) {
    if (let_.params.length === 0) return sym(let_.name);
    if (args) return expandLet(c, let_, args, env, node);
    // In a paper, `\tilde\mu_t` after `\tilde\mu_t(x_t, x_0) = ...` means it at its own arguments.
    if (env.scope.auto) {
      const own = let_.paramSpellings.map((p) =>
        atom({ k: 'atom', canon: p, from: node.from, to: node.to }, { ...env, implicitArgs: undefined }),
      );
      return expandLet(c, let_, own, env, node);
    }
    throw not(`'${say(c)}' is a function (let ${say(c)}(...)): give its arguments`, env, node);
  }
  throw not(`unknown symbol '${say(c)}': declare it under symbols (or bind it with let)`, env, node);
}

/**
 * The binding of another member of `c`'s family at another index letter (`\bar\alpha_t = \prod_{s=1}^t
 * \alpha_s` for `\bar\alpha_i`), in a paper. States and noise are not renamed: `x_i` and `x_t` may be
 * different draws.
 */
function atOtherIndex(
  c: string,
  env: Env,
): { canon: string; decl: LetDecl; from: string; to: string } | undefined {
  return env.scope.auto ? bindingAtOtherIndex(c, env.scope.lets) : undefined;
}

/** The binding (without arguments) of `c`'s family member at another index letter, if any. */
export function bindingAtOtherIndex(
  c: string,
  lets: ReadonlyMap<string, LetDecl>,
): { canon: string; decl: LetDecl; from: string; to: string } | undefined {
  const keys = [...lets].filter(([, d]) => d.params.length === 0).map(([k]) => k);
  const member = otherIndexMember(c, keys);
  return member && { ...member, decl: lets.get(member.canon)! };
}

/**
 * Among `keys`, a member of `c`'s family at another index letter (`\bar\alpha_t` for `\bar\alpha_i`),
 * with both letters; none for states and noise.
 */
export function otherIndexMember(
  c: string,
  keys: Iterable<string>,
): { canon: string; from: string; to: string } | undefined {
  const { family, sub, rest } = familyOf(c);
  if (sub === undefined || !INDEX_LETTERS.test(sub) || rest !== `_ ${sub}`) return undefined;
  const role = notationOf(c)?.role;
  if (role === 'state' || role === 'noise') return undefined;
  for (const k of keys) {
    const o = familyOf(k);
    if (o.family !== family || o.sub === undefined || o.sub === sub) continue;
    if (INDEX_LETTERS.test(o.sub) && o.rest === `_ ${o.sub}`) return { canon: k, from: o.sub, to: sub };
  }
  return undefined;
}

/** A formula with the index letter `from` renamed `to`, in every subscript and where it stands alone. */
function renameIndex(t: Tex, from: string, to: string): Tex {
  if (t.k === 'atom') {
    if (t.canon === from) return { ...t, canon: to };
    const { sub, rest } = familyOf(t.canon);
    if (sub === undefined || !sub.split(' ').includes(from)) return t;
    const head = t.canon.slice(0, t.canon.length - rest.length).trimEnd();
    const renamed = sub
      .split(' ')
      .map((p) => (p === from ? to : p))
      .join(' ');
    return { ...t, canon: `${head} _ ${renamed}${rest.slice(`_ ${sub}`.length)}` };
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(t))
    out[key] = Array.isArray(v)
      ? v.map((x: unknown) => (isTex(x) ? renameIndex(x, from, to) : x))
      : isTex(v)
        ? renameIndex(v, from, to)
        : v;
  return out as unknown as Tex;
}

/** Does the formula name the symbol `c` (an atom spelled so)? */
function mentions(t: Tex, c: string): boolean {
  return t.k === 'atom' ? t.canon === c : childrenOf(t).some((u) => mentions(u, c));
}

function isTex(x: unknown): x is Tex {
  return typeof x === 'object' && x !== null && 'k' in x && 'from' in x;
}

/** A declared function of one variable, or its derivative written `\dot m`, `\ddot m`, `m'`, `m''`. */
function declaredFunction(c: string, scope: Scope): { decl: SymbolDecl; order: number } | undefined {
  let base = c;
  let order = 0;
  const dots = /^\\(dot|ddot) (.+)$/.exec(base);
  if (dots) {
    order = dots[1] === 'dot' ? 1 : 2;
    base = dots[2];
  }
  while (base.endsWith(" '")) {
    order++;
    base = base.slice(0, -2);
  }
  const decl = symbolOf(base, scope);
  return decl?.of !== undefined ? { decl, order } : undefined;
}

function oneArg(args: Expr[], c: string, env: Env, node: Tex): Expr {
  if (args.length !== 1)
    throw not(`'${say(c)}' is a function of one variable, got ${args.length} arguments`, env, node);
  return args[0];
}

function expandLet(c: string, d: LetDecl, args: Expr[], env: Env, node: Tex): Expr {
  if (args.length !== d.params.length)
    throw not(`'${say(c)}' takes ${d.params.length} argument(s), got ${args.length}`, env, node);
  const before = env.sideConditions.length;
  const body = letBody(c, d, env);
  const bind = new Map(d.params.map((p, i) => [p, args[i]]));
  for (let i = before; i < env.sideConditions.length; i++) {
    const sc = env.sideConditions[i];
    env.sideConditions[i] = {
      ...sc,
      lhs: substitute(sc.lhs, bind),
      rhs: substitute(sc.rhs, bind),
      limits: sc.limits.map((l) => substitute(l, bind)),
    };
  }
  return substitute(body, bind);
}

function application(node: Extract<Tex, { k: 'apply' }>, env: Env): Expr {
  const whole = symbolOf(canon(node, env), env.scope);
  if (whole && whole.of === undefined) return sym(whole.name);
  // A density bound as written (`q(x_t | x_0) = \mathcal{N}(...)`).
  const wholeLet = env.scope.lets.get(canon(node, env));
  if (wholeLet && wholeLet.params.length === 0) return sym(wholeLet.name);
  if (node.given.length > 0 && !env.scope.lets.has(canon(node.head, env)))
    throw not(`a conditional '${say(canon(node, env))}': declare it with let to check it`, env, node);
  const args = node.args.map((a) => lower(a, { ...env, implicitArgs: undefined }));
  const head = node.head;
  if (head.k === 'atom' && env.scope.auto && !known(head.canon, env))
    return unknownApplication(node, head, args, env);
  if (head.k === 'atom') {
    const c = head.canon;
    const decl = symbolOf(c, env.scope);
    const isFunction = env.scope.lets.get(c)?.params.length || declaredFunction(c, env.scope);
    if (isFunction && !env.bound.has(c)) {
      if (node.given.length > 0) {
        const given = node.given.map((g) => lower(g, { ...env, implicitArgs: undefined }));
        return lower(head, { ...env, implicitArgs: [...args, ...given] });
      }
      return lower(head, { ...env, implicitArgs: args });
    }
    if (decl || env.scope.lets.has(c) || env.bound.has(c)) {
      // A variable before parentheses is a product: t(1 - t). A paper's value applied to a time, or a
      // function name bound to a value (`u_t = ...` then `u_t(x)`), is another object: not checkable.
      if (args.length !== 1) throw not(`'${say(c)}' is a variable, not a function`, env, node);
      const inner = canonical(env.math.tokens, node.args[0].from, node.args[0].to);
      if (env.scope.auto && !env.bound.has(c) && looksLikeFunction(c, inner))
        throw not(`'${say(c)}' is defined as a value but applied to (${say(inner)}) here`, env, node);
      return mul(lower(head, env), args[0]);
    }
    throw not(`unknown function '${say(c)}': bind it with let ${say(c)}(...) to check it`, env, head);
  }
  // `(p_t u_t)(x)` and `\frac{\partial p_t}{\partial t}(x)`: apply each function inside to the arguments;
  // with no function inside, `(a)(b)` is a product.
  if (hasFunction(head, env)) {
    if (node.given.length > 0) throw not('a conditioning bar after a parenthesized expression', env, node);
    return lower(head, { ...env, implicitArgs: args });
  }
  if (args.length !== 1 || node.given.length > 0)
    throw not('a tuple after a parenthesized expression', env, node);
  return mul(lower(head, env), args[0]);
}

/** Is `c` something the file or the author made (a symbol a paper merely used is not)? */
function known(c: string, env: Env): boolean {
  const d = env.scope.symbols.get(c);
  return (
    env.bound.has(c) ||
    (!!d && !(d.auto && d.of === undefined)) ||
    env.scope.lets.has(c) ||
    !!declaredFunction(c, env.scope)
  );
}

/**
 * An application of a function the paper never defined. A density (`p_t(x)`, `q(x_t | x_0)`) is not
 * checkable: the context says what it is. A function of one time variable (`\beta(t)`) is an arbitrary
 * smooth function; anything else (`\epsilon_\theta(x_t, t)`) an arbitrary value, the same wherever the
 * same spelling is written, that varies with its arguments (so it is not differentiated).
 */
function unknownApplication(
  node: Extract<Tex, { k: 'apply' }>,
  head: Extract<Tex, { k: 'atom' }>,
  args: Expr[],
  env: Env,
): Expr {
  const spelled = canon(node, env);
  if (node.given.length > 0 || DENSITY.test(head.canon))
    throw not(
      `'${say(spelled)}' is a density or conditional the file does not define: write its formula (e.g. ${say(head.canon)}(x) = \\mathcal{N}(...)) to check steps that use it`,
      env,
      node,
    );
  if (/^\\(text|operatorname)\{/.test(head.canon))
    throw not(`'${say(head.canon)}' is an operator flowproof does not evaluate`, env, node);
  if (args.length === 1 && args[0].kind === 'sym') {
    const decl = env.scope.auto?.(head.canon, 'function');
    if (decl?.of !== undefined) return applyFn(decl.name, args[0], 0);
  }
  const opaque = (env.scope.opaque ??= new Map());
  let value = opaque.get(spelled);
  if (!value) {
    const dependsOn = new Set<string>();
    for (const a of args) {
      for (const n of freeSymbols(a)) dependsOn.add(n);
      for (const n of freeSymbols(applyLets(a, env.scope, env))) dependsOn.add(n);
    }
    // Distinct spellings can share an identifier (`\Phi(x)`, `\Phi(-x)`): names stay distinct.
    const taken = new Set([...opaque.values()].map((v) => v.name));
    let name = `${identifierOf(spelled)}_value`;
    while (taken.has(name)) name += '_';
    value = { name, head: head.canon, dependsOn };
    opaque.set(spelled, value);
  }
  return sym(value.name);
}

/** Density families: `p`, `q`, `\rho`, `\pi` with any scripts. */
const DENSITY = /^(p|q|\\rho|\\pi|\\tilde p|\\hat p|\\tilde q|\\hat q)( |$)/;

/** Does `t` mention a function (a let with parameters, or a declared function) outside argument lists? */
function hasFunction(t: Tex, env: Env): boolean {
  if (t.k === 'atom')
    return (
      !env.bound.has(t.canon) &&
      (!!env.scope.lets.get(t.canon)?.params.length || !!declaredFunction(t.canon, env.scope))
    );
  if (t.k === 'apply') return false;
  return children(t).some((c) => hasFunction(c, env));
}

function children(t: Tex): Tex[] {
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
    case 'fn':
      return [t.arg];
    case 'deriv':
    case 'underbrace':
      return [t.body];
    default:
      return [];
  }
}

function normal(node: Extract<Tex, { k: 'normal' }>, env: Env): Expr {
  if (node.args.length !== 3 || !node.sep.startsWith(';'))
    throw not(
      '\\mathcal{N}(m, v) is a distribution, not a value; its density is \\mathcal{N}(x; m, v)',
      env,
      node,
    );
  const inner = { ...env, implicitArgs: undefined };
  const [x, m, v] = node.args.map((a, i) => (i === 2 ? variance(a, inner) : lower(a, inner)));
  return normalPdf(x, m, v);
}

/** A variance, where `I` / `\mathbf{I}` is the per-coordinate identity, i.e. 1 (isotropic reading). */
function variance(node: Tex, env: Env): Expr {
  const isI = (t: Tex) => t.k === 'atom' && t.canon === 'I' && !env.scope.symbols.has('I');
  if (isI(node)) return ONE;
  if (node.k === 'mul' && node.factors.some(isI))
    return mul(...node.factors.filter((f) => !isI(f)).map((f) => lower(f, env)));
  return lower(node, env);
}

function variableName(wrt: Tex, env: Env): string {
  const c = canon(wrt, env);
  const bound = env.bound.get(c);
  if (bound !== undefined) return bound;
  const decl =
    symbolOf(c, env.scope) ?? (env.scope.lets.has(c) ? undefined : env.scope.auto?.(c, 'variable'));
  if (decl && decl.of === undefined) return decl.name;
  const let_ = env.scope.lets.get(c);
  if (let_ && let_.params.length === 0) return let_.name;
  throw not(`differentiation with respect to '${say(c)}', which is not a declared symbol`, env, wrt);
}

function deriv(node: Extract<Tex, { k: 'deriv' }>, env: Env): Expr {
  if (!node.wrt) throw not('\\nabla without a variable: write \\nabla_{x}', env, node);
  const v = variableName(node.wrt, env);
  const body = atBound(applyLets(lower(node.body, env), env.scope, env, v), env);
  for (const [spelled, value] of env.scope.opaque ?? [])
    if (value.dependsOn.has(v) && freeSymbols(body).has(value.name))
      throw not(
        `a derivative of '${say(spelled)}', an unknown function of ${say(canon(node.wrt, env))}`,
        env,
        node,
      );
  if (env.scope.auto) {
    // A paper's `\sigma_t`, `\bar\alpha_{t-1}`, or a state `x`, may vary with t in a way it does not
    // write down: differentiating as if it were constant would refute true steps.
    const wrt = canon(node.wrt, env);
    const free = freeSymbols(body);
    for (const [c, d] of env.scope.symbols)
      if (d.auto && d.of === undefined && free.has(d.name) && variesWith(c, wrt))
        throw not(
          `a derivative in ${say(wrt)} of ${say(c)}, which may depend on ${say(wrt)} in a way the paper does not state`,
          env,
          node,
        );
  }
  return derivative(body, v);
}

/** Does a paper's symbol `c` (not bound, not declared) possibly depend on the variable `wrt`? */
function variesWith(c: string, wrt: string): boolean {
  const { sub } = familyOf(c);
  if (sub !== undefined && sub.split(' ').includes(wrt)) return true;
  return sub === undefined && /^(t|s|\\tau)$/.test(wrt) && notationOf(c)?.role === 'state';
}

function integral(node: Extract<Tex, { k: 'integral' }>, env: Env): Expr {
  if (!node.lo || !node.hi) throw not('an integral without both limits (over the whole space)', env, node);
  const c = canon(node.wrt, env);
  // `\int_0^t g(s) \, dW_s`, `\int_0^t \sqrt{2\dot\sigma(\tau)\sigma(\tau)} \, dB_\tau`: against a process
  // indexed by the integrand's own variable, a stochastic (Ito) integral, not an integral in W_s.
  const { sub } = familyOf(c);
  if (
    sub !== undefined &&
    /^(\\[A-Za-z]+|[A-Za-z])$/.test(sub) &&
    [node.body, node.lo, node.hi].some((t) => mentions(t, sub))
  )
    throw not(
      `an integral against d${say(c)}, a process indexed by ${say(sub)}: a stochastic integral`,
      env,
      node,
    );
  const s = `${c.replace(/[^A-Za-z0-9]/g, '')}_int${++env.fresh.n}`;
  const inner: Env = { ...env, bound: new Map(env.bound).set(c, s), implicitArgs: undefined };
  const f = applyLets(lower(node.body, inner), env.scope, env);
  const g = antiderivative(f, s);
  if (!g) throw not(`no closed-form antiderivative found for this integrand in ${c}`, env, node);
  const lo = lower(node.lo, env);
  const hi = lower(node.hi, env);
  env.sideConditions.push({
    lhs: derivative(g, s),
    rhs: f,
    variable: s,
    limits: [lo, hi],
    domains: {},
    where: { math: env.math, node },
  });
  const at = (x: Expr) => substitute(g, new Map([[s, x]]));
  return add(at(hi), neg(at(lo)));
}

/** The smallest open interval holding the limits (numbers or symbols of known domain), if any. */
function hull(
  limits: Expr[],
  domainOf: (name: string) => SymbolDomain | undefined,
): SymbolDomain | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const e of limits) {
    let d: SymbolDomain | undefined;
    if (e.kind === 'num') {
      const v = Number(e.p) / Number(e.q);
      d = { lo: v, hi: v, loOpen: false, hiOpen: false };
    } else if (e.kind === 'sym') d = domainOf(e.name);
    if (!d) return undefined;
    lo = Math.min(lo, d.lo);
    hi = Math.max(hi, d.hi);
  }
  // A single point (an integral from 0 to 0) stays a point; otherwise the open interval between.
  return lo === hi ? { lo, hi, loOpen: false, hiOpen: false } : { lo, hi, loOpen: true, hiOpen: true };
}
