// The same module in JavaScript and in Python gets the same verdicts and the same messages: each JS zoo
// module here has a Python twin (plain functions, a diffusers-style scheduler class, a k-diffusion-style
// sampler function), and conform must report identical checks (names, statuses, summaries) and identical
// counterexamples (inputs, expected, got up to the last bits of the two languages' libm, shrinks, the
// first failing input). Runs Debian's /usr/bin/python3 (see test/helpers/python.ts).
import { describe, expect, it } from 'vitest';
import {
  conformModule,
  loadUserModule,
  type CheckResult,
  type ConformReport,
} from '../../src/conform/index.js';
import { loadPythonModule } from '../../src/conform/python-load.js';
import { hasModule, PYTHON } from '../helpers/python.js';

const OPTIONS = { numRuns: 100, run: { samples: 1000, numSteps: 20, alpha: 1e-3 } };

/** JS zoo module -> its Python twin (style). */
const TWINS: [string, string][] = [
  ['ddpm', 'ddpm'],
  ['ddim', 'ddim'],
  ['em-vpsde', 'em_vpsde'],
  ['heun-edm', 'heun_edm'],
  ['fm-euler', 'fm_euler'],
  ['bug-ddpm-prev-is-t-minus-1', 'bug_ddpm_prev_is_t_minus_1'],
  ['bug-ddim-eta-not-squared', 'bug_ddim_eta_not_squared'],
  ['bug-eps-to-data-missing-sqrt', 'bug_eps_to_data_missing_sqrt'],
  ['bug-vpred-sign', 'bug_vpred_sign'],
  ['bug-reverse-sde-sign', 'bug_reverse_sde_sign'],
  ['bug-heun-sigma-hat', 'bug_heun_sigma_hat'],
  ['bug-fm-shift-twice', 'bug_fm_shift_twice'],
  // diffusers-style scheduler classes against JS modules stepping along the same grid
  ['ddpm-fixed-large', 'ddpm_fixed_large'],
  ['ddpm-learned-range', 'ddpm_learned_range'],
  ['bug-declared-fixed-large', 'bug_declared_fixed_large'],
  ['bug-ddim-linspace-prev-timestep', 'bug_ddim_linspace_prev_timestep'],
  // k-diffusion-style sampler functions
  ['karras-euler', 'k_euler'],
  ['bug-karras-rho-inverted', 'bug_karras_rho_inverted'],
];

/** Numbers equal up to a relative 1e-9 (V8 and CPython may round exp/log/pow differently in the last bit). */
function close(a: unknown, b: unknown, path: string): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isFinite(a) || Number.isFinite(b))
      expect(Math.abs(a - b), `${path}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a)));
    else expect(String(b), path).toBe(String(a));
    return;
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    expect(Object.keys(b).sort(), path).toEqual(Object.keys(a).sort());
    for (const k of Object.keys(a)) close((a as never)[k], (b as never)[k], `${path}.${k}`);
    return;
  }
  expect(b, path).toEqual(a);
}

const byName = (r: ConformReport) => new Map(r.checks.map((c) => [c.name, c]));
const shown = (c: CheckResult) => ({ status: c.status, summary: c.summary });

describe.runIf(hasModule('numpy'))(`a Python module and its JS twin get the same report (${PYTHON})`, () => {
  it.each(TWINS)('%s.ts and %s.py', async (js, py) => {
    const a = conformModule(await loadUserModule(`test/conform/zoo/${js}.ts`), { ...OPTIONS, seed: 3 });
    const m = await loadPythonModule(`test/conform/python/zoo/${py}.py`, { exe: PYTHON });
    let b: ConformReport;
    try {
      b = conformModule(m, { ...OPTIONS, seed: 3 });
    } finally {
      m.dispose?.();
    }
    const [ja, pb] = [byName(a), byName(b)];
    expect([...pb.keys()].sort()).toEqual([...ja.keys()].sort());
    for (const [name, c] of ja) {
      const d = pb.get(name)!;
      expect(shown(d), name).toEqual(shown(c));
      close(c.counterexample, d.counterexample, `${name}.counterexample`);
      expect(d.evidence.pointsTried, name).toBe(c.evidence.pointsTried);
    }
    expect(a.schedule).toBe(b.schedule);
  });
  it('the twins cover correct and buggy modules in three styles', () => {
    expect(TWINS.filter(([js]) => js.startsWith('bug-')).length).toBeGreaterThanOrEqual(8);
    expect(TWINS.length).toBeGreaterThanOrEqual(15);
  });
});

if (!hasModule('numpy')) {
  const notice = `JS/Python twins SKIPPED: ${PYTHON} cannot import numpy (apt-get install python3-numpy)`;
  console.warn(`NOTICE: ${notice}`);
  it.skip(notice, () => {});
}
