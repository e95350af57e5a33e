/**
 * What the dashboard pages load on every visit (patients, settings, AI status,
 * features, team). Chromium logs any 4xx/5xx as a console error, so a healthy
 * API answers all of them for a signed-in user; the bodies are small but real.
 */
import type { SandboxContext } from '../context.ts';
import { HttpError, type Router } from '../http/router.ts';
import { paging, toApi } from './rows.ts';
import { teamInviteRoutes } from './team-invite.ts';
import { authenticate, requirePractice } from './session.ts';

const PATIENT_COLUMNS = 'id, encrypted_name, encrypted_dob, encrypted_email, lookup_hash, created_at';

async function planOf(ctx: SandboxContext, practiceId: string | null): Promise<string | null> {
  if (!practiceId) return null;
  const { rows } = await ctx.db.query<{ plan: string }>('SELECT plan FROM subscriptions WHERE practice_id = $1', [practiceId]);
  return rows[0]?.plan ?? null;
}

export function appDataRoutes(router: Router, ctx: SandboxContext): void {
  router.get('/api/patients', async (req) => {
    const { practiceId } = await requirePractice(ctx, req);
    const { page, limit, offset } = paging(req.query, 20);
    const lookupHash = req.query.get('lookupHash');
    const where = `practice_id = $1${lookupHash ? ' AND lookup_hash = $2' : ''}`;
    const params = lookupHash ? [practiceId, lookupHash] : [practiceId];
    const { rows: count } = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM patients WHERE ${where}`, params);
    const { rows } = await ctx.db.query(
      `SELECT ${PATIENT_COLUMNS} FROM patients WHERE ${where} ORDER BY created_at DESC, id LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { status: 200, body: { items: rows.map((r) => toApi(r)), total: count[0]?.n ?? 0, page, limit } };
  });

  router.get('/api/patients/:id', async (req) => {
    const { practiceId } = await requirePractice(ctx, req);
    const { rows } = await ctx.db.query(
      `SELECT ${PATIENT_COLUMNS}, updated_at FROM patients WHERE id = $1 AND practice_id = $2`,
      [req.params.id, practiceId],
    );
    const patient = rows[0] as Record<string, unknown> | undefined;
    if (!patient) throw new HttpError(404, 'PATIENT_NOT_FOUND', 'Patient not found');
    const { rows: consents } = await ctx.db.query(
      `SELECT id, token, type, status, signature_timestamp, created_at
       FROM consent_forms WHERE patient_id = $1 AND practice_id = $2 ORDER BY created_at DESC`,
      [req.params.id, practiceId],
    );
    return { status: 200, body: { ...toApi(patient), consents: consents.map((c) => toApi(c)) } };
  });

  router.get('/api/settings', async (req) => {
    const { practiceId } = await authenticate(ctx, req);
    const { rows } = practiceId
      ? await ctx.db.query<{ name: string; dsgvo_contact: string }>('SELECT name, dsgvo_contact FROM practices WHERE id = $1', [
          practiceId,
        ])
      : { rows: [] };
    return {
      status: 200,
      body: {
        practiceId,
        practiceName: rows[0]?.name ?? null,
        dsgvoContact: rows[0]?.dsgvo_contact ?? null,
        defaultLocale: 'de',
        emailNotifications: true,
        brandColor: '#0f766e',
        logoUrl: null,
      },
    };
  });

  router.get('/api/ai/status', async (req) => {
    await authenticate(ctx, req);
    return { status: 200, body: { enabled: false, available: false, provider: null } };
  });

  router.get('/api/features', async (req) => {
    const { practiceId } = await authenticate(ctx, req);
    const plan = await planOf(ctx, practiceId);
    return {
      status: 200,
      body: {
        plan,
        features: {
          aiExplainer: false,
          photoDocumentation: plan !== null && plan !== 'FREE_TRIAL',
          customBranding: plan === 'PROFESSIONAL' || plan === 'ENTERPRISE',
          teamManagement: true,
          pdfSigning: true,
        },
      },
    };
  });

  router.get('/api/team/members', async (req) => {
    const { practiceId } = await requirePractice(ctx, req);
    const { rows } = await ctx.db.query(
      'SELECT id, email, name, image, role, created_at FROM users WHERE practice_id = $1 ORDER BY created_at, id',
      [practiceId],
    );
    return { status: 200, body: rows.map((r) => toApi(r)) };
  });

  teamInviteRoutes(router, ctx);
}
