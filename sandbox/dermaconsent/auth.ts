import { randomUUID } from 'node:crypto';
import type { SandboxContext } from '../context.ts';
import { HttpError, type Router } from '../http/router.ts';
import { writeAudit } from './audit-log.ts';
import { passwordResetRoutes } from './password-reset.ts';
import { signToken, type TokenClaims } from './jwt.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { authenticate, clientIp } from './session.ts';
import { isEmail, isString, matches, maxLength, minLength, notEmpty, optional, required, validateBody } from './validation.ts';

/** Five wrong passwords lock the account for 15 minutes (users.failed_login_attempts / locked_until). */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

interface UserRow {
  id: string;
  email: string;
  name: string | null;
  image: string | null;
  practice_id: string | null;
  role: TokenClaims['role'];
  password_hash: string | null;
  failed_login_attempts: number;
  locked_until: Date | null;
}

const USER_COLUMNS = 'id, email, name, image, practice_id, role, password_hash, failed_login_attempts, locked_until';

/** {accessToken, user}: the body of register, login and refresh-token. */
function session(user: UserRow): { accessToken: string; user: Record<string, unknown> } {
  return {
    accessToken: signToken({ sub: user.id, email: user.email, practiceId: user.practice_id, role: user.role }),
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      image: user.image,
      practiceId: user.practice_id,
      role: user.role,
    },
  };
}

const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export function authRoutes(router: Router, ctx: SandboxContext): void {
  router.post('/api/auth/register', async (req) => {
    const body = validateBody(req.body, {
      email: required(isEmail),
      password: required(
        isString,
        minLength(8),
        maxLength(128),
        matches(
          /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)/,
          'password must contain at least one lowercase letter, one uppercase letter and one number',
        ),
      ),
      name: optional(isString, maxLength(100)),
      locale: optional(isString, maxLength(10)),
    });
    const email = normaliseEmail(body.email as string);
    const passwordHash = await hashPassword(body.password as string);
    const { rows } = await ctx.db.query<UserRow>(
      `INSERT INTO users (id, email, name, password_hash, role, locale)
       VALUES ($1, $2, $3, $4, 'ADMIN', $5)
       ON CONFLICT (email) DO NOTHING
       RETURNING ${USER_COLUMNS}`,
      [randomUUID(), email, (body.name as string | undefined) ?? null, passwordHash, (body.locale as string | undefined) ?? 'de'],
    );
    const user = rows[0];
    if (!user) throw new HttpError(409, 'EMAIL_ALREADY_REGISTERED', 'An account with this email already exists');
    await ctx.mail?.sendDc(user.email, { name: 'welcome', userName: user.name });
    return { status: 201, body: session(user) };
  });

  passwordResetRoutes(router, ctx);

  router.post('/api/auth/login', async (req) => {
    const body = validateBody(req.body, {
      email: required(isEmail),
      password: required(isString, notEmpty),
    });
    const ip = clientIp(req);
    const { rows } = await ctx.db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE email = $1`, [
      normaliseEmail(body.email as string),
    ]);
    const user = rows[0];
    const invalid = new HttpError(401, 'INVALID_CREDENTIALS', 'Invalid email or password');
    if (!user) {
      await hashPassword(body.password as string); // same cost as a real check: no user enumeration by timing
      throw invalid;
    }
    const locked = (until: Date): HttpError =>
      new HttpError(
        403,
        'ACCOUNT_LOCKED_TEMPORARY',
        `Too many failed login attempts. Try again in ${Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000))} minutes.`,
      );
    // A locked account refuses even the right password until the lock runs out.
    if (user.locked_until && user.locked_until.getTime() > Date.now()) throw locked(user.locked_until);

    if (!(await verifyPassword(body.password as string, user.password_hash))) {
      const { rows: updated } = await ctx.db.query<{ failed_login_attempts: number; locked_until: Date | null }>(
        // After an expired lock the count starts again from one.
        `UPDATE users u SET
           failed_login_attempts = n.next,
           locked_until = CASE WHEN n.next >= $2 THEN now() + make_interval(mins => $3) ELSE NULL END,
           updated_at = now()
         FROM (SELECT CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1
                           ELSE failed_login_attempts + 1 END AS next
               FROM users WHERE id = $1) n
         WHERE u.id = $1
         RETURNING u.failed_login_attempts, u.locked_until`,
        [user.id, MAX_FAILED_LOGINS, LOCK_MINUTES],
      );
      const attempts = updated[0]?.failed_login_attempts ?? 0;
      await writeAudit(ctx.db, {
        action: 'LOGIN_FAILED',
        practiceId: user.practice_id,
        userId: user.id,
        entityType: 'User',
        entityId: user.id,
        metadata: { reason: 'INVALID_CREDENTIALS', failedAttempts: attempts },
        ipAddress: ip,
      });
      const until = updated[0]?.locked_until;
      if (attempts >= MAX_FAILED_LOGINS && until) throw locked(until);
      throw invalid;
    }

    await ctx.db.query(
      'UPDATE users SET failed_login_attempts = 0, locked_until = NULL, updated_at = now() WHERE id = $1',
      [user.id],
    );
    await writeAudit(ctx.db, {
      action: 'LOGIN_SUCCESS',
      practiceId: user.practice_id,
      userId: user.id,
      entityType: 'User',
      entityId: user.id,
      metadata: { method: 'credentials' },
      ipAddress: ip,
    });
    return { status: 200, body: session(user) };
  });

  // 201, not 200, as the real API answers; the new token carries the user's current practice.
  router.post('/api/auth/refresh-token', async (req) => {
    // No body needed: the Bearer token is the credential.
    const principal = await authenticate(ctx, req);
    const { rows } = await ctx.db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [principal.userId]);
    const user = rows[0];
    if (!user) throw new HttpError(401, undefined, 'Unauthorized');
    return { status: 201, body: session(user) };
  });
}
