/**
 * POST /api/team/invite {email, role}: an admin invites a colleague; the mail
 * carries a link to /invite/<token> (only the token's SHA-256 is stored).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { SandboxContext } from '../context.ts';
import { type Router } from '../http/router.ts';
import { requirePractice, requireRole } from './session.ts';
import { isEmail, isIn, optional, required, validateBody } from './validation.ts';

export const INVITE_VALID_DAYS = 7;

export function teamInviteRoutes(router: Router, ctx: SandboxContext): void {
  router.post('/api/team/invite', async (req) => {
    const principal = requireRole(await requirePractice(ctx, req), 'ADMIN');
    const body = validateBody(req.body, { email: required(isEmail), role: optional(isIn(['ADMIN', 'ARZT', 'EMPFANG'])) });
    const email = (body.email as string).trim().toLowerCase();
    const role = (body.role as string | undefined) ?? 'EMPFANG';
    const token = randomBytes(24).toString('base64url');
    const { rows } = await ctx.db.query<{ id: string; expires_at: Date; practice_name: string; inviter: string }>(
      `INSERT INTO team_invitations (id, practice_id, email, role, token_hash, invited_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7))
       RETURNING id, expires_at,
                 (SELECT name FROM practices WHERE id = $2) AS practice_name,
                 (SELECT coalesce(name, email) FROM users WHERE id = $6) AS inviter`,
      [randomUUID(), principal.practiceId, email, role, createHash('sha256').update(token).digest('hex'), principal.userId, INVITE_VALID_DAYS],
    );
    const invite = rows[0] as NonNullable<(typeof rows)[0]>;
    await ctx.mail?.sendDc(email, { name: 'team-invite', practiceName: invite.practice_name, inviter: invite.inviter, role, token });
    return { status: 201, body: { id: invite.id, email, role, expiresAt: invite.expires_at.toISOString() } };
  });
}
