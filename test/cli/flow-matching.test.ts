// Reproducing an outside library from the CLI alone: Meta's flow_matching documents five schedulers
// (flow_matching/path/scheduler/scheduler.py: CondOT, PolynomialConvex(n), VP, LinearVP, Cosine) and the
// conversions of its AffineProbPath (path/affine.py). Their formulas are written out below in Python,
// independently of flowproof, and run by Debian's /usr/bin/python3; every value must come out of
// `flowproof schedules` / `flowproof convert` with the flags docs/conventions.md gives for each scheduler.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureOutput } from '../helpers/capture.js';

const io = captureOutput();

// flow_matching's formulas: x_t = alpha_t x_1 + sigma_t x_0 (x_1 data, x_0 noise), t = 0 noise.
const PYTHON = String.raw`
import json, math, sys

def scheduler(name, t, p):
    if name == 'CondOT':
        return t, 1 - t, 1.0, -1.0
    if name == 'Polynomial':
        n = p['n']
        return t**n, 1 - t**n, n * t**(n - 1), -n * t**(n - 1)
    if name == 'VP':
        b, B = p['beta_min'], p['beta_max']
        T = 0.5 * (1 - t)**2 * (B - b) + (1 - t) * b
        dT = -(1 - t) * (B - b) - b
        return (math.exp(-0.5 * T), math.sqrt(1 - math.exp(-T)),
                -0.5 * dT * math.exp(-0.5 * T), 0.5 * dT * math.exp(-T) / math.sqrt(1 - math.exp(-T)))
    if name == 'LinearVP':
        return t, (1 - t**2)**0.5, 1.0, -t / (1 - t**2)**0.5
    if name == 'Cosine':
        h = math.pi / 2
        return math.sin(h * t), math.cos(h * t), h * math.cos(h * t), -h * math.sin(h * t)

def conversions(a, s, da, ds, v, x):
    return {
        'target_to_velocity': ds / s * x + (da * s - ds * a) / s * v,
        'epsilon_to_velocity': da / a * x + (ds * a - da * s) / a * v,
        'velocity_to_target': -ds / (da * s - ds * a) * x + s / (da * s - ds * a) * v,
        'epsilon_to_target': 1 / a * x - s / a * v,
        'velocity_to_epsilon': -da / (ds * a - da * s) * x + a / (ds * a - da * s) * v,
        'target_to_epsilon': 1 / s * x - a / s * v,
    }

out = []
for case in json.load(sys.stdin):
    for t in case['times']:
        a, s, da, ds = scheduler(case['scheduler'], t, case['params'])
        conv = {k: [conversions(a, s, da, ds, v, x)[k] for v, x in zip(case['values'], case['xs'])]
                for k in conversions(a, s, da, ds, 0.0, 0.0)}
        out.append({'label': case['label'], 't': t, 'alpha_t': a, 'sigma_t': s, 'd_alpha_t': da,
                    'd_sigma_t': ds, 'snr': a / s, 'conversions': conv})
print(json.dumps(out))
`;

interface Case {
  label: string;
  scheduler: string;
  params: Record<string, number>;
  /** flowproof's flags for this scheduler (docs/conventions.md). */
  flags: string[];
}
const TIMES = [0.1, 0.25, 0.5, 0.75, 0.9];
const VALUES = [0.7, -1.2, 2.5];
const XS = [1.3, -0.4, 0];
const CASES: Case[] = [
  { label: 'CondOT', scheduler: 'CondOT', params: {}, flags: ['--path', 'rectified-flow'] },
  { label: 'CondOT (by name)', scheduler: 'CondOT', params: {}, flags: ['--path', 'flow_matching:CondOT'] },
  {
    label: 'Polynomial(3)',
    scheduler: 'Polynomial',
    params: { n: 3 },
    flags: ['--alpha', 't^3', '--sigma', '1 - t^3', '--convention', 'flow'],
  },
  {
    label: 'Polynomial(0.5), LaTeX',
    scheduler: 'Polynomial',
    params: { n: 0.5 },
    flags: ['--alpha', '\\sqrt{t}', '--sigma', '1 - \\sqrt{t}', '--convention', 'flow'],
  },
  {
    label: 'VP',
    scheduler: 'VP',
    params: { beta_min: 0.1, beta_max: 20 },
    flags: ['--path', 'vp-sde', '--convention', 'flow'],
  },
  {
    label: 'VP(0.5, 12) (by name)',
    scheduler: 'VP',
    params: { beta_min: 0.5, beta_max: 12 },
    flags: ['--path', 'flow_matching:VP', '--beta-min', '0.5', '--beta-max', '12'],
  },
  {
    label: 'LinearVP',
    scheduler: 'LinearVP',
    params: {},
    flags: ['--alpha', 't', '--sigma', 'sqrt(1 - t^2)', '--convention', 'flow'],
  },
  {
    label: 'LinearVP (by name)',
    scheduler: 'LinearVP',
    params: {},
    flags: ['--path', 'flow_matching:LinearVP'],
  },
  { label: 'Cosine', scheduler: 'Cosine', params: {}, flags: ['--path', 'trig', '--convention', 'flow'] },
  { label: 'Cosine (by name)', scheduler: 'Cosine', params: {}, flags: ['--path', 'flow_matching:Cosine'] },
];

interface Expected {
  label: string;
  t: number;
  alpha_t: number;
  sigma_t: number;
  d_alpha_t: number;
  d_sigma_t: number;
  snr: number;
  conversions: Record<string, number[]>;
}

function reference(): Expected[] {
  const input = JSON.stringify(CASES.map((c) => ({ ...c, times: TIMES, values: VALUES, xs: XS })));
  const r = spawnSync('/usr/bin/python3', ['-c', PYTHON], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`/usr/bin/python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Expected[];
}

async function cli(args: string[]): Promise<Record<string, unknown>> {
  io.out = '';
  const code = await main(args);
  expect(code, io.err).toBe(0);
  return JSON.parse(io.out) as Record<string, unknown>;
}

/** Agreement to 1e-12 relative (1e-14 absolute near 0): float64 evaluations of the same formulas. */
function close(got: number, want: number): boolean {
  return Math.abs(got - want) <= 1e-12 * Math.abs(want) + 1e-14;
}

const CONVERSIONS: [string, string, string][] = [
  ['target_to_velocity', 'data', 'velocity'],
  ['epsilon_to_velocity', 'eps', 'velocity'],
  ['velocity_to_target', 'velocity', 'data'],
  ['epsilon_to_target', 'eps', 'data'],
  ['velocity_to_epsilon', 'velocity', 'eps'],
  ['target_to_epsilon', 'data', 'eps'],
];

describe("flow_matching's five schedulers, reproduced from the CLI alone", () => {
  const expected = reference();

  it('the Python reference computed every case', () => {
    expect(expected).toHaveLength(CASES.length * TIMES.length);
  });

  for (const c of CASES) {
    it(`${c.label}: alpha_t, sigma_t, d_alpha_t, d_sigma_t and snr (= alpha/sigma) at ${TIMES.join(', ')}`, async () => {
      const out = await cli(['schedules', ...c.flags, '--t', TIMES.join(','), '--json']);
      const rows = out.continuous as Record<string, number | string>[];
      expect(rows).toHaveLength(TIMES.length);
      for (const row of rows) {
        const e = expected.find((x) => x.label === c.label && x.t === row.t) as Expected;
        expect(row.convention).toBe('flow');
        const pairs: [string, number][] = [
          ['alpha', e.alpha_t],
          ['sigma', e.sigma_t],
          ['dAlpha', e.d_alpha_t],
          ['dSigma', e.d_sigma_t],
          ['alphaOverSigma', e.snr],
          ['snr', e.snr ** 2],
        ];
        for (const [key, want] of pairs)
          expect(
            close(row[key] as number, want),
            `${c.label} t=${row.t} ${key}: ${row[key]} vs ${want}`,
          ).toBe(true);
      }
    });

    it(`${c.label}: AffineProbPath's six conversions, vectors of 3 values at each time`, async () => {
      for (const t of TIMES) {
        const e = expected.find((x) => x.label === c.label && x.t === t) as Expected;
        for (const [name, from, to] of CONVERSIONS) {
          const args = [
            'convert',
            '--from',
            from,
            '--to',
            to,
            '--value',
            VALUES.join(','),
            '--x',
            XS.join(','),
          ];
          const out = await cli([...args, ...c.flags, '--t', String(t), '--json']);
          expect(out.convention).toBe('flow');
          const got = out.result as number[];
          got.forEach((g, i) =>
            expect(
              close(g, e.conversions[name][i]),
              `${c.label} t=${t} ${name}[${i}]: ${g} vs ${e.conversions[name][i]}`,
            ).toBe(true),
          );
        }
      }
    });
  }

  it("guessing flowproof's cosine for flow_matching's Cosine gives other values (hence the alias)", async () => {
    const e = expected.find((x) => x.label === 'Cosine' && x.t === 0.25) as Expected;
    const guess = (
      await cli(['schedules', '--path', 'cosine', '--convention', 'flow', '--t', '0.25', '--json'])
    ).continuous as Record<string, number>[];
    expect(Math.abs(guess[0].alpha - e.alpha_t)).toBeGreaterThan(1e-3);
    const unflipped = (await cli(['schedules', '--path', 'trig', '--t', '0.25', '--json']))
      .continuous as Record<string, number>[];
    expect(Math.abs(unflipped[0].alpha - e.alpha_t)).toBeGreaterThan(0.1);
  });
});
