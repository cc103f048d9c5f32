// Declared domains of symbols and of undefined functions' values: the assumptions under which an
// identity is claimed. Symbols not listed are real. An undefined function is declared by a key of the
// form `name(var)`, e.g. `sigma(t)`: its values lie in the given domain, its derivatives are real.

export interface SymbolDomain {
  lo: number;
  hi: number;
  loOpen: boolean;
  hiOpen: boolean;
}

export type Domains = Record<string, SymbolDomain>;

export const REAL: SymbolDomain = { lo: -Infinity, hi: Infinity, loOpen: true, hiOpen: true };

const FUNCTION_KEY = /^([A-Za-z_][A-Za-z0-9_]*)\(([A-Za-z_][A-Za-z0-9_]*)\)$/;

/** The function name a Domains key declares (`sigma(t)` -> `sigma`), or undefined for a symbol key. */
export function functionKeyName(key: string): string | undefined {
  return FUNCTION_KEY.exec(key)?.[1];
}

/** The undefined functions declared in `domains`, with the domains of their values. */
export function declaredFunctions(domains: Domains = {}): Map<string, SymbolDomain> {
  const out = new Map<string, SymbolDomain>();
  for (const key of Object.keys(domains)) {
    const name = functionKeyName(key);
    if (name !== undefined) out.set(name, domains[key]);
  }
  return out;
}

/** The domain of a symbol (real when undeclared). */
export function symbolDomain(domains: Domains | undefined, name: string): SymbolDomain {
  return domains && Object.hasOwn(domains, name) ? domains[name] : REAL;
}

/** The variable name a function was declared with (`sigma(t)` -> `t`), or `t` when undeclared. */
export function functionVariable(domains: Domains | undefined, name: string): string {
  for (const key of Object.keys(domains ?? {})) {
    const m = FUNCTION_KEY.exec(key);
    if (m && m[1] === name) return m[2];
  }
  return 't';
}
