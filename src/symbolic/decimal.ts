// The high-precision number type (decimal.js, the BigNumber engine of mathjs) and its contexts.
import DecimalDefault from 'decimal.js';
import type { Decimal as DecimalClass } from 'decimal.js';

// decimal.js ships CommonJS typings for an ES default export; this is its class at run time.
export const Decimal = DecimalDefault as unknown as typeof DecimalClass;
export type Big = DecimalClass;
export type BigCtor = typeof DecimalClass;

/** The expression is undefined at this point. */
export class UndefinedPoint extends Error {}

const ctors = new Map<number, BigCtor>();

/** A decimal.js constructor working at `digits` significant digits. */
export function bigContext(digits: number): BigCtor {
  let D = ctors.get(digits);
  if (D === undefined) {
    D = Decimal.clone({ precision: digits, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -30, toExpPos: 40 });
    ctors.set(digits, D);
  }
  return D;
}
