import { randomUUID } from 'node:crypto';
import type { SandboxContext } from '../context.ts';
import { HttpError, type Router } from '../http/router.ts';
import { writeAudit } from './audit-log.ts';
import { authenticate, clientIp, requirePractice } from './session.ts';
import { isEmail, isObject, isRecord, isString, maxLength, notEmpty, required, validateBody, type Constraint } from './validation.ts';

export const TRIAL_DAYS = 30;

// The API stores the key blob as it comes (Prisma Json); judging it is the suite's job (DC-FLOW-2).
const isKeyBlob: Constraint = (v, n) =>
  isRecord(v) || (typeof v === 'string' && v !== '') ? undefined : `${n} must be an object`;

export function practiceRoutes(router: Router, ctx: SandboxContext): void {
  router.post('/api/practice', async (req) => {
    const principal = await authenticate(ctx, req);
    const body = validateBody(req.body, {
      name: required(isString, notEmpty, maxLength(200)),
      dsgvoContact: required(isEmail),
      publicKey: required(isObject),
      encryptedPrivKey: required(isKeyBlob),
    });
    const client = await ctx.db.connect();
    try {
      await client.query('BEGIN');
      const { rows: users } = await client.query<{ practice_id: string | null }>(
        'SELECT practice_id FROM users WHERE id = $1 FOR UPDATE',
        [principal.userId],
      );
      if (users[0]?.practice_id) {
        throw new HttpError(400, 'USER_ALREADY_MEMBER', 'User is already a member of a practice');
      }
      const id = randomUUID();
      const { rows } = await client.query<{ id: string; name: string; created_at: Date }>(
        `INSERT INTO practices (id, name, dsgvo_contact, public_key, encrypted_priv_key)
         VALUES ($1, $2, $3, $4, $5) RETURNING id, name, created_at`,
        [id, (body.name as string).trim(), body.dsgvoContact, JSON.stringify(body.publicKey), JSON.stringify(body.encryptedPrivKey)],
      );
      await client.query('UPDATE users SET practice_id = $1, updated_at = now() WHERE id = $2', [id, principal.userId]);
      await client.query(
        `INSERT INTO subscriptions (id, practice_id, plan, status, trial_ends_at, current_period_end)
         VALUES ($1, $2, 'FREE_TRIAL', 'TRIALING', now() + make_interval(days => $3), now() + make_interval(days => $3))`,
        [randomUUID(), id, TRIAL_DAYS],
      );
      await writeAudit(client, {
        action: 'PRACTICE_CREATED',
        practiceId: id,
        userId: principal.userId,
        entityType: 'Practice',
        entityId: id,
        metadata: { name: (body.name as string).trim() },
        ipAddress: clientIp(req),
      });
      await client.query('COMMIT');
      const practice = rows[0] as { id: string; name: string; created_at: Date };
      return { status: 201, body: { id: practice.id, name: practice.name, createdAt: practice.created_at.toISOString() } };
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  });

  router.get('/api/practice', async (req) => {
    const { practiceId } = await requirePractice(ctx, req);
    const { rows } = await ctx.db.query<{
      id: string;
      name: string;
      dsgvo_contact: string;
      public_key: unknown;
      encrypted_priv_key: unknown;
      created_at: Date;
      updated_at: Date;
      plan: string | null;
      status: string | null;
      trial_ends_at: Date | null;
    }>(
      `SELECT p.id, p.name, p.dsgvo_contact, p.public_key, p.encrypted_priv_key, p.created_at, p.updated_at,
              s.plan, s.status, s.trial_ends_at
       FROM practices p LEFT JOIN subscriptions s ON s.practice_id = p.id
       WHERE p.id = $1`,
      [practiceId],
    );
    const p = rows[0];
    if (!p) throw new HttpError(404, 'PRACTICE_NOT_FOUND', 'Practice not found');
    return {
      status: 200,
      body: {
        id: p.id,
        name: p.name,
        dsgvoContact: p.dsgvo_contact,
        publicKey: p.public_key,
        encryptedPrivKey: p.encrypted_priv_key,
        createdAt: p.created_at.toISOString(),
        updatedAt: p.updated_at.toISOString(),
        subscription: p.plan
          ? { plan: p.plan, status: p.status, trialEndsAt: p.trial_ends_at?.toISOString() ?? null }
          : null,
      },
    };
  });
}
