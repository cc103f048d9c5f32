// Progress reporting (src/cli/progress.ts) with a fake stream and clock.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { createProgress, progressMode } from '../../src/cli/progress.js';

function fakeStream(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, columns: 60, write: (s: string) => out.push(s) } };
}

describe('progress', () => {
  it('animates only on a TTY outside CI, and is silent with --quiet', () => {
    expect(progressMode({ stream: { isTTY: true, write: () => 0 }, env: {} })).toBe('animated');
    expect(progressMode({ stream: { isTTY: true, write: () => 0 }, env: { CI: 'true' } })).toBe('plain');
    expect(progressMode({ stream: { isTTY: true, write: () => 0 }, env: { CI: 'false' } })).toBe('animated');
    expect(progressMode({ stream: { isTTY: false, write: () => 0 }, env: {} })).toBe('plain');
    expect(progressMode({ quiet: true, stream: { isTTY: true, write: () => 0 }, env: {} })).toBe('silent');
  });

  it('prints a plain line at most once per interval, and a closing line only after one', () => {
    let t = 0;
    const { out, stream } = fakeStream(false);
    const p = createProgress('verify', { stream, env: {}, intervalMs: 5000, now: () => t });
    p.update(0.1, 'claim a');
    t = 4000;
    p.update(0.2, 'claim b');
    expect(out).toEqual([]);
    t = 5000;
    p.update(0.5, 'claim c');
    t = 6000;
    p.update(0.6);
    expect(out).toEqual(['verify: 50% claim c (5.0 s)\n']);
    t = 7000;
    p.done('3 claims');
    expect(out[1]).toBe('verify: 3 claims (7.0 s)\n');

    const quick = fakeStream(false);
    const q = createProgress('run', { stream: quick.stream, env: {}, now: () => 0 });
    q.update(1, 'x');
    q.done();
    expect(quick.out).toEqual([]);
  });

  it('redraws one line in place on a terminal, clipped to its width, and clears it at the end', () => {
    const { out, stream } = fakeStream(true);
    const p = createProgress('verify', { stream, env: {}, tickMs: 0, now: () => 1500 });
    p.update(0.5, 'a note long enough to be clipped at the terminal width for sure');
    expect(out[0].startsWith('\r')).toBe(true);
    expect(out[0].endsWith('\x1b[K')).toBe(true);
    expect(out[0]).toContain('50%');
    expect(out[0]).toContain('██████████░░░░░░░░░░');
    expect(out[0].length).toBeLessThanOrEqual(1 + 59 + 3);
    p.done();
    expect(out[out.length - 1]).toBe('\r\x1b[K');
    p.update(0.9);
    expect(out.length).toBe(2);
  });

  it('writes nothing when quiet, and refuses a NaN fraction', () => {
    const { out, stream } = fakeStream(true);
    const p = createProgress('verify', { quiet: true, stream, now: () => 1e9 });
    p.update(0.5, 'x');
    p.done();
    expect(out).toEqual([]);
    const loud = createProgress('verify', { stream, env: {}, tickMs: 0 });
    expect(() => loud.update(Number.NaN)).toThrow(DomainError);
    loud.done();
  });
});
