/**
 * Deletes what a run created where the target's API offers no delete (the
 * real DermaConsent has none for users, practices or consents): through a
 * separate, write-capable database setting (SMOKE_CLEANUP_DATABASE_URL, never
 * the read-only one), by ID, inside one transaction, children first. The
 * children are found from the database's own foreign keys, so the same code
 * serves the real schema and the sandbox's. Only synthetic rows are touched:
 * users whose email is smoke+<run-id>-..., practices named "Smoke ...".
 */
import type pg from 'pg';

interface ForeignKey {
  child: string;
  childColumn: string;
  parent: string;
  parentColumn: string;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function foreignKeys(client: pg.PoolClient): Promise<ForeignKey[]> {
  const { rows } = await client.query<ForeignKey>(
    `SELECT kcu.table_name AS child, kcu.column_name AS "childColumn", ccu.table_name AS parent, ccu.column_name AS "parentColumn"
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
       JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
      WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'`,
  );
  return rows;
}

/** Deletes rows of `table` whose `column` is in `values`, after every row that references them; returns rows deleted per table. */
async function deleteTree(client: pg.PoolClient, fks: ForeignKey[], table: string, column: string, values: string[], counts: Map<string, number>, depth = 0): Promise<void> {
  if (values.length === 0) return;
  if (depth > 12) throw new Error(`cleanup: foreign keys nest deeper than 12 below ${table}: refusing to guess`);
  for (const fk of fks.filter((f) => f.parent === table)) {
    const { rows } = await client.query<{ v: string }>(
      `SELECT DISTINCT ${q(fk.parentColumn)}::text AS v FROM ${q(table)} WHERE ${q(column)}::text = ANY($1::text[])`,
      [values],
    );
    const referenced = rows.map((r) => r.v).filter((v) => v !== null);
    if (fk.child === table && fk.childColumn === column) continue; // a row pointing at itself
    await deleteTree(client, fks, fk.child, fk.childColumn, referenced, counts, depth + 1);
  }
  const res = await client.query(`DELETE FROM ${q(table)} WHERE ${q(column)}::text = ANY($1::text[])`, [values]);
  if (res.rowCount) counts.set(table, (counts.get(table) ?? 0) + res.rowCount);
}

export interface CleanupTargets {
  /** Practice IDs, and names to find practices a crash left without an ID. */
  practiceIds: string[];
  practiceNames: string[];
  userIds: string[];
  userEmails: string[];
}

export interface CleanupResult {
  /** Rows deleted, per table. */
  deleted: Record<string, number>;
  /** What is still there after the delete (read back): must be nothing. */
  remaining: string[];
}

/** Deletes the run's practices, then its users, children first, in one transaction; then reads back that they are gone. */
export async function deleteSynthetic(pool: pg.Pool, t: CleanupTargets): Promise<CleanupResult> {
  const client = await pool.connect();
  const counts = new Map<string, number>();
  try {
    await client.query('BEGIN');
    const fks = await foreignKeys(client);
    // Only synthetic rows, whatever the ledger says: a cleanup must never reach a real practice.
    const practices = await client.query<{ id: string }>(
      `SELECT id::text FROM practices WHERE (id::text = ANY($1::text[]) OR name = ANY($2::text[])) AND name LIKE 'Smoke %'`,
      [t.practiceIds, t.practiceNames],
    );
    const users = await client.query<{ id: string }>(
      `SELECT id::text FROM users WHERE (id::text = ANY($1::text[]) OR email = ANY($2::text[])) AND email LIKE 'smoke+%'`,
      [t.userIds, t.userEmails],
    );
    await deleteTree(client, fks, 'practices', 'id', practices.rows.map((r) => r.id), counts);
    await deleteTree(client, fks, 'users', 'id', users.rows.map((r) => r.id), counts);
    await client.query('COMMIT');
    const left = await client.query<{ what: string }>(
      `SELECT 'practice ' || id::text AS what FROM practices WHERE id::text = ANY($1::text[])
       UNION ALL SELECT 'user ' || id::text FROM users WHERE id::text = ANY($2::text[])`,
      [practices.rows.map((r) => r.id), users.rows.map((r) => r.id)],
    );
    return { deleted: Object.fromEntries(counts), remaining: left.rows.map((r) => r.what) };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Synthetic users and practices of earlier runs (by the naming scheme), older than `olderThanMs`. */
export async function findStale(pool: pg.Pool, olderThanMs: number): Promise<CleanupTargets> {
  const before = new Date(Date.now() - olderThanMs);
  const users = await pool.query<{ id: string }>(`SELECT id::text FROM users WHERE email LIKE 'smoke+%' AND created_at < $1`, [before]);
  const practices = await pool.query<{ id: string }>(`SELECT id::text FROM practices WHERE name LIKE 'Smoke %' AND created_at < $1`, [before]);
  return { practiceIds: practices.rows.map((r) => r.id), practiceNames: [], userIds: users.rows.map((r) => r.id), userEmails: [] };
}
