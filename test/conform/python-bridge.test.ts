// The Python bridge's seams: a module that cannot load, hangs, dies or answers with the wrong type or
// shape is bad input (exit 2) with a message naming the Python function and the traceback's last frame;
// an exception raised by the module at an input is a failing check with that input, as NaN is. Numbers
// cross as JSON with an encoding for NaN and infinities, integer timesteps stay integers, and what the
// module prints never corrupts the protocol. Runs Debian's /usr/bin/python3 (see test/helpers/python.ts).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { conformModule, ModuleFailure, type UserModule } from '../../src/conform/index.js';
import { loadPythonModule } from '../../src/conform/python-load.js';
import { runCli } from '../helpers/cli.js';
import { hasModule, PYTHON } from '../helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-bridge-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
/** A module in the temporary folder that imports `cls` from the zoo's `lib` and declares `flowproof`. */
const fromZoo = (name: string, lib: string, cls: string, flowproof: string) =>
  write(
    name,
    `import sys\nsys.path.insert(0, ${JSON.stringify(new URL('./python/zoo/', import.meta.url).pathname)})\n` +
      `from ${lib} import ${cls}\nFLOWPROOF = ${flowproof}\n`,
  );
const TRIG = `FLOWPROOF = {"convention": "diffusion", "path": "trig"}\n`;
const load = (path: string, budgetMs = 5000) => loadPythonModule(path, { exe: PYTHON, budgetMs });

async function loadError(path: string): Promise<InputError> {
  const e = await load(path).then(
    (m) => (m.dispose?.(), undefined),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

/** Run conform on a loaded module, always releasing its process. */
function conform(m: UserModule, opts: Parameters<typeof conformModule>[1] = {}) {
  try {
    return conformModule(m, { numRuns: 60, run: false, ...opts });
  } finally {
    m.dispose?.();
  }
}

describe('a module that cannot be used: exit 2, naming the file, the line and the offending piece', () => {
  it('a syntax error gives its line and column and quotes the line', async () => {
    const e = await loadError(write('syntax.py', `${TRIG}\ndef eps_to_data(eps, x, t:\n    return x\n`));
    expect(e.message).toMatch(/syntax\.py:3:\d+: the module failed to load: SyntaxError: /);
    expect(e.message).toContain('def eps_to_data(eps, x, t:');
  });
  it('an import error gives the importing line', async () => {
    const e = await loadError(write('imports.py', `import math\nimport torchx  # typo\n${TRIG}`));
    expect(e.message).toMatch(
      /imports\.py:2: the module failed to load: ModuleNotFoundError: No module named 'torchx'/,
    );
  });
  it('an exception at import time gives the frame where it was raised', async () => {
    const e = await loadError(write('boom.py', `${TRIG}def f():\n    raise RuntimeError("no GPU")\nf()\n`));
    expect(e.message).toMatch(/boom\.py:3: the module failed to load: RuntimeError: no GPU/);
  });
  it("an error inside a helper the module imports: the module's import line, and the helper's frame", async () => {
    write('helper_mod.py', 'def f():\n    return 1 / 0\nf()\n');
    const e = await loadError(write('uses_helper.py', `import math\nimport helper_mod\n${TRIG}`));
    expect(e.message).toMatch(
      /uses_helper\.py:2: the module failed to load: ZeroDivisionError: division by zero \(helper_mod\.py:2 in f: `return 1 \/ 0`\) near 'import helper_mod'/,
    );
  });
  it('a NaN in an exported array is bad input naming the entry', async () => {
    const e = await loadError(
      write(
        'nanarray.py',
        'FLOWPROOF = {"convention": "diffusion", "timestepIndexing": "zero-based"}\nalphas_cumprod = [0.99, float("nan"), 0.5]\n',
      ),
    );
    expect(e.message).toMatch(/export 'alphasCumprod'\[1\] must be a finite number, got NaN/);
  });
  it('a missing FLOWPROOF says what to declare', async () => {
    const e = await loadError(write('nometa.py', 'def alpha(t):\n    return 1 - t\n'));
    expect(e.message).toMatch(/must declare FLOWPROOF = \{'convention': 'diffusion' \| 'flow', \.\.\.\}/);
  });
  it('a bad FLOWPROOF field is named the Python way', async () => {
    const e = await loadError(
      write(
        'badmeta.py',
        'FLOWPROOF = {"convention": "forward"}\ndef alpha(t): return 1\ndef sigma(t): return t\n',
      ),
    );
    expect(e.message).toMatch(/FLOWPROOF\['convention'\] must be one of 'diffusion', 'flow', got 'forward'/);
  });
  it('an unknown adapter and a missing scheduler class are named', async () => {
    expect(
      (await loadError(write('adapter.py', 'FLOWPROOF = {"convention": "diffusion", "adapter": "jax"}\n')))
        .message,
    ).toMatch(
      /FLOWPROOF\['adapter'\] must be one of 'functions', 'diffusers', 'k-diffusion', 'flow-matching', got 'jax'/,
    );
    expect(
      (
        await loadError(
          write(
            'nosched.py',
            'FLOWPROOF = {"adapter": "diffusers", "scheduler": "DDIMScheduler", "sampler": "ddim"}\n',
          ),
        )
      ).message,
    ).toMatch(/FLOWPROOF\['scheduler'\] names 'DDIMScheduler', which the module does not define/);
  });
  it('a sigma-space diffusers scheduler taking two step() calls per step (Heun) is refused by name', async () => {
    const e = await loadError(
      write(
        'twostage.py',
        [
          'import numpy as np',
          'class TwoStage:',
          '    order = 2',
          '    init_noise_sigma = 14.6',
          '    config = {"prediction_type": "epsilon"}',
          '    def __init__(self):',
          '        self.alphas_cumprod = np.linspace(0.999, 0.01, 10)',
          '        self.sigmas = np.array([14.6, 1.0, 0.0])',
          '    def set_timesteps(self, n):',
          '        self.timesteps = np.array([9.0, 0.0])',
          '    def step(self, model_output, timestep, sample):',
          '        return (sample,)',
          'FLOWPROOF = {"adapter": "diffusers", "scheduler": TwoStage, "sampler": "heun"}',
          '',
        ].join('\n'),
      ),
    );
    expect(e.message).toMatch(/TwoStage takes 2 step\(\) calls per sampling step \(order 2\)/);
  });
  it("a diffusers scheduler left at clip_sample=True (diffusers' default) says to configure it off", async () => {
    const e = await loadError(
      fromZoo(
        'clipped.py',
        'np_schedulers',
        'DDIMScheduler',
        '{"adapter": "diffusers", "scheduler": DDIMScheduler, "config": {"clip_sample": True}, "sampler": "ddim"}',
      ),
    );
    expect(e.message).toMatch(
      /DDIMScheduler\.config\.clip_sample is True \(clips its predicted data .*configure clip_sample=False in FLOWPROOF\['config'\]/,
    );
  });
  it('a multistep solver keeping earlier model outputs (solver_order 2) is refused, saying how to check it', async () => {
    const e = await loadError(
      fromZoo(
        'multistep2.py',
        'np_multistep',
        'MultistepSolver',
        '{"adapter": "diffusers", "scheduler": MultistepSolver, "sampler": "ddim"}',
      ),
    );
    expect(e.message).toMatch(
      /MultistepSolver is a multistep solver \(solver_order = 2\).*configure solver_order=1 to check its first-order step/,
    );
  });
  it('a scheduler whose step uses what earlier calls computed (LMS-style derivatives) stops with how to check it', async () => {
    const m = await load(
      fromZoo(
        'lms.py',
        'np_sigma_schedulers',
        'SigmaMultistepScheduler',
        '{"adapter": "diffusers", "scheduler": SigmaMultistepScheduler, "sampler": "euler"}',
      ),
    );
    expect(() => conform(m)).toThrow(
      /SigmaMultistepScheduler\.step keeps what earlier steps computed \(SigmaMultistepScheduler\.derivatives holds 2 entries after this call\).*FLOWPROOF\['stepKwargs'\] = \{'order': 1\}/,
    );
  });
  it('a Python that cannot be found is named', async () => {
    const e = await loadPythonModule(write('ok.py', TRIG + 'def eps_to_data(e, x, t): return x\n'), {
      exe: 'no-such-python3',
    }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ModuleFailure);
    expect((e as Error).message).toMatch(/'no-such-python3' is not on PATH \(give --python-exe\)/);
  });
  it('an array kind the Python cannot import (numpy) says which Python and how to choose another', async () => {
    const fake = join(dir, 'fake-site');
    mkdirSync(join(fake, 'numpy'), { recursive: true });
    writeFileSync(join(fake, 'numpy', '__init__.py'), 'raise ImportError("simulated: no numpy here")\n');
    const saved = process.env.PYTHONPATH;
    process.env.PYTHONPATH = fake;
    try {
      const e = await loadError(
        write(
          'needsnumpy.py',
          'FLOWPROOF = {"convention": "diffusion", "path": "trig", "array": "numpy"}\ndef eps_to_data(e, x, t): return x\n',
        ),
      );
      expect(e.message).toMatch(
        /FLOWPROOF\['array'\] = 'numpy' needs numpy, which .*python.* cannot import .*give --python-exe/,
      );
    } finally {
      if (saved === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = saved;
    }
  });
});

describe('a module that cannot be run: a ModuleFailure naming the Python function', () => {
  it('an infinite loop is stopped after the budget, showing where it hung', async () => {
    const m = await load(
      write('hang.py', `${TRIG}def eps_to_data(eps, x, t):\n    while True:\n        pass\n`),
      1000,
    );
    expect(() => conform(m)).toThrow(ModuleFailure);
    // Where the loop was interrupted: its `while` line or its body.
    const m2 = await load(
      write('hang2.py', `${TRIG}def eps_to_data(eps, x, t):\n    while True:\n        pass\n`),
      1000,
    );
    expect(() => conform(m2)).toThrow(
      /the Python function hang2\.eps_to_data did not return within 1 s; it was at hang2\.py:[34] in eps_to_data: `(while True:|pass)`/,
    );
  });
  it('a wrong return type names the function and what it returned', async () => {
    const m = await load(
      write(
        'wrongtype.py',
        'FLOWPROOF = {"convention": "diffusion", "path": "trig", "predictionType": "eps", "sampler": "ddim"}\n' +
          'def step(eps, t, t_prev, x, prediction_type, randn):\n    return {"prev_sample": x}\n',
      ),
    );
    expect(() => conform(m)).toThrow(/wrongtype\.step returned dict, expected a number/);
  });
  it('array code given Python floats (no FLOWPROOF array declared) says to declare the array kind', async () => {
    const m = await load(
      write(
        'needsarrays.py',
        'FLOWPROOF = {"convention": "diffusion", "path": "trig"}\n' +
          'def eps_to_data(eps, x, t):\n    return x.reshape(-1) - eps\n',
      ),
    );
    expect(() => conform(m)).toThrow(
      /needsarrays\.eps_to_data raised AttributeError: 'float' object has no attribute 'reshape': the code takes arrays, and flowproof passed Python floats .*declare FLOWPROOF\['array'\] = 'numpy' or 'torch'/,
    );
  });
  it('a wrong shape in the batched run names the function and the shapes', async () => {
    const m = await load(
      write(
        'wrongshape.py',
        'FLOWPROOF = {"convention": "diffusion", "path": "edm", "predictionType": "data", "sampler": "euler", "array": "numpy"}\n' +
          'def step(denoised, t, t_prev, x, prediction_type, randn):\n    return (x + (x - denoised) / t * (t_prev - t))[:2]\n',
      ),
    );
    expect(() => conform(m, { run: { samples: 50, numSteps: 5, alpha: 1e-3 } })).toThrow(
      /wrongshape\.step returned 2 numbers \(shape \(2,\)\), expected 50 \(one per sample\)/,
    );
  });
  it('a process that dies says so, with what the module printed last', async () => {
    const m = await load(
      write(
        'crash.py',
        `import os, sys\n${TRIG}def eps_to_data(eps, x, t):\n    print("about to exit", file=sys.stderr)\n    os._exit(3)\n`,
      ),
    );
    expect(() => conform(m)).toThrow(
      /the Python process ended unexpectedly in the Python function crash\.eps_to_data; its last output:\s+about to exit/,
    );
  });
});

describe('failures at an input are failing checks, as for a JavaScript module', () => {
  it('an exception inside step fails step with the input, the exception and the last frame', async () => {
    const m = await load(
      write(
        'raises.py',
        'import math\nFLOWPROOF = {"convention": "diffusion", "path": "trig", "predictionType": "eps", "sampler": "ddim"}\n' +
          'def step(eps, t, t_prev, x, prediction_type, randn):\n' +
          '    a, s = math.cos(math.pi * t / 2), math.sin(math.pi * t / 2)\n' +
          '    data = (x - s * eps) / a\n' +
          '    if t_prev < 0.25:\n        return math.sqrt(t_prev - 0.25)\n' +
          '    return math.cos(math.pi * t_prev / 2) * data + math.sin(math.pi * t_prev / 2) * eps\n',
      ),
    );
    const c = conform(m).checks.find((c) => c.name === 'step:ddim')!;
    expect(c.status).toBe('fail');
    expect(c.counterexample!.inputs.tPrev).toBeLessThan(0.25);
    expect(c.counterexample!.got.mean).toBe(
      'threw: ValueError: math domain error (in raises.step) at raises.py:7: `return math.sqrt(t_prev - 0.25)`',
    );
  });
  it('NaN and infinities cross the pipe as values (and fail as values)', async () => {
    const m = await load(
      write(
        'nan.py',
        `${TRIG}import math\ndef eps_to_data(eps, x, t):\n    if eps != eps: return eps\n    if t > 0.5: return float("nan")\n` +
          `    if x > 1: return float("-inf")\n    return (x - math.sin(math.pi * t / 2) * eps) / math.cos(math.pi * t / 2)\n`,
      ),
    );
    try {
      const fn = m.conversions[0].fn;
      expect(fn(NaN, 0, 0.2)).toBeNaN(); // NaN goes in and comes back
      expect(fn(0, 2, 0.2)).toBe(-Infinity);
      expect(fn(0, 0, 0.7)).toBeNaN();
      expect(fn(0.5, 0.3, 0.25)).toBeCloseTo((0.3 - Math.sin(Math.PI / 8) * 0.5) / Math.cos(Math.PI / 8), 14);
      const c = conformModule(m, { numRuns: 100, run: false }).checks[0];
      expect(c.status).toBe('fail');
      expect(['NaN', -Infinity]).toContain(c.counterexample!.got.data);
    } finally {
      m.dispose?.();
    }
  });
  it('a complex result is a failing value at that input (not a crash)', async () => {
    const m = await load(
      write('complex.py', `${TRIG}def eps_to_data(eps, x, t):\n    return (x - 0.5) ** 0.5\n`),
    );
    const c = conform(m).checks[0];
    expect(c.status).toBe('fail');
    expect(String(c.counterexample!.got.data)).toMatch(/returned a complex number/);
  });
});

describe('the seams', () => {
  it('discrete timesteps arrive as Python ints, continuous times as floats, states as floats', async () => {
    const discrete = await load(
      write(
        'ints.py',
        'import math\n' +
          'betas = [1e-4 + (0.02 - 1e-4) * i / 999 for i in range(1000)]\n' +
          'alphas_cumprod, p = [], 1.0\n' +
          'for b in betas:\n    p *= 1 - b\n    alphas_cumprod.append(p)\n' +
          'FLOWPROOF = {"convention": "diffusion", "timestepIndexing": "zero-based", "predictionType": "eps", "sampler": "ddim"}\n' +
          'def step(eps, t, t_prev, x, prediction_type, randn):\n' +
          '    assert type(t) is int and type(t_prev) is int, (type(t), type(t_prev))\n' +
          '    assert type(x) is float and type(eps) is float\n' +
          '    a, ap = alphas_cumprod[t], (alphas_cumprod[t_prev] if t_prev >= 0 else 1.0)\n' +
          '    x0 = (x - math.sqrt(1 - a) * eps) / math.sqrt(a)\n' +
          '    return math.sqrt(ap) * x0 + math.sqrt(1 - ap) * eps\n',
      ),
    );
    const r = conform(discrete, { run: { samples: 200, numSteps: 10, alpha: 1e-3 } });
    expect(r.checks.filter((c) => c.status === 'fail' || c.status === 'inconclusive')).toEqual([]);
    const continuous = await load(
      write(
        'floats.py',
        `${TRIG}import math\ndef eps_to_data(eps, x, t):\n    assert type(t) is float, type(t)\n` +
          `    return (x - math.sin(math.pi * t / 2) * eps) / math.cos(math.pi * t / 2)\n`,
      ),
    );
    expect(conform(continuous).checks[0].status).toBe('pass');
  });
  it('printing (at import and in calls) goes to stderr and never corrupts the protocol', async () => {
    const m = await load(
      write(
        'chatty.py',
        `print("loading...")\n${TRIG}import math\ndef eps_to_data(eps, x, t):\n    print("called", t)\n` +
          `    return (x - math.sin(math.pi * t / 2) * eps) / math.cos(math.pi * t / 2)\n`,
      ),
    );
    expect(conform(m).checks[0].status).toBe('pass');
  });
});

describe('the bridge ships in the package', () => {
  it('python/flowproof_bridge.py is in package.json files and is what the session runs', async () => {
    const { BRIDGE_SCRIPT } = await import('../../src/conform/python-session.js');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      files: string[];
    };
    expect(pkg.files).toContain('python');
    expect(BRIDGE_SCRIPT).toBe(new URL('../../python/flowproof_bridge.py', import.meta.url).pathname);
    expect(existsSync(BRIDGE_SCRIPT)).toBe(true);
  });
});

describe('flowproof conform --python (the CLI in a child process)', () => {
  const zoo = (name: string) => `test/conform/python/zoo/${name}.py`;
  const args = (module: string, ...more: string[]) => [
    'conform',
    '--python',
    module,
    '--python-exe',
    PYTHON,
    '--runs',
    '50',
    '--samples',
    '500',
    '--steps',
    '10',
    ...more,
  ];
  it.runIf(hasModule('numpy'))(
    'a correct diffusers-style scheduler: exit 0, the runtime in the title',
    () => {
      const r = runCli(args(zoo('ddpm_fixed_large')));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/; Python 3\.\d+\.\d+ \(.*python3.*\), diffusers adapter, numpy values\)/);
      expect(r.stdout).toMatch(
        /PASS\s+step:ddpm\s+step\(\.\.\.\) has the law N\(mean, std\^2\) of the reference ddpm\(variance=beta\) step/,
      );
      expect(r.stdout).toMatch(/PASS\s+grid:reference\s+all 50 entries match the declared leading spacing/);
    },
  );
  it.runIf(hasModule('numpy'))('a buggy one: exit 1, the failing check with error, allowed and ratio', () => {
    const r = runCli(args(zoo('bug_ddpm_trailing_prev_timestep'), '--no-run'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+step:ddpm/);
    expect(r.stdout).toMatch(/\|error\| [\d.e-]+ > allowed [\d.e-]+ \(ratio [\d.e+]+\)/);
  });
  it('a hanging one: exit 2, one line, no stack trace', () => {
    const r = runCli([
      ...args(write('hang3.py', `${TRIG}def eps_to_data(eps, x, t):\n    while True:\n        pass\n`)),
      '--python-timeout',
      '1',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /hang3\.py: the Python function hang3\.eps_to_data did not return within 1 s; it was at hang3\.py:[34]/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it('a .py path works without --python; --python-timeout must be positive', () => {
    const ok = write(
      'plain.py',
      `${TRIG}import math\ndef eps_to_data(eps, x, t):\n    return (x - math.sin(math.pi * t / 2) * eps) / math.cos(math.pi * t / 2)\n`,
    );
    const r = runCli(['conform', ok, '--python-exe', PYTHON, '--runs', '30']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS\s+conversion:epsToData/);
    const bad = runCli(['conform', ok, '--python-timeout', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--python-timeout must be a positive number of seconds/);
  });
});

describe.runIf(hasModule('numpy'))('the pytest helper assert_conforms', () => {
  const bridgeDir = new URL('../../python/', import.meta.url).pathname;
  const cli = ['node', '--import', 'tsx', new URL('../helpers/cli-entry.ts', import.meta.url).pathname];
  const call = (module: string) =>
    `import sys; sys.path.insert(0, ${JSON.stringify(bridgeDir)})\n` +
    `from flowproof_bridge import assert_conforms\n` +
    `try:\n    out = assert_conforms(${JSON.stringify(module)}, "--runs", "30", "--no-run", flowproof=${JSON.stringify(cli)})\n    print("PASSED", out.splitlines()[-1])\n` +
    `except AssertionError as e:\n    print("ASSERTION", str(e).splitlines()[0])\n`;
  it('returns the report for a conforming module and raises AssertionError with it otherwise', async () => {
    const { spawnSync } = await import('node:child_process');
    const run = (module: string) =>
      spawnSync(PYTHON, ['-c', call(module)], {
        encoding: 'utf8',
        cwd: new URL('../..', import.meta.url).pathname,
      });
    const good = run('test/conform/python/zoo/ddim.py');
    expect(good.stdout).toMatch(/^PASSED \d+ checks: \d+ pass, 0 fail/m);
    const bad = run('test/conform/python/zoo/bug_vpred_sign.py');
    expect(bad.stdout).toMatch(
      /^ASSERTION flowproof conform exited 1 for test\/conform\/python\/zoo\/bug_vpred_sign\.py/m,
    );
  });
});
