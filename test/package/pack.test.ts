// The package as a user gets it: `npm pack` (of the built dist/: `npm test` builds first), installed
// into an empty project, then the CLI run from there: --version, verify (built-in claims and the
// project's own derivation folder), check, conform of the project's own TypeScript module, and the
// library imported by its package name with its type declarations present.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const work = mkdtempSync(join(tmpdir(), 'flowproof-pack-'));
const project = join(work, 'project');
let files: string[] = [];

function flowproof(args: string[]) {
  const r = spawnSync(join(project, 'node_modules/.bin/flowproof'), args, {
    cwd: project,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli/main.js')))
    throw new Error('dist/ is not built: run `npm run build` (npm test and npm ci build it)');
  // --ignore-scripts: pack the dist/ that is there (rebuilding it here would race other readers).
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  files = info.files.map((f) => f.path);
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(work, info.filename)],
    { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}, 300_000);

describe('the packed tarball in an empty project', () => {
  it('holds the CLI, the compiled library with its types and the built-in claims, not the sources or tests', () => {
    for (const f of [
      'bin/flowproof.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/main.js',
      'package.json',
      'README.md',
    ])
      expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('derivations/') && f.endsWith('.md'))).toBe(true);
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.endsWith('.map'))).toEqual(
      [],
    );
  });

  it('flowproof --version', () => {
    const r = flowproof(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`flowproof ${pkg.version}`);
  });

  it('flowproof verify: a built-in claim, and the project’s own derivation folder', () => {
    const builtIn = flowproof(['verify', '--only', 'score-noise', '--no-mc']);
    expect(builtIn.code, builtIn.stderr).toBe(0);
    expect(builtIn.stdout).toMatch(/score-noise\s+proved/);
    mkdirSync(join(project, 'derivations'));
    cpSync(join(ROOT, 'derivations/loss-weights.md'), join(project, 'derivations/mine.md'));
    const own = flowproof(['verify', 'derivations', '--junit', 'junit.xml']);
    expect(own.code, own.stderr).toBe(0);
    expect(own.stdout).toMatch(/loss-weights\s+proved/);
    expect(readFileSync(join(project, 'junit.xml'), 'utf8')).toContain('<testcase');
  });

  it('flowproof check proves a true identity and refutes a false one', () => {
    expect(flowproof(['check', 'sqrt(a)^2 = a', '--where', 'a > 0']).stdout).toMatch(/^PROVED/);
    const r = flowproof(['check', 'sqrt(a^2) = a']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/REFUTED/);
  });

  it('flowproof conform checks the project’s own TypeScript module', () => {
    writeFileSync(
      join(project, 'lib.ts'),
      [
        "export const meta = { convention: 'flow', predictionType: 'velocity', path: 'rectified-flow' };",
        'export const alpha = (t: number): number => t;',
        'export const sigma = (t: number): number => 1 - t;',
        '// x = t data + (1 - t) noise and u = data - noise give data = x + (1 - t) u.',
        'export const velocityToData = (u: number, x: number, t: number): number => x + (1 - t) * u;',
      ].join('\n'),
    );
    const r = flowproof(['conform', 'lib.ts', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const names = (JSON.parse(r.stdout).checks as { name: string; status: string }[])
      .filter((c) => c.status === 'pass')
      .map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['schedule:reference', 'conversion:velocityToData']));
  });

  it('imports by package name, with its type declarations', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import * as f from 'flowproof'; console.log(typeof f.checkIdentity, typeof f.schedules.vpSde)",
      ],
      { cwd: project, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('function function');
    expect(existsSync(join(project, 'node_modules/flowproof/dist/index.d.ts'))).toBe(true);
  });
});
