import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('flowproof schedules / convert', () => {
  it('schedules --json prints the VP-SDE quantities at t', () => {
    const r = runCli(['schedules', '--name', 'vp-sde', '--t', '0.5', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.continuous[0].g2).toBeCloseTo(0.1 + 19.9 * 0.5, 10);
    expect(out.continuous[0].alpha ** 2 + out.continuous[0].sigma ** 2).toBeCloseTo(1, 12);
  });
  it('schedules prints a table of every schedule and flags a negative g^2', () => {
    const r = runCli(['schedules']);
    expect(r.code).toBe(0);
    for (const n of [
      'vp-sde',
      'sub-vp',
      've-sde',
      'edm',
      'rectified-flow',
      'cosine',
      'ddpm-linear',
      'ddpm-cosine',
    ])
      expect(r.stdout).toContain(n);
    expect(r.stdout).toMatch(/g2 < 0 means no forward noising SDE/);
  });
  it('convert eps -> data on the VP-SDE', () => {
    const r = runCli([
      'convert',
      '--from',
      'eps',
      '--to',
      'data',
      '--value',
      '0.3',
      '--x',
      '1',
      '--t',
      '0.5',
      '--path',
      'vp-sde',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(o.result).toBeCloseTo((1 - o.sigma * 0.3) / o.alpha, 12);
  });
  it.each([
    [['schedules', '--name', 'nope'], /unknown schedule 'nope'/],
    [['schedules', '--name', 'vp-sde', '--t', '2'], /vp-sde\.alpha: argument 't' = 2 must lie in \[0, 1\]/],
    [['schedules', '--t', 'abc'], /flag --t needs a number or a comma-separated list of numbers, got 'abc'/],
    [['schedules', '--bogus'], /unknown flag --bogus/],
    [
      [
        'convert',
        '--from',
        'eps',
        '--to',
        'nope',
        '--value',
        '1',
        '--x',
        '1',
        '--t',
        '0.5',
        '--path',
        'vp-sde',
      ],
      /--to must be one of/,
    ],
    [
      ['convert', '--from', 'eps', '--to', 'data', '--value', '1', '--x', '1', '--path', 'vp-sde'],
      /missing --t/,
    ],
    [
      [
        'convert',
        '--from',
        'data',
        '--to',
        'eps',
        '--value',
        '1',
        '--x',
        '1',
        '--path',
        'rectified-flow',
        '--t',
        '1',
      ],
      /dataToEps: argument 'sigma' = 0/,
    ],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('bad input %j: exit 2, a message, no stack trace', (args, msg) => {
    const r = runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
