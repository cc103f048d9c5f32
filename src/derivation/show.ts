// A plain, fully parenthesized rendering of a parse tree: how flowproof read a formula, shown by `scan`
// and used by the tests to pin the parse of every construct. Symbols appear as their canonical spelling.
import type { Tex } from './ast.js';

/** A canonical spelling without its token separators (kept only where `\\cmd x` needs one). */
export function spelling(canon: string): string {
  return canon.replace(/ (?=[^A-Za-z])|(?<=[^A-Za-z]) /g, '');
}

const list = (xs: Tex[]) => xs.map(show).join(', ');

export function show(t: Tex): string {
  switch (t.k) {
    case 'num':
      return t.text;
    case 'atom':
      return spelling(t.canon);
    case 'pi':
      return 'pi';
    case 'add':
      return `(${t.terms.map((x, i) => `${i === 0 ? (t.signs[i] < 0 ? '-' : '') : t.signs[i] < 0 ? ' - ' : ' + '}${show(x)}`).join('')})`;
    case 'mul':
      return `(${t.factors.map(show).join(' * ')})`;
    case 'div':
      return `(${show(t.num)} / ${show(t.den)})`;
    case 'pow':
      return `(${show(t.base)})^(${show(t.exp)})`;
    case 'sqrt':
      return t.index ? `root[${show(t.index)}](${show(t.arg)})` : `sqrt(${show(t.arg)})`;
    case 'fn':
      return `${t.fn}${t.base ? `_${show(t.base)}` : ''}(${show(t.arg)})`;
    case 'abs':
      return `abs(${show(t.body)})`;
    case 'apply':
      return `${show(t.head)}[${list(t.args)}${t.given.length ? ` | ${list(t.given)}` : ''}]`;
    case 'normal':
      return `Normal(${list(t.args)})`;
    case 'deriv':
      return `${t.op}${t.wrt ? `_${show(t.wrt)}` : ''}(${show(t.body)})`;
    case 'integral':
      return `integral(${show(t.body)}, ${show(t.wrt)}${t.lo ? `, ${show(t.lo)}` : ''}${t.hi ? `, ${show(t.hi)}` : ''})`;
    case 'differential':
      return `d${show(t.wrt)}`;
    case 'expect':
      return `E${t.sub ? `{${show(t.sub)}}` : ''}[${show(t.body)}${t.given.length ? ` | ${list(t.given)}` : ''}]`;
    case 'norm':
      return `norm(${show(t.body)})${t.index ? `_${show(t.index)}` : ''}`;
    case 'bigop':
      return `${t.op}${t.sub ? `_{${show(t.sub)}}` : ''}${t.sup ? `^{${show(t.sup)}}` : ''}(${show(t.body)})`;
    case 'tuple':
      return `${t.open === '[' ? '[' : '('}${list(t.items)}${t.open === '[' ? ']' : ')'}`;
    case 'set':
      return `{${list(t.items)}}`;
    case 'text':
      return `"${t.text}"`;
    case 'opaque':
      return `<${t.what}>`;
    case 'chain':
      return t.members.map((m, i) => (i === 0 ? show(m) : ` ${t.ops[i - 1]} ${show(m)}`)).join('');
    case 'quantifier':
      return `${t.q} ${show(t.body)}`;
    case 'underbrace':
      return t.note ? `${show(t.body)} {= ${show(t.note)}}` : show(t.body);
  }
}
