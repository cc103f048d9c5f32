// A Python process running flowproof's bridge (python/flowproof_bridge.py), spoken to synchronously:
// the checks call a Python function exactly as they call a JavaScript one. Requests and replies are
// JSON lines through two named pipes, written and read with blocking calls (18 us per round trip
// here), so no check needs to become asynchronous. A watchdog thread enforces the time budget: a call
// that does not answer in time gets SIGUSR1 (the bridge's faulthandler prints where it is) and then
// SIGKILL, which ends the blocking read; the error names the Python function and the frame it hung in.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ModuleFailure } from './module.js';

/** The bridge script shipped in the package (python/ beside src/ and dist/). */
export const BRIDGE_SCRIPT = fileURLToPath(new URL('../../python/flowproof_bridge.py', import.meta.url));

export interface PythonOptions {
  /** The Python executable: a path, or a name looked up on PATH (default python3). */
  exe?: string;
  /** Longest wait for one call's answer (ms); each message from Python restarts it. */
  budgetMs?: number;
  /** Longest wait for the module to load (importing torch takes seconds). */
  loadBudgetMs?: number;
}

export const DEFAULT_PYTHON = { exe: 'python3', budgetMs: 10_000, loadBudgetMs: 60_000 };

/** Where in the Python code something happened (the traceback's last frame outside the bridge). */
export interface PythonFrame {
  file: string;
  line: number;
  column?: number | null;
  function?: string | null;
  code?: string;
}

export interface Handlers {
  /** One standard-normal draw for each listed sample. */
  randn?: (samples: number[]) => number[];
  /** The model at each (x[i], t[i]). */
  model?: (x: number[], t: number[]) => number[];
}

type Message = Record<string, unknown>;

const WATCHDOG = `
const { workerData } = require('node:worker_threads');
const flags = new Int32Array(workerData.shared, 0, 4); // busy, fired, stop
const clock = new Float64Array(workerData.shared, 16, 2); // start of the wait (ms), budget (ms)
for (;;) {
  Atomics.wait(flags, 2, 0, 100);
  if (Atomics.load(flags, 2) !== 0) break;
  if (Atomics.load(flags, 0) === 1 && Date.now() - clock[0] > clock[1]) {
    Atomics.store(flags, 1, 1);
    try { process.kill(workerData.pid, 'SIGUSR1'); } catch {}
    const until = Date.now() + 500;
    while (Date.now() < until && Atomics.load(flags, 2) === 0) Atomics.wait(flags, 2, 0, 50);
    try { process.kill(workerData.pid, 'SIGKILL'); } catch {}
    break;
  }
}`;

/**
 * JSON has no NaN or infinities: they travel as the strings "NaN", "Infinity", "-Infinity". Messages never
 * hold null otherwise, so a null in the plain encoding means a non-finite number (JSON.stringify writes
 * them as null) and only then is the slower replacer used; the same on the way in.
 */
const nonFinite = (_k: string, v: unknown) =>
  typeof v === 'number' && !Number.isFinite(v)
    ? Number.isNaN(v)
      ? 'NaN'
      : v > 0
        ? 'Infinity'
        : '-Infinity'
    : v;
const finite = (_k: string, v: unknown) =>
  v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v;
const encode = (msg: unknown): string => {
  const plain = JSON.stringify(msg);
  return plain.includes('null') ? JSON.stringify(msg, nonFinite) : plain;
};
const decode = (line: string): Message =>
  (line.includes('"NaN"') || line.includes('Infinity"')
    ? JSON.parse(line, finite)
    : JSON.parse(line)) as Message;

/** 'file.py:12 in step: `while True: pass`' */
export function formatFrame(f: PythonFrame | null | undefined): string {
  if (!f) return '';
  const fn = f.function && f.function !== '<module>' ? ` in ${f.function}` : '';
  return `${basename(f.file)}:${f.line}${fn}${f.code ? `: \`${f.code}\`` : ''}`;
}

/** Resolve a command name on PATH (what a shell would run), or undefined. */
export function whichExecutable(exe: string): string | undefined {
  if (exe.includes('/') || isAbsolute(exe)) return existsSync(exe) ? exe : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, exe))) return join(dir, exe);
  }
  return undefined;
}

/** Sessions not yet closed: closed when the process exits, so no Python process or pipe outlives it. */
const LIVE = new Set<PythonSession>();
let exitHook = false;

export class PythonSession {
  private pending = '';
  private readonly buf = Buffer.alloc(1 << 16);
  private readonly flags: Int32Array;
  private readonly clock: Float64Array;
  private dead: ModuleFailure | undefined;
  private closed = false;

  private constructor(
    readonly file: string,
    readonly exe: string,
    private readonly pid: number,
    private readonly req: number,
    private readonly rep: number,
    private readonly dir: string,
    private readonly watchdog: Worker,
    shared: SharedArrayBuffer,
    private readonly budgetMs: number,
  ) {
    this.flags = new Int32Array(shared, 0, 4);
    this.clock = new Float64Array(shared, 16, 2);
  }

  /** Start the bridge on `file` and read its first message (the module's description, or why it cannot load). */
  static async start(
    file: string,
    opts: PythonOptions = {},
  ): Promise<{ session: PythonSession; hello: Message }> {
    const o = { ...DEFAULT_PYTHON, ...opts };
    const exe = whichExecutable(o.exe);
    if (!exe)
      throw new ModuleFailure(
        `cannot run Python: '${o.exe}' is not ${o.exe.includes('/') ? 'a file' : 'on PATH'} (give --python-exe)`,
        { file },
        o.exe,
      );
    const dir = mkdtempSync(join(tmpdir(), 'flowproof-py-'));
    const [reqPath, repPath, errPath] = ['req', 'rep', 'stderr'].map((n) => join(dir, n));
    execFileSync('mkfifo', [reqPath, repPath]);
    // O_RDWR opens a FIFO without waiting for the other end; the child gets these, we keep one-way ends,
    // so a dead child gives us EOF (reading) or EPIPE (writing) instead of a hang.
    const reqRw = openSync(reqPath, constants.O_RDWR);
    const repRw = openSync(repPath, constants.O_RDWR);
    const err = openSync(errPath, 'w');
    const child = spawn(exe, ['-u', BRIDGE_SCRIPT, 'serve', file], {
      stdio: [reqRw, repRw, err],
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' },
    });
    const spawned = await new Promise<Error | undefined>((resolve) => {
      child.once('spawn', () => resolve(undefined));
      child.once('error', (e) => resolve(e));
    });
    closeSync(err);
    if (spawned || child.pid === undefined) {
      [reqRw, repRw].forEach((fd) => closeSync(fd));
      rmSync(dir, { recursive: true, force: true });
      throw new ModuleFailure(
        `cannot run Python '${exe}': ${spawned?.message ?? 'no process'}`,
        { file },
        o.exe,
      );
    }
    child.unref();
    const req = openSync(reqPath, constants.O_WRONLY);
    const rep = openSync(repPath, constants.O_RDONLY);
    closeSync(reqRw);
    closeSync(repRw);
    const shared = new SharedArrayBuffer(32);
    const watchdog = new Worker(WATCHDOG, { eval: true, workerData: { shared, pid: child.pid } });
    watchdog.unref();
    const session = new PythonSession(file, exe, child.pid, req, rep, dir, watchdog, shared, o.budgetMs);
    LIVE.add(session);
    if (!exitHook) {
      exitHook = true;
      process.on('exit', () => LIVE.forEach((s) => s.close()));
    }
    const hello = session.receive("the module's import", o.loadBudgetMs);
    return { session, hello };
  }

  /**
   * Send a request and return its answer, answering the model and noise questions asked meanwhile through
   * `handlers`. `label` names what runs, for messages: 'the Python function mod.step'.
   */
  request(msg: Message, label: string, handlers: Handlers = {}): unknown {
    if (this.dead) throw this.dead;
    if (this.closed)
      throw new ModuleFailure(`the Python module is closed (calling ${label})`, { file: this.file });
    this.send(msg, label);
    for (;;) {
      const reply = this.receive(label, this.budgetMs);
      if ('need' in reply) {
        this.send(this.answer(reply, handlers, label), label);
        continue;
      }
      if ('ok' in reply) return reply.ok;
      if ('raised' in reply) {
        const r = reply.raised as { message: string; frame?: PythonFrame };
        const code = r.frame?.code ? `: \`${r.frame.code}\`` : '';
        throw new Error(
          `${r.message}${r.frame ? ` at ${basename(r.frame.file)}:${r.frame.line}${code}` : ''}`,
        );
      }
      if ('fatal' in reply) throw this.die(reply.fatal as { message: string; frame?: PythonFrame });
      throw this.die({
        message: `unexpected reply from the bridge while running ${label}: ${encode(reply).slice(0, 200)}`,
      });
    }
  }

  private answer(reply: Message, handlers: Handlers, label: string): Message {
    try {
      if (reply.need === 'randn' && handlers.randn)
        return { randn: handlers.randn(reply.samples as number[]) };
      if (reply.need === 'model' && handlers.model)
        return { model: handlers.model(reply.x as number[], reply.t as number[]) };
      return { error: `${label} asked for ${String(reply.need)}, which this call does not provide` };
    } catch (e) {
      if (e instanceof ModuleFailure) throw e;
      // The reference model failed where the module asked (e.g. a time outside the path): the module's failure.
      return { error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
    }
  }

  /** CPU seconds (user + system) the Python process has used so far. */
  cpuSeconds(): number {
    return (this.request({ op: 'stats' }, "the bridge's statistics") as { cpuSeconds: number }).cpuSeconds;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    LIVE.delete(this);
    try {
      if (!this.dead) writeSync(this.req, encode({ op: 'exit' }) + '\n');
    } catch {
      // already gone
    }
    Atomics.store(this.flags, 2, 1);
    Atomics.notify(this.flags, 2);
    void this.watchdog.terminate();
    for (const fd of [this.req, this.rep]) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    try {
      process.kill(this.pid, 'SIGKILL');
    } catch {
      // exited on its own
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private send(msg: Message, label: string): void {
    this.arm(this.budgetMs);
    try {
      writeSync(this.req, encode(msg) + '\n');
    } catch (e) {
      throw this.ended(label, e);
    } finally {
      Atomics.store(this.flags, 0, 0);
    }
  }

  private arm(budgetMs: number): void {
    this.clock[0] = Date.now();
    this.clock[1] = budgetMs;
    Atomics.store(this.flags, 0, 1);
  }

  private receive(label: string, budgetMs: number): Message {
    this.arm(budgetMs);
    try {
      for (;;) {
        const nl = this.pending.indexOf('\n');
        if (nl >= 0) {
          const line = this.pending.slice(0, nl);
          this.pending = this.pending.slice(nl + 1);
          return decode(line);
        }
        let n: number;
        try {
          n = readSync(this.rep, this.buf, 0, this.buf.length, null);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
          throw this.ended(label, e);
        }
        if (n === 0) throw this.ended(label);
        this.pending += this.buf.toString('utf8', 0, n);
      }
    } finally {
      Atomics.store(this.flags, 0, 0);
    }
  }

  /** The process is gone: timed out (the watchdog fired) or crashed. */
  private ended(label: string, cause?: unknown): ModuleFailure {
    const stderr = this.stderr();
    if (Atomics.load(this.flags, 1) === 1) {
      const frame = hungFrame(stderr);
      return this.die({
        message: `${label} did not return within ${this.clock[1] / 1000} s${frame ? `; it was at ${formatFrame(frame)}` : ''} (--python-timeout sets the budget)`,
        frame,
      });
    }
    const tail = stderr.trim().split('\n').slice(-6).join('\n    ');
    const why = cause instanceof Error ? ` (${cause.message})` : '';
    return this.die({
      message: `the Python process ended unexpectedly in ${label}${why}${tail ? `; its last output:\n    ${tail}` : ''}`,
      frame: lastTracebackFrame(stderr),
    });
  }

  private die(f: { message: string; frame?: PythonFrame | null }): ModuleFailure {
    const where = f.frame && !f.message.includes(formatFrame(f.frame)) ? ` (${formatFrame(f.frame)})` : '';
    this.dead = new ModuleFailure(`${f.message}${where}`, { file: this.file });
    return this.dead;
  }

  private stderr(): string {
    try {
      return readFileSync(join(this.dir, 'stderr'), 'utf8');
    } catch {
      return '';
    }
  }

  /** What the module printed (its stderr and stdout), for messages. */
  output(): string {
    return this.stderr();
  }
}

const FRAME = /File "([^"]+)", line (\d+)(?:, in | in )(\S+)/g;

/** The innermost frame of faulthandler's dump (most recent call first) outside the bridge. */
function hungFrame(stderr: string): PythonFrame | undefined {
  const dump = stderr.slice(stderr.lastIndexOf('(most recent call first)'));
  for (const m of dump.matchAll(FRAME)) {
    if (m[1] === BRIDGE_SCRIPT) continue;
    return withCode({ file: m[1], line: Number(m[2]), function: m[3] });
  }
  return undefined;
}

/** The last frame of a Python traceback (most recent call last) outside the bridge. */
function lastTracebackFrame(stderr: string): PythonFrame | undefined {
  let last: PythonFrame | undefined;
  const firstCall = stderr.includes('(most recent call first)');
  for (const m of stderr.matchAll(FRAME)) {
    if (m[1] === BRIDGE_SCRIPT) continue;
    last = { file: m[1], line: Number(m[2]), function: m[3] };
    if (firstCall) break;
  }
  return last && withCode(last);
}

function withCode(f: PythonFrame): PythonFrame {
  try {
    const code = readFileSync(f.file, 'utf8').split('\n')[f.line - 1]?.trim();
    return code ? { ...f, code } : f;
  } catch {
    return f;
  }
}
