// The layer table of DESIGN section 2 (and the folders the code has beyond it, README "Architecture"),
// enforced: every import in src/ goes from a folder to one it may import, packages stay in the layer
// that owns them, and only the CLI does process I/O.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

/** Folder -> the folders it may import (itself always). `report/plots` is the plot data model. */
const LAYERS: Record<string, readonly string[]> = {
  core: [],
  symbolic: ['core'],
  identity: ['core', 'symbolic'],
  schedules: ['core', 'symbolic'],
  params: ['core', 'schedules'],
  targets: ['core', 'schedules', 'params'],
  tensor: ['core'],
  samplers: ['core', 'schedules', 'params', 'targets', 'tensor'],
  stats: ['core'],
  'report/plots': ['core'],
  experiments: [
    'core',
    'symbolic',
    'identity',
    'schedules',
    'params',
    'targets',
    'tensor',
    'samplers',
    'stats',
    'report/plots',
  ],
  derivation: ['core', 'symbolic'],
  report: ['core', 'stats', 'report/plots'],
  conform: ['core', 'symbolic', 'schedules', 'params', 'targets', 'tensor', 'samplers', 'stats'],
  verify: [
    'core',
    'symbolic',
    'identity',
    'schedules',
    'params',
    'targets',
    'tensor',
    'samplers',
    'stats',
    'report/plots',
    'experiments',
    'derivation',
    'report',
  ],
};
// The package entry (src/index.ts) may import every layer but the CLI; the CLI every layer.
const ENTRY = 'index.ts';
LAYERS[ENTRY] = Object.keys(LAYERS);
LAYERS.cli = [...Object.keys(LAYERS)].filter((l) => l !== ENTRY);

/** Packages and the layers that may import them. */
const PACKAGES: [RegExp, readonly string[]][] = [
  [/^(algebrite|mathjs|decimal\.js|nerdamer)$/, ['symbolic']],
  [/^@tensorflow\//, ['tensor']],
  [/^fast-check$/, ['identity', 'conform']],
  [/^katex$/, ['report']],
];

/** The layer of a path relative to src/. */
function layerOf(rel: string): string {
  if (!rel.includes('/')) return rel;
  const [top, sub] = rel.split('/');
  return top === 'report' && sub === 'plots' ? 'report/plots' : top;
}

/** Every module specifier of a source file: static, dynamic, re-exports, and require / require.resolve. */
export function specifiers(source: string): string[] {
  const found = ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
  for (const m of source.matchAll(/\brequire(?:\.resolve)?\(\s*'([^']+)'\s*\)/g)) found.push(m[1]);
  return found;
}

/** The violations of the table by one file (path relative to src/). */
export function violations(rel: string, source: string): string[] {
  const from = layerOf(rel);
  const allowed = LAYERS[from];
  if (!allowed) return [`src/${rel}: folder '${from}' is not in the layer table`];
  const out: string[] = [];
  for (const spec of specifiers(source)) {
    if (spec.startsWith('.')) {
      const target = relative(SRC, resolve(dirname(join(SRC, rel)), spec));
      if (target.startsWith('..')) {
        out.push(`src/${rel} imports '${spec}', outside src/`);
        continue;
      }
      const to = layerOf(target);
      if (to !== from && !allowed.includes(to))
        out.push(
          `src/${rel} imports '${spec}': ${from} may import only ${allowed.join(', ') || 'nothing'}, not ${to}`,
        );
      continue;
    }
    if (spec.startsWith('node:')) continue;
    const owners = PACKAGES.find(([re]) => re.test(spec))?.[1];
    if (owners && !owners.includes(from))
      out.push(`src/${rel} imports the package '${spec}', which only ${owners.join(', ')} may import`);
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

const FILES = sources(SRC).map((p) => ({ rel: relative(SRC, p), text: readFileSync(p, 'utf8') }));

describe('the layer table', () => {
  it('is acyclic', () => {
    const state = new Map<string, 'open' | 'done'>();
    const visit = (l: string, path: string[]): void => {
      if (state.get(l) === 'done') return;
      expect(state.get(l), `cycle ${[...path, l].join(' -> ')}`).not.toBe('open');
      state.set(l, 'open');
      for (const d of LAYERS[l]) visit(d, [...path, l]);
      state.set(l, 'done');
    };
    for (const l of Object.keys(LAYERS)) visit(l, []);
  });

  it('finds a planted upward import, a dynamic one and a package out of its layer', () => {
    expect(violations('symbolic/x.ts', "import { main } from '../cli/main.js';")).toEqual([
      "src/symbolic/x.ts imports '../cli/main.js': symbolic may import only core, not cli",
    ]);
    expect(violations('core/x.ts', "const m = await import('../report/html.js');")).toHaveLength(1);
    expect(violations('report/x.ts', "export { a } from './plots/index.js';")).toEqual([]);
    expect(violations('report/plots/x.ts', "import { b } from '../terminal.js';")).toHaveLength(1);
    expect(violations('experiments/x.ts', "import fc from 'fast-check';")).toHaveLength(1);
    expect(violations('identity/x.ts', "import fc from 'fast-check';")).toEqual([]);
    expect(violations('tensor/x.ts', "const p = require.resolve('mathjs');")).toHaveLength(1);
  });
});

describe('src/ follows the layer table', () => {
  it('has every folder in the table', () => {
    const folders = new Set(FILES.map((f) => layerOf(f.rel)));
    expect([...folders].filter((f) => !(f in LAYERS))).toEqual([]);
  });

  it('imports only downward, and packages only in their layers', () => {
    expect(FILES.length).toBeGreaterThan(100);
    expect(FILES.flatMap((f) => violations(f.rel, f.text))).toEqual([]);
  });

  it('does process I/O only in the CLI', () => {
    const io = FILES.filter(
      (f) => !f.rel.startsWith('cli/') && /\bprocess\.(stdout|stderr|stdin|exit|argv)\b/.test(f.text),
    );
    expect(io.map((f) => f.rel)).toEqual([]);
  });
});

describe('test/ mirrors src/', () => {
  /** Top-level test folders for the system as a whole, with no src/ folder of their own. */
  const SYSTEM = new Set(['bench', 'ci', 'docs', 'helpers', 'notebooks', 'package', 'slurm']);
  const TEST = resolve(import.meta.dirname);

  it('puts every test folder under the src/ folder it tests', () => {
    const misplaced = readdirSync(TEST)
      .filter((f) => statSync(join(TEST, f)).isDirectory() && !SYSTEM.has(f))
      .filter((f) => !existsSync(join(SRC, f)));
    expect(misplaced).toEqual([]);
    // Loose test files only for the package entry (src/index.ts) and this test.
    const loose = readdirSync(TEST).filter((f) => f.endsWith('.test.ts'));
    expect(loose.sort()).toEqual(['api.test.ts', 'architecture.test.ts']);
  });
});
