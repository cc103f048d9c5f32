// A Python module as a UserModule: every export is a synchronous proxy to the bridge process, so the
// checks, their inputs, their shrinking and their judging are exactly those of a JavaScript module
// (flowproof stays the driver; the bridge only answers). The full run steps all samples in one call per
// time step (`batch`), drawing each sample's noise from its own stream exactly as the one-by-one path does.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import {
  ModuleFailure,
  toUserModule,
  type BatchModelFn,
  type ModelFn,
  type Randn,
  type SampleNoise,
  type StepBatch,
  type UserModule,
} from './module.js';
import { formatFrame, PythonSession, type PythonFrame, type PythonOptions } from './python-session.js';

interface Hello {
  meta: Record<string, unknown>;
  /** Canonical name -> the Python function's name. */
  functions: Record<string, string>;
  arrays: Record<string, number[]>;
  adapter: string;
  array: string;
  python: string;
  executable: string;
}

interface StepReply {
  out: (number | string)[];
  used: number[];
}

/** Python names in messages: FLOWPROOF['field'] where a JavaScript module says meta.field. */
function pythonWording(e: InputError, file: string): InputError {
  const word = (s: string) =>
    s.replace(/\bmeta\.(\w+)/g, "FLOWPROOF['$1']").replace(/export const meta = /g, 'FLOWPROOF = ');
  return new InputError(word(e.detail), { file }, e.offending !== undefined ? word(e.offending) : undefined);
}

export async function loadPythonModule(path: string, opts: PythonOptions = {}): Promise<UserModule> {
  const file = resolve(path);
  if (!existsSync(file)) throw new InputError('module not found', { file: path }, path);
  if (!statSync(file).isFile())
    throw new InputError(
      'module not found: the path is a folder, give the module file',
      { file: path },
      path,
    );
  const { session, hello: first } = await PythonSession.start(file, opts);
  try {
    return describe(path, session, first);
  } catch (e) {
    session.close();
    throw e;
  }
}

function describe(path: string, session: PythonSession, first: Record<string, unknown>): UserModule {
  if ('loadError' in first) {
    const { message, frame, moduleFrame } = first.loadError as {
      message: string;
      frame?: PythonFrame;
      moduleFrame?: PythonFrame;
    };
    // The position is the module's own line (a syntax error's frame is the module); the last frame, when
    // it is in a file the module imports, is shown beside it.
    const own = moduleFrame ?? (frame && resolve(frame.file) === session.file ? frame : undefined);
    const pos = own
      ? { file: path, line: own.line, ...(own.column ? { column: own.column } : {}) }
      : { file: path };
    const where =
      frame && frame !== own && resolve(frame.file) !== session.file ? ` (${formatFrame(frame)})` : '';
    throw new InputError(
      `the module failed to load: ${message}${where}`,
      pos,
      own?.code ? own.code : undefined,
    );
  }
  if ('fatal' in first) {
    const { message, frame } = first.fatal as { message: string; frame?: PythonFrame };
    throw pythonWording(
      new InputError(`${message}${frame ? ` (${formatFrame(frame)})` : ''}`, { file: path }),
      path,
    );
  }
  if (!('hello' in first)) throw new ModuleFailure(`the bridge did not start properly`, { file: path });
  const hello = first.hello as Hello;
  const ns: Record<string, unknown> = { meta: hello.meta, ...hello.arrays };
  const label = (canonical: string) => `the Python function ${hello.functions[canonical] ?? canonical}`;
  for (const canonical of Object.keys(hello.functions)) {
    if (canonical === 'step') ns.step = stepProxy(session, label('step'));
    else if (canonical === 'stepWithModel') ns.stepWithModel = stepWithModelProxy(session, label(canonical));
    else
      ns[canonical] = (...args: number[]) =>
        session.request({ op: 'call', fn: canonical, args }, label(canonical)) as number;
  }
  let m: UserModule;
  try {
    m = toUserModule(path, ns);
  } catch (e) {
    throw e instanceof InputError && !(e instanceof ModuleFailure) ? pythonWording(e, path) : e;
  }
  m.language = 'python';
  m.runtime = `Python ${hello.python} (${hello.executable}), ${hello.adapter} adapter, ${hello.array} values`;
  m.batch = batchSteps(session, label(m.step ? 'step' : 'stepWithModel'));
  m.runtimeCpuSeconds = () => session.cpuSeconds();
  m.dispose = () => session.close();
  return m;
}

/** A reply's value for one sample: a number, or the module's exception as a thrown Error. */
function value(out: number | string): number {
  if (typeof out === 'string') throw new Error(out.replace(/^threw: /, ''));
  return out;
}

function stepProxy(session: PythonSession, label: string) {
  return (
    modelOutput: number,
    t: number,
    tPrev: number,
    x: number,
    predictionType: string,
    randn: Randn,
    varianceOutput?: number,
  ): number => {
    const r = session.request(
      {
        op: 'step',
        t,
        tPrev,
        x: [x],
        modelOutput: [modelOutput],
        pred: predictionType,
        v: varianceOutput,
      },
      label,
      { randn: (samples) => samples.map(() => randn()) },
    ) as StepReply;
    return value(r.out[0]);
  };
}

function stepWithModelProxy(session: PythonSession, label: string) {
  return (
    model: ModelFn,
    t: number,
    tPrev: number,
    x: number,
    predictionType: string,
    randn: Randn,
  ): number => {
    const r = session.request({ op: 'stepWithModel', t, tPrev, x: [x], pred: predictionType }, label, {
      randn: (samples) => samples.map(() => randn()),
      model: (xs, ts) => xs.map((xi, i) => model(xi, ts[i])),
    }) as StepReply;
    return value(r.out[0]);
  };
}

/**
 * The run's batched steps. Each sample's draws come from its own stream; flowproof sends as many as the
 * previous step used and takes back those left unused, so the draws each sample sees are the same as
 * if the module were stepped one sample at a time.
 */
function batchSteps(session: PythonSession, label: string): StepBatch {
  let owner: SampleNoise | undefined;
  let leftover: number[][] = [];
  let perStep = 1;
  const prefill = (noise: SampleNoise, n: number): number[][] => {
    if (noise !== owner) {
      owner = noise;
      leftover = Array.from({ length: n }, () => []);
      perStep = 1;
    }
    return leftover.map((l, i) => {
      while (l.length < perStep) l.push(noise.next(i));
      return l;
    });
  };
  const call = (msg: Record<string, unknown>, noise: SampleNoise, model?: BatchModelFn) => {
    const sent = prefill(noise, (msg.x as number[]).length);
    const r = session.request({ ...msg, noise: sent }, label, {
      randn: (samples) => samples.map((i) => noise.next(i)),
      model: model && ((xs, ts) => Array.from(model(Float64Array.from(xs), Float64Array.from(ts)))),
    }) as StepReply;
    leftover = sent.map((s, i) => s.slice(Math.min(r.used[i], s.length)));
    perStep = Math.max(0, ...r.used);
    return r.out;
  };
  return {
    step: (mo, t, tPrev, xs, pred, noise, v) =>
      call({ op: 'step', t, tPrev, x: Array.from(xs), modelOutput: Array.from(mo), pred, v }, noise),
    stepWithModel: (model, t, tPrev, xs, pred, noise) =>
      call({ op: 'stepWithModel', t, tPrev, x: Array.from(xs), pred }, noise, model),
  };
}
