/**
 * `npm run cleanup`: removes what runs left on a target.
 *   npm run cleanup -- --project=staging              list what the ledgers in reports/ledger/ still hold (dry run)
 *   npm run cleanup -- --project=staging --apply      remove it (after a crash, Ctrl-C or --max-failures)
 *   npm run cleanup -- --project=staging --sweep --older-than 24h [--apply]
 *                                                     synthetic users and practices of any earlier run, by name
 * Needs SMOKE_CLEANUP_DATABASE_URL (write-capable) for what the API cannot delete;
 * against prod also SMOKE_ALLOW_WRITES=1. Prints kinds and IDs, never a secret.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { findStale } from '../cleanup-db.ts';
import { describeItem, undo } from '../cleanup-run.ts';
import { connectionOptions } from '../db.ts';
import { readLedger, undoPlan, type UndoItem } from '../ledger.ts';
import { loadSettings, selectedTargets, SettingsError } from '../settings.ts';

const REPORTS = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'reports');

function duration(text: string): number {
  const m = /^(\d+)(m|h|d)$/.exec(text);
  if (!m) throw new Error(`--older-than ${text}: expected a duration such as 30m, 24h or 7d`);
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const apply = args.includes('--apply');
  const sweep = args.includes('--sweep');
  const olderIdx = args.indexOf('--older-than');
  const targets = selectedTargets();
  if (targets.length !== 1) throw new Error('name one target: --project=local|staging|prod');
  const target = targets[0] as (typeof targets)[number];
  const settings = loadSettings(target);
  if (apply && !settings.writes) {
    console.error(`refusing to delete on ${target}: writes are off (production rules); set SMOKE_ALLOW_WRITES=1 to allow the cleanup`);
    return 2;
  }

  let plan: UndoItem[];
  const ledgers: string[] = [];
  if (sweep) {
    if (!settings.cleanupDatabaseUrl) throw new Error('--sweep needs SMOKE_CLEANUP_DATABASE_URL (write-capable) to find and remove earlier runs');
    const olderThan = duration(olderIdx >= 0 ? (args[olderIdx + 1] ?? '') : '24h');
    const pool = new pg.Pool({ ...connectionOptions(settings.cleanupDatabaseUrl, settings.databaseCaFile), max: 1 });
    try {
      const stale = await findStale(pool, olderThan);
      plan = [...stale.practiceIds.map((id) => ({ kind: 'practice' as const, id, find: {} })), ...stale.userIds.map((id) => ({ kind: 'user' as const, id, find: {} }))];
    } finally {
      await pool.end();
    }
  } else {
    const dir = path.join(REPORTS, 'ledger');
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jsonl')) : [];
    plan = [];
    for (const f of files) {
      // Done already: the run's own teardown (or an earlier cleanup) left nothing behind.
      const record = path.join(dir, f.replace(/\.jsonl$/, '.cleanup.json'));
      if (existsSync(record) && (JSON.parse(readFileSync(record, 'utf8')) as { target: string; leftBehind: string[] }[]).every((r) => r.target !== target || r.leftBehind.length === 0)) continue;
      const entries = readLedger(path.join(dir, f)).filter((e) => e.target === target);
      if (entries.length === 0) continue;
      ledgers.push(path.join(dir, f));
      plan.push(...undoPlan(entries));
    }
  }
  console.log(`${sweep ? 'Sweep' : `Ledgers (${ledgers.length})`} on ${target}: ${plan.length} synthetic ${plan.length === 1 ? 'entity' : 'entities'}`);
  for (const i of plan) console.log(`  ${describeItem(i)}`);
  if (!apply) {
    console.log(plan.length ? 'Dry run: nothing deleted. Add --apply to remove them.' : 'Nothing to remove.');
    return 0;
  }
  const result = await undo(settings, plan);
  const deleted = Object.entries(result.deleted).map(([t, n]) => `${n} ${t}`).join(', ') || 'nothing';
  console.log(`Deleted ${deleted}.`);
  for (const l of result.leftBehind) console.log(`  left behind: ${l}`);
  // A replayed ledger is done once nothing is left: its cleanup record says so.
  for (const f of ledgers) writeFileSync(f.replace(/\.jsonl$/, '.cleanup.json'), `${JSON.stringify([result], null, 2)}\n`);
  return result.leftBehind.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof SettingsError ? err.message : `cleanup: ${(err as Error).message}`);
    process.exit(2);
  },
);
