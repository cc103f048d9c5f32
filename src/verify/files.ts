// Which claims a verification checks: the derivation files under some paths (by default the built-in
// derivations/), read and parsed, with their ids unique, optionally narrowed to some ids.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { MAX_FILE_BYTES, readDerivation, type Claim } from '../derivation/file.js';

export const BUILTIN_DERIVATIONS = fileURLToPath(new URL('../../derivations/', import.meta.url));

/** The derivation files under `paths` (folders: their *.md files except README.md), sorted. */
export function derivationFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new InputError('no such file or folder', { file: p });
    }
    if (st.isDirectory()) {
      const md = readdirSync(p)
        .filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md')
        .sort()
        .map((f) => join(p, f));
      if (md.length === 0) throw new InputError('no derivation files (*.md) in this folder', { file: p });
      out.push(...md);
    } else out.push(p);
  }
  return out;
}

/** Read and parse one derivation file; unreadable or malformed input is an InputError. */
export function loadDerivation(path: string, shownAs: string = path): Claim {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new InputError('cannot read file', { file: shownAs });
  }
  if (size > MAX_FILE_BYTES)
    throw new InputError(
      `derivation file is larger than ${MAX_FILE_BYTES} bytes`,
      { file: shownAs },
      `${size} bytes`,
    );
  const bytes = readFileSync(path);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError('not a text file (invalid UTF-8)', { file: shownAs });
  }
  return readDerivation(text, shownAs);
}

/**
 * The claims of these files, in file order; `shownAs` is how messages and reports name a file. Two files
 * with one id are an InputError naming both.
 */
export function loadClaims(files: string[], shownAs: (file: string) => string = (f) => f): Claim[] {
  const claims = files.map((f) => loadDerivation(f, shownAs(f)));
  const ids = new Map<string, string>();
  for (const c of claims) {
    const prev = ids.get(c.id);
    if (prev)
      throw new InputError(
        `claim id '${c.id}' is used by two files (${prev})`,
        { file: c.file, line: 2 },
        c.id,
      );
    ids.set(c.id, c.file);
  }
  return claims;
}

/** The claims with these ids, in file order; an id no claim has is an InputError with a "did you mean". */
export function selectClaims(claims: Claim[], ids: string[]): Claim[] {
  const known = claims.map((c) => c.id);
  for (const id of ids)
    if (!known.includes(id))
      throw new InputError(`verify: no claim with id '${id}'${didYouMean(id, known)}`, {}, id);
  return claims.filter((c) => ids.includes(c.id));
}
