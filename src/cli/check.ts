// `flowproof check '<lhs> = <rhs>' [--where '<assumptions>'] [--json] [--seed N] [--points N]`
// Exit 0 proved / holds-numerically, 1 refuted, 3 inconclusive, 2 bad input.
import { InputError } from '../core/errors.js';
import { readPaper } from '../derivation/paper.js';
import { spelling } from '../derivation/show.js';
import { assumptionsOf } from '../identity/assumptions.js';
import { parseDomain } from '../identity/index.js';
import { freeSymbols, UNARY_FNS, type Domains, type Expr } from '../symbolic/index.js';
import { whereSymbols } from './scan.js';
import { showRuleUse, type NumericEvidence, type PointCounterexample } from '../core/verdict.js';
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
import { exitCodeOfGrade } from './exit.js';
import { parseArgs } from './command.js';

const HELP = `flowproof check '<lhs> = <rhs>' [--where '<assumptions>'] [--latex] [--json] [--seed N] [--points N]

Proves an identity with computer algebra under the assumptions, else tests it at random points with
${LOW_DIGITS}-digit arithmetic and reports a shrunk counterexample. Every verdict lists what it assumed:
each symbol's domain and where both sides are defined (log(x) needs x > 0).
  syntax       numbers, symbols, + - * / ^, ( ), ${UNARY_FNS.join(' ')}, pi, e,
               diff(expr, x[, n]), normal_pdf(x, mean, variance), declared functions m(t), m'(t)
  --latex      read the equation as LaTeX, as 'scan' reads a paper (automatic when it has a \\command):
               '\\nabla_{x_t} \\log \\mathcal{N}(x_t; \\sqrt{\\bar\\alpha_t} x_0, 1 - \\bar\\alpha_t) = ...';
               symbols take the field's domains (\\bar\\alpha_t in (0,1), \\sigma_t > 0) unless --where says
  --where      comma-separated: 'abar in (0,1)', 'x in [0,1]', 'v > 0', 'v >= 0', 'u < 1', 'x real';
               'm(t) real' or 's(t) > 0' declares an undefined function of t. Unlisted symbols are real.
               With LaTeX, ';'-separated 'SPELLING: DOMAIN' ('\\sigma_t: > 0; x_0: real').
  --seed N     seed of the random points (default ${DEFAULT_SEED})
  --points N   number of points where both sides are defined (default ${DEFAULT_POINTS})
  --json       one JSON object
Exit code: 0 proved or holds-numerically, 1 refuted, 3 inconclusive, 2 bad input.`;

function integerFlag(name: string, n: number | undefined, min: number, max: number): number | undefined {
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InputError(`--${name} must be an integer from ${min} to ${max}`, {}, String(n));
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
    ...('counterexample' in r && r.counterexample ? { counterexample: r.counterexample } : {}),
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
      const rules = p?.kind === 'symbolic' ? (p.rules ?? []).map((u) => `\n  rule: ${showRuleUse(u)}`) : [];
      return `PROVED: ${claim}\n  lhs - rhs reduces to 0 by ${by}; the high-precision check agrees at ${sampled}. ${ms} ms.${rules.join('')}`;
    }
    case 'holds-numerically':
      return `HOLDS NUMERICALLY: ${claim}\n  no discrepancy at ${sampled}; not proved: ${r.reason ?? ''}. ${ms} ms.`;
    case 'refuted': {
      const c = r.counterexample;
      const at = Object.entries(c.point)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      return `REFUTED at ${at}: lhs = ${c.lhs}, rhs = ${c.rhs} (residual ${c.residual})\n  claim: ${claim} (seed ${seed}). ${ms} ms.`;
    }
    default:
      return `INCONCLUSIVE: ${claim}\n  ${r.reason ?? ''} (${sampled}). ${ms} ms.`;
  }
}

interface Read {
  lhs: Expr;
  rhs: Expr;
  domains: Domains;
  /** Internal name -> how the user wrote it (LaTeX spelling). */
  names: Map<string, string>;
  /** Each symbol's domain and where it came from. */
  assumed: string[];
}

function readPlain(text: string, where: string): Read {
  const domains = parseWhere(where);
  const { lhs, rhs } = parseEquation(text, domains);
  return { lhs, rhs, domains, names: new Map(), assumed: [] };
}

/** A LaTeX equation through the paper reader: the field's notation gives the domains --where does not. */
function readLatex(text: string, where: string): Read {
  const file = '<equation>';
  const paper = readPaper(text, file, { parseDomain, symbols: whereSymbols([where]), formula: true });
  const statements = paper.statements.filter((s) => s.piece.kind === 'display');
  const bad = statements.find((s) => !s.parses);
  if (bad) throw new InputError(bad.reason ?? 'the equation cannot be read', bad.position);
  const steps = statements.flatMap((s) => s.steps);
  if (steps.length !== 1)
    throw new InputError(
      steps.length === 0 ? "expected an equation 'lhs = rhs'" : "expected exactly one '=' in the equation",
      { file, line: 1, column: 1 },
      text,
    );
  const [step] = steps;
  if (!step.lowered)
    throw new InputError(`not checkable: ${step.reason ?? ''}`, step.step.position, step.step.lhsLatex);
  const names = new Map([...paper.spellings].map(([n, c]) => [n, spelling(c)]));
  const free = new Set([...freeSymbols(step.lowered.lhs), ...freeSymbols(step.lowered.rhs)]);
  const assumed = [...free]
    .map((n) => paper.assumptions.get(n))
    .filter((x) => x !== undefined)
    .map(
      (x) =>
        `${x.symbol} ${/^[<>]/.test(x.domain) || x.domain === 'real' ? x.domain : `in ${x.domain}`} (${x.source}: ${x.note})`,
    );
  return { lhs: step.lowered.lhs, rhs: step.lowered.rhs, domains: paper.domains, names, assumed };
}

/** Internal names in a condition replaced by the user's spellings. */
function rename(condition: string, names: Map<string, string>): string {
  return condition.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (n) => names.get(n) ?? n);
}

function assumptionLines(a: { domains: string[]; definedWhere: string[] }): string {
  const lines = [`  assuming ${a.domains.join('; ') || 'nothing (no symbols)'}`];
  if (a.definedWhere.length > 0)
    lines.push(`  and where both sides are defined: ${a.definedWhere.join('; ')}`);
  return lines.join('\n');
}

export const checkCommand: Command = {
  summary: 'prove or refute one identity: check "lhs = rhs" --where "..."',
  async run(args) {
    const a = parseArgs('check', args, {
      values: { where: 'string', seed: 'number', points: 'number' },
      booleans: ['json', 'help', 'latex'],
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
    const text = a.positional[0];
    const where = a.values.where ?? '';
    const latex = a.booleans.latex === true || /\\[A-Za-z]/.test(text);
    const { lhs, rhs, domains, names, assumed } = latex ? readLatex(text, where) : readPlain(text, where);
    const start = Date.now();
    const checked = await checkIdentity(lhs, rhs, { domains, seed, points });
    // Counterexamples and the claim as the user wrote them (LaTeX spellings, not internal names).
    const spelled = (c: PointCounterexample): PointCounterexample => ({
      ...c,
      point: Object.fromEntries(Object.entries(c.point).map(([k, v]) => [names.get(k) ?? k, v])),
    });
    const shown: IdentityResult = latex
      ? {
          ...checked,
          lhs: text.slice(0, text.indexOf('=')).trim(),
          rhs: text.slice(text.indexOf('=') + 1).trim(),
        }
      : checked;
    const r: IdentityResult =
      latex && shown.grade === 'refuted'
        ? { ...shown, counterexample: spelled(shown.counterexample) }
        : latex && shown.grade === 'inconclusive' && shown.counterexample
          ? { ...shown, counterexample: spelled(shown.counterexample) }
          : shown;
    const ms = Date.now() - start;
    const used = assumptionsOf(lhs, rhs, domains);
    const assumptions = {
      domains: latex ? assumed : used.domains,
      definedWhere: used.definedWhere.map((c) => rename(c, names)),
    };
    process.stdout.write(
      (a.booleans.json
        ? JSON.stringify({ ...toJson(r, seed, ms), assumptions })
        : `${paragraph(r, seed, ms)}\n${assumptionLines(assumptions)}`) + '\n',
    );
    return exitCodeOfGrade(r.grade);
  },
};
