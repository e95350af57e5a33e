/**
 * The signing queue: one `signing_jobs` table per database (DermaConsent's and
 * Nova's), same shape, drained by the one signing worker. Keeping each
 * system's jobs beside its own rows lets the worker finish a job and write its
 * result in a single transaction, and keeps either API out of the other's database.
 *
 * A job is pending while finished_at is null; the worker claims it with
 * FOR UPDATE SKIP LOCKED inside the transaction that does the work, so a
 * worker that dies mid-job simply releases it.
 */
import type pg from 'pg';

export type JobKind = 'nova-document' | 'consent-pdf';

/** The NOTIFY channel an enqueue wakes the worker on (it also polls, so a lost notification only delays). */
export const QUEUE_CHANNEL = 'signing_jobs';

/** Not a Prisma/Django migration: the queue is the sandbox's stand-in, not part of either real schema. */
export const QUEUE_DDL = `
CREATE TABLE IF NOT EXISTS signing_jobs (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  requested_by TEXT,
  -- What the requester sent for the job to print (only under the pdf-stored-plaintext fault).
  payload JSONB,
  attempts INTEGER NOT NULL DEFAULT 0,
  run_after TIMESTAMPTZ NOT NULL DEFAULT now(),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS signing_jobs_pending_idx ON signing_jobs (run_after) WHERE finished_at IS NULL;
`;

export async function ensureQueueTable(db: pg.Pool): Promise<void> {
  await db.query(QUEUE_DDL);
}

/** Adds a job and wakes the worker; pass a transaction's client to enqueue atomically with the row it signs. */
export async function enqueue(
  db: pg.Pool | pg.PoolClient,
  job: { kind: JobKind; refId: string; requestedBy?: string | null; payload?: unknown },
): Promise<void> {
  await db.query('INSERT INTO signing_jobs (kind, ref_id, requested_by, payload) VALUES ($1, $2, $3, $4)', [
    job.kind,
    job.refId,
    job.requestedBy ?? null,
    job.payload === undefined ? null : JSON.stringify(job.payload),
  ]);
  await db.query(`SELECT pg_notify($1, $2)`, [QUEUE_CHANNEL, job.kind]);
}

/** Is a job for this row still waiting (or failing)? */
export async function hasPendingJob(db: pg.Pool | pg.PoolClient, kind: JobKind, refId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'SELECT 1 FROM signing_jobs WHERE kind = $1 AND ref_id = $2 AND finished_at IS NULL LIMIT 1',
    [kind, refId],
  );
  return (rowCount ?? 0) > 0;
}
