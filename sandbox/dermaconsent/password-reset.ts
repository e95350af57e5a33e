/**
 * Password reset by mail: POST /api/auth/forgot-password {email} answers the
 * same whether or not the account exists (no enumeration) and mails a link
 * with a one-time token; POST /api/auth/reset-password {token, password} sets
 * the password once, then refuses the token (400 INVALID_RESET_TOKEN).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { has, type SandboxContext } from '../context.ts';
import { HttpError, type Router } from '../http/router.ts';
import { hashPassword } from './passwords.ts';
import { isEmail, isString, matches, maxLength, minLength, notEmpty, required, validateBody } from './validation.ts';

export const RESET_VALID_MINUTES = 60;

const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');

export function passwordResetRoutes(router: Router, ctx: SandboxContext): void {
  router.post('/api/auth/forgot-password', async (req) => {
    const body = validateBody(req.body, { email: required(isEmail) });
    const email = (body.email as string).trim().toLowerCase();
    const { rows } = await ctx.db.query<{ id: string; email: string }>('SELECT id, email FROM users WHERE email = $1', [email]);
    const user = rows[0];
    if (user) {
      const token = randomBytes(32).toString('base64url');
      await ctx.db.query(
        `INSERT INTO password_reset_tokens (id, user_id, token_hash, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(mins => $4))`,
        [randomUUID(), user.id, sha256(token), RESET_VALID_MINUTES],
      );
      await ctx.mail?.sendDc(user.email, { name: 'password-reset', token, validMinutes: RESET_VALID_MINUTES });
    }
    return { status: 201, body: { message: 'If an account exists for this email, a reset link has been sent.' } };
  });

  router.post('/api/auth/reset-password', async (req) => {
    const body = validateBody(req.body, {
      token: required(isString, notEmpty, maxLength(200)),
      password: required(
        isString,
        minLength(8),
        maxLength(128),
        matches(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)/, 'password must contain at least one lowercase letter, one uppercase letter and one number'),
      ),
    });
    const invalid = new HttpError(400, 'INVALID_RESET_TOKEN', 'This reset link is invalid or has already been used');
    // Marking the token used and reading it is one statement: two requests with the same token cannot both win.
    const { rows } = has(ctx, 'reset-link-reusable')
      ? await ctx.db.query<{ user_id: string }>(
          'SELECT user_id FROM password_reset_tokens WHERE token_hash = $1 AND expires_at > now()',
          [sha256(body.token as string)],
        )
      : await ctx.db.query<{ user_id: string }>(
          `UPDATE password_reset_tokens SET used_at = now()
           WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
           RETURNING user_id`,
          [sha256(body.token as string)],
        );
    const userId = rows[0]?.user_id;
    if (!userId) throw invalid;
    await ctx.db.query(
      'UPDATE users SET password_hash = $2, failed_login_attempts = 0, locked_until = NULL, updated_at = now() WHERE id = $1',
      [userId, await hashPassword(body.password as string)],
    );
    return { status: 201, body: { message: 'Password has been reset.' } };
  });
}
