// What a CLI command is, and the small shared flag parser every command uses.
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';

export interface Command {
  summary: string;
  /** Runs the command on its arguments; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

export interface FlagSpec {
  /** Flags taking a value, e.g. { seed: 'number', name: 'string' }. */
  values?: Record<string, 'string' | 'number'>;
  /** Boolean flags, e.g. ['json', 'quiet']. */
  booleans?: string[];
  /** Flags that may be given several times (collected in order). */
  repeatable?: string[];
}

export interface ParsedArgs {
  positional: string[];
  values: Record<string, string | number | undefined>;
  lists: Record<string, string[]>;
  booleans: Record<string, boolean>;
}

/** Parse `--flag value`, `--flag=value` and boolean `--flag`; unknown flags are an InputError. */
export function parseArgs(command: string, args: string[], spec: FlagSpec): ParsedArgs {
  const out: ParsedArgs = { positional: [], values: {}, lists: {}, booleans: {} };
  for (const b of spec.booleans ?? []) out.booleans[b] = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--') || a === '--') {
      out.positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (spec.booleans?.includes(name)) {
      if (eq >= 0) throw new InputError(`flag --${name} takes no value`, {}, a);
      out.booleans[name] = true;
      continue;
    }
    const type = spec.values?.[name];
    if (!type) {
      const known = [...Object.keys(spec.values ?? {}), ...(spec.booleans ?? [])];
      throw new InputError(
        `unknown flag --${name}${didYouMean(name, known, '--')} (see 'flowproof ${command} --help')`,
        {},
        a,
      );
    }
    const raw = eq >= 0 ? a.slice(eq + 1) : args[++i];
    if (raw === undefined) throw new InputError(`flag --${name} needs a value`, {}, a);
    let value: string | number = raw;
    if (type === 'number') {
      value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value))
        throw new InputError(`flag --${name} needs a number, got '${raw}'`, {}, raw);
    }
    if (spec.repeatable?.includes(name)) (out.lists[name] ??= []).push(String(value));
    out.values[name] = value;
  }
  return out;
}
