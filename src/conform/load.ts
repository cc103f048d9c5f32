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
  if (!existsSync(file)) throw new InputError('module not found', { file: path }, path);
  // A folder exists: say it is a folder, not that nothing was found.
  if (!statSync(file).isFile())
    throw new InputError(
      'module not found: the path is a folder, give the module file',
      { file: path },
      path,
    );
  const ext = extname(file);
  if (![...JS, ...TS].includes(ext))
    throw new InputError(
      `cannot load '${ext || 'no extension'}' files: give a ${[...JS, ...TS].join(' ')} module${ext === '.py' ? ' (check a Python module with flowproof conform --python)' : ''}`,
      { file: path },
      ext,
    );
  const url = pathToFileURL(file).href;
  let ns: Record<string, unknown>;
  try {
    ns = TS.includes(ext) ? await importTypeScript(url) : await import(url);
  } catch (e) {
    let where = loadErrorLine(e, file);
    // Node reports a syntax error in an ES module without its line; esbuild (through tsx) parses the
    // same file and says where. Only for a SyntaxError, so the module never runs twice.
    if (where === '' && e instanceof SyntaxError && JS.includes(ext)) {
      try {
        await importTypeScript(url);
      } catch (again) {
        where = loadErrorLine(again, file);
      }
    }
    // The line goes after the message (the file stays first, as 'file: the module failed to load').
    throw new InputError(`the module failed to load: ${loadErrorText(e)}${where}`, { file: path });
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

/**
 * The message of a load failure on one line. tsx/esbuild put the useful part on the second line
 * ("Transform failed with 1 error:\n/x.ts:1:16: ERROR: Unexpected ';'"): keep that part, without its path.
 */
function loadErrorText(e: unknown): string {
  const lines = (e instanceof Error ? e.message : String(e)).split('\n').filter((l) => l.trim() !== '');
  const esbuild = lines.find((l) => /:\d+:\d+: ERROR: /.test(l));
  if (esbuild) return esbuild.slice(esbuild.indexOf('ERROR: ') + 'ERROR: '.length);
  return lines[0] ?? String(e);
}

/** ' (line L, column C)' in the user's file where loading failed, when the error says (stack or esbuild). */
function loadErrorLine(e: unknown, file: string): string {
  const text = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(?:file://)?${escaped}:(\\d+)(?::(\\d+))?`).exec(text);
  if (!m) return '';
  return ` (line ${m[1]}${m[2] !== undefined ? `, column ${m[2]}` : ''})`;
}
