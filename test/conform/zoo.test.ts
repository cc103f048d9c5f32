// The bug zoo: every buggy module must be flagged by the named check; the correct and the
// correct-but-unusual modules must pass every check at every seed tried.
import { describe, expect, it } from 'vitest';
import { conformModule, loadUserModule, type ConformReport } from '../../src/conform/index.js';
import { shrinkCutoff } from '../../src/conform/property.js';

const zoo = (name: string) => new URL(`./zoo/${name}.ts`, import.meta.url).pathname;

const CORRECT = [
  'ddim',
  'ddpm',
  'heun-edm',
  'em-vpsde',
  'fm-euler',
  'unusual-ddim-ve',
  'unusual-ancestral-split',
  'unusual-one-based',
  'unusual-float32',
  // declared design choices and grids
  'ddpm-fixed-large',
  'ddpm-learned-range',
  'karras-euler',
];

/** Each buggy variant and the checks that must flag it. */
const BUGGY: Record<string, string[]> = {
  'bug-ddpm-prev-is-t-minus-1': ['step:ddpm'],
  'bug-ddim-x0-not-converted': ['step:ddim'],
  'bug-heun-sigma-hat': ['step:heun'],
  'bug-eps-to-data-missing-sqrt': ['conversion:epsToData'],
  'bug-ddim-eta-not-squared': ['step:ddim'],
  'bug-reverse-sde-sign': ['step:euler-maruyama', 'run:gmm'],
  'bug-fm-shift-twice': ['step:euler'],
  'bug-langevin-one-minus-beta': ['conversion:epsToScore'],
  'bug-flow-roles-swapped': ['schedule:endpoints', 'schedule:reference', 'schedule:snr-monotone'],
  'bug-indexing-off-by-one': ['discrete:indexing'],
  'bug-sigma-missing-sqrt': ['schedule:variance-preserving', 'schedule:reference'],
  'bug-vpred-sign': ['conversion:vPredToEps'],
  'bug-cumprod-single-beta': ['discrete:cumprod', 'discrete:reference'],
  'bug-ddpm-single-beta-when-skipping': ['step:ddpm'],
  'bug-em-noise-dt-not-sqrt': ['step:euler-maruyama'],
  'bug-declared-fixed-large': ['step:ddpm'],
  'bug-ddim-linspace-prev-timestep': ['step:ddim'],
  'bug-karras-rho-inverted': ['grid:endpoints'],
  'bug-karras-schedule-rho-inverted': ['schedule:endpoints'],
};

const failing = (r: ConformReport) => r.checks.filter((c) => c.status === 'fail').map((c) => c.name);
const notPassing = (r: ConformReport) =>
  r.checks.filter((c) => c.status === 'fail' || c.status === 'inconclusive');

describe('bug zoo: correct implementations are never flagged', () => {
  for (const name of CORRECT) {
    it.each([1, 2, 3])(`${name} passes at seed %i`, async (seed) => {
      const r = conformModule(await loadUserModule(zoo(name)), {
        seed,
        numRuns: 150,
        run: { samples: 2000, numSteps: 40, alpha: 1e-3 },
      });
      expect(notPassing(r)).toEqual([]);
      // The module's own exports were really checked (not everything skipped).
      expect(r.checks.filter((c) => c.status === 'pass').length).toBeGreaterThanOrEqual(3);
    });
  }
});

describe('bug zoo: every buggy variant is flagged by the named check', () => {
  for (const [name, checks] of Object.entries(BUGGY)) {
    it.each([1, 7])(`${name} fails ${checks.join(', ')} at seed %i`, async (seed) => {
      const r = conformModule(await loadUserModule(zoo(name)), {
        seed,
        numRuns: 150,
        run: { samples: 2000, numSteps: 40, alpha: 1e-3 },
      });
      const failed = failing(r);
      for (const c of checks) expect(failed).toContain(c);
      // Every failure carries its evidence: the inputs and both sides (or, for a length mismatch, the numbers in words).
      for (const c of r.checks.filter((c) => c.status === 'fail')) {
        const ce = c.counterexample;
        if (ce) {
          expect(Object.keys(ce.inputs).length).toBeGreaterThan(0);
          expect(Object.keys(ce.expected).length).toBeGreaterThan(0);
          expect(Object.keys(ce.got).length).toBeGreaterThan(0);
        } else expect(c.summary).toMatch(/\d/);
        // A property check's failure states the allowed error and the ratio, and was shrunk only to a
        // point failing as clearly as the first failure (shown beside it).
        if (ce?.shrinks !== undefined) {
          expect(ce.allowed).toBeGreaterThan(0);
          expect(ce.ratio).toBeGreaterThan(1);
          if (ce.shrinks > 0) {
            expect(ce.first).toBeDefined();
            expect(ce.ratio!).toBeGreaterThanOrEqual(shrinkCutoff(ce.first!.ratio!));
          }
        }
      }
    });
  }
  it('the zoo has at least 10 buggy variants and 2 correct-but-unusual ones', () => {
    expect(Object.keys(BUGGY).length).toBeGreaterThanOrEqual(10);
    expect(CORRECT.filter((n) => n.startsWith('unusual')).length).toBeGreaterThanOrEqual(2);
  });
});

describe('counterexamples are shrunk to small inputs', () => {
  it('the t - 1 bug shows up at the smallest skip (two steps) at an early timestep', async () => {
    const r = conformModule(await loadUserModule(zoo('bug-ddpm-prev-is-t-minus-1')), { seed: 3, run: false });
    const ce = r.checks.find((c) => c.name === 'step:ddpm')!.counterexample!;
    expect((ce.inputs.t as number) - (ce.inputs.tPrev as number)).toBe(2);
    expect(ce.inputs.t).toBeLessThanOrEqual(2);
    expect(ce.shrinks).toBeGreaterThan(0);
  });
  it("a multi-stage step's failure lists the model calls of the step and of the reference", async () => {
    const r = conformModule(await loadUserModule(zoo('bug-heun-sigma-hat')), { seed: 1, run: false });
    const ce = r.checks.find((c) => c.name === 'step:heun')!.counterexample!;
    const { module: mine, reference } = ce.modelCalls!;
    // Heun evaluates the model twice: first at the input (x, t), then at the Euler point at tPrev.
    expect(mine.length).toBe(2);
    expect(reference.length).toBe(2);
    expect(mine[0]).toMatchObject({ x: ce.inputs.x, t: ce.inputs.t });
    expect(mine[1].t).toBe(ce.inputs.tPrev);
    expect(mine[1].x).toBeCloseTo(reference[1].x, 12);
    expect(ce.first!.modelCalls!.module.length).toBe(2);
  });
  it('the shrunk counterexample of a large error keeps a large ratio (never rounding-sized)', async () => {
    const r = conformModule(await loadUserModule(zoo('bug-heun-sigma-hat')), { seed: 1, run: false });
    const ce = r.checks.find((c) => c.name === 'step:heun')!.counterexample!;
    expect(ce.first!.ratio!).toBeGreaterThan(1e3);
    expect(ce.ratio!).toBeGreaterThanOrEqual(100);
  });
  it('the eta bug is shown as a wrong std with the right mean', async () => {
    const r = conformModule(await loadUserModule(zoo('bug-ddim-eta-not-squared')), { seed: 2, run: false });
    const ce = r.checks.find((c) => c.name === 'step:ddim')!.counterexample!;
    const [em, es, gm, gs] = [ce.expected.mean, ce.expected.std, ce.got.mean, ce.got.std] as number[];
    expect(Math.abs(gm - em)).toBeLessThan(1e-9);
    // eta * var instead of eta^2 * var: the std is off by the factor sqrt(1 / eta) = sqrt(2).
    expect(gs / es).toBeCloseTo(Math.SQRT2, 6);
  });
});
