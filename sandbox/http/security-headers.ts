import { has, type SandboxContext } from '../context.ts';

const ONE_YEAR = 31_536_000;

/** The CSP the real frontend and API send (helmet-style), with the API origin allowed for fetches. */
export function contentSecurityPolicy(ctx: SandboxContext): string {
  const script = has(ctx, 'csp-wildcard-script')
    ? "'self' https:"
    : has(ctx, 'csp-blocks-app')
      ? "'none'"
      : "'self'";
  return [
    "default-src 'self'",
    `script-src ${script}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${new URL(ctx.layout.apiUrl).origin}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/** Headers every sandbox response carries, as on the real deployment, minus what a fault removes. */
export function securityHeaders(ctx: SandboxContext, status: number): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Frame-Options': 'SAMEORIGIN',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
  const dropHsts = has(ctx, 'hsts-missing') || (has(ctx, 'hsts-missing-on-errors') && status >= 400);
  if (!dropHsts) {
    headers['Strict-Transport-Security'] = has(ctx, 'hsts-short')
      ? 'max-age=86400; includeSubDomains; preload'
      : `max-age=${ONE_YEAR}; includeSubDomains; preload`;
  }
  if (!has(ctx, 'csp-missing')) {
    const name = has(ctx, 'csp-report-only') ? 'Content-Security-Policy-Report-Only' : 'Content-Security-Policy';
    headers[name] = contentSecurityPolicy(ctx);
  }
  return headers;
}
