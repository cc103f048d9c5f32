// Load the user's module from a path: JavaScript through the runtime's own import, TypeScript through
// tsx (so a library's .ts sources can be checked without a build step).
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../core/errors.js';
import { toUserModule, type UserModule } from './module.js';

const JS = ['.js', '.mjs', '.cjs'];
const TS = ['.ts', '.mts', '.cts'];

export async function loadUserModule(path: string): Promise<UserModule> {
  const file = resolve(path);
  if (!existsSync(file) || !statSync(file).isFile())
    throw new InputError('module not found', { file: path }, path);
  const ext = extname(file);
  if (![...JS, ...TS].includes(ext))
    throw new InputError(
      `cannot load '${ext || 'no extension'}' files: give a ${[...JS, ...TS].join(' ')} module`,
      { file: path },
      ext,
    );
  const url = pathToFileURL(file).href;
  let ns: Record<string, unknown>;
  try {
    ns = TS.includes(ext) ? await importTypeScript(url) : await import(url);
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new InputError(`the module failed to load: ${msg}`, { file: path });
  }
  return toUserModule(path, { ...ns });
}

async function importTypeScript(url: string): Promise<Record<string, unknown>> {
  let api: typeof import('tsx/esm/api');
  try {
    api = await import('tsx/esm/api');
  } catch {
    throw new Error(
      'loading TypeScript needs the tsx package (npm install tsx), or give the compiled .js module',
    );
  }
  return api.tsImport(url, import.meta.url);
}
