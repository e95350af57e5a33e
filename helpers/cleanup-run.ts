/**
 * Undoing a run (or a crashed one) from its ledger: what the global teardown
 * does after every run and `npm run cleanup` does on demand. Failures are
 * reported, never thrown over the run's own result.
 */
import pg from 'pg';
import { deleteSynthetic, type CleanupResult, type CleanupTargets } from './cleanup-db.ts';
import { connectionOptions } from './db.ts';
import type { UndoItem } from './ledger.ts';
import type { Settings } from './settings.ts';

export interface RunCleanup {
  target: string;
  /** Rows deleted per table. */
  deleted: Record<string, number>;
  /** What could not be undone, and why: kind, ID or how to find it. */
  leftBehind: string[];
}

export function targetsOf(plan: readonly UndoItem[]): CleanupTargets {
  const t: CleanupTargets = { practiceIds: [], practiceNames: [], userIds: [], userEmails: [] };
  for (const item of plan) {
    if (item.kind === 'practice') {
      if (item.id) t.practiceIds.push(item.id);
      if (item.find.name) t.practiceNames.push(item.find.name);
    } else if (item.kind === 'user') {
      if (item.id) t.userIds.push(item.id);
      if (item.find.email) t.userEmails.push(item.find.email);
    }
  }
  return t;
}

export const describeItem = (i: UndoItem): string => `${i.kind} ${i.id ?? JSON.stringify(i.find)}`;

/** Deletes what `plan` names on the target, through its cleanup database; says plainly what stays. */
export async function undo(settings: Settings, plan: readonly UndoItem[]): Promise<RunCleanup> {
  const out: RunCleanup = { target: settings.target, deleted: {}, leftBehind: [] };
  if (plan.length === 0) return out;
  const unsupported = plan.filter((i) => i.kind !== 'user' && i.kind !== 'practice');
  out.leftBehind.push(...unsupported.map((i) => `${describeItem(i)} (no undo for this kind)`));
  const dcPlan = plan.filter((i) => i.kind === 'user' || i.kind === 'practice');
  if (dcPlan.length === 0) return out;
  if (!settings.cleanupDatabaseUrl) {
    out.leftBehind.push(
      ...dcPlan.map((i) => `${describeItem(i)} (the API has no delete route for it; set SMOKE_CLEANUP_DATABASE_URL, a write-capable role, to remove it)`),
    );
    return out;
  }
  const pool = new pg.Pool({ ...connectionOptions(settings.cleanupDatabaseUrl, settings.databaseCaFile), max: 1, application_name: 'go-live-smoke-cleanup' });
  pool.on('error', () => undefined);
  try {
    const result: CleanupResult = await deleteSynthetic(pool, targetsOf(dcPlan));
    out.deleted = result.deleted;
    out.leftBehind.push(...result.remaining.map((r) => `${r} (still there after the delete)`));
  } catch (err) {
    out.leftBehind.push(...dcPlan.map((i) => `${describeItem(i)} (cleanup failed: ${(err as Error).message.split('\n')[0]})`));
  } finally {
    await pool.end();
  }
  return out;
}
