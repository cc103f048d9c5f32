// scripts/system-packages.sh, the first step of `npm test`: with stub dpkg-query / id / sudo / apt-get
// on PATH, it installs exactly the missing packages of .ci/apt-packages when it can (root, or sudo
// without a password) and otherwise stops at once, printing the exact apt-get line and installing nothing.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const SCRIPT = join(ROOT, 'scripts/system-packages.sh');
const LISTED = readFileSync(join(ROOT, '.ci/apt-packages'), 'utf8')
  .split('\n')
  .map((l) => l.replace(/#.*/, '').trim())
  .filter(Boolean);

function stubs(sudo: 'none' | 'password' | 'nopass'): string {
  const dir = mkdtempSync(join(tmpdir(), 'fp-apt-stubs-'));
  const put = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/usr/bin/env bash\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  put(
    'dpkg-query',
    'for p in $FAKE_INSTALLED; do [ "$p" = "${@: -1}" ] && { printf "install ok installed"; exit 0; }; done; exit 1',
  );
  put('id', 'echo "$FAKE_UID"');
  put('apt-get', 'echo "apt-get $*" >> "$FAKE_LOG"');
  if (sudo === 'password') put('sudo', 'exit 1');
  if (sudo === 'nopass') put('sudo', '[ "$1" = -n ] && shift; echo "sudo" >> "$FAKE_LOG"; exec "$@"');
  return dir;
}

function run(opts: {
  installed: string[];
  uid: number;
  sudo: 'none' | 'password' | 'nopass';
  skip?: boolean;
}) {
  const dir = stubs(opts.sudo);
  const log = join(dir, 'log');
  const r = spawnSync('bash', [SCRIPT], {
    encoding: 'utf8',
    env: {
      PATH: `${dir}:${process.env.PATH}`,
      FAKE_INSTALLED: opts.installed.join(' '),
      FAKE_UID: String(opts.uid),
      FAKE_LOG: log,
      ...(opts.skip ? { FLOWPROOF_SKIP_SYSTEM_PACKAGES: '1' } : {}),
    },
  });
  const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, calls };
}

const missingTwo = LISTED.filter((p) => p !== 'chromium' && p !== 'jupyter-nbconvert');

describe('scripts/system-packages.sh', () => {
  it('the list holds the packages the tests use', () => {
    expect(LISTED).toEqual(
      expect.arrayContaining(['python3-sympy', 'python3-numpy', 'chromium', 'jupyter-nbconvert']),
    );
  });
  it('does nothing when every package is installed', () => {
    const r = run({ installed: LISTED, uid: 1000, sudo: 'none' });
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([]);
  });
  it('as root, installs exactly the missing packages after apt-get update', () => {
    const r = run({ installed: missingTwo, uid: 0, sudo: 'none' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.calls).toEqual([
      'apt-get update -qq',
      'apt-get install -y -qq --no-install-recommends chromium jupyter-nbconvert',
    ]);
    expect(r.stdout).toContain('installing missing Debian packages: chromium jupyter-nbconvert');
  });
  it('with sudo that needs no password, installs through sudo', () => {
    const r = run({ installed: missingTwo, uid: 1000, sudo: 'nopass' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.calls).toEqual([
      'sudo', // sudo -n true: may this user use sudo without a password?
      'sudo',
      'apt-get update -qq',
      'sudo',
      'apt-get install -y -qq --no-install-recommends chromium jupyter-nbconvert',
    ]);
  });
  it.each(['password', 'none'] as const)(
    'without root or usable sudo (%s), stops naming the exact line',
    (sudo) => {
      const r = run({ installed: missingTwo, uid: 1000, sudo });
      expect(r.code).toBe(1);
      expect(r.calls).toEqual([]);
      expect(r.stderr).toContain('missing Debian packages: chromium jupyter-nbconvert');
      expect(r.stderr).toContain(
        '  sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium jupyter-nbconvert\n',
      );
    },
  );
  it('FLOWPROOF_SKIP_SYSTEM_PACKAGES=1 skips the check', () => {
    const r = run({ installed: [], uid: 1000, sudo: 'none', skip: true });
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([]);
  });
});

describe('one test command', () => {
  it('CI runs npm ci and then the README test command, which runs every stage', () => {
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    const commands = ci.split('\n').filter((l) => l.trim() && !l.startsWith('#') && !/^(set|cd) /.test(l));
    // The one export makes the Slurm test run rather than skip (its packages are installed by npm test).
    expect(commands).toEqual(['npm ci --no-audit --no-fund', 'export FLOWPROOF_REQUIRE_SLURM=1', 'npm test']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.test).toBe('bash scripts/test.sh');
    const script = readFileSync(join(ROOT, 'scripts/test.sh'), 'utf8');
    for (const stage of [
      'scripts/system-packages.sh',
      'npm run --silent lint',
      'notebooks/execute.sh',
      'test:vitest',
    ])
      expect(script).toContain(stage);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/^npm test\s/m);
  });
});
