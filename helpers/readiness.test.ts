import { describe, expect, it } from 'vitest';
import { CHECKLIST } from './checklist.ts';
import { buildReadiness, formatReadinessMarkdown, type CheckResult } from './readiness.ts';
import { FAULTS } from '../sandbox/faults/catalogue.ts';

const r = (title: string, status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult => ({ title, status, warnings: [], ...extra });
const row = (rows: ReturnType<typeof buildReadiness>, id: string) => rows.find((x) => x.id === id);

describe('buildReadiness', () => {
  it('lists every checklist item, checked or not', () => {
    expect(buildReadiness([])).toHaveLength(CHECKLIST.length);
    expect(new Set(CHECKLIST.map((c) => c.id)).size).toBe(CHECKLIST.length);
  });

  it('fails an item when any of its tests failed, and says why', () => {
    const rows = buildReadiness([
      r('DC-HDR-2 enforced CSP', 'passed'),
      r('DC-HDR-2 no violations', 'failed', { error: 'Error: 2 violations' }),
    ]);
    expect(row(rows, 'DC-HDR-2')).toMatchObject({ verdict: 'failed', details: ['DC-HDR-2 no violations: Error: 2 violations'] });
  });

  it('calls an item partial when one of its tests passed and another was skipped, naming the unproven part', () => {
    const rows = buildReadiness([
      r('DC-MIG-1 none failed', 'passed'),
      r('DC-MIG-1 every migration recorded', 'skipped', { skipReason: 'not proven: set SMOKE_DC_LATEST_MIGRATION' }),
    ]);
    expect(row(rows, 'DC-MIG-1')).toMatchObject({
      verdict: 'partial',
      details: ['proven: DC-MIG-1 none failed', 'not proven: DC-MIG-1 every migration recorded (set SMOKE_DC_LATEST_MIGRATION)'],
    });
    expect(formatReadinessMarkdown(rows, { target: 't', runId: 'r', finishedAt: new Date(0) })).toContain('1 partial');
  });

  it('counts a title with two IDs for both', () => {
    const rows = buildReadiness([r('DC-HEALTH-2 DC-DB-1 readiness ok', 'passed')]);
    expect(row(rows, 'DC-DB-1')?.verdict).toBe('passed');
    expect(row(rows, 'DC-HEALTH-2')?.verdict).toBe('passed');
  });

  it('gives skip reasons, manual instructions and what partial checks leave to a person', () => {
    const rows = buildReadiness([
      r('NHC-PDF-1 signed in time', 'skipped', { skipReason: 'not configured: set SMOKE_NOVA_API_URL' }),
      r('DC-SEC-1 weak secrets rejected', 'passed'),
    ]);
    expect(row(rows, 'NHC-PDF-1')).toMatchObject({ verdict: 'skipped', details: ['not configured: set SMOKE_NOVA_API_URL'] });
    expect(row(rows, 'DC-MON-2')?.verdict).toBe('manual');
    expect(row(rows, 'DC-MON-2')?.details[0]).toMatch(/60 s/);
    expect(row(rows, 'DC-SEC-1')?.details[0]).toMatch(/^left to a person/);
    expect(row(rows, 'DC-PAY-1')?.verdict).toBe('not checked');
  });

  it('keeps warnings', () => {
    const rows = buildReadiness([r('DC-HDR-1 HSTS', 'passed', { warnings: ['no preload'] })]);
    expect(formatReadinessMarkdown(rows, { target: 'prod', runId: 'x', finishedAt: new Date(0) })).toMatch(/warning: no preload/);
  });
});

describe('fault catalogue', () => {
  it('names only checklist IDs that exist', () => {
    const known = new Set(CHECKLIST.map((c) => c.id));
    const unknown = Object.entries(FAULTS).flatMap(([name, f]) => f.expect.filter((id) => !known.has(id)).map((id) => `${name}: ${id}`));
    expect(unknown).toEqual([]);
  });
});
