import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { parseDomain, parseWhere } from '../../src/identity/index.js';

describe('parseDomain', () => {
  it.each([
    ['(0,1)', { lo: 0, hi: 1, loOpen: true, hiOpen: true }],
    ['[0,1]', { lo: 0, hi: 1, loOpen: false, hiOpen: false }],
    ['(0,1]', { lo: 0, hi: 1, loOpen: true, hiOpen: false }],
    ['[-2.5, 1e3)', { lo: -2.5, hi: 1000, loOpen: false, hiOpen: true }],
    ['(0, inf)', { lo: 0, hi: Infinity, loOpen: true, hiOpen: true }],
    ['> 0', { lo: 0, hi: Infinity, loOpen: true, hiOpen: true }],
    ['>= 0', { lo: 0, hi: Infinity, loOpen: false, hiOpen: true }],
    ['< 1', { lo: -Infinity, hi: 1, loOpen: true, hiOpen: true }],
    ['<= 1', { lo: -Infinity, hi: 1, loOpen: true, hiOpen: false }],
    ['real', { lo: -Infinity, hi: Infinity, loOpen: true, hiOpen: true }],
  ])('%s', (text, expected) => {
    expect(parseDomain(text)).toEqual(expected);
  });
  it.each(['(1,0)', '(1,1)', '[1,1)', '(0,1', 'between 0 and 1', '> x', '(nan, 1)', ''])(
    'rejects %j',
    (text) => {
      expect(() => parseDomain(text)).toThrow(InputError);
    },
  );
  it('says why an interval is empty', () => {
    expect(() => parseDomain('(1,0)')).toThrow(/empty/);
  });
});

describe('parseWhere', () => {
  it('reads comma-separated clauses, commas inside intervals included', () => {
    const d = parseWhere('abar in (0,1), x0 real, v > 0, t in [0, 1), s(t) > 0, m(t) real');
    expect(Object.keys(d)).toEqual(['abar', 'x0', 'v', 't', 's(t)', 'm(t)']);
    expect(d.abar).toEqual({ lo: 0, hi: 1, loOpen: true, hiOpen: true });
    expect(d.t.hiOpen).toBe(true);
    expect(d['s(t)'].lo).toBe(0);
  });
  it('keeps names like __proto__ as plain keys', () => {
    const d = parseWhere('__proto__ > 0, constructor in (0,1)');
    expect(Object.hasOwn(d, '__proto__')).toBe(true);
    expect(d.constructor).toEqual({ lo: 0, hi: 1, loOpen: true, hiOpen: true });
  });
  it.each([
    ['x in (1,0)', /empty/, 6],
    ['x in (0,1),', /empty assumption/, 12],
    ['x is positive', /cannot read assumption/, 1],
    ['x > 0, x < 1', /declared twice/, 8],
    ['1x > 0', /cannot read assumption/, 1],
  ])('rejects %j with its column', (text, message, column) => {
    try {
      parseWhere(text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).message).toMatch(message);
      expect((e as InputError).position.column).toBe(column);
    }
  });
});
