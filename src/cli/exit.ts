// The process exit codes: one per outcome, bad input, and a bug. 70 is EX_SOFTWARE of sysexits.h.
import { outcomeOfGrade, type Grade, type Outcome } from '../core/verdict.js';

export const EXIT = { passed: 0, rejected: 1, badInput: 2, inconclusive: 3, internal: 70 } as const;

/** 0 passed, 1 rejected, 3 inconclusive. */
export function exitCode(outcome: Outcome): number {
  return EXIT[outcome];
}

export const exitCodeOfGrade = (grade: Grade): number => exitCode(outcomeOfGrade(grade));

/** How a progress line and a result heading name an outcome. */
export const OUTCOME_LABEL: Record<Outcome, string> = {
  passed: 'passed',
  rejected: 'FAILED',
  inconclusive: 'INCONCLUSIVE',
};
