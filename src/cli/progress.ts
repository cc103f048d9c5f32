// Progress of long commands, on stderr so stdout stays clean for tables and JSON. Animated (one line
// redrawn in place) only when stderr is a terminal and CI is not set; otherwise a plain line at most
// every few seconds, so logs stay short; nothing at all with --quiet.
import { requireFinite } from '../core/errors.js';

export type ProgressMode = 'animated' | 'plain' | 'silent';

/** The part of a writable stream progress needs (process.stderr fits). */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  quiet?: boolean;
  stream?: ProgressStream;
  env?: Record<string, string | undefined>;
  /** Plain mode: least time between two lines (default 5 s). */
  intervalMs?: number;
  /** Animated mode: spinner period (default 100 ms); 0 redraws only on updates. */
  tickMs?: number;
  now?: () => number;
}

export interface Progress {
  readonly mode: ProgressMode;
  /** fraction in [0, 1] of the whole task, and what it is doing now. */
  update(fraction: number, note?: string): void;
  /** Ends the progress display (clears the animated line; a closing plain line if any was shown). */
  done(summary?: string): void;
}

export function progressMode(options: Pick<ProgressOptions, 'quiet' | 'stream' | 'env'> = {}): ProgressMode {
  if (options.quiet) return 'silent';
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
  return stream.isTTY && !ci ? 'animated' : 'plain';
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const BAR = 20;

export function createProgress(label: string, options: ProgressOptions = {}): Progress {
  const mode = progressMode(options);
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const start = now();
  let fraction = 0;
  let note = '';
  let frame = 0;
  let lastPlain = start;
  let plainLines = 0;
  let finished = false;

  const elapsed = () => `${((now() - start) / 1000).toFixed(1)} s`;
  const percent = () => `${Math.floor(fraction * 100)}%`;
  const draw = () => {
    const filled = Math.round(fraction * BAR);
    const bar = '█'.repeat(filled) + '░'.repeat(BAR - filled);
    const line = `${SPINNER[frame++ % SPINNER.length]} ${label} ${bar} ${percent()} ${note} ${elapsed()}`;
    const width = (stream.columns ?? 80) - 1;
    // \r to the line start, \x1b[K to clear what a longer previous line left behind.
    stream.write(`\r${line.length > width ? line.slice(0, width) : line}\x1b[K`);
  };
  const timer =
    mode === 'animated' && (options.tickMs ?? 100) > 0 ? setInterval(draw, options.tickMs ?? 100) : undefined;
  timer?.unref();

  return {
    mode,
    update(f, n) {
      if (finished || mode === 'silent') return;
      fraction = Math.min(1, Math.max(0, requireFinite('progress', 'fraction', f)));
      if (n !== undefined) note = n;
      if (mode === 'animated') return draw();
      if (now() - lastPlain >= (options.intervalMs ?? 5000)) {
        lastPlain = now();
        plainLines++;
        stream.write(`${label}: ${percent()}${note ? ` ${note}` : ''} (${elapsed()})\n`);
      }
    },
    done(summary) {
      if (finished) return;
      finished = true;
      if (timer) clearInterval(timer);
      if (mode === 'animated') stream.write('\r\x1b[K');
      else if (mode === 'plain' && plainLines > 0)
        stream.write(`${label}: ${summary ?? 'done'} (${elapsed()})\n`);
    },
  };
}
