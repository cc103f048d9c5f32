// Grade a vectors file whose cases a library has filled in (`got`), with the tolerances the file
// carries. The file is user input: every structural problem is an InputError naming the JSON path.
import { InputError } from '../core/errors.js';
import type { CheckResult, Values } from './result.js';
import {
  VECTORS_FORMAT,
  VECTORS_VERSION,
  type VectorCase,
  type VectorCheck,
  type VectorFile,
} from './vectors.js';

/** Parse and validate a vectors file's text; syntax errors carry their line and column. */
export function parseVectorFile(text: string, file: string): VectorFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    const offset = jsonErrorOffset(text);
    throw new InputError(
      `not valid JSON: ${msg}`,
      { file, ...lineColumn(text, offset) },
      // One line of printable text: a snippet with a newline or control bytes broke the one-line message.
      offset >= text.length
        ? 'end of file'
        : text
            .slice(offset, offset + 20)
            .split(/\r?\n/)[0]
            .replace(/\p{Cc}/gu, '?') || 'end of line',
    );
  }
  const bad = (path: string, requirement: string) => new InputError(`${path} ${requirement}`, { file }, path);
  const obj = (v: unknown, path: string) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(path, 'must be an object');
    return v as Record<string, unknown>;
  };
  const root = obj(raw, '(root)');
  if (root.format !== VECTORS_FORMAT) throw bad('format', `must be '${VECTORS_FORMAT}'`);
  if (root.version !== VECTORS_VERSION)
    throw bad('version', `must be ${VECTORS_VERSION} (this flowproof reads version ${VECTORS_VERSION})`);
  if (!Array.isArray(root.checks)) throw bad('checks', 'must be an array');
  root.checks.forEach((c, i) => {
    const p = `checks[${i}]`;
    const check = obj(c, p);
    if (typeof check.id !== 'string') throw bad(`${p}.id`, 'must be a string');
    const tol = obj(check.tolerance, `${p}.tolerance`);
    for (const k of ['rtol', 'atol']) {
      if (typeof tol[k] !== 'number' || !(tol[k] >= 0))
        throw bad(`${p}.tolerance.${k}`, 'must be a number >= 0');
    }
    if (!Array.isArray(check.cases) || check.cases.length === 0)
      throw bad(`${p}.cases`, 'must be a non-empty array');
    check.cases.forEach((cs, j) => {
      const q = `${p}.cases[${j}] (${check.id})`;
      const kase = obj(cs, q);
      const expected = obj(kase.expected, `${q}.expected`);
      for (const [k, v] of Object.entries(expected))
        if (typeof v !== 'number') throw bad(`${q}.expected.${k}`, 'must be a number');
      if (kase.got === undefined || kase.got === null) return;
      const got = obj(kase.got, `${q}.got`);
      if (Object.keys(got).length === 0)
        throw bad(`${q}.got`, `must report at least one of ${Object.keys(expected).join(', ')}`);
      for (const [k, v] of Object.entries(got)) {
        if (!(k in expected))
          throw bad(
            `${q}.got.${k}`,
            `is not an expected key (expected: ${Object.keys(expected).join(', ')})`,
          );
        if (typeof v !== 'number' && typeof v !== 'string' && v !== null)
          throw bad(`${q}.got.${k}`, 'must be a number (or null / a string for a non-finite result)');
      }
    });
  });
  return raw as VectorFile;
}

/**
 * Offset of the first syntax error in JSON text (JSON.parse's message has no position on every Node
 * version): a recursive-descent scan of RFC 8259's grammar that stops where the text stops fitting it.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const lit = (word: string) => (text.startsWith(word, i) ? (i += word.length) : fail());
  const str = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          str();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') return str();
    if (c === 't') return void lit('true');
    if (c === 'f') return void lit('false');
    if (c === 'n') return void lit('null');
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (at) {
    return Math.min(at as number, text.length);
  }
}

function lineColumn(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** One result per check: skip when no case was answered, fail at the first case outside tolerance. */
export function gradeVectors(v: VectorFile): CheckResult[] {
  return v.checks.map(gradeCheck);
}

function gradeCheck(check: VectorCheck): CheckResult {
  const name = check.id;
  const { rtol, atol } = check.tolerance;
  const rule = `|got - expected| <= ${atol} + ${rtol} (1 + |expected|)`;
  const answered = check.cases.filter((c) => c.got !== undefined && c.got !== null).length;
  if (answered === 0)
    return {
      name,
      status: 'skip',
      summary: 'no case answered (the library does not implement this check)',
      evidence: {},
    };
  let maxError = 0;
  for (const [j, c] of check.cases.entries()) {
    const failure = caseFailure(c, rtol, atol);
    if (failure === undefined) {
      maxError = Math.max(maxError, caseError(c));
      continue;
    }
    return {
      name,
      status: 'fail',
      summary: `case ${j}: ${failure}`,
      evidence: { pointsTried: j + 1, maxError, tolerance: rule },
      counterexample: {
        inputs: c.inputs,
        expected: c.expected,
        got: (c.got ?? { result: 'missing' }) as Values,
      },
    };
  }
  return {
    name,
    status: 'pass',
    summary: `${check.cases.length} cases within tolerance (${check.description})`,
    evidence: { pointsTried: check.cases.length, maxError, tolerance: rule },
  };
}

function caseError(c: VectorCase): number {
  return Math.max(0, ...Object.entries(c.got!).map(([k, g]) => Math.abs((g as number) - c.expected[k])));
}

function caseFailure(c: VectorCase, rtol: number, atol: number): string | undefined {
  if (c.got === undefined || c.got === null)
    return 'no result reported (other cases of this check were answered)';
  for (const [k, g] of Object.entries(c.got)) {
    if (typeof g !== 'number' || !Number.isFinite(g)) return `${k} is not a finite number (${g})`;
    const e = c.expected[k];
    if (!(Math.abs(g - e) <= atol + rtol * (1 + Math.abs(e)))) return `${k} = ${g}, expected ${e}`;
  }
  return undefined;
}
