import { describe, expect, it } from 'vitest';
import { checklistIds, compare, compareInGroup, type RunOutcome } from './verdict.ts';

const outcome = (failed: string[], ran: string[] = ['DC-HDR-1', 'DC-HDR-2', 'DC-SEC-2']): RunOutcome => ({
  fault: 'f',
  seconds: 1,
  failed,
  ran,
  failures: [],
});

describe('checklistIds', () => {
  it('reads every ID a title starts with', () => {
    expect(checklistIds('DC-HEALTH-2 DC-DB-1 readiness reports ok')).toEqual(['DC-HEALTH-2', 'DC-DB-1']);
    expect(checklistIds('NHC-PDF-1 document is signed')).toEqual(['NHC-PDF-1']);
  });
  it('ignores IDs that are not at the start', () => {
    expect(checklistIds('readiness (DC-DB-1)')).toEqual([]);
    expect(checklistIds('DC-HDR-10x')).toEqual([]);
  });
});

describe('compare', () => {
  it('caught: exactly the expected IDs failed', () => {
    expect(compare(outcome(['DC-HDR-1']), ['DC-HDR-1']).verdict).toBe('caught');
  });
  it('missed: an expected ID passed', () => {
    const row = compare(outcome([]), ['DC-HDR-1']);
    expect(row.verdict).toBe('missed');
    expect(row.note).toMatch(/not failed: DC-HDR-1/);
  });
  it('missed: says when no test ran for the ID', () => {
    expect(compare(outcome([], []), ['DC-HDR-1']).note).toMatch(/no test ran for DC-HDR-1/);
  });
  it('noisy: another ID failed too', () => {
    const row = compare(outcome(['DC-HDR-1', 'DC-SEC-2']), ['DC-HDR-1']);
    expect(row.verdict).toBe('noisy');
    expect(row.note).toMatch(/also failed: DC-SEC-2/);
  });
  it('clean: nothing expected, nothing failed; noisy when something did', () => {
    expect(compare(outcome([]), []).verdict).toBe('clean');
    expect(compare(outcome(['DC-HDR-2']), []).verdict).toBe('noisy');
  });
  it('error: the run itself broke', () => {
    expect(compare({ ...outcome([]), error: 'no report' }, ['DC-HDR-1']).verdict).toBe('error');
  });
});

describe('compareInGroup', () => {
  it("holds a fault to its own IDs; partners' expected failures are not its noise", () => {
    const row = compareInGroup(outcome(['DC-HDR-1', 'DC-SEC-2']), ['DC-HDR-1'], ['DC-HDR-1', 'DC-SEC-2']);
    expect(row.verdict).toBe('caught');
    expect(row.failed).toEqual(['DC-HDR-1']);
  });
  it('is missed when its own ID passed, whatever the partners did', () => {
    expect(compareInGroup(outcome(['DC-SEC-2']), ['DC-HDR-1'], ['DC-HDR-1', 'DC-SEC-2']).verdict).toBe('missed');
  });
  it('is noisy when an ID no member expects failed', () => {
    const row = compareInGroup(outcome(['DC-HDR-1', 'DC-HDR-2']), ['DC-HDR-1'], ['DC-HDR-1', 'DC-SEC-2']);
    expect(row.verdict).toBe('noisy');
    expect(row.failed).toEqual(['DC-HDR-1', 'DC-HDR-2']);
  });
});
