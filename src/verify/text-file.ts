// Reading a user's text file (a derivation, a paper, its macro and symbol files, a vectors or shard file):
// one that cannot be read is bad input, with a message that names the file and says why (missing, a
// folder, not text, too large), never a raw Node error.
import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../core/errors.js';

/** Why a file-system call failed, in words (from Node's error code). */
export function fsReason(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return code ?? (err instanceof Error ? err.message : String(err));
  }
}

/**
 * Read a UTF-8 text file of at most `limit` bytes. `what` names it in messages ('vectors file').
 * A folder, a binary file (NUL bytes or invalid UTF-8) or an over-large file is an InputError.
 */
export function readTextFile(path: string, what = 'file', limit = 64 << 20): string {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw new InputError(`cannot read the ${what}: ${fsReason(err)}`, { file: path });
  }
  // Reading a folder gives EISDIR deep inside Node; say it plainly.
  if (st.isDirectory()) throw new InputError(`the ${what} is a folder, expected a file`, { file: path });
  if (st.size > limit)
    throw new InputError(`the ${what} is larger than ${limit} bytes`, { file: path }, `${st.size} bytes`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new InputError(`cannot read the ${what}: ${fsReason(err)}`, { file: path });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = '\u0000';
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = text.slice(0, Math.max(0, nul)).split('\n').length;
    throw new InputError(`the ${what} is not a text file (binary or invalid UTF-8 content)`, {
      file: path,
      ...(text === '\u0000' ? {} : { line }),
    });
  }
  return text;
}
