// Test vectors: written by flowproof, filled in by an independent Python implementation, graded back;
// wrong answers are caught by the check they belong to; malformed files are clear input errors.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { buildVectors, gradeVectors, parseVectorFile, type VectorFile } from '../../src/conform/index.js';
import { jsonErrorOffset } from '../../src/conform/vectors-grade.js';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const FILL = new URL('./python/fill_vectors.py', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'fp-vectors-'));

/** Deep copy with every case answered by `answer`. */
function answered(
  v: VectorFile,
  answer: (expected: Record<string, number>) => Record<string, number | string | null>,
): VectorFile {
  const copy = structuredClone(v);
  for (const c of copy.checks) for (const k of c.cases) k.got = answer(k.expected);
  return copy;
}

describe('buildVectors', () => {
  const v = buildVectors(1);
  it('covers every schedule, conversion and step family', () => {
    const kinds = new Set(v.checks.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['conversion', 'discrete', 'schedule', 'step']);
    const ids = v.checks.map((c) => c.id);
    for (const id of [
      'schedule/vp-sde',
      'discrete/ddpm-cosine-1000/one-based',
      'conversion/rectified-flow/velocityToEps',
      'step/ddim-eta0.5/ddpm-linear-1000/zero-based/vPred',
      'step/euler-maruyama/vp-sde/score',
    ])
      expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it('is reproducible from its seed and differs between seeds', () => {
    expect(JSON.stringify(buildVectors(1))).toBe(JSON.stringify(v));
    expect(JSON.stringify(buildVectors(2))).not.toBe(JSON.stringify(v));
  });
  it('step cases skip timesteps and stochastic ones carry their noise draw', () => {
    const ddpm = v.checks.find((c) => c.id === 'step/ddpm/ddpm-linear-1000/zero-based/eps')!;
    expect(ddpm.cases.some((k) => (k.inputs.t as number) - (k.inputs.tPrev as number) > 1)).toBe(true);
    for (const k of ddpm.cases) {
      expect(typeof k.inputs.noise).toBe('number');
      expect(k.expected.xPrev).toBeCloseTo(k.expected.mean + k.expected.std * (k.inputs.noise as number), 12);
    }
  });
  it('known values: vp-sde at t = 0.5 and the first DDPM-linear abar', () => {
    const vp = v.checks.find((c) => c.id === 'schedule/vp-sde')!.cases.find((k) => k.inputs.t === 0.5)!;
    // log alpha = -(0.1 t / 2 + 19.9 t^2 / 4)
    expect(vp.expected.alpha).toBeCloseTo(Math.exp(-(0.025 + 19.9 / 16)), 14);
    const lin = v.checks
      .find((c) => c.id === 'discrete/ddpm-linear-1000/zero-based')!
      .cases.find((k) => k.inputs.timestep === 0)!;
    expect(lin.expected.abar).toBeCloseTo(1 - 1e-4, 15);
  });
});

describe('gradeVectors', () => {
  const v = buildVectors(3);
  it('an unanswered file is all skipped; the exact answers all pass', () => {
    expect(gradeVectors(v).every((r) => r.status === 'skip')).toBe(true);
    expect(gradeVectors(answered(v, (e) => e)).every((r) => r.status === 'pass')).toBe(true);
  });
  it('a stochastic step may report mean and std instead of xPrev', () => {
    const r = gradeVectors(answered(v, (e) => ('std' in e ? { mean: e.mean, std: e.std } : e)));
    expect(r.every((c) => c.status === 'pass')).toBe(true);
  });
  it('an error just beyond tolerance fails, naming the check and the case; within tolerance passes', () => {
    const id = 'conversion/vp-sde/epsToData';
    const bump = (factor: number) => {
      const w = answered(v, (e) => e);
      const check = w.checks.find((c) => c.id === id)!;
      const k = check.cases[4];
      const e = k.expected.data;
      k.got = { data: e + factor * (check.tolerance.atol + check.tolerance.rtol * (1 + Math.abs(e))) };
      return gradeVectors(w).filter((c) => c.status !== 'pass');
    };
    expect(bump(0.5)).toEqual([]);
    const bad = bump(2);
    expect(bad.map((c) => c.name)).toEqual([id]);
    expect(bad[0].summary).toMatch(/^case 4: data = /);
  });
  it('NaN (as a string) and a missing answer in an answered check fail', () => {
    const w = answered(v, (e) => e);
    w.checks[0].cases[1].got = { alpha: 'NaN' };
    delete w.checks[1].cases[2].got;
    const r = gradeVectors(w);
    expect(r[0]).toMatchObject({ status: 'fail', summary: 'case 1: alpha is not a finite number (NaN)' });
    expect(r[1].status).toBe('fail');
    expect(r[1].summary).toMatch(/case 2: no result reported/);
  });
});

describe('parseVectorFile errors', () => {
  const text = JSON.stringify(buildVectors(1), null, 1);
  const error = (t: string): InputError => {
    try {
      parseVectorFile(t, 'r.json');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return e as InputError;
    }
    throw new Error('expected an InputError');
  };
  it('a JSON syntax error gives its line and column', () => {
    const broken = text.replace('"checks": [', '"checks": [,');
    const e = error(broken);
    expect(e.position.line).toBe(broken.slice(0, broken.indexOf('[,') + 1).split('\n').length);
    expect(e.message).toMatch(/^r\.json:\d+:\d+: not valid JSON/);
  });
  it('an unknown key in got is named with its path', () => {
    const v = JSON.parse(text);
    v.checks[2].cases[0].got = { Alpha: 1 };
    expect(error(JSON.stringify(v)).message).toMatch(
      /checks\[2\]\.cases\[0\] \(schedule\/ve-sde\)\.got\.Alpha is not an expected key/,
    );
  });
  it('a wrong format or version is refused', () => {
    expect(error(text.replace('"version": 1', '"version": 2')).message).toMatch(/version must be 1/);
    expect(error('{"format": "other"}').message).toMatch(/format must be 'flowproof-vectors'/);
  });
  it('a negative tolerance is refused', () => {
    const v = JSON.parse(text);
    v.checks[0].tolerance.rtol = -1;
    expect(error(JSON.stringify(v)).message).toMatch(/checks\[0\]\.tolerance\.rtol must be a number >= 0/);
  });
});

describe('an independent Python implementation agrees with every vector', () => {
  let results: VectorFile;
  beforeAll(() => {
    const src = join(dir, 'vectors.json');
    const dst = join(dir, 'results.json');
    writeFileSync(src, JSON.stringify(buildVectors(5)));
    const r = spawnSync(PYTHON, [FILL, src, dst], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    results = parseVectorFile(readFileSync(dst, 'utf8'), dst);
  });
  it('all checks answered and passing', () => {
    const graded = gradeVectors(results);
    expect(graded.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(graded.length).toBeGreaterThanOrEqual(90);
  });
  it('the same Python with the DDIM eta bug (eta var instead of eta^2 var) fails exactly the eta = 0.5 step checks', () => {
    const w = structuredClone(results);
    for (const c of w.checks.filter((c) => c.id.startsWith('step/ddim-eta0.5/'))) {
      for (const k of c.cases) {
        const { mean, std } = k.expected;
        // eta * var = (eta^2 var) / eta: the std grows by sqrt(1 / eta) = sqrt(2).
        k.got = { xPrev: mean + Math.SQRT2 * std * (k.inputs.noise as number) };
      }
    }
    const failed = gradeVectors(w)
      .filter((c) => c.status === 'fail')
      .map((c) => c.name);
    expect(failed.sort()).toEqual(
      w.checks
        .filter((c) => c.id.startsWith('step/ddim-eta0.5/'))
        .map((c) => c.id)
        .sort(),
    );
  });
});

describe('jsonErrorOffset', () => {
  it.each([
    ['{"a": [,1]}', 7],
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ['[1, 2', 5],
    ['{"a": tru}', 6],
    ['{"a": "x\\q"}', 9],
    ['[1] x', 4],
    ['{"a": -01}', 8],
  ])('%s fails at offset %i', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });
});
