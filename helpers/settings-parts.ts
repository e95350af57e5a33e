/**
 * Value types every settings module shares, and what a settings part
 * (payments, mail) sees when it derives its settings from the validated
 * variables: the target, the DermaConsent origins, and the list to add its
 * problems to.
 */
import { z } from 'zod';

export const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'], { message: 'must be one of 0, 1, true, false, yes, no' })
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

export const positiveInt = z.coerce.number({ message: 'must be a number' }).int('must be a whole number').positive('must be positive');

/**
 * An http(s) origin, with no path: the suite appends the routes itself, so
 * `https://api.example.com/api` would become `/api/api/health`. A trailing slash is fine.
 */
export const originUrl = z
  .string()
  .superRefine((v, ctx) => {
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL' });
      return;
    }
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '') {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL' });
    } else if (u.pathname !== '/' || u.search || u.hash) {
      ctx.addIssue({
        code: 'custom',
        message: `must be an origin without a path (the suite adds /api/... itself): use ${u.origin}`,
      });
    }
  })
  .transform((v) => v.replace(/\/+$/, ''));

/** A SHA-256 certificate fingerprint: 64 hex digits, or 32 colon-separated pairs; normalised to lower-case hex. */
export const fingerprint = z
  .string()
  .superRefine((v, ctx) => {
    if (/^[0-9a-f]{64}$/i.test(v) || /^[0-9a-f]{2}(:[0-9a-f]{2}){31}$/i.test(v)) return;
    const digits = v.replace(/:/g, '');
    const why = /^[0-9a-f]*$/i.test(digits) ? `got ${digits.length} hex digits` : 'got characters other than hex digits and colons';
    ctx.addIssue({ code: 'custom', message: `must be a SHA-256 fingerprint: 64 hex digits, colons allowed between pairs (${why})` });
  })
  .transform((v) => v.replace(/:/g, '').toLowerCase());

/** One or more SHA-256 fingerprints, comma-separated (certificate rotation: the old and the new one). */
export const fingerprintList = z.string().transform((v, ctx) => {
  const items = v.split(',').map((s) => s.trim()).filter(Boolean);
  const out: string[] = [];
  items.forEach((item, i) => {
    const r = fingerprint.safeParse(item);
    if (r.success) out.push(r.data);
    else ctx.addIssue({ code: 'custom', message: `${items.length > 1 ? `item ${i + 1}: ` : ''}${r.error.issues[0]?.message ?? 'not a fingerprint'}` });
  });
  return out;
});

/** Host patterns such as `app.example.com,*.example.com` (SMOKE_PROD_HOSTS). */
export const hostPatterns = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))
  .refine(
    (l) => l.length > 0 && l.every((p) => /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(p)),
    'must be a comma-separated list of host names, each optionally starting with *. (e.g. app.example.com,*.example.com)',
  );

/** `*.example.com` matches any subdomain of example.com (not example.com itself); other patterns match exactly. */
export function matchesHostPattern(host: string, pattern: string): boolean {
  const h = host.toLowerCase();
  return pattern.startsWith('*.') ? h.endsWith(pattern.slice(1)) : h === pattern;
}

export interface PartContext {
  target: 'local' | 'staging' | 'prod';
  /** Production rules apply (the prod project, or a host matching SMOKE_PROD_HOSTS). */
  production: boolean;
  frontendUrl?: string;
  apiUrl?: string;
  /** May the run create data on the target? */
  writes: boolean;
  /** Push "VARIABLE: what is wrong" here; never a secret's value. */
  problems: string[];
}
