/** Pure comparison of a suite run with the catalogue's expectation (unit-tested). */
export { checklistIds } from '../../helpers/checklist.ts';

export interface RunOutcome {
  fault: string;
  seconds: number;
  /** The run itself broke (no report, sandbox did not start, config error). */
  error?: string;
  /** Checklist IDs of tests that failed. */
  failed: string[];
  /** Checklist IDs of tests that ran (not skipped). */
  ran: string[];
  /** "title: first line of the error" per failed test. */
  failures: string[];
}

export type Verdict = 'caught' | 'clean' | 'missed' | 'noisy' | 'error';

export interface MatrixRow {
  fault: string;
  expected: string[];
  failed: string[];
  verdict: Verdict;
  seconds: number;
  note?: string;
  failures: string[];
}

/**
 * caught: exactly the expected IDs failed. clean: nothing expected, nothing failed.
 * missed: an expected ID did not fail (or has no test that ran). noisy: an unexpected ID failed.
 */
export function compare(outcome: RunOutcome, expected: readonly string[]): MatrixRow {
  const base = { fault: outcome.fault, expected: [...expected], failed: outcome.failed, seconds: outcome.seconds, failures: outcome.failures };
  if (outcome.error) return { ...base, verdict: 'error', note: outcome.error };
  const failed = new Set(outcome.failed);
  const missing = expected.filter((id) => !failed.has(id));
  const untested = missing.filter((id) => !outcome.ran.includes(id));
  const extra = outcome.failed.filter((id) => !expected.includes(id));
  const notes: string[] = [];
  if (missing.length) notes.push(`not failed: ${missing.join(', ')}${untested.length ? ` (no test ran for ${untested.join(', ')})` : ''}`);
  if (extra.length) notes.push(`also failed: ${extra.join(', ')}`);
  const verdict: MatrixRow['verdict'] = missing.length ? 'missed' : extra.length ? 'noisy' : expected.length ? 'caught' : 'clean';
  return { ...base, verdict, note: notes.join('; ') || undefined };
}

/**
 * One fault's row from a run it shared with partners (sandbox/faults/grouping.ts):
 * its own expected IDs must all fail, and nothing may fail that no member of
 * the group expects. Its `failed` column shows its own IDs that failed plus
 * any unexplained ones (those make every member of the group noisy).
 */
export function compareInGroup(outcome: RunOutcome, expected: readonly string[], groupExpected: readonly string[]): MatrixRow {
  const explained = new Set(groupExpected);
  const own = new Set(expected);
  const failed = outcome.failed.filter((id) => own.has(id) || !explained.has(id));
  return compare({ ...outcome, failed }, expected);
}
