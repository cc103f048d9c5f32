// The assumption language of `flowproof check --where`: comma-separated clauses `name in (a,b)`,
// `name in [a,b]` (any mix of brackets), `name > c`, `name >= c`, `name < c`, `name <= c`, `name real`.
// A name of the form `f(t)` declares an undefined function of t whose values lie in the domain.
import { InputError } from '../core/errors.js';
import { type Domains, type SymbolDomain, REAL } from '../symbolic/index.js';

const NUMBER = String.raw`[-+]?(?:inf|infinity|\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)`;
const INTERVAL = new RegExp(String.raw`^([(\[])\s*(${NUMBER})\s*,\s*(${NUMBER})\s*([)\]])$`, 'i');
const BOUND = new RegExp(String.raw`^(>=|<=|>|<)\s*(${NUMBER})$`, 'i');
const NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\([A-Za-z_][A-Za-z0-9_]*\))?$/;

function toNumber(text: string): number {
  const t = text.toLowerCase().replace(/^\+/, '');
  if (t === 'inf' || t === 'infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  return Number(t);
}

/** One domain: '(0,1)', '[0,1]', '(0,1]', '> 0', '>= 0', '< 1', '<= 1', 'real'. */
export function parseDomain(text: string, column = 1): SymbolDomain {
  const t = text.trim();
  const bad = (why: string): never => {
    throw new InputError(`bad domain: ${why}`, { file: '<--where>', line: 1, column }, t);
  };
  if (t === 'real') return { ...REAL };
  let d: SymbolDomain | undefined;
  const iv = INTERVAL.exec(t);
  if (iv) d = { lo: toNumber(iv[2]), hi: toNumber(iv[3]), loOpen: iv[1] === '(', hiOpen: iv[4] === ')' };
  const b = BOUND.exec(t);
  if (b) {
    const c = toNumber(b[2]);
    const open = b[1].length === 1;
    d = b[1].startsWith('>')
      ? { lo: c, hi: Infinity, loOpen: open, hiOpen: true }
      : { lo: -Infinity, hi: c, loOpen: true, hiOpen: open };
  }
  if (!d) return bad("expected '(a,b)', '[a,b]', '> c', '>= c', '< c', '<= c' or 'real'");
  if (Number.isNaN(d.lo) || Number.isNaN(d.hi)) bad('not a number');
  if ((d.lo === Infinity && !d.loOpen) || (d.hi === -Infinity && !d.hiOpen))
    bad('an infinite bound must be open');
  if (!Number.isFinite(d.lo)) d.loOpen = true;
  if (!Number.isFinite(d.hi)) d.hiOpen = true;
  if (d.lo > d.hi || (d.lo === d.hi && (d.loOpen || d.hiOpen)))
    bad(`the interval is empty (lower bound ${d.lo} is not below upper bound ${d.hi})`);
  return d;
}

/** Split on commas outside brackets, keeping each piece's column. */
function clauses(text: string): { text: string; column: number }[] {
  const out: { text: string; column: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    if (i === text.length || (ch === ',' && depth === 0)) {
      const piece = text.slice(start, i);
      const lead = piece.length - piece.trimStart().length;
      out.push({ text: piece.trim(), column: start + lead + 1 });
      start = i + 1;
    }
  }
  return out;
}

/** The --where language: comma-separated clauses; unlisted symbols are real. */
export function parseWhere(text: string): Domains {
  const out: Domains = Object.create(null) as Domains;
  if (text.trim() === '') return out;
  for (const c of clauses(text)) {
    if (c.text === '')
      throw new InputError(
        'empty assumption (stray comma?)',
        { file: '<--where>', line: 1, column: c.column },
        text,
      );
    const m =
      /^([A-Za-z_][A-Za-z0-9_]*(?:\s*\(\s*[A-Za-z_][A-Za-z0-9_]*\s*\))?)\s*(?:(in)\s+(.*)|(>=|<=|>|<)(.*)|(real))$/s.exec(
        c.text,
      );
    if (!m)
      throw new InputError(
        `cannot read assumption; expected 'name in (a,b)', 'name > c' or 'name real'`,
        { file: '<--where>', line: 1, column: c.column },
        c.text,
      );
    const name = m[1].replace(/\s+/g, '');
    if (!NAME.test(name))
      throw new InputError('bad name in assumption', { file: '<--where>', line: 1, column: c.column }, m[1]);
    if (Object.hasOwn(out, name))
      throw new InputError(
        `'${name}' is declared twice`,
        { file: '<--where>', line: 1, column: c.column },
        c.text,
      );
    const domainText = m[2] ? m[3] : m[4] ? `${m[4]} ${m[5].trim()}` : 'real';
    const domainColumn = c.column + c.text.indexOf(m[2] ? m[3] : m[4] ? m[4] : 'real');
    Object.defineProperty(out, name, {
      value: parseDomain(domainText, domainColumn),
      enumerable: true,
      writable: true,
    });
  }
  return out;
}
