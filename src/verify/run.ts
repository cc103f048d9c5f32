// A verification: every claim checked (claims.ts), in order, assembled into the versioned report that
// the terminal, JSON, JUnit and HTML writers render. The package entry's verifyFile / verifyClaims.
import { readFileSync } from 'node:fs';
import { GRADES, type Grade } from '../core/verdict.js';
import type { Claim } from '../derivation/file.js';
import { matchOf, VERIFY_SCHEMA, type ClaimResult, type Match, type VerifyReport } from '../report/types.js';
import { checkClaim } from './claims.js';
import { loadClaims } from './files.js';

/** The base seed of `verify` and `scan` when none is given. */
export const DEFAULT_SEED = 20240607;

export interface VerifyOptions {
  /** Base seed from which every check's seed is derived (default DEFAULT_SEED). */
  seed?: number;
  /** Run the experiment blocks (default true); without them a claim made only of experiments is skipped. */
  monteCarlo?: boolean;
  /** Run experiments at their larger size. */
  thorough?: boolean;
  /** Per identity check. */
  timeBudgetMs?: number;
  /** The --only ids the claims were narrowed to, recorded in the report's options. */
  only?: string;
  /** Progress within the run: the fraction of claims done and what is being checked. */
  onProgress?: (fraction: number, note: string) => void;
  /** Each claim's result as soon as it is known. */
  onClaim?: (result: ClaimResult) => void;
}

/** The package version, for reports. */
export function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function summarizeClaims(claims: ClaimResult[], ms: number): VerifyReport['summary'] {
  const byGrade = Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>;
  const count: Record<Match, number> = { match: 0, mismatch: 0, skipped: 0 };
  for (const c of claims) {
    count[matchOf(c)]++;
    if (!c.skipped) byGrade[c.verdict.grade]++;
  }
  return {
    total: claims.length,
    matching: count.match,
    mismatching: count.mismatch,
    skipped: count.skipped,
    byGrade,
    ms,
  };
}

/** Checks the claims in order and returns the report (its summary says how many match their `expect`). */
export async function verifyClaims(claims: Claim[], options: VerifyOptions = {}): Promise<VerifyReport> {
  const seed = options.seed ?? DEFAULT_SEED;
  const monteCarlo = options.monteCarlo ?? true;
  const thorough = options.thorough ?? false;
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const results: ClaimResult[] = [];
  for (const [i, claim] of claims.entries()) {
    const result = await checkClaim(claim, {
      seed,
      monteCarlo,
      thorough,
      timeBudgetMs: options.timeBudgetMs,
      onProgress: (note) => options.onProgress?.(i / claims.length, note),
    });
    results.push(result);
    options.onClaim?.(result);
  }
  return {
    schema: VERIFY_SCHEMA,
    tool: { name: 'flowproof', version: toolVersion() },
    startedAt,
    seed,
    options: { monteCarlo, thorough, ...(options.only ? { only: options.only } : {}) },
    claims: results,
    summary: summarizeClaims(results, performance.now() - t0),
  };
}

/** Reads one derivation file and checks its claim. */
export async function verifyFile(path: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  return verifyClaims(loadClaims([path]), options);
}
