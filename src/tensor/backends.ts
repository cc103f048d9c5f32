// Backend choice. On CPU the default is 'wasm-simd' (generated WebAssembly SIMD float64 kernels) when
// this runtime runs WebAssembly SIMD (wasmSimdWorks; each kernel is then checked against the JS reference
// before it first runs), else 'js' (generated JS float64 kernels, the reference); both
// run on worker threads. The tfjs backends run the same programs with tfjs ops in float32. @tensorflow/tfjs-node and -node-gpu are
// optional: loaded only when installed (their install downloads libtensorflow, so they are never
// required), and asking for a missing one is an InputError that says how to install it.
import { InputError } from '../core/errors.js';
import { prestartJs, runJs } from './js-backend.js';
import { prestartWasm, runWasm, wasmSimdWorks } from './wasm-backend.js';
import { withStates, type RunResult, type RunShape } from './program.js';
import { runTfjs, type Tf, type TfRunRequest } from './tfjs-backend.js';

export const BACKENDS = ['js', 'wasm-simd', 'tfjs-wasm', 'tfjs-cpu', 'tfjs-node', 'tfjs-node-gpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

const OPTIONAL_PACKAGES: Partial<Record<BackendName, string>> = {
  'tfjs-node': '@tensorflow/tfjs-node',
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
};

/** Loads a module by specifier (injectable so selection can be tested without the optional packages). */
export type ModuleLoader = (specifier: string) => Promise<unknown>;
const importModule: ModuleLoader = (specifier) => import(specifier);

async function isLoadable(specifier: string, load: ModuleLoader): Promise<boolean> {
  try {
    await load(specifier);
    return true;
  } catch {
    return false;
  }
}

/**
 * The backend to use: the requested one (an InputError if unknown or not installed), else ('auto' or
 * nothing) tfjs-node-gpu when installed (CUDA), else 'wasm-simd' when `wasmWorks()` (WebAssembly SIMD runs here,
 * injectable for tests), else 'js'. Asking for 'wasm-simd' where it does not is an InputError.
 */
export async function resolveBackend(
  requested?: string,
  load: ModuleLoader = importModule,
  wasmWorks: () => boolean = wasmSimdWorks,
): Promise<BackendName> {
  if (requested === undefined || requested === 'auto') {
    if (await isLoadable(OPTIONAL_PACKAGES['tfjs-node-gpu']!, load)) return 'tfjs-node-gpu';
    return wasmWorks() ? 'wasm-simd' : 'js';
  }
  if (!(BACKENDS as readonly string[]).includes(requested)) {
    throw new InputError(
      `unknown backend '${requested}' (known: auto, ${BACKENDS.join(', ')})`,
      {},
      requested,
    );
  }
  const name = requested as BackendName;
  if (name === 'wasm-simd' && !wasmWorks())
    throw new InputError(
      "backend 'wasm-simd' failed its self-check on this runtime (WebAssembly SIMD missing or wrong); use 'js'",
      {},
      name,
    );
  const pkg = OPTIONAL_PACKAGES[name];
  if (pkg && !(await isLoadable(pkg, load))) {
    throw new InputError(
      `backend '${name}' needs the optional package ${pkg}, which is not installed ` +
        `(npm install ${pkg}; its install downloads libtensorflow${name === 'tfjs-node-gpu' ? ' with CUDA' : ''}). ` +
        `Available without it: js, wasm-simd, tfjs-wasm, tfjs-cpu`,
      {},
      name,
    );
  }
  return name;
}

/** The tfjs module with `name`'s backend active. */
export async function loadTf(
  name: Exclude<BackendName, 'js' | 'wasm-simd'>,
  load: ModuleLoader = importModule,
): Promise<Tf> {
  if (name === 'tfjs-node' || name === 'tfjs-node-gpu') {
    const tf = (await load(OPTIONAL_PACKAGES[name]!)) as Tf;
    await tf.setBackend('tensorflow');
    return tf;
  }
  const tf = await import('@tensorflow/tfjs');
  if (name === 'tfjs-wasm') await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend(name === 'tfjs-wasm' ? 'wasm' : 'cpu'))) {
    throw new InputError(`backend '${name}' failed to initialise`, {}, name);
  }
  return tf;
}

/**
 * Start what a run on backend `name` will need before its initial states exist: the worker threads of
 * the fused 'js' and 'wasm-simd' runs, whose start-up (0.07-0.15 s each) then overlaps the caller's
 * planning and initial draws. Optional: a run starts whatever is missing.
 */
export function prepareBackend(
  name: BackendName,
  req: Omit<RunShape, 'model'> & { model: TfRunRequest['model'] },
): void {
  if (req.model.kind === 'tfjs') return;
  const run = { ...req, model: req.model };
  if (name === 'js') prestartJs(run);
  else if (name === 'wasm-simd') prestartWasm(run);
}

export async function runOnBackend(name: BackendName, req: TfRunRequest): Promise<RunResult> {
  if (name === 'js' || name === 'wasm-simd') {
    if (req.model.kind === 'tfjs')
      throw new InputError(
        `a tfjs model function needs a tfjs backend (--backend tfjs-wasm, tfjs-cpu, ...), not '${name}'`,
      );
    // wasm-simd draws the initial states itself, block by block (when it runs its kernel).
    return name === 'js'
      ? runJs(withStates({ ...req, model: req.model }))
      : runWasm({ ...req, model: req.model });
  }
  if (req.model.kind === 'js')
    throw new InputError(
      `a plain JS model function runs only on the 'js' or 'wasm-simd' backend, not '${name}'`,
    );
  return runTfjs(await loadTf(name), withStates(req));
}
