import { describe, expect, it } from 'vitest';
import { checklistIds, compare, compareInGroup, failedOnOwnAssertion, type RunOutcome } from './verdict.ts';

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

describe('failedOnOwnAssertion', () => {
  const spec = 'flows.spec.ts';
  it("counts an expect or a check's report raised from the spec", () => {
    const stack = 'Error: expect(received).toBe(expected)\n    at /work/tests/flows.spec.ts:120:7';
    expect(failedOnOwnAssertion(spec, { message: 'Error: expect(received).toBe(expected)', stack })).toBe(true);
    const viaReport = 'Error: where:\n  - x\n    at report (/work/fixtures/annotations.ts:15:11)\n    at /work/tests/flows.spec.ts:170:5';
    expect(failedOnOwnAssertion(spec, { message: 'Error: where:', stack: viaReport })).toBe(true);
  });
  it('does not count an error thrown by a fixture, or a timeout while setting one up', () => {
    const fixture = 'TypeError: cannot read x\n    at /work/fixtures/consent.ts:60:12\n    at /work/node_modules/playwright/lib/worker/fixtureRunner.js:1:1';
    expect(failedOnOwnAssertion(spec, { message: 'TypeError: cannot read x', stack: fixture })).toBe(false);
    expect(failedOnOwnAssertion(spec, { message: 'Test timeout of 60000ms exceeded while setting up "workerSubmission".' })).toBe(false);
    expect(failedOnOwnAssertion(spec, { message: 'Error: boom in "beforeEach" hook' })).toBe(false);
  });
  it("counts a plain timeout of the test's own body", () => {
    expect(failedOnOwnAssertion(spec, { message: 'Test timeout of 60000ms exceeded.' })).toBe(true);
  });
  it('does not mistake another spec file for this one', () => {
    expect(failedOnOwnAssertion(spec, { message: 'x', stack: 'Error: x\n    at /work/tests/other-flows.spec.ts:1:1' })).toBe(false);
  });
});

describe('compare: only a check’s own assertion proves a fault', () => {
  it('broken-setup when a test failed in setup, whatever else failed', () => {
    const row = compare({ ...outcome(['DC-FLOW-5']), setupFailures: ['DC-FLOW-6 x: TypeError'] }, ['DC-FLOW-5']);
    expect(row.verdict).toBe('broken-setup');
    expect(row.note).toMatch(/DC-FLOW-6 x: TypeError/);
  });
  it('names the tests that caught it', () => {
    const row = compare({ ...outcome(['DC-HDR-1']), failedBy: { 'DC-HDR-1': ['http-security.spec.ts:57'] } }, ['DC-HDR-1']);
    expect(row).toMatchObject({ verdict: 'caught', caughtBy: ['http-security.spec.ts:57'] });
  });
  it('vacuous when a run that expects nothing skipped checks', () => {
    const row = compare({ ...outcome([]), skipped: ['DC-PAY-5 webhooks: not configured'] }, []);
    expect(row.verdict).toBe('vacuous');
    expect(row.note).toMatch(/DC-PAY-5 webhooks: not configured/);
  });
});
