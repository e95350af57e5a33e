/**
 * The run's ledger (reports/ledger/<run-id>.jsonl): before the suite asks a
 * target to create something it appends an intent (how to find it: an email,
 * a name), and after the create the ID. A crash between the two leaves a
 * findable intent, never an invisible entity. The cleanup reads it back.
 * Appends are single small writes with O_APPEND, safe across workers.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type LedgerKind = 'user' | 'practice' | 'consent' | 'nova-document';

export interface LedgerEntry {
  runId: string;
  target: string;
  kind: LedgerKind;
  /** How to find it without its ID: e.g. {email} of a user, {name} of a practice. */
  find: Record<string, string>;
  /** Set once created. */
  id?: string;
  /** Where a child lives (the practice of a consent): undoing the parent undoes it. */
  parent?: { kind: LedgerKind; id: string };
  at: string;
}

export function ledgerFile(reportsDir: string, runId: string): string {
  return path.join(reportsDir, 'ledger', `${runId}.jsonl`);
}

export function appendLedger(file: string, entry: Omit<LedgerEntry, 'at'>): void {
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ ...entry, at: new Date().toISOString() })}\n`);
}

export function readLedger(file: string): LedgerEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as LedgerEntry];
      } catch {
        return []; // a line cut off by a crash
      }
    });
}

export interface UndoItem {
  kind: LedgerKind;
  id?: string;
  find: Record<string, string>;
}

/**
 * What to undo, newest first: each entity once (its created line wins over
 * its intent, matched by kind and `find`); children whose parent is undone
 * are left to the parent's undo.
 */
export function undoPlan(entries: readonly LedgerEntry[]): UndoItem[] {
  const byKey = new Map<string, UndoItem & { at: string; parent?: LedgerEntry['parent'] }>();
  for (const e of entries) {
    const key = `${e.kind}:${JSON.stringify(e.find)}`;
    const seen = byKey.get(key);
    byKey.set(key, { kind: e.kind, find: e.find, id: e.id ?? seen?.id, at: seen?.at ?? e.at, parent: e.parent ?? seen?.parent });
  }
  const items = [...byKey.values()];
  const undone = new Set(items.filter((i) => i.id).map((i) => `${i.kind}:${i.id}`));
  return items
    .filter((i) => !(i.parent && undone.has(`${i.parent.kind}:${i.parent.id}`)))
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .map(({ kind, id, find }) => (id ? { kind, id, find } : { kind, find }));
}
