import { mkdtempSync, rmSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendLedger, ledgerFile, readLedger, undoPlan, type LedgerEntry } from './ledger.ts';

const e = (kind: LedgerEntry['kind'], find: Record<string, string>, at: string, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({ runId: 'r', target: 'local', kind, find, at, ...extra });

describe('undoPlan', () => {
  it('undoes newest first, each entity once, its ID from the created line', () => {
    const plan = undoPlan([
      e('user', { email: 'a@x' }, '1'),
      e('user', { email: 'a@x' }, '2', { id: 'u1' }),
      e('practice', { name: 'P' }, '3'),
      e('practice', { name: 'P' }, '4', { id: 'p1' }),
    ]);
    expect(plan).toEqual([
      { kind: 'practice', id: 'p1', find: { name: 'P' } },
      { kind: 'user', id: 'u1', find: { email: 'a@x' } },
    ]);
  });
  it('keeps an intent whose create never reported back (a crash in between): findable by its name', () => {
    expect(undoPlan([e('user', { email: 'b@x' }, '1')])).toEqual([{ kind: 'user', find: { email: 'b@x' } }]);
  });
  it("leaves a child to its parent's undo", () => {
    const plan = undoPlan([e('practice', { name: 'P' }, '1', { id: 'p1' }), e('consent', { token: 't' }, '2', { id: 'c1', parent: { kind: 'practice', id: 'p1' } })]);
    expect(plan.map((p) => p.kind)).toEqual(['practice']);
  });
});

describe('the ledger file', () => {
  it('appends lines and reads them back, skipping a line a crash cut off', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ledger-'));
    try {
      const file = ledgerFile(dir, 'r1');
      appendLedger(file, { runId: 'r1', target: 'local', kind: 'user', find: { email: 'a@x' } });
      appendFileSync(file, '{"runId":"r1","kind":"us');
      expect(readLedger(file)).toMatchObject([{ kind: 'user', find: { email: 'a@x' } }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
