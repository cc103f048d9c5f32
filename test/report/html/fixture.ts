// A realistic verify report for the renderer tests and the browser test: one proved chain, one
// refuted erratum kept as expected, one claim that unexpectedly fails, a Monte-Carlo step whose plots
// use real seeded samples of a two-component Gaussian mixture and which reports diagnostics, and an
// exact-computation step: every kind of evidence appears.
import type { VerifyReport, ClaimResult } from '../../../src/report/types.js';
import type { PlotSpec } from '../../../src/report/plots/index.js';
import { tabulate } from '../../../src/report/plots/index.js';

/** mulberry32: a small seeded generator, enough for plot fixtures. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normals(n: number, seed: number): number[] {
  const u = seeded(seed);
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u()));
}

const phi = (x: number, m: number, s: number) =>
  Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));
/** The mixture 0.5 N(-2, 0.5^2) + 0.5 N(2, 0.5^2). */
export const mixtureDensity = (x: number) => 0.5 * phi(x, -2, 0.5) + 0.5 * phi(x, 2, 0.5);

export function mixtureSamples(n: number, seed: number): number[] {
  const u = seeded(seed + 1);
  return normals(n, seed).map((z) => (u() < 0.5 ? -2 : 2) + 0.5 * z);
}

export function fixturePlots(): PlotSpec[] {
  const xs = mixtureSamples(4000, 7);
  const ys = normals(4000, 8).map((z, k) => 0.5 * xs[k] + 0.7 * z);
  const gx = tabulate((x) => x, -4, 4, 41).x;
  const gy = tabulate((y) => y, -4, 4, 41).x;
  // Joint density of (X, Y) with Y | X ~ N(X/2, 0.7^2).
  const z = gy.map((y) => gx.map((x) => mixtureDensity(x) * phi(y, 0.5 * x, 0.7)));
  return [
    {
      kind: 'histogram',
      title: 'samples vs exact density',
      samples: xs,
      density: tabulate(mixtureDensity, -4, 4),
    },
    {
      kind: 'scatter',
      title: '2-D samples vs exact contours',
      samples: { x: xs, y: ys },
      density: { x: gx, y: gy, z },
    },
    {
      kind: 'marginals',
      title: 'PF-ODE vs SDE marginals',
      panels: [0.2, 0.5, 0.8].map((t, i) => {
        const s = Math.sqrt(0.25 + t);
        const vals = (seed: number) => {
          const noise = normals(3000, seed + 50);
          return mixtureSamples(3000, seed).map((v, k) => v + Math.sqrt(t) * noise[k]);
        };
        const dens = (x: number) => 0.5 * phi(x, -2, s) + 0.5 * phi(x, 2, s);
        return {
          label: `t = ${t}`,
          series: [
            { name: 'PF-ODE', samples: vals(100 + i) },
            { name: 'SDE', samples: vals(200 + i) },
          ],
          density: tabulate(dens, -5, 5),
        };
      }),
    },
    {
      kind: 'convergence',
      title: 'error vs steps',
      series: [
        {
          name: 'Euler',
          steps: [8, 16, 32, 64, 128],
          error: [0.2, 0.1, 0.05, 0.025, 0.0125],
          expectedSlope: -1,
        },
        {
          name: 'Heun',
          steps: [8, 16, 32, 64, 128],
          error: [0.04, 0.01, 0.0025, 0.000625, 0.00016],
          expectedSlope: -2,
        },
      ],
    },
    {
      kind: 'straightness',
      title: 'straightness per reflow round',
      rounds: [1, 2, 3, 4],
      straightness: [0.9, 0.4, 0.22, 0.3],
      ci: [
        [0.85, 0.95],
        [0.36, 0.44],
        [0.19, 0.25],
        [0.26, 0.34],
      ],
      bound: [1, 0.5, 0.33, 0.25],
      boundLabel: 'bound 1/k',
    },
    {
      kind: 'lines',
      title: 'posterior mean: exact vs binned Monte Carlo',
      xLabel: 'x_t',
      yLabel: 'E[data | x_t]',
      series: [
        { name: 'exact', exact: true, ...tabulate((x) => x / 2, -3, 3, 50) },
        {
          name: 'binned mean (95% CI)',
          points: true,
          x: [-2, -1, 0, 1, 2],
          y: [-1.02, -0.49, 0.01, 0.52, 0.97],
          ci: [
            [-1.1, -0.94],
            [-0.55, -0.43],
            [-0.04, 0.06],
            [0.47, 0.57],
            [0.9, 1.04],
          ],
        },
      ],
    },
  ];
}

const position = (file: string, line: number) => ({ file, line, column: 1 });

function claim(
  partial: Partial<ClaimResult> & Pick<ClaimResult, 'id' | 'title' | 'verdict' | 'matches' | 'steps'>,
): ClaimResult {
  return { file: `derivations/${partial.id}.md`, sources: [], expected: 'holds', ms: 12, ...partial };
}

export function fixtureReport(): VerifyReport {
  const claims: ClaimResult[] = [
    claim({
      id: 'score-noise',
      title: 'The score of the DDPM kernel is the scaled noise',
      sources: [
        {
          title: 'Score-Based Generative Modeling through Stochastic Differential Equations',
          authors: [
            'Yang Song',
            'Jascha Sohl-Dickstein',
            'Diederik P. Kingma',
            'Abhishek Kumar',
            'Stefano Ermon',
            'Ben Poole',
          ],
          year: 2021,
          arxiv: '2011.13456',
          section: 'Section 3.4',
        },
        '003_2839541f7a60aeda.txt: recap, Lecture 1 <-> Lecture 2',
      ],
      convention: 'diffusion',
      matches: true,
      verdict: { grade: 'proved', evidence: [{ kind: 'symbolic', strategy: 'algebrite simplify', ms: 40 }] },
      body: 'With $x_t = \\sqrt{\\bar\\alpha_t}\\,x_0 + \\sqrt{1-\\bar\\alpha_t}\\,\\epsilon$:\n\n$$\n-\\frac{x_t-\\sqrt{\\bar\\alpha_t}\\,x_0}{1-\\bar\\alpha_t} = -\\frac{\\epsilon}{\\sqrt{1-\\bar\\alpha_t}}\n$$\n\n```experiment\nname: tweedie-score\nsamples: 200000\n```\n',
      steps: [
        {
          index: 1,
          kind: 'equation',
          lhs: '-\\frac{x_t-\\sqrt{\\bar\\alpha_t}\\,x_0}{1-\\bar\\alpha_t}',
          rhs: '-\\frac{\\epsilon}{\\sqrt{1-\\bar\\alpha_t}}',
          lhsPlain: '-(x_t - sqrt(abar)*x_0)/(1 - abar)',
          rhsPlain: '-epsilon/sqrt(1 - abar)',
          checkedLatex: {
            lhs: '-\\frac{x_t - \\sqrt{\\bar\\alpha_t}\\,x_0}{1 - \\bar\\alpha_t}',
            rhs: '-\\frac{\\epsilon}{\\sqrt{1 - \\bar\\alpha_t}}',
          },
          position: position('derivations/score-noise.md', 14),
          verdict: {
            grade: 'proved',
            evidence: [
              { kind: 'symbolic', strategy: 'algebrite simplify', ms: 40 },
              {
                kind: 'numeric',
                pointsTried: 200,
                precisionDigits: 64,
                maxResidual: '1.2e-60',
                seed: 11,
                ms: 85,
              },
            ],
          },
          ms: 125,
        },
        {
          index: 2,
          kind: 'experiment',
          lhs: 'tweedie-score',
          rhs: '{"samples":200000}',
          position: position('derivations/score-noise.md', 20),
          verdict: {
            grade: 'confirmed-mc',
            evidence: [
              {
                kind: 'monte-carlo',
                experiment: 'tweedie-score',
                estimate: 0.0012,
                ci: [-0.0031, 0.0055],
                test: 'two-sided z-test of mean difference',
                pValue: 0.58,
                alpha: 0.01,
                minDetectableEffect: 0.0061,
                seed: 12,
                backend: 'float64',
                samples: 200000,
                ms: 930,
              },
            ],
          },
          experiment: {
            name: 'tweedie-score',
            params: { samples: 200000 },
            notes: ['exact score of the mixture used'],
            diagnostics: [
              {
                evidence: {
                  kind: 'monte-carlo',
                  experiment: 'tweedie-score',
                  estimate: 0.09,
                  ci: [0.06, 0.12],
                  test: 'trained model: mean[0]',
                  pValue: 5e-8,
                  alpha: 0.001,
                  minDetectableEffect: 0.03,
                  seed: 12,
                  backend: 'float64',
                  samples: 800,
                  ms: 930,
                },
                whyNotCounted: 'it measures a trained model, whose learning error the claim does not bound',
              },
            ],
            data: { plots: fixturePlots() },
          },
          ms: 930,
        },
        {
          index: 3,
          kind: 'experiment',
          lhs: 'fm-cfm-exact',
          rhs: '{}',
          position: position('derivations/score-noise.md', 26),
          verdict: {
            grade: 'confirmed-exact',
            evidence: Array.from({ length: 12 }, (_, k) => ({
              kind: 'exact' as const,
              experiment: 'fm-cfm-exact',
              test: `law ${k + 1}: |grad L_FM - grad L_CFM| / rounding bound`,
              value: 0.01 * (k + 1),
              tolerance: 1,
              size: 80,
              unit: '(law, theta) pairs',
              backend: 'float64',
              seed: 13,
              ms: 45,
            })),
          },
          experiment: {
            name: 'fm-cfm-exact',
            params: {},
            notes: ['all 12 exact checks within their tolerance'],
          },
          ms: 45,
        },
      ],
    }),
    claim({
      id: 'erratum-half',
      title: 'A documented erratum: the PF-ODE drift without the 1/2',
      expected: 'refuted',
      matches: true,
      verdict: {
        grade: 'refuted',
        evidence: [],
        counterexample: { point: { x: '1', score: '2', g: '1' }, lhs: '-1', rhs: '0', residual: '1.00e+0' },
      },
      steps: [
        {
          index: 1,
          kind: 'equation',
          lhs: 'f x - g^2 s',
          rhs: 'f x - \\tfrac12 g^2 s',
          position: position('derivations/erratum-half.md', 9),
          verdict: {
            grade: 'refuted',
            evidence: [
              { kind: 'numeric', pointsTried: 1, precisionDigits: 64, maxResidual: '1', seed: 3, ms: 2 },
            ],
            counterexample: {
              point: { x: '1', score: '2', g: '1' },
              lhs: '-1',
              rhs: '0',
              residual: '1.00e+0',
            },
          },
          ms: 2,
        },
      ],
    }),
    claim({
      id: 'broken-claim',
      title: 'A claim that should hold but is refuted',
      matches: false,
      verdict: {
        grade: 'refuted',
        evidence: [],
        counterexample: { point: { t: '0.5' }, lhs: '0.25', rhs: '0.5', residual: '2.50e-1' },
      },
      steps: [
        {
          index: 1,
          kind: 'equation',
          lhs: 't^2',
          rhs: 't',
          position: position('derivations/broken-claim.md', 7),
          verdict: {
            grade: 'refuted',
            evidence: [
              { kind: 'numeric', pointsTried: 1, precisionDigits: 64, maxResidual: '0.25', seed: 5, ms: 1 },
            ],
            counterexample: { point: { t: '0.5' }, lhs: '0.25', rhs: '0.5', residual: '2.50e-1' },
          },
          ms: 1,
        },
      ],
    }),
  ];
  return {
    schema: 'flowproof.verify/3',
    tool: { name: 'flowproof', version: '0.1.0' },
    startedAt: '2025-01-01T00:00:00.000Z',
    seed: 1,
    options: { monteCarlo: true, thorough: false },
    claims,
    summary: {
      total: 3,
      matching: 2,
      mismatching: 1,
      skipped: 0,
      byGrade: {
        proved: 1,
        'holds-numerically': 0,
        'confirmed-exact': 0,
        'confirmed-mc': 0,
        refuted: 2,
        inconclusive: 0,
      },
      ms: 1100,
    },
  };
}
