// What a CLI command is, and the small shared flag parser every command uses.
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';

export interface Command {
  summary: string;
  /** Runs the command on its arguments; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

export type FlagType = 'string' | 'number';
export type FlagTypes = Readonly<Record<string, FlagType>>;

export interface FlagSpec {
  /** Flags taking a value, e.g. { seed: 'number', name: 'string' }. */
  values?: FlagTypes;
  /** Boolean flags, e.g. ['json', 'quiet']. */
  booleans?: readonly string[];
  /** Flags that may be given several times (collected in order). */
  repeatable?: readonly string[];
}

/** The values of the flags `V` declares, each with its declared type, or undefined when not given. */
export type FlagValues<V extends FlagTypes> = { [K in keyof V]?: V[K] extends 'number' ? number : string };

type Names<L extends readonly string[] | undefined> = L extends readonly string[] ? L[number] : never;

export interface ParsedArgs<S extends FlagSpec> {
  positional: string[];
  values: FlagValues<S['values'] extends FlagTypes ? S['values'] : Record<never, FlagType>>;
  lists: { [K in Names<S['repeatable']>]?: string[] };
  booleans: Record<Names<S['booleans']>, boolean>;
}

/**
 * Parse `--flag value`, `--flag=value` and boolean `--flag`; unknown flags are an InputError. Each value
 * has the type its flag declares: a 'number' flag's value is checked to be a finite number here.
 */
export function parseArgs<const S extends FlagSpec>(command: string, args: string[], spec: S): ParsedArgs<S> {
  const positional: string[] = [];
  const values: Record<string, string | number> = {};
  const lists: Record<string, string[]> = {};
  const booleans: Record<string, boolean> = {};
  for (const b of spec.booleans ?? []) booleans[b] = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--') || a === '--') {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (spec.booleans?.includes(name)) {
      if (eq >= 0) throw new InputError(`flag --${name} takes no value`, {}, a);
      booleans[name] = true;
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
    if (spec.repeatable?.includes(name)) (lists[name] ??= []).push(String(value));
    values[name] = value;
  }
  // The loop above gave every value the type its flag declares and every boolean its entry.
  return { positional, values, lists, booleans } as ParsedArgs<S>;
}
