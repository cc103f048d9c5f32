// File output of the CLI commands (reading is src/verify/text-file.ts). A user-given path that cannot be
// written is bad input (exit 2): the message names the file and says why (a missing folder, a folder, no
// permission), never a raw Node error.
import { statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../core/errors.js';
import { fsReason } from '../verify/text-file.js';

/**
 * Throw an InputError unless `path` can plausibly be written: its folder exists and it is not itself a
 * folder. Called before a long run, so a typo in an output path does not waste the run.
 */
export function checkWritable(path: string, what = 'output file'): void {
  if (path === '') throw new InputError(`the ${what} path is empty`, {}, "''");
  const dir = dirname(path);
  let st;
  try {
    st = statSync(dir);
  } catch (err) {
    throw new InputError(`cannot write the ${what}: folder '${dir}': ${fsReason(err)}`, { file: path });
  }
  if (!st.isDirectory())
    throw new InputError(`cannot write the ${what}: '${dir}' is not a folder`, { file: path });
  try {
    if (statSync(path).isDirectory())
      throw new InputError(`cannot write the ${what}: it is a folder, not a file`, { file: path });
  } catch (err) {
    if (err instanceof InputError) throw err;
    // A file that does not exist yet is fine.
  }
}

/** Write a text file; a failure is an InputError naming the file and the reason. */
export function writeTextFile(path: string, text: string, what = 'output file'): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw new InputError(`cannot write the ${what}: ${fsReason(err)}`, { file: path });
  }
}
