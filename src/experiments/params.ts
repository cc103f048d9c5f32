// Validation of experiment parameters against their declared specs (derivation blocks and CLI flags
// arrive as loosely typed values; this is where they become typed or an InputError).
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import type { Experiment, ParamSpec, ParamValue, Params } from './types.js';

export function describeParam(spec: ParamSpec): string {
  switch (spec.kind) {
    case 'integer': {
      const range = `integer >= ${spec.min}${spec.max !== undefined ? ` and <= ${spec.max}` : ''}`;
      const thorough = spec.thorough !== undefined ? `, thorough ${spec.thorough}` : '';
      return `${spec.doc} (${range}; default ${spec.default}${thorough})`;
    }
    case 'number':
      return `${spec.doc} (number; default ${spec.default})`;
    case 'choice':
      return `${spec.doc} (one of ${spec.choices.join(', ')}; default ${spec.default})`;
    case 'list':
      return `${spec.doc} (list of ${spec.choices.join(', ')}; default ${spec.default.join(',')})`;
    case 'numbers':
      return `${spec.doc} (list of numbers; default ${spec.default.join(',')})`;
  }
}

function bad(experiment: string, key: string, value: unknown, requirement: string): InputError {
  return new InputError(
    `experiment '${experiment}': parameter '${key}' ${requirement}`,
    {},
    typeof value === 'string' ? value : JSON.stringify(value),
  );
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return NaN;
}

/** A comma-separated string or an array, as a list of strings. */
function toList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return value.split(',').map((s) => s.trim());
  return undefined;
}

function checkRange(
  name: string,
  key: string,
  x: number,
  spec: { min?: number; max?: number },
  raw: unknown,
) {
  if (!Number.isFinite(x)) throw bad(name, key, raw, 'must be a finite number');
  if (spec.min !== undefined && x < spec.min) throw bad(name, key, raw, `must be >= ${spec.min}`);
  if (spec.max !== undefined && x > spec.max) throw bad(name, key, raw, `must be <= ${spec.max}`);
}

function resolveOne(name: string, key: string, spec: ParamSpec, raw: unknown): ParamValue {
  switch (spec.kind) {
    case 'integer': {
      const x = toNumber(raw);
      if (!Number.isInteger(x)) throw bad(name, key, raw, 'must be an integer');
      checkRange(name, key, x, spec, raw);
      return x;
    }
    case 'number': {
      const x = toNumber(raw);
      checkRange(name, key, x, spec, raw);
      return x;
    }
    case 'choice': {
      if (typeof raw !== 'string' || !spec.choices.includes(raw)) {
        throw bad(name, key, raw, `must be one of ${spec.choices.join(', ')}`);
      }
      return raw;
    }
    case 'list': {
      const list = toList(raw);
      if (!list || list.length === 0) throw bad(name, key, raw, 'must be a non-empty list');
      return list.map((item) => {
        if (typeof item !== 'string' || !spec.choices.includes(item)) {
          throw bad(name, key, item, `items must be among ${spec.choices.join(', ')}`);
        }
        return item;
      });
    }
    case 'numbers': {
      const list = toList(raw);
      if (!list || list.length === 0) throw bad(name, key, raw, 'must be a non-empty list of numbers');
      return list.map((item) => {
        const x = toNumber(item);
        checkRange(name, key, x, spec, item);
        return x;
      });
    }
  }
}

/** Every declared parameter, from `given` or its default; unknown keys are an InputError. */
export function resolveParams(
  experiment: Experiment,
  given: Record<string, unknown>,
  thorough: boolean,
): Params {
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(experiment.params, key)) {
      const known = Object.keys(experiment.params).join(', ');
      throw new InputError(
        `experiment '${experiment.name}': unknown parameter '${key}'${didYouMean(key, Object.keys(experiment.params))} (known: ${known})`,
        {},
        key,
      );
    }
  }
  const out: Record<string, ParamValue> = {};
  for (const [key, spec] of Object.entries(experiment.params)) {
    const raw = given[key];
    if (raw === undefined) {
      out[key] =
        spec.kind === 'integer' && thorough && spec.thorough !== undefined ? spec.thorough : spec.default;
    } else {
      out[key] = resolveOne(experiment.name, key, spec, raw);
    }
  }
  return out;
}
