import type { SandboxContext } from '../context.ts';
import { HttpError, type Req } from '../http/router.ts';
import { verifyToken, type TokenClaims } from './jwt.ts';

/** Who is calling, from the Bearer token (practiceId as the token says, like the real API). */
export interface Principal {
  userId: string;
  email: string;
  practiceId: string | null;
  role: TokenClaims['role'];
}

export type PracticePrincipal = Principal & { practiceId: string };

/** 401 unless the request carries a valid token of a user that still exists. */
export async function authenticate(ctx: SandboxContext, req: Req): Promise<Principal> {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  const claims = match?.[1] ? verifyToken(match[1]) : undefined;
  if (!claims) throw new HttpError(401, undefined, 'Unauthorized');
  const { rowCount } = await ctx.db.query('SELECT 1 FROM users WHERE id = $1', [claims.sub]);
  if (!rowCount) throw new HttpError(401, undefined, 'Unauthorized');
  return { userId: claims.sub, email: claims.email, practiceId: claims.practiceId ?? null, role: claims.role };
}

/**
 * A caller whose token names a practice. A token from before practice setup
 * still says null: 403 until the client refreshes it.
 */
export async function requirePractice(ctx: SandboxContext, req: Req): Promise<PracticePrincipal> {
  const principal = await authenticate(ctx, req);
  if (!principal.practiceId) {
    throw new HttpError(403, 'NO_PRACTICE_ASSIGNED', 'No practice assigned to this user');
  }
  return principal as PracticePrincipal;
}

export function requireRole<P extends Principal>(principal: P, ...roles: Principal['role'][]): P {
  if (!roles.includes(principal.role)) throw new HttpError(403, 'INSUFFICIENT_PERMISSIONS', 'Forbidden resource');
  return principal;
}

/** The client address as the API records it (IPv4-mapped IPv6 unwrapped). */
export function clientIp(req: Req): string {
  return req.ip.startsWith('::ffff:') ? req.ip.slice(7) : req.ip;
}
