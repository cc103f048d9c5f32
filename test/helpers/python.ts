// The Python the conform --python tests run: FLOWPROOF_TEST_PYTHON if set, else Debian's /usr/bin/python3
// (it has python3-numpy from .ci/run; the first python3 on PATH may be another one without numpy), else
// python3 on PATH. `hasModule` says whether it can import a package (numpy, torch, pytest).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PYTHON =
  process.env.FLOWPROOF_TEST_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

const cache = new Map<string, boolean>();
export function hasModule(name: string, python = PYTHON): boolean {
  const key = `${python} ${name}`;
  if (!cache.has(key))
    cache.set(key, spawnSync(python, ['-c', `import ${name}`], { encoding: 'utf8' }).status === 0);
  return cache.get(key)!;
}
