// The plain syntax of `flowproof check`: numbers, symbols, + - * / ^, parentheses, the unary functions
// of expr.ts, constants pi and e, diff(expr, x[, n]), normal_pdf(x, mean, variance), and undefined
// functions declared by the caller (m(t), with derivatives m'(t), m''(t)). A recursive-descent parser:
// input is untrusted, so names never reach JavaScript, nesting depth and literal sizes are bounded,
// and every error is an InputError quoting the token and its column.
import { InputError } from '../core/errors.js';
import {
  type Expr,
  type UnaryFn,
  add,
  applyFn,
  call,
  decimal,
  div,
  E,
  mul,
  neg,
  normalPdf,
  PI,
  pow,
  sub,
  sym,
} from './expr.js';
import { derivative } from './derivative.js';
import { UNARY_FNS } from './functions.js';

export interface ParseOptions {
  /** Names of declared undefined functions of one variable. */
  functions?: ReadonlySet<string> | readonly string[];
  /** Added to reported columns (the side's position inside a longer input). */
  columnOffset?: number;
  /** Reported as the file of errors. */
  file?: string;
  line?: number;
}

type TokenKind = 'num' | 'id' | 'op' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  col: number; // 1-based
}

const MAX_DEPTH = 200;
const MAX_LENGTH = 20_000;
const MAX_DIFF_ORDER = 8;
const MAX_EXPONENT_DIGITS = 400; // 1e400 is fine; 1e999999999 would build a huge integer
const RESERVED = new Set<string>([...UNARY_FNS, 'diff', 'normal_pdf', 'pi', 'e']);

function tokenize(text: string, fail: (msg: string, col: number, piece: string) => never): Token[] {
  const out: Token[] = [];
  const re =
    /\s+|(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/^(),'])/y;
  let i = 0;
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) fail('unexpected character', i + 1, text[i]);
    if (m[1] !== undefined) out.push({ kind: 'num', text: m[1], col: i + 1 });
    else if (m[2] !== undefined) out.push({ kind: 'id', text: m[2], col: i + 1 });
    else if (m[3] !== undefined) out.push({ kind: 'op', text: m[3], col: i + 1 });
    i = re.lastIndex;
  }
  out.push({ kind: 'end', text: '', col: text.length + 1 });
  return out;
}

/** Parse one expression of the plain syntax. Throws InputError naming the offending token and column. */
export function parsePlain(text: string, options: ParseOptions = {}): Expr {
  const offset = options.columnOffset ?? 0;
  const functions = new Set(options.functions ?? []);
  const fail: (msg: string, col: number, piece: string) => never = (msg, col, piece) => {
    throw new InputError(msg, { file: options.file, line: options.line, column: col + offset }, piece);
  };
  if (text.length > MAX_LENGTH) fail(`expression longer than ${MAX_LENGTH} characters`, 1, text.slice(0, 20));
  const tokens = tokenize(text, fail);
  let pos = 0;
  let depth = 0;
  const peek = (): Token => tokens[pos];
  const next = (): Token => tokens[pos++];
  const describe = (t: Token): string => (t.kind === 'end' ? 'end of input' : `'${t.text}'`);
  const expect = (op: string): Token => {
    const t = next();
    if (t.kind !== 'op' || t.text !== op) fail(`expected '${op}' but found ${describe(t)}`, t.col, t.text);
    return t;
  };
  const enter = (t: Token): void => {
    if (++depth > MAX_DEPTH) fail(`expression nested deeper than ${MAX_DEPTH}`, t.col, t.text);
  };

  const sum = (): Expr => {
    let e = product();
    for (let t = peek(); t.kind === 'op' && (t.text === '+' || t.text === '-'); t = peek()) {
      next();
      const r = product();
      e = t.text === '+' ? add(e, r) : sub(e, r);
    }
    return e;
  };
  const product = (): Expr => {
    let e = unary();
    for (let t = peek(); t.kind === 'op' && (t.text === '*' || t.text === '/'); t = peek()) {
      next();
      const r = unary();
      e = t.text === '*' ? mul(e, r) : div(e, r);
    }
    return e;
  };
  const unary = (): Expr => {
    const t = peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      next();
      enter(t);
      const e = unary();
      depth--;
      return t.text === '-' ? neg(e) : e;
    }
    return power();
  };
  const power = (): Expr => {
    const base = primary();
    const t = peek();
    if (t.kind === 'op' && t.text === '^') {
      next();
      enter(t);
      const e = pow(base, unary()); // right-associative; -x^2 is -(x^2), 2^-1 is allowed
      depth--;
      return e;
    }
    return base;
  };
  const args = (name: Token): { exprs: Expr[]; tokens: Token[] } => {
    expect('(');
    const exprs: Expr[] = [];
    const starts: Token[] = [];
    if (peek().kind === 'op' && peek().text === ')')
      fail(`${name.text}() needs an argument`, peek().col, ')');
    for (;;) {
      starts.push(peek());
      exprs.push(sum());
      const t = next();
      if (t.kind === 'op' && t.text === ')') return { exprs, tokens: starts };
      if (t.kind === 'end')
        fail(
          `unbalanced parentheses: '(' of ${name.text} at column ${name.col + offset} is not closed`,
          t.col,
          name.text,
        );
      if (!(t.kind === 'op' && t.text === ','))
        fail(`expected ',' or ')' but found ${describe(t)}`, t.col, t.text);
    }
  };
  const arity = (name: Token, got: number, want: number[]): void => {
    if (!want.includes(got))
      fail(
        `${name.text} takes ${want.join(' or ')} argument${want.at(-1) === 1 ? '' : 's'}, got ${got}`,
        name.col,
        name.text,
      );
  };
  const primary = (): Expr => {
    const t = next();
    if (t.kind === 'num') {
      const m = /[eE]([+-]?\d+)$/.exec(t.text);
      if (m && Math.abs(Number(m[1])) > MAX_EXPONENT_DIGITS) fail('number out of range', t.col, t.text);
      return decimal(t.text);
    }
    if (t.kind === 'op' && t.text === '(') {
      enter(t);
      const e = sum();
      const close = next();
      if (close.kind !== 'op' || close.text !== ')')
        fail(
          `unbalanced parentheses: '(' at column ${t.col + offset} is not closed before ${describe(close)}`,
          close.col,
          close.text,
        );
      depth--;
      return e;
    }
    if (t.kind !== 'id') fail(`expected a number, symbol or '(' but found ${describe(t)}`, t.col, t.text);
    const after = peek();
    const isCall = after.kind === 'op' && (after.text === '(' || after.text === "'");
    if (t.text === 'pi' || t.text === 'e') {
      if (isCall) fail(`'${t.text}' is a constant, not a function`, t.col, t.text);
      return t.text === 'pi' ? PI : E;
    }
    if (!isCall) {
      if (RESERVED.has(t.text) || functions.has(t.text))
        fail(`function '${t.text}' needs an argument list`, t.col, t.text);
      return sym(t.text);
    }
    enter(t);
    const e = callOf(t);
    depth--;
    return e;
  };
  const callOf = (name: Token): Expr => {
    let order = 0;
    while (peek().kind === 'op' && peek().text === "'") {
      const q = next();
      if (!functions.has(name.text)) fail(`only declared functions take primes`, q.col, name.text + "'");
      order++;
    }
    if (functions.has(name.text)) {
      const { exprs } = args(name);
      arity(name, exprs.length, [1]);
      return applyFn(name.text, exprs[0], order);
    }
    if ((UNARY_FNS as readonly string[]).includes(name.text)) {
      const { exprs } = args(name);
      arity(name, exprs.length, [1]);
      return call(name.text as UnaryFn, exprs[0]);
    }
    if (name.text === 'normal_pdf') {
      const { exprs } = args(name);
      arity(name, exprs.length, [3]);
      return normalPdf(exprs[0], exprs[1], exprs[2]);
    }
    if (name.text === 'diff') {
      const { exprs, tokens: at } = args(name);
      arity(name, exprs.length, [2, 3]);
      const v = exprs[1];
      if (v.kind !== 'sym') fail('diff: the second argument must be a symbol', at[1].col, at[1].text);
      let n = 1;
      if (exprs.length === 3) {
        const k = exprs[2];
        if (k.kind !== 'num' || k.q !== 1n || k.p < 1n || k.p > BigInt(MAX_DIFF_ORDER))
          fail(`diff: the order must be an integer from 1 to ${MAX_DIFF_ORDER}`, at[2].col, at[2].text);
        n = Number(k.p);
      }
      let e = exprs[0];
      for (let i = 0; i < n; i++) e = derivative(e, (v as { name: string }).name);
      return e;
    }
    return fail(`unknown function '${name.text}'`, name.col, name.text);
  };

  if (peek().kind === 'end') fail('empty expression', 1, text);
  const e = sum();
  const rest = peek();
  if (rest.kind !== 'end') {
    if (rest.kind === 'op' && rest.text === ')')
      fail('unbalanced parentheses: unmatched )', rest.col, rest.text);
    fail(`unexpected ${describe(rest)}`, rest.col, rest.text);
  }
  return e;
}
