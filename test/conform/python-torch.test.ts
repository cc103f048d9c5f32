// The bridge with torch tensors: modules written as the libraries write them (k-diffusion's sample_heun
// with x.new_ones and a float32 Karras grid, a diffusers-style DDPMScheduler in torch float32 drawing
// through randn_tensor, an old-style one drawing with torch.randn inside step, flow_matching's
// CosineScheduler and AffineProbPath). Runs when Debian's
// python3-torch is installed for /usr/bin/python3; otherwise the skip below says so.
import { describe, expect, it } from 'vitest';
import { conformModule } from '../../src/conform/index.js';
import { loadPythonModule } from '../../src/conform/python-load.js';
import { hasModule, PYTHON } from '../helpers/python.js';

const module = (name: string) => new URL(`./python/torch/${name}.py`, import.meta.url).pathname;
const torch = hasModule('torch');

async function conform(name: string, seed: number) {
  const m = await loadPythonModule(module(name), { exe: PYTHON, loadBudgetMs: 120_000 });
  try {
    return conformModule(m, { seed, numRuns: 100, run: { samples: 1000, numSteps: 20, alpha: 1e-3 } });
  } finally {
    m.dispose?.();
  }
}

describe.runIf(torch)(`torch modules through the bridge (${PYTHON})`, () => {
  it.each(['torch_k_heun', 'torch_ddpm_fixed_large', 'torch_fm_cosine'])('%s passes', async (name) => {
    const r = await conform(name, 2);
    expect(r.runtime).toMatch(/torch values/);
    expect(r.checks.filter((c) => c.status === 'fail' || c.status === 'inconclusive')).toEqual([]);
    expect(r.checks.filter((c) => c.status === 'pass').length).toBeGreaterThanOrEqual(4);
  });
  it('an old-style diffusers DDPM drawing with torch.randn inside step: the noise is controlled, the t - 1 bug found', async () => {
    const r = await conform('bug_torch_ddpm_old_api', 2);
    const c = r.checks.find((c) => c.name === 'step:ddpm')!;
    expect(c.status).toBe('fail');
    // The std was read exactly from flowproof's draws (a step drawing its own noise could not be compared).
    expect(c.counterexample!.got.draws).toBe(1);
    expect(c.counterexample!.got.std).not.toBe(c.counterexample!.expected.std);
  });
  it('torch code declared without FLOWPROOF array (numpy by default) stops, saying to declare torch', async () => {
    await expect(conform('k_sampler_numpy_default', 2)).rejects.toThrow(
      /k_sampler_numpy_default\.sample_euler raised AttributeError: 'numpy\.ndarray' object has no attribute 'new_ones': the code takes torch tensors.*declare FLOWPROOF\['array'\] = 'torch'/,
    );
  });
  it('the sigma-hat bug in torch k-diffusion style fails step:heun', async () => {
    const r = await conform('bug_torch_k_heun_sigma_hat', 2);
    expect(r.checks.find((c) => c.name === 'step:heun')?.status).toBe('fail');
  });
});

if (!torch) {
  const notice = `torch modules SKIPPED: ${PYTHON} cannot import torch (apt-get install python3-torch to run them)`;
  console.warn(`NOTICE: ${notice}`);
  it.skip(notice, () => {});
}
