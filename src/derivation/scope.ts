// From a claim's declarations to a lowering scope, and from its steps to pairs of Exprs ready for the
// identity engine. Domain text is parsed by a parser the caller passes in (the identity engine's
// parseDomain), so this folder depends only on core and symbolic.
import { InputError } from '../core/errors.js';
import type { Expr } from '../symbolic/expr.js';
import type { SymbolDomain } from '../symbolic/domain.js';
import type { LetSpec, SourceRef, Step, SymbolSpec } from './file.js';
import { identifierOf } from './file.js';
import {
  lowerMember,
  NotCheckable,
  type LetDecl,
  type Scope,
  type SideCondition,
  type SymbolDecl,
} from './lower.js';
import { canonical, parseExpression, type FunctionTest } from './parser.js';

export type DomainParser = (text: string) => SymbolDomain;

/** The parser's question "is this name a function?", answered by a scope (undefined: it does not know). */
export function functionTest(scope: Scope): FunctionTest {
  return (head) => {
    const bound = scope.lets.get(head);
    // A name bound to a value and written before parentheses: the notation decides (`u_t(x)` is applied,
    // and reported; `\alpha_t(1 - \alpha_t)` multiplies).
    if (bound) return bound.params.length > 0 ? true : undefined;
    const d = scope.symbols.get(head);
    // A symbol a paper merely used is not known to be a variable: the notation decides.
    return d && !(d.auto && d.of === undefined) ? d.of !== undefined : undefined;
  };
}

export interface Declarations {
  scope: Scope;
  /** Domains keyed as the identity engine expects: symbol names, and `name(var)` for functions. */
  domains: Record<string, SymbolDomain>;
}

/** Build the scope of a claim (or of `scan --where`). Every bad declaration is an InputError at its line. */
export function declare(symbols: SymbolSpec[], lets: LetSpec[], parseDomain: DomainParser): Declarations {
  const scope: Scope = { symbols: new Map(), lets: new Map() };
  const domains: Record<string, SymbolDomain> = {};
  const pending: { spec: SymbolSpec; canon: string; of: string }[] = [];
  for (const spec of symbols) {
    let domain: SymbolDomain;
    try {
      domain = parseDomain(spec.domain);
    } catch (err) {
      throw new InputError(
        // The domain parser speaks of --where; here the domain comes from this file's line.
        `symbol '${spec.latex}': ${err instanceof InputError ? err.detail : (err as Error).message}`,
        spec.position,
        spec.domain,
      );
    }
    const spelled = parseExpression(spec.latex, { origin: { ...spec.position }, isFunction: () => true });
    const parsed = spelled.statements[0];
    let canon = parsed.k === 'atom' ? parsed.canon : canonical(spelled.tokens, parsed.from, parsed.to);
    let of = spec.of;
    if (
      parsed.k === 'apply' &&
      parsed.head.k === 'atom' &&
      parsed.args.length === 1 &&
      parsed.args[0].k === 'atom' &&
      parsed.given.length === 0
    ) {
      // `m(t)`: an undefined function of t.
      canon = parsed.head.canon;
      of = (parsed.args[0] as { canon: string }).canon;
    } else if (parsed.k !== 'atom' && parsed.k !== 'apply')
      throw new InputError(`symbol '${spec.latex}' is not a symbol spelling`, spec.position, spec.latex);
    if (scope.symbols.has(canon))
      throw new InputError(`symbol '${spec.latex}' is declared twice`, spec.position, spec.latex);
    scope.symbols.set(canon, { name: spec.name, domain });
    if (of !== undefined)
      pending.push({
        spec,
        canon,
        of: spellingOf(of),
      });
    else domains[spec.name] = domain;
  }
  for (const { spec, canon, of } of pending) {
    const variable = scope.symbols.get(of);
    if (!variable || variable.of !== undefined)
      throw new InputError(
        `symbol '${spec.latex}': its variable '${of}' must be a declared symbol`,
        spec.position,
        of,
      );
    const decl = scope.symbols.get(canon) as SymbolDecl;
    decl.of = variable.name;
    domains[`${decl.name}(${variable.name})`] = decl.domain;
  }
  const names = new Set([...scope.symbols.values()].map((s) => s.name));
  for (const spec of lets) {
    const canon =
      spec.head.k === 'atom' ? spec.head.canon : canonical(spec.keyMath.tokens, spec.head.from, spec.head.to);
    if (scope.symbols.has(canon))
      throw new InputError(
        `'${spec.key}' is both a declared symbol and a let binding`,
        spec.position,
        spec.key,
      );
    if (scope.lets.has(canon))
      throw new InputError(`let '${spec.key}' is bound twice`, spec.position, spec.key);
    const name = `${identifierOf(canon)}_let`;
    if (names.has(name))
      throw new InputError(`let '${spec.key}' collides with a symbol name`, spec.position, spec.key);
    names.add(name);
    const paramSpellings = spec.params.map((p) =>
      p.k === 'atom' ? p.canon : canonical(spec.keyMath.tokens, p.from, p.to),
    );
    const decl: LetDecl = {
      name,
      params: paramSpellings.map((_, i) => `${name}_arg${i}`),
      paramSpellings,
      body: spec.body.statements[0],
      math: spec.body,
    };
    scope.lets.set(canon, decl);
  }
  return { scope, domains };
}

/** The canonical spelling of a symbol written in LaTeX (`\\bar{\\alpha}_{t}` -> `\\bar \\alpha _ t`). */
function spellingOf(latex: string): string {
  const m = parseExpression(latex);
  const t = m.statements[0];
  return t.k === 'atom' ? t.canon : canonical(m.tokens, 0, m.tokens.length);
}

export interface LoweredStep {
  step: Step;
  lhs: Expr;
  rhs: Expr;
  sideConditions: (SideCondition & { position: SourceRef })[];
}

/** Lower both sides of a step; a construct that cannot be checked is an InputError at its position. */
export function lowerStep(step: Step, scope: Scope): LoweredStep {
  try {
    const l = lowerMember(step.lhs, step.lhsMath ?? step.math, scope);
    const r = lowerMember(step.rhs, step.math, scope);
    const sideConditions = [...l.sideConditions, ...r.sideConditions].map((c) => ({
      ...c,
      position: positionOf(c),
    }));
    return { step, lhs: l.expr, rhs: r.expr, sideConditions };
  } catch (err) {
    if (err instanceof NotCheckable) throw err.toInputError();
    throw err;
  }
}

function positionOf(c: SideCondition): SourceRef {
  const e = new NotCheckable('', c.where.math, c.where.node).toInputError();
  return { file: e.position.file ?? '', line: e.position.line ?? 0, column: e.position.column ?? 0 };
}
