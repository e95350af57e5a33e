import { has, type SandboxContext } from '../context.ts';
import { HttpError, type Router } from '../http/router.ts';
import { writeAudit } from './audit-log.ts';
import { toApi } from './rows.ts';
import { clientIp, requirePractice, requireRole } from './session.ts';
import { isIn, isString, required, validateBody } from './validation.ts';

export const AUDIT_PAGE_SIZE = 25;
const VAULT_ACTIONS = ['VAULT_UNLOCKED', 'VAULT_LOCKED'] as const;

/** A startDate/endDate query value; a bare date as endDate means the whole of that day. */
function dateParam(query: URLSearchParams, name: 'startDate' | 'endDate', problems: string[]): Date | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  const date = new Date(dateOnly ? `${raw}T00:00:00.000Z` : raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(date.getTime())) {
    problems.push(`${name} must be a valid ISO 8601 date string`);
    return undefined;
  }
  return dateOnly && name === 'endDate' ? new Date(date.getTime() + 86_400_000 - 1) : date;
}

export function auditRoutes(router: Router, ctx: SandboxContext): void {
  // Newest first, 25 a page, only the caller's practice; admins only.
  router.get('/api/audit', async (req) => {
    const principal = requireRole(await requirePractice(ctx, req), 'ADMIN');
    const problems: string[] = [];
    // The real API's bug, as a fault: its global validation forbids the list's own filters.
    if (has(ctx, 'audit-filters-rejected')) {
      const extra = [...req.query.keys()].filter((k) => k !== 'page' && k !== 'limit');
      if (extra.length > 0) throw new HttpError(400, undefined, extra.map((k) => `property ${k} should not exist`));
    }
    const start = dateParam(req.query, 'startDate', problems);
    const end = dateParam(req.query, 'endDate', problems);
    const pageRaw = req.query.get('page');
    const page = pageRaw === null || pageRaw === '' ? 1 : Number(pageRaw);
    if (!Number.isInteger(page) || page < 1) problems.push('page must be a positive integer');
    if (problems.length > 0) throw new HttpError(400, undefined, problems);

    const where = ['practice_id = $1'];
    const params: unknown[] = [principal.practiceId];
    const action = req.query.get('action');
    if (action) where.push(`action = $${params.push(action)}`);
    if (start) where.push(`created_at >= $${params.push(start)}`);
    if (end) where.push(`created_at <= $${params.push(end)}`);
    const clause = where.join(' AND ');
    const { rows: count } = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_logs WHERE ${clause}`, params);
    const { rows } = await ctx.db.query(
      `SELECT id, practice_id, user_id, action, entity_type, entity_id, ip_address, metadata, created_at
       FROM audit_logs WHERE ${clause}
       ORDER BY created_at DESC, id
       LIMIT ${AUDIT_PAGE_SIZE} OFFSET ${(page - 1) * AUDIT_PAGE_SIZE}`,
      params,
    );
    const total = count[0]?.n ?? 0;
    return {
      status: 200,
      body: {
        items: rows.map((r) => toApi(r)),
        total,
        page,
        limit: AUDIT_PAGE_SIZE,
        totalPages: Math.ceil(total / AUDIT_PAGE_SIZE),
      },
    };
  });

  // The UI reports vault unlock/lock (they happen in the browser only).
  router.post('/api/audit/vault-event', async (req) => {
    const principal = await requirePractice(ctx, req);
    // Only the vault's own events; the real API's bug, as a fault: any action a client names.
    const body = has(ctx, 'audit-forgeable')
      ? validateBody(req.body, { action: required(isString) })
      : validateBody(req.body, { action: required(isIn(VAULT_ACTIONS)) });
    const id = await writeAudit(ctx.db, {
      action: body.action as (typeof VAULT_ACTIONS)[number],
      practiceId: principal.practiceId,
      userId: principal.userId,
      entityType: 'Practice',
      entityId: principal.practiceId,
      ipAddress: clientIp(req),
    });
    void id;
    return { status: 201, body: { success: true } };
  });
}
