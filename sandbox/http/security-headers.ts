import { has, type SandboxContext } from '../context.ts';

const ONE_YEAR = 31_536_000;

/** Header values; an array is sent as several header lines (a repeated header). */
export type HeaderMap = Record<string, string | string[]>;

/** The CSP the real frontend and API send (helmet-style), with the API origin allowed for fetches. */
export function contentSecurityPolicy(ctx: SandboxContext): string {
  const script = has(ctx, 'csp-wildcard-script')
    ? "'self' https:"
    : has(ctx, 'csp-blocks-app')
      ? "'none'"
      : has(ctx, 'csp-empty-nonce')
        ? // A template whose nonce was never filled in: browsers drop 'nonce-', so 'unsafe-inline' applies.
          "'self' 'nonce-' 'unsafe-inline'"
        : "'self'";
  const directives = [
    "default-src 'self'",
    `script-src ${script}`,
    "script-src-attr 'none'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${new URL(ctx.layout.apiUrl).origin}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ];
  if (has(ctx, 'frame-ancestors-wildcard')) directives.push('frame-ancestors *');
  else if (!has(ctx, 'xfo-missing')) directives.push("frame-ancestors 'self'");
  return directives.join('; ');
}

export interface HeaderOptions {
  /** An API response (JSON, PDFs): some faults touch only those. */
  api?: boolean;
}

/**
 * Headers every sandbox response carries: the full recommended set of the
 * Observatory and OWASP (the real API's helmet set plus Permissions-Policy),
 * minus what a fault removes or weakens.
 */
export function securityHeaders(ctx: SandboxContext, status: number, { api = false }: HeaderOptions = {}): HeaderMap {
  const headers: HeaderMap = {
    'Referrer-Policy': has(ctx, 'referrer-unsafe-url') ? 'unsafe-url' : 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
  if (!has(ctx, 'xfo-missing')) headers['X-Frame-Options'] = 'SAMEORIGIN';
  if (!(api && has(ctx, 'nosniff-missing'))) headers['X-Content-Type-Options'] = 'nosniff';
  const dropHsts = has(ctx, 'hsts-missing') || (has(ctx, 'hsts-missing-on-errors') && status >= 400);
  if (!dropHsts) {
    const hsts = has(ctx, 'hsts-short') ? 'max-age=86400; includeSubDomains; preload' : `max-age=${ONE_YEAR}; includeSubDomains; preload`;
    // A second header, e.g. added by a proxy, that would switch HSTS off.
    headers['Strict-Transport-Security'] = has(ctx, 'hsts-zeroed-by-second-header') ? [hsts, 'max-age=0'] : hsts;
  }
  if (!has(ctx, 'csp-missing')) {
    const name = has(ctx, 'csp-report-only') ? 'Content-Security-Policy-Report-Only' : 'Content-Security-Policy';
    headers[name] = contentSecurityPolicy(ctx);
  }
  return headers;
}

/** The API's caching: nothing it answers may be stored (it is all session or patient data). */
export function apiCacheHeaders(ctx: SandboxContext): HeaderMap {
  return { 'Cache-Control': has(ctx, 'api-cacheable') ? 'public, max-age=300' : 'no-store' };
}
