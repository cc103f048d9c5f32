import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FlowproofError, InputError } from '../../src/core/errors.js';
import {
  formatExpr,
  parsePlain,
  toPlain,
  compileFloat64,
  applyFn,
  sym,
  derivative,
} from '../../src/symbolic/index.js';
import { exprArbitrary, FUZZ_SYMBOLS } from './arbitraries.js';

const value = (text: string, vars: Record<string, number> = {}): number =>
  compileFloat64(parsePlain(text), Object.keys(vars))(Object.values(vars));

describe('parsePlain', () => {
  it('follows the usual precedence and associativity', () => {
    expect(value('1 + 2*3^2')).toBe(19);
    expect(value('2^3^2')).toBe(512); // right-associative
    expect(value('-2^2')).toBe(-4); // -(2^2)
    expect(value('2^-1')).toBe(0.5);
    expect(value('8/4/2')).toBe(1); // left-associative
    expect(value('1 - 2 - 3')).toBe(-4);
  });
  it('reads decimals exactly and knows pi and e', () => {
    expect(parsePlain('0.008')).toEqual({ kind: 'num', p: 1n, q: 125n });
    expect(parsePlain('1e-4')).toEqual({ kind: 'num', p: 1n, q: 10000n });
    expect(value('pi')).toBe(Math.PI);
    expect(value('log(e)')).toBe(1);
  });
  it('takes derivatives with diff, including higher orders', () => {
    expect(value('diff(x^3, x)', { x: 2 })).toBe(12);
    expect(value('diff(x^3, x, 2)', { x: 2 })).toBe(12);
    expect(value('diff(sin(x)*y, y)', { x: 1, y: 5 })).toBeCloseTo(Math.sin(1), 15);
  });
  it('reads normal_pdf with the variance as third argument', () => {
    const v = value('normal_pdf(x, 1, 4)', { x: 3 });
    expect(v).toBeCloseTo(Math.exp(-0.5) / Math.sqrt(2 * Math.PI * 4), 15);
  });
  it('reads declared functions and their derivatives', () => {
    const e = parsePlain("m(t) + m''(t) + diff(m(t), t)", { functions: ['m'] });
    const t = sym('t');
    expect(formatExpr(e)).toBe("m(t) + m''(t) + m'(t)");
    expect(derivative(applyFn('m', t), 't')).toEqual(applyFn('m', t, 1));
  });
  it('round-trips through toPlain exactly and through formatExpr to an equal value', () => {
    const at = [0.7, -1.3, 2.1];
    const same = (u: number, v: number): boolean =>
      (!Number.isFinite(u) && !Number.isFinite(v)) || Math.abs(u - v) <= 1e-6 * Math.max(1, Math.abs(u));
    fc.assert(
      fc.property(exprArbitrary, (e) => {
        expect(parsePlain(toPlain(e))).toEqual(e);
        const u = compileFloat64(e, FUZZ_SYMBOLS)(at);
        const v = compileFloat64(parsePlain(formatExpr(e)), FUZZ_SYMBOLS)(at);
        expect(same(u, v), `${formatExpr(e)}: ${u} vs ${v}`).toBe(true);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  const bad: [string, RegExp, number][] = [
    ['foo(x) + 1', /unknown function 'foo'/, 1],
    ['sqrt(x', /unbalanced parentheses/, 7],
    ['(x + 1', /unbalanced parentheses/, 7],
    ['x + 1)', /unbalanced parentheses/, 6],
    ['', /empty expression/, 1],
    ['x +', /expected a number/, 4],
    ['2 x', /unexpected 'x'/, 3],
    ['x # 2', /unexpected character/, 3],
    ['sqrt', /needs an argument list/, 1],
    ['sqrt(x, y)', /takes 1 argument/, 1],
    ['diff(x^2, 2)', /must be a symbol/, 11],
    ['diff(x^2, x, 99)', /order must be/, 14],
    ["x'(t)", /only declared functions/, 2],
    ['1e999999999', /out of range/, 1],
    ['pi(2)', /constant, not a function/, 1],
    ['import(x)', /unknown function 'import'/, 1],
    ['constructor(1)', /unknown function 'constructor'/, 1],
  ];
  it.each(bad)('rejects %j with a clear InputError and its column', (text, message, column) => {
    let err: unknown;
    try {
      parsePlain(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(message);
    expect((err as InputError).position.column).toBe(column);
  });
  it('treats __proto__ and constructor as plain symbols', () => {
    expect(parsePlain('__proto__ + constructor')).toEqual({
      kind: 'add',
      terms: [sym('__proto__'), sym('constructor')],
    });
  });
  it('bounds nesting depth instead of overflowing the stack', () => {
    expect(() => parsePlain('('.repeat(5000) + 'x' + ')'.repeat(5000))).toThrow(/nested deeper/);
    expect(() => parsePlain('-'.repeat(5000) + 'x')).toThrow(/nested deeper/);
  });
  it('never throws anything but an InputError on arbitrary strings (fuzz)', () => {
    const alphabet = fc.constantFrom(
      ..."xy1.0e+-*/^(),' sqrtdifnormal_pdfm".split(''),
      'sqrt(',
      'diff(',
      'e',
      'pi',
      "'",
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.array(alphabet, { maxLength: 30 }).map((a) => a.join('')),
        ),
        (s) => {
          try {
            parsePlain(s, { functions: ['m'] });
          } catch (e) {
            if (!(e instanceof FlowproofError)) throw e;
          }
        },
      ),
      { numRuns: 5000, seed: 11 },
    );
  });
});
