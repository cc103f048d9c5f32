// `lhs = rhs` in the plain syntax: split at the one top-level '=' and parse each side, with columns
// reported against the whole input.
import { InputError } from '../core/errors.js';
import { type Domains, type Expr, declaredFunctions, parsePlain } from '../symbolic/index.js';

export function parseEquation(text: string, domains: Domains = {}): { lhs: Expr; rhs: Expr } {
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) if (text[i] === '=') at.push(i);
  if (at.length === 0)
    throw new InputError("expected an equation 'lhs = rhs' (no '=' found)", { column: 1 }, text);
  if (at.length > 1)
    throw new InputError("expected exactly one '=' in the equation", { column: at[1] + 1 }, '=');
  const functions = [...declaredFunctions(domains).keys()];
  const eq = at[0];
  const side = (from: number, to: number, which: string): Expr => {
    const piece = text.slice(from, to);
    if (piece.trim() === '')
      throw new InputError(`the ${which} side of '=' is empty`, { column: eq + 1 }, '=');
    return parsePlain(piece, { functions, columnOffset: from });
  };
  return { lhs: side(0, eq, 'left'), rhs: side(eq + 1, text.length, 'right') };
}
