import { randomUUID } from 'node:crypto';
import type pg from 'pg';

/** Action names as the real API writes them (docs/targets/). */
export type AuditAction =
  | 'LOGIN_SUCCESS'
  | 'LOGIN_FAILED'
  | 'PRACTICE_CREATED'
  | 'CONSENT_CREATED'
  | 'CONSENT_SUBMITTED'
  | 'VAULT_UNLOCKED'
  | 'VAULT_LOCKED'
  | 'PDF_GENERATED'
  | 'PDF_DOWNLOADED'
  | 'SUBSCRIPTION_CREATED';

export interface AuditEntry {
  action: AuditAction;
  practiceId: string | null;
  userId: string | null;
  entityType?: string;
  entityId?: string;
  metadata?: Record<string, unknown>;
  ipAddress?: string;
}

/** Writes one audit_logs row; pass a transaction's client to make it part of the write it records. */
export async function writeAudit(db: pg.Pool | pg.PoolClient, entry: AuditEntry): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO audit_logs (id, practice_id, user_id, action, entity_type, entity_id, metadata, ip_address)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      id,
      entry.practiceId,
      entry.userId,
      entry.action,
      entry.entityType ?? null,
      entry.entityId ?? null,
      entry.metadata === undefined ? null : JSON.stringify(entry.metadata),
      entry.ipAddress ?? null,
    ],
  );
  return id;
}
