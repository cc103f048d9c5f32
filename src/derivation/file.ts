// Reading a derivation file (derivations/*.md): YAML front matter, Markdown prose, display math whose
// chained `=` are the steps, and `experiment` code blocks. The file is data: YAML is parsed with the
// core schema (no custom tags), experiments are only named, and nothing in a file can run code.
import { parseDocument } from 'yaml';
import type { Source, SourceRef } from '../core/citation.js';
import type { Expectation } from '../core/verdict.js';
import { InputError } from '../core/errors.js';
import type { Tex } from './ast.js';
import { readDocument } from './extract.js';
import { parseDisplay, parseExpression, sourceOf, type FunctionTest, type ParsedMath } from './parser.js';
import { readSources } from './sources.js';

/** Larger files are rejected before parsing (a derivation is a page, not a data set). */
export const MAX_FILE_BYTES = 1 << 20;

export type { Expectation, SourceRef };

export interface SymbolSpec {
  /** The internal symbol name (the YAML key, made an identifier). */
  name: string;
  /** LaTeX spelling as written (the key itself when no `latex` is given). */
  latex: string;
  /** Domain text ('real', '(0,1)', '> 0'), parsed by the identity engine's parseDomain. */
  domain: string;
  /** For a function of one variable: that variable's LaTeX spelling (`of: t`, or a spelling `m(t)`). */
  of?: string;
  position: SourceRef;
}

export interface LetSpec {
  /** The bound spelling as written, e.g. `x_t` or `p_t(x)`. */
  key: string;
  head: Tex;
  params: Tex[];
  keyMath: ParsedMath;
  body: ParsedMath;
  position: SourceRef;
}

/** One adjacent pair of a display block's `=` chain. */
export interface Step {
  lhs: Tex;
  rhs: Tex;
  math: ParsedMath;
  /** The formula `lhs` belongs to when it is not `math` (a display continuing the one before it). */
  lhsMath?: ParsedMath;
  lhsLatex: string;
  rhsLatex: string;
  position: SourceRef;
}

export interface ExperimentCall {
  name: string;
  params: Record<string, unknown>;
  position: SourceRef;
}

export interface Claim {
  id: string;
  title: string;
  file: string;
  sources: Source[];
  convention?: 'diffusion' | 'flow';
  expect: Expectation;
  symbols: SymbolSpec[];
  lets: LetSpec[];
  steps: Step[];
  experiments: ExperimentCall[];
  /** The Markdown after the front matter. */
  body: string;
}

const KEYS = new Set(['id', 'title', 'sources', 'convention', 'symbols', 'let', 'expect']);

/** Parse a derivation file's text. Throws InputError naming file:line for every malformed piece. */
export function readDerivation(text: string, file: string): Claim {
  if (text.length > MAX_FILE_BYTES)
    throw new InputError(
      `derivation file is larger than ${MAX_FILE_BYTES} bytes`,
      { file },
      `${text.length} bytes`,
    );
  if (text.includes('\u0000') || text.includes('\uFFFD'))
    throw new InputError('not a text file (binary or invalid UTF-8 content)', { file });
  const m = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) {
    const what = text.trim() === '' ? 'the file is empty' : 'it does not start with a --- front matter block';
    throw new InputError(`not a derivation file: ${what}`, { file, line: 1 });
  }
  const bodyStart = m[0].length;
  const bodyLine = 1 + (m[0].match(/\n/g)?.length ?? 0);
  const front = frontMatter(m[1], file);
  const at = (key: string, sub?: string): SourceRef => ({ file, line: front.line(key, sub), column: 1 });

  const id = requireString(front.data, 'id', file, at('id'));
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id))
    throw new InputError('id must be lowercase letters, digits and dashes', at('id'), id);
  const title = requireString(front.data, 'title', file, at('title'));
  const sources = readSources(front.data.sources, at('sources'));
  const convention = front.data.convention;
  if (convention !== undefined && convention !== 'diffusion' && convention !== 'flow')
    throw new InputError("convention must be 'diffusion' or 'flow'", at('convention'), String(convention));
  const expect = front.data.expect;
  if (expect !== 'holds' && expect !== 'refuted')
    throw new InputError("expect must be 'holds' or 'refuted'", at('expect'), String(expect));

  const symbols = symbolSpecs(front.data.symbols, file, at);
  const lets = letSpecs(front.data.let, file, at);
  const isFunction = declaredFunctions(symbols, lets);
  const body = text.slice(bodyStart);
  const doc = readDocument(body, file, { kind: 'markdown', readFile: () => undefined });
  const steps: Step[] = [];
  for (const block of doc.pieces) {
    if (block.kind !== 'display') continue;
    const origin = { ...block.origin, line: block.origin.line + bodyLine - 1 };
    const math = parseDisplay(block.latex, { origin, macros: doc.macros, seq: block.seq, isFunction });
    for (const st of math.statements) steps.push(...chainSteps(st, math));
  }
  const experiments = experimentBlocks(body, file, bodyLine);
  if (steps.length === 0 && experiments.length === 0)
    throw new InputError('the derivation has no display equation and no experiment block', {
      file,
      line: bodyLine,
    });

  return {
    id,
    title,
    file,
    sources,
    convention,
    expect,
    symbols,
    lets,
    steps,
    experiments,
    body,
  };
}

/**
 * Declarations outside a derivation file (a `scan` sidecar YAML): `symbols` and `let` exactly as in front
 * matter; other keys are errors.
 */
export function readDeclarations(yamlText: string, file: string): { symbols: SymbolSpec[]; lets: LetSpec[] } {
  const front = frontMatter(yamlText, file, ['symbols', 'let'], 1);
  const at = (key: string, sub?: string): SourceRef => ({ file, line: front.line(key, sub), column: 1 });
  return { symbols: symbolSpecs(front.data.symbols, file, at), lets: letSpecs(front.data.let, file, at) };
}

interface Front {
  data: Record<string, unknown>;
  /** The file line of a top-level key, or of a key inside it. */
  line(key: string, sub?: string): number;
}

function frontMatter(yamlText: string, file: string, keys: Iterable<string> = KEYS, firstLine = 2): Front {
  const known = new Set(keys);
  const doc = parseDocument(yamlText, {
    schema: 'core',
    uniqueKeys: true,
    prettyErrors: false,
    maxAliasCount: 0,
  } as never);
  const lines = yamlText.split('\n');
  const lineOf = (offset: number) => firstLine + (yamlText.slice(0, offset).match(/\n/g)?.length ?? 0);
  // Warnings (an unresolved tag such as !!js/function) are errors too: a derivation is plain data.
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    const e = problems[0];
    throw new InputError(`bad YAML front matter: ${e.message.split('\n')[0]}`, {
      file,
      line: lineOf(e.pos[0]),
    });
  }
  const data = doc.toJS() as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new InputError('front matter must be a YAML mapping', { file, line: firstLine });
  const line = (key: string, sub?: string) => {
    const top = lines.findIndex((l) => l.startsWith(`${key}:`));
    if (top < 0) return firstLine;
    if (sub === undefined) return top + firstLine;
    const inner = lines.findIndex((l, i) => i > top && l.trimStart().startsWith(sub));
    return (inner < 0 ? top : inner) + firstLine;
  };
  for (const key of Object.keys(data)) {
    if (!known.has(key))
      throw new InputError(
        `unknown key '${key}' (known: ${[...known].join(', ')})`,
        { file, line: line(key) },
        key,
      );
  }
  return { data: data as Record<string, unknown>, line };
}

function requireString(data: Record<string, unknown>, key: string, file: string, where: SourceRef): string {
  const v = data[key];
  if (typeof v !== 'string' || v.trim() === '')
    throw new InputError(`front matter needs a non-empty '${key}'`, where);
  return v;
}

/** A YAML key as an identifier for the internal form: `\epsilon` -> `epsilon`, `x_0` stays. */
export function identifierOf(key: string): string {
  const id = key
    .replace(/\\/g, '')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[A-Za-z]/.test(id) ? id : `s_${id}`;
}

function symbolSpecs(raw: unknown, file: string, at: (k: string, s?: string) => SourceRef): SymbolSpec[] {
  if (raw === undefined) return [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new InputError(
      'symbols must be a mapping of name: domain or name: { latex, domain, of }',
      at('symbols'),
    );
  const out: SymbolSpec[] = [];
  for (const [key, v] of Object.entries(raw)) {
    const position = at('symbols', key);
    let latex = key;
    let domain = 'real';
    let of: string | undefined;
    if (typeof v === 'string') domain = v;
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o))
        if (!['latex', 'domain', 'of'].includes(k))
          throw new InputError(
            `symbol '${key}': unknown field '${k}' (known: latex, domain, of)`,
            position,
            k,
          );
      if (o.latex !== undefined) latex = String(o.latex);
      if (o.domain !== undefined) domain = String(o.domain);
      if (o.of !== undefined) of = String(o.of);
    } else
      throw new InputError(`symbol '${key}' needs a domain string or { latex, domain, of }`, position, key);
    out.push({ name: identifierOf(key), latex, domain, of, position });
  }
  const seen = new Map<string, string>();
  for (const s of out) {
    const prev = seen.get(s.name);
    if (prev !== undefined)
      throw new InputError(
        `symbols '${prev}' and '${s.latex}' get the same internal name '${s.name}'`,
        s.position,
      );
    seen.set(s.name, s.latex);
  }
  return out;
}

function letSpecs(raw: unknown, file: string, at: (k: string, s?: string) => SourceRef): LetSpec[] {
  if (raw === undefined) return [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new InputError("let must be a mapping of 'spelling': 'LaTeX expression'", at('let'));
  const out: LetSpec[] = [];
  for (const [key, v] of Object.entries(raw)) {
    const position = at('let', key);
    if (typeof v !== 'string' && typeof v !== 'number')
      throw new InputError(`let '${key}' must be a LaTeX expression string`, position, key);
    const origin = { file, line: position.line, column: 1 };
    // A key `name(var)` is always a function binding, whatever the name.
    const keyMath = parseExpression(key, { origin, isFunction: () => true });
    const head = keyMath.statements[0];
    let params: Tex[] = [];
    let headTex = head;
    if (head.k === 'apply') {
      params = [...head.args, ...head.given];
      if (head.head.k !== 'atom' || !params.every((a) => a.k === 'atom'))
        throw new InputError(
          `let '${key}': a function binding is written name(var, ...) or name(var | var)`,
          position,
          key,
        );
      headTex = head.head;
    } else if (head.k !== 'atom')
      throw new InputError(`let '${key}': the bound name must be a symbol or name(var)`, position, key);
    out.push({ key, head: headTex, params, keyMath, body: parseExpression(String(v), { origin }), position });
  }
  return out;
}

/** Which names the front matter makes functions (`let p_t(x)`, a symbol `m(t)` or with `of`). */
function declaredFunctions(symbols: SymbolSpec[], lets: LetSpec[]): FunctionTest {
  const kinds = new Map<string, boolean>();
  for (const l of lets) if (l.head.k === 'atom') kinds.set(l.head.canon, l.params.length > 0);
  for (const s of symbols) {
    const t = parseExpression(s.latex, { isFunction: () => true }).statements[0];
    if (t.k === 'apply' && t.head.k === 'atom') kinds.set(t.head.canon, true);
    else if (t.k === 'atom') kinds.set(t.canon, s.of !== undefined);
  }
  return (head) => kinds.get(head);
}

/** The steps of one statement: each adjacent pair of an `=` chain. */
export function chainSteps(st: Tex, math: ParsedMath): Step[] {
  const pos = (node: Tex): SourceRef => {
    const t = math.tokens[node.from];
    const { line, column } = locateIn(math, t?.at ?? 0);
    return { file: math.origin.file ?? '', line, column };
  };
  const slice = (node: Tex) => sourceOf(math, node.from, node.to);
  if (st.k !== 'chain') {
    throw new InputError(
      "a display equation with no '=': every display block of a derivation is a chain of steps",
      pos(st),
      slice(st),
    );
  }
  const bad = st.ops.findIndex((o) => o !== '=');
  if (bad >= 0)
    throw new InputError(
      `only '=' chains can be checked, found '${st.ops[bad]}'`,
      pos(st.members[bad + 1]),
      slice(st),
    );
  return st.members.slice(1).map((rhs, i) => {
    const lhs = st.members[i];
    return { lhs, rhs, math, lhsLatex: slice(lhs), rhsLatex: slice(rhs), position: pos(lhs) };
  });
}

function locateIn(math: ParsedMath, offset: number): { line: number; column: number } {
  let line = math.origin.line;
  let column = math.origin.column;
  for (let i = 0; i < offset; i++) {
    if (math.source[i] === '\n') {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column };
}

/** ```experiment fenced blocks: YAML with `name` and the experiment's parameters. */
function experimentBlocks(body: string, file: string, bodyLine: number): ExperimentCall[] {
  const out: ExperimentCall[] = [];
  const re = /^```experiment[ \t]*\r?\n([\s\S]*?)^```[ \t]*$/gm;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const line = bodyLine + (body.slice(0, m.index).match(/\n/g)?.length ?? 0);
    const position = { file, line, column: 1 };
    const doc = parseDocument(m[1], { schema: 'core', uniqueKeys: true, maxAliasCount: 0 } as never);
    const problem = [...doc.errors, ...doc.warnings][0];
    if (problem)
      throw new InputError(`bad YAML in experiment block: ${problem.message.split('\n')[0]}`, position);
    const data = doc.toJS() as unknown;
    if (
      !data ||
      typeof data !== 'object' ||
      Array.isArray(data) ||
      typeof (data as { name?: unknown }).name !== 'string'
    )
      throw new InputError('an experiment block needs a YAML mapping with a name', position);
    const { name, ...params } = data as Record<string, unknown>;
    out.push({ name: name as string, params, position });
  }
  return out;
}
