// exp(x) for x <= 0 as generated-kernel source, about twice as fast as Math.exp in V8 and within a few ulp:
// k = round(32 x / ln 2), r = x - k ln2/32 (Cody-Waite: ln2/32 split so k * hi is exact), |r| <= ln2/64,
// exp(x) = 2^(k/32) exp(r) with 2^(k/32) from a table and exp(r) by its degree-6 Taylor polynomial
// (truncation r^7/7! < 2e-17). Below x = -40 it returns 0: in a softmax whose largest term is 1 such a
// term weighs less than 2^-57 of the sum, below its rounding.
export const EXP_CUTOFF = -40;
const PER_LN2 = 32;
const TABLE_OFFSET = Math.ceil((-EXP_CUTOFF * PER_LN2) / Math.LN2) + 1;
// fdlibm's ln2_hi (32 significant bits) and ln2_lo, divided by 32 (exact).
const LN2_HI = 6.9314718036912381649e-1 / PER_LN2;
const LN2_LO = 1.90821492927058770002e-10 / PER_LN2;

/** 2^(i - TABLE_OFFSET)/32 for i = 0..TABLE_OFFSET: an exact power of two times a correctly rounded root. */
export function expTable(): Float64Array {
  const t = new Float64Array(TABLE_OFFSET + 1);
  for (let i = 0; i <= TABLE_OFFSET; i++) {
    const k = i - TABLE_OFFSET;
    const m = Math.floor(k / PER_LN2);
    t[i] = 2 ** m * 2 ** ((k - m * PER_LN2) / PER_LN2);
  }
  return t;
}

/** Statements assigning exp(`x`) (an expression <= 0) to the new const `out`, reading table `table`. */
export function expSource(out: string, x: string, table: string): string {
  const poly = `1 + ${out}_r * (1 + ${out}_r * (0.5 + ${out}_r * (${1 / 6} + ${out}_r * (${1 / 24} + ${out}_r * (${1 / 120} + ${out}_r * ${1 / 720})))))`;
  return (
    `const ${out}_x = ${x}; let ${out} = 0; if (${out}_x > ${EXP_CUTOFF}) { ` +
    `const ${out}_k = Math.floor(${out}_x * ${PER_LN2 / Math.LN2} + 0.5); ` +
    `const ${out}_r = ${out}_x - ${out}_k * ${LN2_HI} - ${out}_k * ${LN2_LO}; ` +
    `${out} = ${table}[${out}_k + ${TABLE_OFFSET}] * (${poly}); }`
  );
}

/** The same code as a function (for tests and scalar use). */
export const expNonPositive = new Function(
  'T',
  `return function (x) { ${expSource('y', 'x', 'T')} return y; };`,
)(expTable()) as (x: number) => number;
