import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';

/** A migration later than every folder in sandbox/migrations, which the fault records as failed. */
export const FAILED_MIGRATION = '20260115120000_add_consent_reminders';

/**
 * The 'migration-failed' fault: the row `prisma migrate deploy` leaves when a
 * migration fails and someone marks it with `prisma migrate resolve
 * --rolled-back`: started, never finished, rolled back, the error in logs.
 */
export async function recordFailedMigration(db: pg.Pool): Promise<void> {
  const sql = 'ALTER TABLE "consent_forms" ADD COLUMN "reminder_sent_at" TIMESTAMPTZ;\nCREATE INDEX "consent_forms_reminder_idx" ON "consent_forms"("reminder_sent_at");\n';
  const logs = [
    `Migration name: ${FAILED_MIGRATION}`,
    '',
    'Database error code: 42P07',
    '',
    'Database error:',
    'ERROR: relation "consent_forms_reminder_idx" already exists',
    '',
    'DbError { severity: "ERROR", parsed_severity: Some(Error), code: SqlState(E42P07), message: "relation \\"consent_forms_reminder_idx\\" already exists", detail: None, hint: None, position: None, where_: None, schema: None, table: None, column: None, datatype: None, constraint: None, file: Some("index.c"), line: Some(877), routine: Some("index_create") }',
    '',
  ].join('\n');
  await db.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
     VALUES ($1, $2, NULL, $3, $4, now(), now() - interval '2 minutes', 0)`,
    [randomUUID(), createHash('sha256').update(sql).digest('hex'), FAILED_MIGRATION, logs],
  );
}
