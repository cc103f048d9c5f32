// `flowproof check '<lhs> = <rhs>' [--where '<assumptions>'] [--json] [--seed N] [--points N]`
// Exit 0 proved / holds-numerically, 1 refuted, 3 inconclusive, 2 bad input.
import { InputError } from '../core/errors.js';
import type { NumericEvidence } from '../core/verdict.js';
import {
  LOW_DIGITS,
  checkIdentity,
  DEFAULT_POINTS,
  DEFAULT_SEED,
  parseEquation,
  parseWhere,
  type IdentityResult,
} from '../identity/index.js';
import type { Command } from './command.js';
import { parseArgs } from './command.js';

const HELP = `flowproof check '<lhs> = <rhs>' [--where '<assumptions>'] [--json] [--seed N] [--points N]

Proves an identity with computer algebra under the assumptions, else tests it at random points with
${LOW_DIGITS}-digit arithmetic and reports a shrunk counterexample.
  syntax       numbers, symbols, + - * / ^, ( ), sqrt exp log sin cos tan atan abs, pi, e,
               diff(expr, x[, n]), normal_pdf(x, mean, variance), declared functions m(t), m'(t)
  --where      comma-separated: 'abar in (0,1)', 'x in [0,1]', 'v > 0', 'v >= 0', 'u < 1', 'x real';
               'm(t) real' or 's(t) > 0' declares an undefined function of t. Unlisted symbols are real.
  --seed N     seed of the random points (default ${DEFAULT_SEED})
  --points N   number of points where both sides are defined (default ${DEFAULT_POINTS})
  --json       one JSON object
Exit code: 0 proved or holds-numerically, 1 refuted, 3 inconclusive, 2 bad input.`;

const EXIT: Record<string, number> = { proved: 0, 'holds-numerically': 0, refuted: 1, inconclusive: 3 };

function integerFlag(name: string, v: unknown, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = v as number;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InputError(`--${name} must be an integer from ${min} to ${max}`, {}, String(v));
  return n;
}

function toJson(r: IdentityResult, seed: number, ms: number): object {
  const numeric = r.evidence.find((e): e is NumericEvidence => e.kind === 'numeric');
  const prover = r.evidence.find((e) => e.kind === 'symbolic');
  return {
    verdict: r.grade,
    lhs: r.lhs,
    rhs: r.rhs,
    evidence: {
      strategy:
        r.grade === 'proved' && prover?.kind === 'symbolic' ? prover.strategy : 'high-precision-sampling',
      pointsTried: numeric?.pointsTried ?? 0,
      precisionDigits: numeric?.precisionDigits,
      maxResidual: numeric?.maxResidual,
      ms,
      seed,
      steps: r.evidence,
    },
    ...(r.counterexample ? { counterexample: r.counterexample } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
  };
}

function paragraph(r: IdentityResult, seed: number, ms: number): string {
  const numeric = r.evidence.find((e): e is NumericEvidence => e.kind === 'numeric');
  const sampled = numeric
    ? `${numeric.pointsTried} random points at ${numeric.precisionDigits} digits (max residual ${numeric.maxResidual}, seed ${seed})`
    : `no points (seed ${seed})`;
  const claim = `${r.lhs} = ${r.rhs}`;
  switch (r.grade) {
    case 'proved': {
      const p = r.evidence.find((e) => e.kind === 'symbolic');
      const by = p?.kind === 'symbolic' ? `${p.strategy} (${p.ms} ms)` : 'a prover';
      return `PROVED: ${claim}\n  lhs - rhs reduces to 0 by ${by}; the high-precision check agrees at ${sampled}. ${ms} ms.`;
    }
    case 'holds-numerically':
      return `HOLDS NUMERICALLY: ${claim}\n  no discrepancy at ${sampled}; not proved: ${r.reason ?? ''}. ${ms} ms.`;
    case 'refuted': {
      const c = r.counterexample!;
      const at = Object.entries(c.point)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      return `REFUTED at ${at}: lhs = ${c.lhs}, rhs = ${c.rhs} (residual ${c.residual})\n  claim: ${claim} (seed ${seed}). ${ms} ms.`;
    }
    default:
      return `INCONCLUSIVE: ${claim}\n  ${r.reason ?? ''} (${sampled}). ${ms} ms.`;
  }
}

export const checkCommand: Command = {
  summary: 'prove or refute one identity: check "lhs = rhs" --where "..."',
  async run(args) {
    const a = parseArgs('check', args, {
      values: { where: 'string', seed: 'number', points: 'number' },
      booleans: ['json', 'help'],
    });
    if (a.booleans.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    if (a.positional.length !== 1)
      throw new InputError(
        `check takes exactly one quoted equation 'lhs = rhs', got ${a.positional.length} arguments`,
        {},
        a.positional.join(' '),
      );
    const seed = integerFlag('seed', a.values.seed, 0, 2 ** 31 - 1) ?? DEFAULT_SEED;
    const points = integerFlag('points', a.values.points, 1, 100_000);
    const domains = parseWhere((a.values.where as string | undefined) ?? '');
    const { lhs, rhs } = parseEquation(a.positional[0], domains);
    const start = Date.now();
    const r = await checkIdentity(lhs, rhs, { domains, seed, points });
    const ms = Date.now() - start;
    process.stdout.write(
      (a.booleans.json ? JSON.stringify(toJson(r, seed, ms)) : paragraph(r, seed, ms)) + '\n',
    );
    return EXIT[r.grade] ?? 3;
  },
};
