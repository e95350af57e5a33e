import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The access token's claims, as the real API signs them. */
export interface TokenClaims {
  sub: string;
  email: string;
  practiceId: string | null;
  role: 'ADMIN' | 'ARZT' | 'EMPFANG';
  iat: number;
  exp: number;
}

export const TOKEN_LIFETIME_S = 7 * 24 * 3600;

// A fresh secret per sandbox start: tokens of an earlier run (or signed with a
// well-known default secret) never verify.
const SECRET = randomBytes(48);

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function sign(input: string, secret: Buffer): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

export function signToken(claims: Omit<TokenClaims, 'iat' | 'exp'>, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const body: TokenClaims = { ...claims, iat, exp: iat + TOKEN_LIFETIME_S };
  const input = `${HEADER}.${Buffer.from(JSON.stringify(body)).toString('base64url')}`;
  return `${input}.${sign(input, SECRET).toString('base64url')}`;
}

function parseJson(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The claims of a valid token (HS256 only, signature and exp checked), else undefined. */
export function verifyToken(token: string, now = Date.now()): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  const h = parseJson(header) as { alg?: unknown } | undefined;
  if (h?.alg !== 'HS256') return undefined; // never "none", never another algorithm
  const expected = sign(`${header}.${payload}`, SECRET);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const claims = parseJson(payload) as Partial<TokenClaims> | undefined;
  if (!claims || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return undefined;
  if (claims.exp * 1000 <= now) return undefined;
  return claims as TokenClaims;
}
