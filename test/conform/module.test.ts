// Loading a user's module: JS and TS, and a clear InputError (naming file and export) for bad input.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { conformModule, loadUserModule } from '../../src/conform/index.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-conform-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** A correct trig-path module (alpha = cos(pi t/2), sigma = sin(pi t/2)) in plain JavaScript. */
const TRIG_JS = `
export const meta = { convention: 'diffusion', path: 'trig', predictionType: 'eps', sampler: 'ddim', eta: 0 };
export const alpha = (t) => Math.cos(Math.PI * t / 2);
export const sigma = (t) => Math.sin(Math.PI * t / 2);
export const epsToData = (eps, x, t) => (x - sigma(t) * eps) / alpha(t);
export function step(eps, t, tPrev, x) {
  const data = (x - sigma(t) * eps) / alpha(t);
  return alpha(tPrev) * data + sigma(tPrev) * eps;
}
`;

async function loadError(path: string): Promise<InputError> {
  const e = await loadUserModule(path).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

describe('loadUserModule', () => {
  it('loads a JavaScript module and checks it (trig path, DDIM from the closed form)', async () => {
    const m = await loadUserModule(write('trig.mjs', TRIG_JS));
    expect(m.conversions.map((c) => c.name)).toEqual(['epsToData']);
    const r = conformModule(m, { seed: 5, numRuns: 100, run: false });
    expect(r.checks.filter((c) => c.status === 'fail' || c.status === 'inconclusive')).toEqual([]);
    expect(r.checks.find((c) => c.name === 'schedule:variance-preserving')?.status).toBe('pass');
    expect(r.checks.find((c) => c.name === 'step:ddim')?.status).toBe('pass');
  });

  it('loads TypeScript through tsx and accepts the vToEps alias of vPredToEps', async () => {
    const p = write(
      'v.ts',
      `export const meta = { convention: 'diffusion' as const, path: 'trig' };
       export const vToEps = (v: number, x: number, t: number): number => Math.cos(Math.PI * t / 2) * v + Math.sin(Math.PI * t / 2) * x;`,
    );
    const m = await loadUserModule(p);
    expect(m.conversions[0]).toMatchObject({ from: 'vPred', to: 'eps', name: 'vToEps' });
    expect(conformModule(m, { run: false }).checks[0].status).toBe('pass');
  });

  it('a missing file names the path', async () => {
    const e = await loadError(join(dir, 'nope.ts'));
    expect(e.message).toContain('nope.ts');
    expect(e.message).toContain('module not found');
  });

  it('an unsupported extension is refused', async () => {
    expect((await loadError(write('lib.py', 'x = 1'))).message).toMatch(/cannot load '\.py'/);
  });

  it('a module that fails to load reports why, with the file', async () => {
    const e = await loadError(write('broken.mjs', 'export const = ;'));
    expect(e.message).toMatch(/broken\.mjs: the module failed to load/);
  });

  it('a missing meta says what to declare', async () => {
    const e = await loadError(
      write('nometa.mjs', 'export const alpha = (t) => 1 - t; export const sigma = (t) => t;'),
    );
    expect(e.message).toMatch(/export const meta = \{ convention/);
  });

  it.each([
    [
      'bad convention',
      `{ convention: 'forward' }`,
      /meta\.convention must be one of 'diffusion', 'flow', got 'forward'/,
    ],
    ['unknown field', `{ convention: 'flow', predictiontype: 'eps' }`, /unknown meta field 'predictiontype'/],
    ['unknown path', `{ convention: 'diffusion', path: 'vp' }`, /meta\.path must be one of .*got 'vp'/],
    [
      'negative eta',
      `{ convention: 'diffusion', path: 'trig', sampler: 'ddim', eta: -1 }`,
      /meta\.eta must be a finite number >= 0, got -1/,
    ],
    [
      'bad schedule',
      `{ convention: 'diffusion', schedule: { name: 'linear', numSteps: 10 } }`,
      /meta\.schedule\.name must be one of/,
    ],
    [
      'pathParams of another path',
      `{ convention: 'diffusion', path: 'edm', pathParams: { betaMax: 20 } }`,
      /meta\.pathParams: parameter 'betaMax' does not apply to 'edm' \(its parameters: sigmaMin, sigmaMax\)/,
    ],
    [
      'pathParams without a path',
      `{ convention: 'diffusion', pathParams: { sigmaMax: 100 } }`,
      /meta\.pathParams applies to a declared meta\.path/,
    ],
    [
      'finalTimestep not an integer',
      `{ convention: 'diffusion', finalTimestep: 0.5 }`,
      /meta\.finalTimestep must be an integer timestep >= 0, got 0\.5/,
    ],
    [
      'finalTimestep without a discrete grid stepped on',
      `{ convention: 'diffusion', path: 'trig', finalTimestep: 0 }`,
      /meta\.finalTimestep is where the last step of a discrete grid lands: it needs alphasCumprod and meta\.stepOnGrid/,
    ],
  ])('meta: %s', async (_label, meta, message) => {
    const e = await loadError(
      write(
        `meta-${Math.random().toString(36).slice(2)}.mjs`,
        `export const meta = ${meta}; export const alpha = (t) => 1; export const sigma = (t) => t;`,
      ),
    );
    expect(e.message).toMatch(message);
  });

  it.each([
    [
      'alpha is not a function',
      `export const alpha = 3; export const sigma = (t) => t;`,
      /export 'alpha' must be a function of t, got 3/,
    ],
    ['alpha without sigma', `export const alpha = (t) => 1;`, /export both alpha and sigma/],
    [
      'alphasCumprod with NaN',
      `export const alphasCumprod = [0.9, NaN];`,
      /alphasCumprod'\[1\] must be a finite number, got NaN/,
    ],
    [
      'alphasCumprod without indexing',
      `export const alphasCumprod = [0.9, 0.8];`,
      /needs meta\.timestepIndexing/,
    ],
    [
      'step without sampler',
      `export const alpha = (t) => 1; export const sigma = (t) => t; export const step = () => 0;`,
      /step needs meta\.sampler/,
    ],
    ['nothing to check', `export const other = 1;`, /nothing to check/],
  ])('exports: %s', async (_label, body, message) => {
    const e = await loadError(
      write(
        `exp-${Math.random().toString(36).slice(2)}.mjs`,
        `export const meta = { convention: 'diffusion' }; ${body}`,
      ),
    );
    expect(e.message).toMatch(message);
  });

  it('heun needs the model, so it needs stepWithModel', async () => {
    const e = await loadError(
      write(
        'heun.mjs',
        `export const meta = { convention: 'diffusion', path: 'edm', sampler: 'heun', predictionType: 'data' }; export const step = () => 0;`,
      ),
    );
    expect(e.message).toMatch(/export stepWithModel/);
  });
});

describe('a module that returns NaN or throws fails at that input, never passes', () => {
  it('NaN from a conversion is a failure showing NaN', async () => {
    const m = await loadUserModule(
      write(
        'nan.mjs',
        `export const meta = { convention: 'diffusion', path: 'trig' }; export const epsToData = (eps, x, t) => (t > 0.5 ? NaN : (x - Math.sin(Math.PI * t / 2) * eps) / Math.cos(Math.PI * t / 2));`,
      ),
    );
    const c = conformModule(m, { run: false }).checks[0];
    expect(c.status).toBe('fail');
    expect(c.counterexample!.got.data).toBe('NaN');
    expect(c.counterexample!.inputs.t).toBeGreaterThan(0.5);
  });
  it('an exception is a failure quoting it', async () => {
    const m = await loadUserModule(
      write(
        'throw.mjs',
        `export const meta = { convention: 'diffusion', path: 'trig' }; export const epsToScore = () => { throw new Error('boom'); };`,
      ),
    );
    const c = conformModule(m, { run: false }).checks[0];
    expect(c.status).toBe('fail');
    expect(c.counterexample!.got.score).toBe('threw: boom');
  });
});

describe('a schedule that throws inside a check fails that check, never crashes the run', () => {
  it('alpha throwing for t > 0.5 fails the conversion, step and run checks with the message', async () => {
    const m = await loadUserModule(
      write(
        'throws.mjs',
        TRIG_JS.replace(
          'export const alpha = (t) => Math.cos(Math.PI * t / 2);',
          "export const alpha = (t) => { if (t > 0.5) throw new Error('alpha undefined here'); return Math.cos(Math.PI * t / 2); };",
        ),
      ),
    );
    const r = conformModule(m, { run: { samples: 100, numSteps: 5, alpha: 1e-3 } });
    for (const name of ['conversion:epsToData', 'step:ddim', 'run:gmm']) {
      const c = r.checks.find((c) => c.name === name)!;
      expect(c.status).toBe('fail');
      expect(JSON.stringify(c)).toMatch(/alpha undefined here/);
    }
  });
});

describe('a module with only a step, on a declared path', () => {
  it('uses the reference path for the step check (EDM Euler from a denoiser)', async () => {
    const m = await loadUserModule(
      write(
        'edm-euler.mjs',
        `export const meta = { convention: 'diffusion', path: 'edm', predictionType: 'data', sampler: 'euler' };
       export const step = (denoised, t, tPrev, x) => x + ((x - denoised) / t) * (tPrev - t);`,
      ),
    );
    const r = conformModule(m, { seed: 4, run: { samples: 1000, numSteps: 30, alpha: 1e-3 } });
    expect(r.schedule).toBe('reference edm');
    expect(r.checks.map((c) => [c.name, c.status])).toEqual([
      ['step:euler', 'pass'],
      ['run:gmm', 'pass'],
    ]);
  });
  it('and flags the same step written with the flow-convention sign', async () => {
    const m = await loadUserModule(
      write(
        'edm-euler-bad.mjs',
        `export const meta = { convention: 'diffusion', path: 'edm', predictionType: 'data', sampler: 'euler' };
       export const step = (denoised, t, tPrev, x) => x + ((denoised - x) / t) * (tPrev - t);`,
      ),
    );
    const r = conformModule(m, { seed: 4, run: { samples: 1000, numSteps: 30, alpha: 1e-3 } });
    expect(r.checks.map((c) => c.status)).toEqual(['fail', 'fail']);
  });
});
