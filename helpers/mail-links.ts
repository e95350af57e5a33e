/**
 * Link policy for mail (DC-SEC-2: "links in emails point to FRONTEND_URL"):
 * every link's origin is FRONTEND_URL's. A wrong origin is named by kind
 * (localhost, a Netlify deploy, a staging host) so the message says why.
 */
import { redactUrl } from './mail-redact.ts';

/** Why a host is a known wrong target, if it is one. */
export function suspiciousHost(hostname: string): string | undefined {
  const h = hostname.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || /^127\./.test(h) || h === '[::1]' || h === '0.0.0.0') return 'a localhost address';
  if (h.endsWith('.netlify.app') || h.endsWith('.netlify.com')) return 'a Netlify deploy';
  if (h.endsWith('.vercel.app')) return 'a Vercel preview';
  if (/(^|[.-])(staging|stage|stg|dev|develop|preview|test|qa|uat)([.-]|$)/.test(h)) return 'a staging or development host';
  return undefined;
}

/** Failures of a mail's links against the expected origin; links are shown redacted (no tokens). */
export function checkLinkOrigins(links: string[], expectedOrigin: string): string[] {
  const want = new URL(expectedOrigin).origin;
  const failures: string[] = [];
  for (const link of links) {
    let origin: string;
    let hostname: string;
    try {
      const u = new URL(link);
      origin = u.origin;
      hostname = u.hostname;
    } catch {
      failures.push(`unparseable link ${JSON.stringify(link.slice(0, 40))}…`);
      continue;
    }
    if (origin === want) continue;
    const why = suspiciousHost(hostname);
    failures.push(`link ${redactUrl(link)} points to ${origin}${why ? ` (${why})` : ''}; expected FRONTEND_URL ${want}`);
  }
  return failures;
}
