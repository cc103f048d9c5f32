// Calibration: on true claims, every statistical experiment rejects at a rate consistent with its alpha
// over >= 100 seeds, and every exact-computation experiment passes at every seed. Sizes are reduced to fit
// the test budget (fewer samples, points per Sinkhorn problem, particles, draws and energy-test points; per seed one
// sampler and target for sampler-recovers-data, one eta pair for eta-family-marginals, one sampler for
// convergence-order); steps, tests and the Holm logic are the defaults. Rates at the default
// alpha = 0.001 and, from the same runs' Holm-adjusted p-values, at 0.01 and 0.05, with exact 99%
// binomial CIs (at 0.001 over 100 seeds the check can only catch gross miscalibration; the higher
// levels are the informative ones). The 4x-steps refinement is off: it can only turn a rejection into
// a numerical error, so these raw rates bound the default procedure's from above.
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiments/index.js';
import { ALPHA } from '../../src/experiments/common.js';
import { SAMPLERS } from '../../src/samplers/index.js';
import { binomialInterval } from '../../src/stats/index.js';

const SEEDS = 100;
const LEVELS = [ALPHA, 0.01, 0.05];
const SAMPLER_NAMES = Object.keys(SAMPLERS);
const TARGETS = ['gmm-1d-2', 'gmm-2d-8'];

type Config = (seed: number) => Record<string, unknown>;

const ETAS = [0.5, 1, 1.5];

const CONFIGS: [string, Config][] = [
  ['tweedie-score', () => ({})],
  [
    'sampler-recovers-data',
    (seed) => ({
      samples: 400,
      energyPoints: 100,
      refine: 'off',
      samplers: SAMPLER_NAMES[seed % SAMPLER_NAMES.length],
      targets: TARGETS[seed % 2],
    }),
  ],
  [
    'pf-ode-vs-sde-marginals',
    (seed) => ({ samples: 300, energyPoints: 60, target: TARGETS[seed % 2], refine: 'off' }),
  ],
  ['eta-family-marginals', (seed) => ({ samples: 500, etas: [0, ETAS[seed % ETAS.length]], refine: 'off' })],
  ['convergence-order', (seed) => ({ samples: 200, samplers: seed % 2 ? 'pf-ode-heun' : 'pf-ode-euler' })],
  ['entropic-ot-sinkhorn', () => ({ samples: 40, sigmas: [0.5, 2], refine: 'off' })],
  ['sb-sde-marginals', () => ({ samples: 2000, steps: 50, refine: 'off' })],
  ['coupling-straightness', () => ({ draws: 500, batchSizes: [4] })],
];

/** Experiments whose checks are exact computations: no alpha to calibrate; a true claim passes at every seed. */
const EXACT: [string, Config][] = [
  ['cnf-likelihood', () => ({ points: 2 })],
  ['ddim-is-euler', () => ({ samples: 20 })],
];

function rateLine(name: string, rejections: number[], ms: number): string {
  const parts = LEVELS.map((a, i) => {
    const [lo, hi] = binomialInterval(rejections[i], SEEDS, 0.99);
    return `alpha ${a}: ${rejections[i]}/${SEEDS} [${lo.toFixed(3)}, ${hi.toFixed(3)}]`;
  });
  return `calibration ${name}: ${parts.join('; ')} (${(ms / 1000).toFixed(1)} s)`;
}

describe('calibration over 100 seeds (true claims)', () => {
  for (const [name, config] of CONFIGS) {
    it(`${name} rejects at a rate consistent with alpha`, async () => {
      const start = performance.now();
      const rejections = LEVELS.map(() => 0);
      for (let seed = 0; seed < SEEDS; seed++) {
        const r = await runExperiment(name, config(seed), { seed });
        const adjusted = r.data!.holmAdjusted as number[];
        const smallest = Math.min(...adjusted);
        LEVELS.forEach((a, i) => smallest <= a && rejections[i]++);
        expect(r.outcome).toBe(smallest > ALPHA ? 'passed' : 'rejected');
      }
      console.log(rateLine(name, rejections, performance.now() - start));
      LEVELS.forEach((a, i) => {
        // Not crying wolf: the rate's 99% CI must reach down to alpha.
        expect(binomialInterval(rejections[i], SEEDS, 0.99)[0]).toBeLessThanOrEqual(a);
      });
    }, 300_000);
  }
});

describe('exact computations over 100 seeds (true claims)', () => {
  for (const [name, config] of EXACT) {
    it(`${name} passes at every seed, with exact evidence only`, async () => {
      for (let seed = 0; seed < SEEDS; seed++) {
        const r = await runExperiment(name, config(seed), { seed });
        expect(r.evidence.map((e) => e.kind)).toEqual(r.evidence.map(() => 'exact'));
        expect(r.outcome, `${name} seed ${seed}: ${r.notes[0]}`).toBe('passed');
      }
    }, 300_000);
  }
});
