import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { has, type SandboxContext } from '../context.ts';
import { HttpError, type Router } from '../http/router.ts';
import { writeAudit } from './audit-log.ts';
import { paging, toApi } from './rows.ts';
import { clientIp, requirePractice } from './session.ts';
import {
  isEmail,
  isIn,
  isNumber,
  isRecord,
  isString,
  matches,
  maxLength,
  notEmpty,
  optional,
  required,
  validateBody,
  type Constraint,
  type Schema,
} from './validation.ts';

export const CONSENT_TYPES = ['BOTOX', 'FILLER', 'LASER', 'CHEMICAL_PEEL', 'MICRONEEDLING', 'PRP'] as const;
export const LINK_VALID_DAYS = 7;
export const FREE_TRIAL_MONTHLY_CONSENTS = 25;

/** The free-trial quota; SANDBOX_CONSENT_MONTHLY_LIMIT lowers it for tests of the limit itself. */
function monthlyLimit(): number {
  const n = Number(process.env.SANDBOX_CONSENT_MONTHLY_LIMIT);
  return Number.isInteger(n) && n > 0 ? n : FREE_TRIAL_MONTHLY_CONSENTS;
}

/** Columns never shown on the public link: who created it and where it was signed from. */
/** What the public token route leaves out: the signer's traces and internal references (DC-PRIV-1). */
const PUBLIC_OMIT = ['created_by', 'signature_ip', 'signature_user_agent', 'practice_id', 'patient_id', 'patient_email', 'pdf_storage_path'];

const internalError = (): HttpError => new HttpError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
const notFound = (): HttpError => new HttpError(404, 'CONSENT_NOT_FOUND', 'Consent form not found');
const expired = (): HttpError => new HttpError(410, 'CONSENT_EXPIRED', 'This consent link has expired');

/** {iv, ciphertext[, encryptedSessionKey]}: ciphertext is stored as received, only its shape is checked. */
const isEncryptedResponses: Constraint = (v, n) => {
  if (!isRecord(v)) return `${n} must be an object`;
  const problems: string[] = [];
  for (const key of Object.keys(v)) {
    if (!['iv', 'ciphertext', 'encryptedSessionKey'].includes(key)) problems.push(`${n}.property ${key} should not exist`);
  }
  for (const key of ['iv', 'ciphertext']) {
    if (typeof v[key] !== 'string' || v[key] === '') problems.push(`${n}.${key} must be a non-empty string`);
  }
  if (v.encryptedSessionKey !== undefined && typeof v.encryptedSessionKey !== 'string') {
    problems.push(`${n}.encryptedSessionKey must be a string`);
  }
  return problems;
};

const isComprehensionAnswers: Constraint = (v, n) => {
  if (!Array.isArray(v)) return `${n} must be an array`;
  const bad = v.findIndex(
    (a) =>
      !isRecord(a) ||
      !(typeof a.questionId === 'string' || typeof a.questionId === 'number') ||
      !Number.isInteger(a.selectedIndex) ||
      typeof a.correct !== 'boolean',
  );
  return bad >= 0 ? `${n}.${bad} must be {questionId, selectedIndex, correct}` : undefined;
};

function submitSchema(ctx: SandboxContext): Schema {
  const schema: Schema = {
    encryptedResponses: required(isEncryptedResponses),
    encryptedSessionKey: optional(isString, notEmpty),
    encryptedPatientName: required(isString, notEmpty),
    encryptedPatientDob: required(isString, notEmpty),
    encryptedPatientEmail: optional(isString, notEmpty),
    patientLookupHash: required(matches(/^[0-9a-f]{64}$/, 'patientLookupHash must be a hex SHA-256 digest')),
    comprehensionScore: optional(isNumber),
    comprehensionAnswers: optional(isComprehensionAnswers),
    locale: optional(isString, maxLength(10)),
  };
  // Only the faults accept the plaintext extras; a healthy API rejects them like any unknown field.
  if (has(ctx, 'plaintext-at-rest')) schema.formData = optional();
  if (has(ctx, 'canary-in-other-table')) schema.debugContext = optional();
  return schema;
}

interface ConsentRow {
  id: string;
  practice_id: string;
  type: string;
  status: string;
  token: string;
  expires_at: Date;
}

async function inTransaction<T>(ctx: SandboxContext, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await ctx.db.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

export function consentRoutes(router: Router, ctx: SandboxContext): void {
  router.post('/api/consent', async (req) => {
    const principal = await requirePractice(ctx, req);
    const body = validateBody(req.body, {
      type: required(isIn(CONSENT_TYPES)),
      patientEmail: optional(isEmail),
    });
    const created = await inTransaction(ctx, async (client) => {
      // One creator at a time per practice, so the quota cannot be raced past.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [principal.practiceId]);
      const { rows: subs } = await client.query<{ plan: string }>(
        'SELECT plan FROM subscriptions WHERE practice_id = $1',
        [principal.practiceId],
      );
      if ((subs[0]?.plan ?? 'FREE_TRIAL') === 'FREE_TRIAL') {
        const { rows: counted } = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM consent_forms
           WHERE practice_id = $1 AND created_at >= date_trunc('month', now())`,
          [principal.practiceId],
        );
        const limit = monthlyLimit();
        if ((counted[0]?.n ?? 0) >= limit) {
          throw new HttpError(
            403,
            'CONSENT_LIMIT_REACHED',
            `Monthly consent limit of ${limit} reached for the free trial. Upgrade your plan to create more consents.`,
          );
        }
      }
      const { rows } = await client.query<{
        id: string;
        token: string;
        type: string;
        status: string;
        expires_at: Date;
        created_at: Date;
        practice_name: string;
      }>(
        `INSERT INTO consent_forms (id, practice_id, created_by, type, status, token, patient_email, expires_at)
         VALUES ($1, $2, $3, $4, 'PENDING', $5, $6, now() + make_interval(days => $7))
         RETURNING id, token, type, status, expires_at, created_at,
                   (SELECT name FROM practices WHERE id = $2) AS practice_name`,
        [
          randomUUID(),
          principal.practiceId,
          principal.userId,
          body.type,
          randomBytes(24).toString('base64url'),
          (body.patientEmail as string | undefined) ?? null,
          LINK_VALID_DAYS,
        ],
      );
      const row = rows[0] as NonNullable<(typeof rows)[0]>;
      await writeAudit(client, {
        action: 'CONSENT_CREATED',
        practiceId: principal.practiceId,
        userId: principal.userId,
        entityType: 'ConsentForm',
        entityId: row.id,
        metadata: { type: row.type },
        ipAddress: clientIp(req),
      });
      return row;
    });
    if (body.patientEmail) {
      await ctx.mail?.sendDc(body.patientEmail as string, {
        name: 'consent-link',
        practiceName: created.practice_name,
        token: created.token,
        type: created.type,
        expiresAt: created.expires_at,
      });
    }
    return {
      status: 201,
      body: {
        id: created.id,
        token: created.token,
        type: created.type,
        status: created.status,
        expiresAt: created.expires_at.toISOString(),
        createdAt: created.created_at.toISOString(),
        practiceName: created.practice_name,
      },
    };
  });

  // The dashboard's list. Registered before /api/consent/:token, which would otherwise take "practice" for a token.
  router.get('/api/consent/practice', async (req) => {
    const { practiceId } = await requirePractice(ctx, req);
    const { page, limit, offset } = paging(req.query, 20);
    const status = req.query.get('status');
    const filter = status ? [status] : [];
    const where = `practice_id = $1${status ? ' AND status::text = $2' : ''}`;
    const { rows: count } = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM consent_forms WHERE ${where}`,
      [practiceId, ...filter],
    );
    // As the real list: the patient as {id, encryptedName, encryptedEmail, lookupHash}, no ciphertext
    // (the practice's browser reads that from the token route when it decrypts).
    const { rows } = await ctx.db.query(
      `SELECT c.id, c.token, c.type, c.status, c.expires_at, c.created_at, c.signature_timestamp,
              c.pdf_storage_path IS NOT NULL AS has_pdf,
              p.id AS p_id, p.encrypted_name AS p_name, p.encrypted_email AS p_email, p.lookup_hash AS p_hash
       FROM consent_forms c LEFT JOIN patients p ON p.id = c.patient_id
       WHERE ${where.replace(/\bpractice_id\b/g, 'c.practice_id').replace('status::text', 'c.status::text')}
       ORDER BY c.created_at DESC, c.id
       LIMIT ${limit} OFFSET ${offset}`,
      [practiceId, ...filter],
    );
    const items = rows.map(({ p_id, p_name, p_email, p_hash, ...r }) => ({
      ...toApi(r),
      patient: p_id ? { id: p_id, encryptedName: p_name, encryptedEmail: p_email, lookupHash: p_hash } : null,
      // The sandbox never mails PDFs and keeps no risk model: the fields are there, as the dashboard reads them.
      pdfSentAt: null,
      pdfSentTo: null,
      noShowRisk: r.status === 'PENDING' ? 'LOW' : null,
    }));
    const total = count[0]?.n ?? 0;
    return { status: 200, body: { items, total, page, limit, totalPages: Math.ceil(total / limit) } };
  });

  router.get('/api/consent/:token', async (req) => {
    if (has(ctx, 'consent-link-broken')) throw internalError();
    const { rows } = await ctx.db.query(
      `SELECT c.*, p.name AS practice_name, p.public_key AS practice_public_key
       FROM consent_forms c JOIN practices p ON p.id = c.practice_id
       WHERE c.token = $1`,
      [req.params.token],
    );
    const row = rows[0] as (ConsentRow & Record<string, unknown>) | undefined;
    if (!row) throw notFound();
    if (row.status === 'PENDING' && row.expires_at.getTime() <= Date.now()) throw expired();
    const { practice_name, practice_public_key, ...consent } = row;
    // The real app's bug, as a fault: the whole row, the signer's IP and the internal IDs included.
    const leaks = has(ctx, 'public-consent-leaks-pii');
    return {
      status: 200,
      body: {
        ...toApi(consent, leaks ? [] : PUBLIC_OMIT),
        practice: leaks ? { id: row.practice_id, name: practice_name, publicKey: practice_public_key } : { name: practice_name, publicKey: practice_public_key },
      },
    };
  });

  router.post('/api/consent/:token/submit', async (req) => {
    if (has(ctx, 'submit-fails')) throw internalError();
    const body = validateBody(req.body, submitSchema(ctx));
    const responses = body.encryptedResponses as Record<string, unknown>;
    const wrappedKey = (body.encryptedSessionKey as string | undefined) ?? (responses.encryptedSessionKey as string | undefined);
    if (!wrappedKey) throw new HttpError(400, undefined, ['encryptedSessionKey should not be empty']);
    const ip = clientIp(req);

    const signed = await inTransaction(ctx, async (client) => {
      const { rows } = await client.query<ConsentRow>(
        'SELECT id, practice_id, type, status, token, expires_at FROM consent_forms WHERE token = $1 FOR UPDATE',
        [req.params.token],
      );
      const consent = rows[0];
      if (!consent) throw notFound();
      if (consent.status !== 'PENDING') {
        throw new HttpError(400, 'CONSENT_ALREADY_SUBMITTED', 'This consent form has already been submitted');
      }
      if (consent.expires_at.getTime() <= Date.now()) throw expired();

      // One patient per practice and identity: a returning patient is linked, not duplicated.
      const { rows: patients } = await client.query<{ id: string }>(
        `INSERT INTO patients (id, practice_id, encrypted_name, encrypted_dob, encrypted_email, lookup_hash)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (practice_id, lookup_hash) DO UPDATE
           SET encrypted_email = COALESCE(EXCLUDED.encrypted_email, patients.encrypted_email), updated_at = now()
         RETURNING id`,
        [
          randomUUID(),
          consent.practice_id,
          body.encryptedPatientName,
          body.encryptedPatientDob,
          (body.encryptedPatientEmail as string | undefined) ?? null,
          body.patientLookupHash,
        ],
      );
      const stored = has(ctx, 'plaintext-at-rest') && body.formData !== undefined ? { ...responses, formData: body.formData } : responses;
      const { rows: updated } = await client.query<{ signature_timestamp: Date }>(
        `UPDATE consent_forms SET
           status = 'SIGNED', patient_id = $2, encrypted_responses = $3, encrypted_session_key = $4,
           comprehension_score = $5, comprehension_answers = $6, locale = $7,
           signature_ip = $8, signature_timestamp = now(), updated_at = now()
         WHERE id = $1
         RETURNING signature_timestamp`,
        [
          consent.id,
          patients[0]?.id,
          JSON.stringify(stored),
          wrappedKey,
          (body.comprehensionScore as number | undefined) ?? null,
          body.comprehensionAnswers === undefined ? null : JSON.stringify(body.comprehensionAnswers),
          (body.locale as string | undefined) ?? null,
          ip,
        ],
      );
      if (has(ctx, 'canary-in-other-table') && body.debugContext !== undefined) {
        await client.query('INSERT INTO request_logs (id, path, body) VALUES ($1, $2, $3)', [
          randomUUID(),
          req.path,
          JSON.stringify({ debugContext: body.debugContext }),
        ]);
      }
      if (!has(ctx, 'audit-missing-submit')) {
        await writeAudit(client, {
          action: 'CONSENT_SUBMITTED',
          practiceId: consent.practice_id,
          userId: null,
          entityType: 'ConsentForm',
          entityId: consent.id,
          metadata: { type: consent.type },
          ipAddress: ip,
        });
      }
      return { consent, signatureTimestamp: (updated[0] as { signature_timestamp: Date }).signature_timestamp };
    });
    // The practice hears of it at its GDPR contact address (after the commit: no mail for a rolled-back submit).
    const { rows: practices } = await ctx.db.query<{ name: string; dsgvo_contact: string }>(
      'SELECT name, dsgvo_contact FROM practices WHERE id = $1',
      [signed.consent.practice_id],
    );
    const practice = practices[0];
    if (practice) {
      await ctx.mail?.sendDc(practice.dsgvo_contact, {
        name: 'consent-completed',
        practiceName: practice.name,
        consentId: signed.consent.id,
        type: signed.consent.type,
      });
    }
    return {
      status: 201,
      body: {
        id: signed.consent.id,
        token: signed.consent.token,
        status: 'SIGNED',
        signatureTimestamp: signed.signatureTimestamp.toISOString(),
        practiceId: signed.consent.practice_id,
      },
    };
  });
}
