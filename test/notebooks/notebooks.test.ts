// The committed notebooks (executing them is CI's notebooks/execute.sh step; this checks what GitHub
// shows): each ran top to bottom with the tslab kernel and no error, shows its plots inline as SVG,
// and imports only modules of the built package that exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = resolve('notebooks');

interface Output {
  output_type: string;
  data?: Record<string, string | string[]>;
  text?: string | string[];
}
interface Cell {
  cell_type: string;
  execution_count?: number | null;
  source: string | string[];
  metadata: { execution?: Record<string, string> };
  outputs?: Output[];
}
interface Notebook {
  metadata: { kernelspec?: { name?: string } };
  cells: Cell[];
}

const joined = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join('') : (s ?? ''));
const notebooks = readdirSync(DIR).filter((f) => /^\d\d-.*\.ipynb$/.test(f));

describe('notebooks', () => {
  it('exist, one per result family', () => {
    expect(notebooks.length).toBeGreaterThanOrEqual(1);
  });

  for (const file of notebooks) {
    describe(file, () => {
      const nb = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Notebook;
      const code = nb.cells.filter((c) => c.cell_type === 'code');

      it('uses the tslab kernel and was executed in order, every cell, in under 2 minutes, without an error', () => {
        expect(nb.metadata.kernelspec?.name).toBe('tslab');
        // Saved with execution counts, 1..N in document order (execute.sh --inplace numbers them: tslab
        // leaves them empty), as GitHub shows them.
        expect(code.map((c) => c.execution_count)).toEqual(code.map((_, i) => i + 1));
        // nbclient records when each cell started and finished.
        const times = code.map((c) =>
          [c.metadata.execution?.['iopub.status.busy'], c.metadata.execution?.['iopub.status.idle']].map(
            (t) => Date.parse(t ?? ''),
          ),
        );
        expect(times.flat().every(Number.isFinite)).toBe(true);
        for (let i = 1; i < times.length; i++) expect(times[i][0]).toBeGreaterThanOrEqual(times[i - 1][1]);
        expect(times[times.length - 1][1] - times[0][0]).toBeLessThan(120_000);
        const errors = code.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === 'error');
        expect(errors).toEqual([]);
        // tslab reports type errors as text "line:column - message".
        const text = code.flatMap((c) => (c.outputs ?? []).map((o) => joined(o.text)));
        expect(text.filter((t) => /^\d+:\d+ - /m.test(t))).toEqual([]);
        // ...and a runtime exception as its stack, as text.
        expect(text.filter((t) => /^\w*Error: /m.test(t))).toEqual([]);
      });

      it('shows its plots inline as SVG', () => {
        const svgs = code.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.['image/svg+xml']);
        expect(svgs.length).toBeGreaterThanOrEqual(1);
        for (const o of svgs) expect(joined(o.data?.['image/svg+xml'])).toContain('class="fp-plot"');
      });

      it('imports the built package only, and only modules that exist in src/', () => {
        const source = code.map((c) => joined(c.source)).join('\n');
        const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
        expect(imports.filter((p) => p.includes('/src/'))).toEqual([]);
        for (const p of imports.filter((q) => q.startsWith('../dist/'))) {
          expect(existsSync(resolve('src', p.slice('../dist/'.length).replace(/\.js$/, '.ts'))), p).toBe(
            true,
          );
        }
      });
    });
  }
});
