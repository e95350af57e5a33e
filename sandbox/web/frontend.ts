import type http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { has, type SandboxContext } from '../context.ts';
import { injectLatency } from '../http/latency.ts';
import { securityHeaders } from '../http/security-headers.ts';
import { invitePage, loginPage, registerPage, resetPasswordPage, setupPage } from './pages/auth.ts';
import { consentPage } from './pages/consent.ts';
import { dashboardPage } from './pages/dashboard.ts';
import { documentHtml } from './pages/layout.ts';
import { auditPage, patientPage, patientsPage } from './pages/records.ts';
import { billingSuccessPage } from './pages/billing.ts';

const STATIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'static');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

interface Page {
  status: number;
  type: string;
  body: string | Buffer;
  cookies?: string[];
  location?: string;
}

/** A Set-Cookie as the real frontend sends it (Next.js middleware, Auth.js), healthy: Secure and SameSite=Lax. */
function cookie(ctx: SandboxContext, nameValue: string, attrs: string[]): string {
  const parts = [nameValue, ...attrs];
  if (!has(ctx, 'cookie-not-secure')) parts.push('Secure');
  if (!has(ctx, 'cookie-no-samesite')) parts.push('SameSite=Lax');
  return parts.join('; ');
}

/** The locale cookie the real frontend's middleware sets on a first visit to a page. */
function localeCookie(ctx: SandboxContext, req: http.IncomingMessage): string[] {
  if (/(?:^|;\s*)NEXT_LOCALE=/.test(req.headers.cookie ?? '')) return [];
  return [cookie(ctx, 'NEXT_LOCALE=en', ['Path=/', 'Max-Age=31536000'])];
}

/** Auth.js endpoints of the frontend that a signed-out visitor can call: the CSRF token (a cookie) and the empty session. */
function authEndpoint(ctx: SandboxContext, pathname: string, https: boolean): Page | undefined {
  if (pathname === '/api/auth/session') return { status: 200, type: 'application/json', body: 'null' };
  if (pathname !== '/api/auth/csrf') return undefined;
  const token = randomBytes(32).toString('hex');
  // Auth.js names it __Host- over https, where the prefix's rules can hold.
  const name = https ? '__Host-authjs.csrf-token' : 'authjs.csrf-token';
  return {
    status: 200,
    type: 'application/json',
    body: JSON.stringify({ csrfToken: token }),
    cookies: [cookie(ctx, `${name}=${token}%7C${randomBytes(32).toString('hex')}`, ['Path=/', 'HttpOnly'])],
  };
}

const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#0f766e"/></svg>';

/** The app's pages (server-rendered HTML; each loads one module from /static). */
const ROUTES: [RegExp, (ctx: SandboxContext) => string][] = [
  [/^\/register\/?$/, registerPage],
  [/^\/login\/?$/, loginPage],
  [/^\/setup\/?$/, setupPage],
  [/^\/dashboard\/?$/, dashboardPage],
  [/^\/consent\/[A-Za-z0-9_-]+\/?$/, consentPage],
  [/^\/patients\/?$/, patientsPage],
  [/^\/patients\/[A-Za-z0-9_-]+\/?$/, patientPage],
  [/^\/audit\/?$/, auditPage],
  [/^\/billing\/success\/?$/, billingSuccessPage],
  [/^\/reset-password\/?$/, resetPasswordPage],
  [/^\/invite\/[A-Za-z0-9_-]+\/?$/, invitePage],
];

async function page(ctx: SandboxContext, pathname: string, req: http.IncomingMessage): Promise<Page> {
  const https = (req.socket as TLSSocket).encrypted === true;
  const auth = authEndpoint(ctx, pathname, https);
  if (auth) return auth;
  const route = ROUTES.find(([pattern]) => pattern.test(pathname));
  if (route) return { status: 200, type: 'text/html; charset=utf-8', body: route[1](ctx), cookies: localeCookie(ctx, req) };
  if (pathname === '/' && https && has(ctx, 'redirect-back-to-http')) {
    return { status: 302, type: 'text/plain', body: '', location: `${ctx.layout.frontendUrl}/` };
  }
  if (pathname === '/') {
    const main = `<main>
<h1>DermaConsent</h1>
<p>Digital, GDPR-compliant patient consent for aesthetic practices.</p>
<p id="plans-status">Loading plans…</p>
<ul id="plans"></ul>
<nav><a href="/login">Sign in</a><a href="/register">Create account</a></nav>
</main>`;
    return { status: 200, type: 'text/html; charset=utf-8', body: documentHtml(ctx, 'DermaConsent', main, 'home.js'), cookies: localeCookie(ctx, req) };
  }
  if (pathname === '/favicon.svg' || pathname === '/favicon.ico') {
    return { status: 200, type: 'image/svg+xml', body: FAVICON };
  }
  if (pathname.startsWith('/static/')) {
    const name = path.basename(pathname);
    const type = TYPES[path.extname(name)];
    if (type) {
      try {
        let body = await readFile(path.join(STATIC_DIR, name), 'utf8');
        if (name === 'home.js' && has(ctx, 'console-error')) {
          body += '\nthrow new TypeError("Cannot read properties of undefined (reading \'plans\')");\n';
        }
        return { status: 200, type, body };
      } catch {
        // fall through to the 404 page
      }
    }
  }
  const main = '<main><h1>404</h1><p>This page could not be found.</p></main>';
  return { status: 404, type: 'text/html; charset=utf-8', body: documentHtml(ctx, '404: Not found', main) };
}

/** The frontend (the real one is a Next.js app on its own origin), with the headers it really sends. */
export function frontendHandler(ctx: SandboxContext): http.RequestListener {
  return async (req, res) => {
    try {
      await injectLatency(ctx);
      const { pathname } = new URL(req.url ?? '/', 'http://sandbox.invalid');
      const p = await page(ctx, pathname, req);
      res.writeHead(p.status, {
        ...securityHeaders(ctx, p.status),
        'Content-Type': p.type,
        ...(p.cookies?.length ? { 'Set-Cookie': p.cookies } : {}),
        ...(p.location ? { Location: p.location } : {}),
      });
      res.end(req.method === 'HEAD' ? undefined : p.body);
    } catch (err) {
      ctx.log(`frontend: ${req.url} failed: ${String(err)}`);
      res.writeHead(500, securityHeaders(ctx, 500));
      res.end('Internal Server Error');
    }
  };
}

/** The plain-HTTP listener: redirects to the TLS one, unless the fault makes it serve the app. */
export function httpRedirectHandler(ctx: SandboxContext): http.RequestListener {
  const serve = frontendHandler(ctx);
  return (req, res) => {
    if (has(ctx, 'no-https-redirect')) {
      serve(req, res);
      return;
    }
    const target = new URL(req.url ?? '/', ctx.layout.tlsUrl);
    res.writeHead(301, { Location: target.toString() });
    res.end();
  };
}
