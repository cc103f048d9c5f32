// `lhs = rhs` in the plain syntax: split at the one top-level '=' and parse each side, with columns
// reported against the whole input.
import { InputError } from '../core/errors.js';
import { type Domains, type Expr, declaredFunctions, parsePlain } from '../symbolic/index.js';

/** Errors name the input as `file` (default `<equation>`), line 1, and the column in the whole text. */
export function parseEquation(
  text: string,
  domains: Domains = {},
  file = '<equation>',
): { lhs: Expr; rhs: Expr } {
  const where = (column: number) => ({ file, line: 1, column });
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) if (text[i] === '=') at.push(i);
  if (at.length === 0)
    throw new InputError("expected an equation 'lhs = rhs' (no '=' found)", where(1), text);
  if (at.length > 1) throw new InputError("expected exactly one '=' in the equation", where(at[1] + 1), '=');
  const functions = [...declaredFunctions(domains).keys()];
  const eq = at[0];
  const side = (from: number, to: number, which: string): Expr => {
    const piece = text.slice(from, to);
    if (piece.trim() === '') throw new InputError(`the ${which} side of '=' is empty`, where(eq + 1), '=');
    return parsePlain(piece, { functions, columnOffset: from, file, line: 1 });
  };
  return { lhs: side(0, eq, 'left'), rhs: side(eq + 1, text.length, 'right') };
}
