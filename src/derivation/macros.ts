// A file's own macros (the "expand" stage of reading a paper): `\newcommand` / `\renewcommand` /
// `\providecommand` (with `#1..#9` and an optional first argument), `\def`, `\let`,
// `\DeclareMathOperator`, `\DeclarePairedDelimiter`, collected from the paper, from the macro files it
// `\input`s and from `--macros` files, then expanded in each formula with TeX's argument rules (an
// undelimited argument is one token or one braced group). Tokens a macro produces keep the span of
// its call, so an error inside an expansion points at the macro the author wrote.
import { closeGroup, type Token } from './tokens.js';

export interface MacroDef {
  name: string;
  /** Number of parameters, the first optional when `optional` is set. */
  params: number;
  optional?: Token[];
  body: Token[];
  /** `paired`: `\DeclarePairedDelimiter` (body = the opening delimiter, `close` the closing one). */
  kind: 'macro' | 'paired';
  close?: Token[];
  /** `\providecommand` never replaces an existing definition. */
  provide?: boolean;
  /** Order of definition in the document walk (lookups prefer the last definition before their use). */
  seq: number;
  /** Where it was defined: `file:line`. */
  where: string;
}

/** A definition the reader could not use, with where it is (reported, never silently dropped). */
export interface MacroProblem {
  message: string;
  at: number;
}

const DEFINERS = new Set(['\\newcommand', '\\renewcommand', '\\providecommand']);
const DEFS = new Set(['\\def', '\\gdef', '\\edef', '\\xdef']);

/** Every macro table a document sees, in definition order. */
export class Macros {
  private readonly table = new Map<string, MacroDef[]>();

  add(def: MacroDef): void {
    const list = this.table.get(def.name) ?? [];
    if (def.provide && list.length > 0) return;
    list.push(def);
    this.table.set(def.name, list);
  }

  has(name: string): boolean {
    return this.table.has(name);
  }

  /** The definition in force at `seq`: the last one before it, else the first one after it. */
  get(name: string, seq = Infinity): MacroDef | undefined {
    const list = this.table.get(name);
    if (!list) return undefined;
    let best: MacroDef | undefined;
    for (const d of list) if (d.seq <= seq) best = d;
    return best ?? list[0];
  }

  get size(): number {
    return this.table.size;
  }

  names(): string[] {
    return [...this.table.keys()];
  }
}

/**
 * Read the definitions in a token stream (a whole file), adding them to `macros`. `seqOf(offset)` gives
 * each definition its place in the document walk; `where(offset)` its `file:line` for messages.
 */
export function collectDefinitions(
  tokens: Token[],
  macros: Macros,
  seqOf: (offset: number) => number,
  where: (offset: number) => string,
): MacroProblem[] {
  const problems: MacroProblem[] = [];
  const isChar = (i: number, c: string) => tokens[i]?.kind === 'char' && tokens[i].text === c;
  /** The command name at i, written `\name` or `{\name}`; returns the index after it. */
  const nameAt = (i: number): [string, number] | undefined => {
    if (tokens[i]?.kind === 'cmd') return [tokens[i].text, i + 1];
    if (isChar(i, '{') && tokens[i + 1]?.kind === 'cmd' && isChar(i + 2, '}'))
      return [tokens[i + 1].text, i + 3];
    return undefined;
  };
  /** A braced group's inner tokens and the index after it. */
  const group = (i: number): [Token[], number] | undefined => {
    if (!isChar(i, '{')) return tokens[i] ? [[tokens[i]], i + 1] : undefined;
    const close = closeGroup(tokens, i);
    return close < 0 ? undefined : [tokens.slice(i + 1, close - 1), close];
  };
  /** `[...]` at i: its inner tokens and the index after it. */
  const bracket = (i: number): [Token[], number] | undefined => {
    if (!isChar(i, '[')) return undefined;
    let depth = 0;
    for (let j = i + 1; j < tokens.length; j++) {
      const t = tokens[j];
      if (t.kind !== 'char') continue;
      if (t.text === '{') depth++;
      else if (t.text === '}') depth--;
      else if (t.text === ']' && depth === 0) return [tokens.slice(i + 1, j), j + 1];
    }
    return undefined;
  };
  const fail = (message: string, at: number) => problems.push({ message, at });

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'cmd') continue;
    const base = { seq: seqOf(t.at), where: where(t.at) };
    if (DEFINERS.has(t.text)) {
      let j = i + 1;
      if (isChar(j, '*')) j++;
      const named = nameAt(j);
      if (!named) {
        fail(`${t.text} without a command name`, t.at);
        continue;
      }
      const [name, afterName] = named;
      j = afterName;
      let params = 0;
      const count = bracket(j);
      if (count) {
        params = Number(count[0].map((x) => x.text).join(''));
        if (!Number.isInteger(params) || params < 0 || params > 9) {
          fail(`${t.text}${name}: the number of arguments must be 0 to 9`, t.at);
          continue;
        }
        j = count[1];
      }
      const opt = bracket(j);
      if (opt) j = opt[1];
      const body = group(j);
      if (!body) {
        fail(`${t.text}${name}: no body in braces`, t.at);
        continue;
      }
      macros.add({
        name,
        params,
        optional: opt?.[0],
        body: body[0],
        kind: 'macro',
        provide: t.text === '\\providecommand',
        ...base,
      });
      i = body[1] - 1;
    } else if (DEFS.has(t.text)) {
      // `\def\name` (MathJax also takes `\def{\name}`).
      const named = nameAt(i + 1);
      if (!named) continue;
      const nameTok = { text: named[0] };
      let j = named[1];
      let params = 0;
      while (tokens[j]?.kind === 'param' && tokens[j].text === `#${params + 1}`) {
        params++;
        j++;
      }
      if (!isChar(j, '{')) {
        fail(`\\def${nameTok.text}: delimited parameters are not supported`, t.at);
        continue;
      }
      const body = group(j);
      if (!body) {
        fail(`\\def${nameTok.text}: unclosed body`, t.at);
        continue;
      }
      macros.add({ name: nameTok.text, params, body: body[0], kind: 'macro', ...base });
      i = body[1] - 1;
    } else if (t.text === '\\let') {
      const a = tokens[i + 1];
      let j = i + 2;
      if (isChar(j, '=')) j++;
      const b = tokens[j];
      if (a?.kind !== 'cmd' || !b) continue;
      // \let copies the current meaning: a macro's definition, else the primitive itself.
      const target = b.kind === 'cmd' ? macros.get(b.text, base.seq) : undefined;
      macros.add(
        target
          ? { ...target, name: a.text, ...base }
          : { name: a.text, params: 0, body: [b], kind: 'macro', ...base },
      );
      i = j;
    } else if (t.text === '\\DeclareMathOperator') {
      let j = i + 1;
      const star = isChar(j, '*');
      if (star) j++;
      const named = nameAt(j);
      const body = named && group(named[1]);
      if (!named || !body) {
        fail('\\DeclareMathOperator needs {\\name}{text}', t.at);
        continue;
      }
      const text = body[0].map((x) => x.text).join('');
      macros.add({
        name: named[0],
        params: 0,
        body: [
          {
            kind: 'text',
            text: star ? '\\operatorname*' : '\\operatorname',
            arg: text,
            at: t.at,
            end: t.end,
          },
        ],
        kind: 'macro',
        ...base,
      });
      i = body[1] - 1;
    } else if (t.text === '\\DeclarePairedDelimiter') {
      const named = nameAt(i + 1);
      const open = named && group(named[1]);
      const close = open && group(open[1]);
      if (!named || !open || !close) {
        fail('\\DeclarePairedDelimiter needs {\\name}{open}{close}', t.at);
        continue;
      }
      macros.add({ name: named[0], params: 1, body: open[0], close: close[0], kind: 'paired', ...base });
      i = close[1] - 1;
    }
  }
  return problems;
}

/** Expansions per formula before the reader gives up (a macro that calls itself forever). */
const MAX_EXPANSIONS = 20_000;

export class ExpansionError extends Error {
  constructor(
    message: string,
    readonly token: Token,
  ) {
    super(message);
  }
}

/**
 * Expand every macro of `macros` in `tokens`, in force at document position `seq`. The definition
 * commands themselves (a MathJax `$$\newcommand...$$` block) are consumed, not expanded.
 */
export function expand(
  tokens: Token[],
  macros: Macros,
  seq = Infinity,
  /** A definition for a command the document does not define (a field convention), if any. */
  fallback?: (name: string) => MacroDef | undefined,
): Token[] {
  if (!fallback && macros.size === 0 && !tokens.some((t) => t.kind === 'cmd' && isDefiner(t.text)))
    return tokens;
  const input = [...tokens].reverse();
  const out: Token[] = [];
  let expansions = 0;
  const peek = () => input[input.length - 1];
  const isChar = (t: Token | undefined, c: string) => t?.kind === 'char' && t.text === c;
  /** One undelimited argument: a braced group's inside, or one token. */
  const argument = (call: Token, def: MacroDef): Token[] => {
    const t = input.pop();
    if (!t || isChar(t, '}'))
      throw new ExpansionError(
        `macro ${def.name} needs ${def.params} argument(s) (defined at ${def.where})`,
        call,
      );
    if (!isChar(t, '{')) return [t];
    const inner: Token[] = [];
    for (let depth = 1; ;) {
      const u = input.pop();
      if (!u) throw new ExpansionError(`unclosed argument of macro ${def.name}`, call);
      if (isChar(u, '{')) depth++;
      else if (isChar(u, '}') && --depth === 0) return inner;
      inner.push(u);
    }
  };
  const optional = (): Token[] | undefined => {
    if (!isChar(peek(), '[')) return undefined;
    input.pop();
    const inner: Token[] = [];
    for (let depth = 0; ;) {
      const u = input.pop();
      if (!u) return inner;
      if (isChar(u, '{')) depth++;
      else if (isChar(u, '}')) depth--;
      else if (isChar(u, ']') && depth === 0) return inner;
      inner.push(u);
    }
  };
  while (input.length > 0) {
    const t = input.pop() as Token;
    if (t.kind === 'cmd' && isDefiner(t.text)) {
      skipDefinition(t, input);
      continue;
    }
    const def = t.kind === 'cmd' ? (macros.get(t.text, seq) ?? fallback?.(t.text)) : undefined;
    if (!def) {
      out.push(t);
      continue;
    }
    if (++expansions > MAX_EXPANSIONS)
      throw new ExpansionError(`macro ${def.name} does not stop expanding (defined at ${def.where})`, t);
    const at = { at: t.at, end: t.end, via: t.via ?? def.name };
    let produced: Token[];
    if (def.kind === 'paired') {
      // \norm{x}, \norm*{x}, \norm[\big]{x}: the delimiters around the argument.
      if (isChar(peek(), '*')) input.pop();
      optional();
      const arg = argument(t, def);
      produced = [
        ...def.body.map((b) => ({ ...b, ...at })),
        ...arg,
        ...(def.close ?? []).map((b) => ({ ...b, ...at })),
      ];
    } else {
      const args: Token[][] = [];
      if (def.optional !== undefined) args.push(optional() ?? def.optional);
      while (args.length < def.params) args.push(argument(t, def));
      produced = [];
      for (const b of def.body) {
        if (b.kind === 'param') {
          const k = Number(b.text.slice(1)) - 1;
          produced.push(...(args[k] ?? []));
        } else produced.push({ ...b, ...at });
      }
    }
    for (let k = produced.length - 1; k >= 0; k--) input.push(produced[k]);
  }
  return out;
}

const OTHER_DEFINERS = new Set(['\\let', '\\DeclareMathOperator', '\\DeclarePairedDelimiter']);

function isDefiner(cmd: string): boolean {
  return DEFINERS.has(cmd) || DEFS.has(cmd) || OTHER_DEFINERS.has(cmd);
}

/** Drop a definition command and its arguments from the input (it was collected beforehand). */
function skipDefinition(t: Token, input: Token[]): void {
  const pop = () => input.pop();
  const peek = () => input[input.length - 1];
  const isChar = (u: Token | undefined, c: string) => u?.kind === 'char' && u.text === c;
  const skipGroup = () => {
    if (!isChar(peek(), '{')) {
      pop();
      return;
    }
    for (let depth = 0; ;) {
      const u = pop();
      if (!u) return;
      if (isChar(u, '{')) depth++;
      else if (isChar(u, '}') && --depth === 0) return;
    }
  };
  const skipBracket = () => {
    if (!isChar(peek(), '[')) return;
    while (input.length > 0 && !isChar(pop(), ']'));
  };
  if (isChar(peek(), '*')) pop();
  if (t.text === '\\let') {
    pop();
    if (isChar(peek(), '=')) pop();
    pop();
    return;
  }
  if (DEFS.has(t.text)) {
    skipGroup(); // the name, `\name` or `{\name}`
    while (peek()?.kind === 'param') pop();
    skipGroup();
    return;
  }
  skipGroup();
  if (t.text !== '\\DeclareMathOperator' && t.text !== '\\DeclarePairedDelimiter') {
    skipBracket();
    skipBracket();
  } else if (t.text === '\\DeclarePairedDelimiter') skipGroup();
  skipGroup();
}
