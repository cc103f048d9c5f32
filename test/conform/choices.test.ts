// Declared design choices, each with its exact law: DDPM's reverse variance (posterior | beta |
// learned-range), sampling grids (Karras sigmas, diffusers' leading / trailing / linspace spacing in the
// module's indexing) and the float32 tolerance. A valid declared choice passes; the same module declaring
// the wrong choice fails. Also the endpoint thresholds that catch a self-consistent but wrong schedule.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arrayAxis, libraryArray, pathAxis } from '../../src/conform/axis.js';
import { roundHalfEven, spacedTimesteps } from '../../src/conform/checks/grid.js';
import { SNR_DATA_END_MIN, SNR_NOISE_END_MAX } from '../../src/conform/checks/schedule.js';
import {
  conformModule,
  FLOAT32_TOLERANCE,
  loadUserModule,
  parseMeta,
  type ConformReport,
  type UserModule,
} from '../../src/conform/index.js';
import { referenceStep } from '../../src/conform/reference-step.js';
import { InputError } from '../../src/core/errors.js';
import { ddpmLinear, getPath, karrasSigmas } from '../../src/schedules/index.js';
import { hasModule, PYTHON } from '../helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-choices-'));
const zoo = (name: string) => new URL(`./zoo/${name}.ts`, import.meta.url).pathname;
const OPTIONS = { numRuns: 100, run: { samples: 1000, numSteps: 20, alpha: 1e-3 } };
/** A zoo module declaring something else: the same code, another meta (validated as any meta is). */
async function declaring(name: string, patch: Record<string, unknown>): Promise<UserModule> {
  const m = await loadUserModule(zoo(name));
  return { ...m, meta: parseMeta(m.file, { ...m.meta, ...patch }) };
}
const check = (m: UserModule, seed = 1): ConformReport => conformModule(m, { ...OPTIONS, seed });
const run = async (path: string, seed = 1): Promise<ConformReport> => check(await loadUserModule(path), seed);
const status = (r: ConformReport, name: string) => r.checks.find((c) => c.name === name)?.status;

describe('the ddpm reverse variance choices', () => {
  const schedule = ddpmLinear(1000);
  const axis = arrayAxis(libraryArray(schedule, 'zero-based'), 'zero-based', 'ddpm-linear');
  const at = (variance: 'posterior' | 'beta' | 'learned-range', t: number, tPrev: number, v = 0) =>
    referenceStep(axis, { sampler: 'ddpm', eta: 1, predictionType: 'eps', variance }, 0.3, t, tPrev, 0.1, v);
  const abar = (k: number) => (k < 0 ? 1 : schedule.abar(k + 1));
  it('beta is the forward kernel variance 1 - abar/abar_prev of the skipped step; posterior is beta-tilde', () => {
    for (const [t, tPrev] of [
      [999, 979],
      [500, 100],
      [20, 0],
    ]) {
      const beta = 1 - abar(t) / abar(tPrev);
      const tilde = ((1 - abar(tPrev)) / (1 - abar(t))) * beta;
      expect(at('beta', t, tPrev).std).toBeCloseTo(Math.sqrt(beta), 14);
      expect(at('posterior', t, tPrev).std).toBeCloseTo(Math.sqrt(tilde), 14);
      // The mean is the posterior mean whatever the variance.
      expect(at('beta', t, tPrev).mean).toBe(at('posterior', t, tPrev).mean);
      // learned-range interpolates the logs: v = 0 posterior, v = 1 beta, v = 1/2 their geometric mean.
      expect(at('learned-range', t, tPrev, 0).std).toBeCloseTo(Math.sqrt(tilde), 14);
      expect(at('learned-range', t, tPrev, 1).std).toBeCloseTo(Math.sqrt(beta), 14);
      expect(at('learned-range', t, tPrev, 0.5).std).toBeCloseTo((beta * tilde) ** 0.25, 14);
    }
  });
  it('no noise on a last step to the data, whatever the choice', () => {
    for (const v of ['posterior', 'beta', 'learned-range'] as const) expect(at(v, 37, -1, 0.7).std).toBe(0);
  });
  it('on a VE path, beta is sigma^2 - sigma_prev^2', () => {
    const edm = pathAxis(getPath('edm'), 'edm');
    const law = referenceStep(
      edm,
      { sampler: 'ddpm', eta: 1, predictionType: 'data', variance: 'beta' },
      0.2,
      5,
      2,
      1,
    );
    expect(law.std).toBeCloseTo(Math.sqrt(25 - 4), 12);
  });
  it('a valid declared choice passes, the same code declaring another choice fails', async () => {
    expect(status(check(await declaring('ddpm', { variance: 'posterior' })), 'step:ddpm')).toBe('pass');
    expect(status(check(await declaring('ddpm', { variance: 'beta' })), 'step:ddpm')).toBe('fail');
    const betaAsPosterior = await declaring('ddpm-fixed-large', { variance: 'posterior' });
    expect(status(check(betaAsPosterior), 'step:ddpm')).toBe('fail');
    const ce = check(betaAsPosterior).checks.find((c) => c.name === 'step:ddpm')!.counterexample!;
    // Right mean, wrong spread: the message shows which.
    expect(ce.got.mean as number).toBeCloseTo(ce.expected.mean as number, 9);
    expect(ce.got.std as number).toBeGreaterThan(ce.expected.std as number);
  });
  it('variance is validated: ddpm only; learned-range needs step', async () => {
    const err = async (meta: string, body = 'export const step = () => 0;') => {
      const p = join(dir, `v-${Math.random().toString(36).slice(2)}.mjs`);
      writeFileSync(p, `export const meta = ${meta};\n${body}`);
      return loadUserModule(p).catch((e: unknown) => e as InputError);
    };
    expect(
      String(
        await err(
          `{ convention: 'diffusion', path: 'trig', predictionType: 'eps', sampler: 'ddim', variance: 'beta' }`,
        ),
      ),
    ).toMatch(/meta\.variance \(the reverse variance\) applies to sampler ddpm only/);
    expect(
      String(
        await err(
          `{ convention: 'diffusion', path: 'trig', predictionType: 'eps', sampler: 'ddpm', variance: 'fixed_large' }`,
        ),
      ),
    ).toMatch(/meta\.variance must be one of 'posterior', 'beta', 'learned-range', got 'fixed_large'/);
    expect(
      String(
        await err(
          `{ convention: 'diffusion', path: 'trig', predictionType: 'eps', sampler: 'ddpm', variance: 'learned-range' }`,
          'export const stepWithModel = () => 0;',
        ),
      ),
    ).toMatch(/learned-range needs step\(modelOutput, t, tPrev, x, predictionType, randn, varianceOutput\)/);
  });
});

describe('sampling grids', () => {
  it('round half to even, as numpy does', () => {
    expect([0.5, 1.5, 2.5, -0.5, 499.5, 498.5, 2.4, 2.6].map(roundHalfEven)).toEqual([
      0, 2, 2, -0, 500, 498, 2, 3,
    ]);
  });
  it.runIf(hasModule('numpy'))(
    'leading, trailing and linspace equal numpy/diffusers formulas for many (T, n)',
    () => {
      const cases: [number, number][] = [];
      for (const T of [10, 100, 1000, 4000])
        for (const n of [1, 2, 3, 7, 13, 25, 50, 999]) if (n <= T) cases.push([T, n]);
      const py = `
import json, sys, numpy as np
out = []
for T, n in json.loads(sys.argv[1]):
    lin = np.linspace(0, T - 1, n).round()[::-1].astype(np.int64) if n > 1 else np.array([0])
    lead = (np.arange(0, n) * (T // n)).round()[::-1].astype(np.int64)
    trail = np.round(np.arange(T, 0, -T / n)).astype(np.int64) - 1
    out.append([lin.tolist(), lead.tolist(), trail.tolist()])
print(json.dumps(out))`;
      const r = spawnSync(PYTHON, ['-c', py, JSON.stringify(cases)], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      const expected = JSON.parse(r.stdout) as number[][][];
      cases.forEach(([T, n], i) => {
        if (n > 1) expect(spacedTimesteps('linspace', T, n), `linspace ${T} ${n}`).toEqual(expected[i][0]);
        expect(spacedTimesteps('leading', T, n), `leading ${T} ${n}`).toEqual(expected[i][1]);
        expect(spacedTimesteps('trailing', T, n), `trailing ${T} ${n}`).toEqual(expected[i][2]);
      });
    },
  );
  it('a declared spacing is checked in the module indexing; the wrong spacing fails', async () => {
    const asTrailing = await declaring('ddpm-fixed-large', { grid: { name: 'trailing', numSteps: 50 } });
    const r = check(asTrailing);
    expect(status(r, 'grid:reference')).toBe('fail');
    const ce = r.checks.find((c) => c.name === 'grid:reference')!.counterexample!;
    expect(ce.expected['timesteps[0]']).toBe(999);
    expect(ce.got['timesteps[0]']).toBe(980);
    expect(status(await run(zoo('ddpm-fixed-large')), 'grid:reference')).toBe('pass');
  });
  it('a Karras grid declared with the wrong rho or range fails grid:reference, with the entry', async () => {
    const grid = { name: 'karras', numSteps: 30, sigmaMin: 0.002, sigmaMax: 80, rho: 5 };
    const wrongRho = await declaring('karras-euler', { grid });
    const r = check(wrongRho);
    expect(status(r, 'grid:reference')).toBe('fail');
    expect(r.checks.find((c) => c.name === 'grid:reference')!.summary).toMatch(
      /sigmas differs from the declared karras\(numSteps 30, sigmaMin 0\.002, sigmaMax 80, rho 5\)/,
    );
    expect(karrasSigmas(30, 0.002, 80, 7)[1]).toBeCloseTo(
      (await loadUserModule(zoo('karras-euler'))).grid!.values[1],
      10,
    );
  });
  it('grids are validated when loaded', async () => {
    const err = async (meta: string, body: string) => {
      const p = join(dir, `g-${Math.random().toString(36).slice(2)}.mjs`);
      writeFileSync(p, `export const meta = ${meta};\n${body}`);
      return String(await loadUserModule(p).catch((e: unknown) => e));
    };
    const step = `export const step = () => 0;`;
    expect(
      await err(
        `{ convention: 'diffusion', path: 'edm', grid: { name: 'karras', numSteps: 10, sigmaMin: 0.002, sigmaMax: 80, rho: 7 } }`,
        `export const alpha = () => 1; export const sigma = (t) => t;`,
      ),
    ).toMatch(/meta\.grid declares a sampling grid: export it as timesteps or sigmas/);
    expect(
      await err(
        `{ convention: 'diffusion', path: 'edm', grid: { name: 'karras', numSteps: 10, sigmaMin: 80, sigmaMax: 1, rho: 7 } }`,
        `export const sigmas = [80, 1];`,
      ),
    ).toMatch(/meta\.grid\.sigmaMax must be > sigmaMin = 80, got 1/);
    expect(
      await err(
        `{ convention: 'diffusion', path: 'edm', grid: { name: 'linspace', numSteps: 10 } }`,
        `export const sigmas = [80, 1];`,
      ),
    ).toMatch(/meta\.grid 'linspace' spaces the timesteps of a discrete schedule: export alphasCumprod/);
    expect(
      await err(
        `{ convention: 'diffusion', path: 'edm', grid: { name: 'uniform', numSteps: 10 } }`,
        `export const sigmas = [80, 1];`,
      ),
    ).toMatch(/meta\.grid\.name must be one of 'karras', 'leading', 'trailing', 'linspace', got 'uniform'/);
    expect(
      await err(
        `{ convention: 'diffusion', path: 'edm', predictionType: 'data', sampler: 'euler', stepOnGrid: true }`,
        step,
      ),
    ).toMatch(/meta\.stepOnGrid: a step that moves along its own grid needs the grid: export timesteps/);
  });
});

describe('schedule:endpoints: the snr must span from noise-dominated to data-dominated', () => {
  it('thresholds two decades from snr = 1 each way', () => {
    expect(SNR_NOISE_END_MAX).toBe(1e-2);
    expect(SNR_DATA_END_MIN).toBe(1e2);
  });
  const discrete = (betas: number[]) => {
    const p = join(dir, `d-${Math.random().toString(36).slice(2)}.mjs`);
    let a = 1;
    const abar = betas.map((b) => (a *= 1 - b));
    writeFileSync(
      p,
      `export const meta = { convention: 'diffusion', timestepIndexing: 'zero-based' };\nexport const alphasCumprod = ${JSON.stringify(abar)};\nexport const betas = ${JSON.stringify(betas)};\n`,
    );
    return p;
  };
  it("Stable Diffusion's scaled-linear schedule (snr 4.7e-3 at T) passes; the DDPM betas over 100 steps fail", async () => {
    const scaled = Array.from(
      { length: 1000 },
      (_, i) => (0.00085 ** 0.5 + ((0.012 ** 0.5 - 0.00085 ** 0.5) * i) / 999) ** 2,
    );
    const r = await run(discrete(scaled));
    expect(status(r, 'schedule:endpoints')).toBe('pass');
    const short = Array.from({ length: 100 }, (_, i) => 1e-4 + ((0.02 - 1e-4) * i) / 99);
    const bad = (await run(discrete(short))).checks.find((c) => c.name === 'schedule:endpoints')!;
    expect(bad.status).toBe('fail');
    expect(bad.summary).toMatch(
      /the noise end is not noise-dominated, so sampling does not start from pure noise/,
    );
    expect(bad.counterexample!.got['snr(noise end)'] as number).toBeGreaterThan(SNR_NOISE_END_MAX);
  });
  it('the inverted-rho Karras schedule (sigma in [0.88, 1.09]) fails; the same schedule with rho passes', async () => {
    const r = await run(zoo('bug-karras-schedule-rho-inverted'));
    const c = r.checks.find((c) => c.name === 'schedule:endpoints')!;
    expect(c.status).toBe('fail');
    expect(c.counterexample!.got['snr(noise end)'] as number).toBeCloseTo(1 / 1.0935498142790514 ** 2, 10);
    expect(c.counterexample!.got['snr(data end)'] as number).toBeCloseTo(1 / 0.8808845228673394 ** 2, 10);
    // Every other check passes: only the thresholds catch it.
    expect(r.checks.filter((x) => x.status === 'fail').map((x) => x.name)).toEqual(['schedule:endpoints']);
    const fixed = join(dir, 'karras-schedule-rho.ts');
    writeFileSync(
      fixed,
      `export const meta = { convention: 'diffusion', predictionType: 'eps', sampler: 'euler' };
const lo = 0.002 ** (1 / 7), hi = 80 ** (1 / 7);
export const alpha = (_t: number) => 1;
export const sigma = (t: number) => (hi + (1 - t) * (lo - hi)) ** 7;
export const dAlpha = (_t: number) => 0;
export const dSigma = (t: number) => 7 * (hi - lo) * (hi + (1 - t) * (lo - hi)) ** 6;
export const step = (eps: number, t: number, tPrev: number, x: number) => x + (tPrev - t) * dSigma(t) * eps;
`,
    );
    expect(status(await run(fixed), 'schedule:endpoints')).toBe('pass');
  });
});

describe('dtype float32', () => {
  it('loosens the default tolerance to float32 roundoff; explicit --rtol still wins', async () => {
    const m = await declaring('unusual-float32', { dtype: 'float32' });
    expect(conformModule(m, { run: false, numRuns: 20 }).tolerance).toEqual(FLOAT32_TOLERANCE);
    expect(conformModule(m, { run: false, numRuns: 20, tolerance: { rtol: 1e-7 } }).tolerance).toEqual({
      rtol: 1e-7,
      atol: FLOAT32_TOLERANCE.atol,
    });
  });
});
