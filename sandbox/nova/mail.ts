/**
 * Nova's transactional mail: dj-rest-auth's password reset
 * (POST /api/auth/password/reset/ {email} → 200 {"detail": ...}), sent
 * through SendGrid in production. The sandbox mails any address (the real
 * app only mails registered users: the suite's Nova recipient is a setting).
 */
import { randomBytes } from 'node:crypto';
import type { SandboxContext } from '../context.ts';
import type { Router } from '../http/router.ts';
import { DrfError } from './documents.ts';

export const NOVA_PASSWORD_RESET_PATH = '/api/auth/password/reset/';

export function passwordResetMailRoute(router: Router, ctx: SandboxContext): void {
  router.post(NOVA_PASSWORD_RESET_PATH, async (req) => {
    const email = (req.body as { email?: unknown } | undefined)?.email;
    if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      throw new DrfError(400, { email: ['Enter a valid email address.'] });
    }
    await ctx.mail?.sendNova(email, { name: 'nova-password-reset', uid: randomBytes(3).toString('base64url'), token: randomBytes(20).toString('hex') });
    return { status: 200, body: { detail: 'Password reset e-mail has been sent.' } };
  });
}
