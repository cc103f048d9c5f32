// Captures process.stdout / stderr writes for tests that call the CLI's `main` in-process.
import { afterEach, beforeEach, vi } from 'vitest';

export interface Captured {
  out: string;
  err: string;
}

/** Registers beforeEach/afterEach hooks; the returned object holds the current test's output. */
export function captureOutput(): Captured {
  const captured: Captured = { out: '', err: '' };
  beforeEach(() => {
    captured.out = '';
    captured.err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((captured.out += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((captured.err += String(s)), true));
  });
  afterEach(() => vi.restoreAllMocks());
  return captured;
}
