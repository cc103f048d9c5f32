// Adapters to the external computer-algebra systems (Algebrite, mathjs) and the worker thread they run
// in. Each request has a time budget: a CAS that hangs (Algebrite on Fokker-Planck) is terminated and
// a fresh worker serves the next request. Algebrite has global state, so each request starts with
// `clearall`. Symbols and undefined-function values are renamed v0, v1, ... before they reach a CAS:
// user names never collide with CAS builtins (`i`, `e`, `d`, `float`) and are never interpreted.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { type Expr, toPlain } from './expr.js';
import { FUNCTIONS } from './functions.js';

export type CasName = 'algebrite' | 'mathjs';
export const CAS_NAMES: readonly CasName[] = ['algebrite', 'mathjs'];

/** The CAS input text of an expression, with names replaced by v0, v1, ... (undefined-function values included). */
export function toCas(e: Expr, cas: CasName, names: Map<string, string> = new Map()): string {
  const name = (key: string): string => {
    let n = names.get(key);
    if (n === undefined) {
      n = `v${names.size}`;
      names.set(key, n);
    }
    return n;
  };
  const go = (e: Expr): string => {
    switch (e.kind) {
      case 'num':
        return e.q === 1n ? `(${e.p})` : `(${e.p}/${e.q})`;
      case 'sym':
        return name(`s:${e.name}`);
      case 'fn':
        return name(`f:${toPlain(e)}`);
      case 'const':
        return e.name === 'pi' ? 'pi' : cas === 'algebrite' ? 'exp(1)' : 'e';
      case 'add':
        return `(${e.terms.map(go).join(' + ')})`;
      case 'mul':
        return `(${e.factors.map(go).join('*')})`;
      case 'pow':
        return `(${go(e.base)})^(${go(e.exp)})`;
      case 'call':
        return `${FUNCTIONS[e.fn].cas?.[cas] ?? e.fn}(${go(e.arg)})`;
    }
  };
  return go(e);
}

// Runs inside the worker (CommonJS, eval'd): one request at a time, answering with the simplified text.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let algebrite, mathjs;
parentPort.on('message', ({ id, cas, text }) => {
  let out, error;
  try {
    if (cas === 'algebrite') {
      algebrite ??= require(workerData.algebrite);
      algebrite.run('clearall');
      out = algebrite.run('simplify(' + text + ')');
    } else {
      mathjs ??= require(workerData.mathjs);
      // realContext: every flowproof symbol is real, and nothing more can be assumed of every
      // subexpression (positiveContext would take u - v > 0 too); the default context is permissive
      // (it rewrites x/x to 1 without knowing x != 0).
      out = mathjs.simplify(text, {}, { context: mathjs.simplify.realContext }).toString();
    }
  } catch (e) {
    error = String((e && e.message) || e);
  }
  parentPort.postMessage({ id, out, error });
});`;

export interface CasAnswer {
  /** The CAS's simplified text (undefined on error or timeout). */
  out?: string;
  error?: string;
  timedOut: boolean;
  ms: number;
}

const require = createRequire(import.meta.url);

/** One worker thread serving CAS requests in order, each within its own time budget. */
class CasWorker {
  private worker: Worker | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 0;

  private spawn(): Worker {
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { algebrite: require.resolve('algebrite'), mathjs: require.resolve('mathjs') },
    });
    w.unref(); // an idle worker never keeps the process alive
    return w;
  }

  run(cas: CasName, text: string, budgetMs: number): Promise<CasAnswer> {
    const job = this.queue.then(() => this.runNow(cas, text, budgetMs));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private runNow(cas: CasName, text: string, budgetMs: number): Promise<CasAnswer> {
    const start = Date.now();
    const w = (this.worker ??= this.spawn());
    const id = this.nextId++;
    return new Promise((resolve) => {
      const finish = (a: Omit<CasAnswer, 'ms'>): void => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        resolve({ ...a, ms: Date.now() - start });
      };
      const onMessage = (m: { id: number; out?: string; error?: string }): void => {
        if (m.id === id) finish({ out: m.out, error: m.error, timedOut: false });
      };
      const onError = (err: Error): void => {
        this.worker = undefined;
        finish({ error: err.message, timedOut: false });
      };
      const timer = setTimeout(() => {
        this.worker = undefined;
        void w.terminate();
        finish({ timedOut: true });
      }, budgetMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.postMessage({ id, cas, text });
    });
  }

  /** Stop the worker (tests and short-lived processes). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}

const shared = new CasWorker();

/**
 * Ask a CAS whether lhs - rhs simplifies to 0. True only on an exact "0" answer; false on any other
 * answer, an error or a timeout (the answer says which).
 */
export async function casProvesZero(
  lhs: Expr,
  rhs: Expr,
  cas: CasName,
  budgetMs: number,
): Promise<CasAnswer & { zero: boolean }> {
  const names = new Map<string, string>();
  const text = `(${toCas(lhs, cas, names)}) - (${toCas(rhs, cas, names)})`;
  const answer = await shared.run(cas, text, budgetMs);
  return { ...answer, zero: answer.out !== undefined && answer.out.trim() === '0' };
}

export const closeCasWorker = (): Promise<void> => shared.close();
