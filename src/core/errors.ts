// Error classes. Every error a user can cause is a FlowproofError: it names where it happened and
// what was received, and the CLI turns it into a message and exit code 2 (never a stack trace).

/** Where an error happened in a user's input. Any field may be missing. */
export interface SourcePosition {
  file?: string;
  line?: number;
  column?: number;
}

export class FlowproofError extends Error {
  override name = 'FlowproofError';
}

/** A function received an argument outside its domain (t out of range, sigma = 0 where it divides, NaN). */
export class DomainError extends FlowproofError {
  override name = 'DomainError';
  constructor(
    readonly fn: string,
    readonly argument: string,
    readonly received: unknown,
    readonly requirement: string,
  ) {
    super(`${fn}: argument '${argument}' = ${formatValue(received)} ${requirement}`);
  }
}

/** Malformed user input: an expression, a derivation file, a flag. Quotes the offending piece. */
export class InputError extends FlowproofError {
  override name = 'InputError';
  constructor(
    /** The message without the position and the quoted piece (for callers that re-place the error). */
    readonly detail: string,
    readonly position: SourcePosition = {},
    readonly offending?: string,
  ) {
    super(withPosition(detail, position, offending));
  }
}

/** A numerical run produced a non-finite value. */
export class NumericalError extends FlowproofError {
  override name = 'NumericalError';
}

/**
 * A broken invariant inside flowproof (e.g. an experiment that built a malformed plot): a bug to report,
 * never the user's input, so deliberately not a FlowproofError.
 */
export class InternalError extends Error {
  override name = 'InternalError';
}

function withPosition(message: string, pos: SourcePosition, offending?: string): string {
  const where = [pos.file, pos.line, pos.column].filter((p) => p !== undefined).join(':');
  const quote = offending !== undefined ? ` near '${offending}'` : '';
  return where ? `${where}: ${message}${quote}` : `${message}${quote}`;
}

export function formatValue(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return `'${v}'`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Throw a DomainError unless x is a finite number. */
export function requireFinite(fn: string, argument: string, x: number): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new DomainError(fn, argument, x, 'must be a finite number');
  }
  return x;
}
