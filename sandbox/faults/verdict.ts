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
  /** Tests that failed in a fixture or hook, not on their own assertion: "title: first line". */
  setupFailures?: string[];
  /** Per checklist ID, the tests (file:line) that failed on their own assertion. */
  failedBy?: Record<string, string[]>;
  /** Tests that were skipped, with the reason: "title: reason". */
  skipped?: string[];
}

/**
 * caught / clean / missed / noisy as before; broken-setup: a test failed in a
 * fixture or hook rather than on its own assertion (a setup failure proves no
 * check); vacuous: a run that expects no failure skipped checks, so "nothing
 * failed" proves little.
 */
export type Verdict = 'caught' | 'clean' | 'missed' | 'noisy' | 'broken-setup' | 'vacuous' | 'error';

export interface MatrixRow {
  fault: string;
  expected: string[];
  failed: string[];
  verdict: Verdict;
  seconds: number;
  note?: string;
  failures: string[];
  /** The tests that caught the fault: its expected IDs' failing tests (file:line). */
  caughtBy: string[];
}

/**
 * Did a test fail on its own assertion? Yes when the error was raised in the
 * test's own spec file (an expect, or a check's report, called from there)
 * or the test body timed out; no when Playwright says it happened while
 * setting up or tearing down a fixture, or nothing of the spec is on the stack.
 */
export function failedOnOwnAssertion(specFile: string, error: { message?: string; stack?: string } | undefined): boolean {
  const message = (error?.message ?? '').replace(/\u001b\[[0-9;]*m/g, '');
  if (/while (setting up|tearing down) "|in "(beforeAll|afterAll|beforeEach|afterEach)" hook|while running "(beforeAll|afterAll|beforeEach|afterEach)" hook/.test(message)) return false;
  if (/^(Error: )?Test timeout of \d+ms exceeded\.?\s*$/m.test(message.split('\n')[0] ?? '')) return true;
  const base = specFile.split(/[\\/]/).pop() ?? specFile;
  // The file name right after a path separator: other-flows.spec.ts is not flows.spec.ts.
  return (error?.stack ?? '').split('\n').some((line) => line.includes(`/${base}:`) || line.includes(`\\${base}:`));
}

/**
 * caught: exactly the expected IDs failed. clean: nothing expected, nothing failed.
 * missed: an expected ID did not fail (or has no test that ran). noisy: an unexpected ID failed.
 */
export function compare(outcome: RunOutcome, expected: readonly string[]): MatrixRow {
  const caughtBy = [...new Set(expected.flatMap((id) => outcome.failedBy?.[id] ?? []))].sort();
  const base = { fault: outcome.fault, expected: [...expected], failed: outcome.failed, seconds: outcome.seconds, failures: outcome.failures, caughtBy };
  if (outcome.error) return { ...base, verdict: 'error', note: outcome.error };
  if (outcome.setupFailures?.length) {
    return { ...base, verdict: 'broken-setup', note: `failed in setup, not on a check's own assertion: ${outcome.setupFailures.join('; ')}` };
  }
  const failed = new Set(outcome.failed);
  const missing = expected.filter((id) => !failed.has(id));
  const untested = missing.filter((id) => !outcome.ran.includes(id));
  const extra = outcome.failed.filter((id) => !expected.includes(id));
  const notes: string[] = [];
  if (missing.length) notes.push(`not failed: ${missing.join(', ')}${untested.length ? ` (no test ran for ${untested.join(', ')})` : ''}`);
  if (extra.length) notes.push(`also failed: ${extra.join(', ')}`);
  if (!expected.length && !extra.length && outcome.skipped?.length) {
    return { ...base, verdict: 'vacuous', note: `nothing failed, but not every check ran: ${outcome.skipped.join('; ')}` };
  }
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
