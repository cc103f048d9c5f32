// The table of elementary functions: every row's columns agree with each other (so a new row is tested
// by adding it), and the hyperbolic functions work end to end (plain syntax, LaTeX, derivation files).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { checkIdentity, parseWhere } from '../../src/identity/index.js';
import {
  FUNCTIONS,
  UNARY_FNS,
  bigContext,
  call,
  canonicalEqual,
  compileFloat64,
  derivative,
  parsePlain,
  sym,
  toLatex,
} from '../../src/symbolic/index.js';
import { functionOfTex } from '../../src/symbolic/functions.js';

const POINTS = [-1.7, -0.4, 0.3, 0.9, 2.2];
const D = bigContext(40);

describe('every row of FUNCTIONS', () => {
  for (const f of UNARY_FNS) {
    const row = FUNCTIONS[f];
    const defined = POINTS.filter((x) => Number.isFinite(row.float64(x)));

    it(`${f}: float64 and high precision agree`, () => {
      expect(defined.length).toBeGreaterThan(1);
      for (const x of defined) expect(row.big(new D(x), D).toNumber()).toBeCloseTo(row.float64(x), 12);
    });

    it(`${f}: the derivative matches a central difference`, () => {
      const d = compileFloat64(derivative(call(f, sym('x')), 'x'), ['x']);
      const h = 1e-6;
      for (const x of defined.filter((x) => Number.isFinite(row.float64(x - h)))) {
        const diff = (row.float64(x + h) - row.float64(x - h)) / (2 * h);
        expect(d([x])).toBeCloseTo(diff, 5);
      }
    });

    it(`${f}: its values lie in its range, and its definition agrees with it`, () => {
      for (const x of defined) {
        if (row.range) {
          expect(row.float64(x)).toBeGreaterThanOrEqual(row.range[0]);
          expect(row.float64(x)).toBeLessThanOrEqual(row.range[1]);
        }
        if (row.definition) {
          const e = compileFloat64(row.definition.expand(sym('x')), ['x']);
          expect(e([x])).toBeCloseTo(row.float64(x), 12);
        }
      }
    });

    it(`${f}: each LaTeX name reads back as it`, () => {
      for (const t of row.tex) expect(functionOfTex(t)).toBe(f);
    });
  }
});

describe('the hyperbolic functions', () => {
  const proves = (claim: string, where = ''): boolean => {
    const [l, r] = claim.split('=');
    return canonicalEqual(parsePlain(l), parsePlain(r), { domains: parseWhere(where) });
  };

  it('the normal form proves their identities and rejects near misses', () => {
    expect(proves('cosh(x)^2 - sinh(x)^2 = 1')).toBe(true);
    expect(proves('tanh(x) = sinh(x)/cosh(x)')).toBe(true);
    expect(proves('sinh(2*x) = 2*sinh(x)*cosh(x)')).toBe(true);
    expect(proves('cosh(x)^2 + sinh(x)^2 = 1')).toBe(false);
    expect(proves('sinh(2*x) = sinh(x)*cosh(x)')).toBe(false);
  });

  it('check proves d/dx tanh = 1 - tanh^2 and refutes a wrong derivative', async () => {
    const d = await checkIdentity(parsePlain('diff(tanh(x), x)'), parsePlain('1 - tanh(x)^2'));
    expect(d.grade).toBe('proved');
    const wrong = await checkIdentity(parsePlain('diff(tanh(x), x)'), parsePlain('1 + tanh(x)^2'));
    expect(wrong.grade).toBe('refuted');
    const c = await checkIdentity(parsePlain('cosh(x)^2 - sinh(x)^2'), parsePlain('1'), {
      domains: parseWhere('x in (-20,20)'),
    });
    expect(c.grade).toBe('proved');
  });

  it('print as \\sinh, \\cosh, \\tanh', () => {
    expect(toLatex(parsePlain('sinh(x) + cosh(x)*tanh(x)'))).toMatch(/\\sinh.*\\cosh.*\\tanh/);
  });

  it('are read from the LaTeX of a derivation file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowproof-hyperbolic-'));
    const file = join(dir, 'hyperbolic.md');
    writeFileSync(
      file,
      [
        '---',
        'id: hyperbolic',
        'title: Hyperbolic identities',
        'sources: ["test"]',
        'symbols:',
        "  x: { latex: 'x', domain: '(-20,20)' }",
        'expect: holds',
        '---',
        '$$',
        '\\cosh^2 x - \\sinh^2 x = 1',
        '$$',
        '$$',
        '\\frac{d}{dx} \\tanh(x) = 1 - \\tanh^2(x)',
        '$$',
        '',
      ].join('\n'),
    );
    const json = join(dir, 'out.json');
    const code = await main(['verify', file, '--no-mc', '--quiet', '--json', json]);
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.claims[0].verdict.grade).toBe('proved');
    expect(report.claims[0].steps).toHaveLength(2);
  });
});
