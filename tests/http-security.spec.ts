/**
 * Transport and browser security: HSTS, CSP, request IDs, CORS and TLS.
 * Read-only: safe against prod.
 */
import { randomUUID } from 'node:crypto';
import { expect, report, test, type DermaConsent } from '../fixtures/index.ts';
import type { PageWatch } from '../fixtures/page-watch.ts';
import { lookalikeOrigins, evaluateCorsGrant } from '../helpers/cors.ts';
import { evaluateCsp } from '../helpers/csp.ts';
import { evaluation, type Finding } from '../helpers/findings.ts';
import { evaluateHsts } from '../helpers/hsts.ts';
import { describe, httpRequest, type HttpResponse } from '../helpers/http.ts';
import { evaluateRequestId } from '../helpers/request-id.ts';
import { evaluateCertificate, evaluateHttpsRedirect, fetchPeerCertificate } from '../helpers/tls.ts';
import type { Page } from '@playwright/test';

/** A response reduced to what header checks need, from undici or from the browser. */
interface Seen {
  where: string;
  headers: Record<string, string>;
}

const seenFromHttp = (r: HttpResponse): Seen => ({ where: `${r.method} ${r.url} (${r.status})`, headers: r.headers });

/** Loads every key page in the browser, so the checks see what a person's browser sees. */
async function loadKeyPages(page: Page, dc: DermaConsent, keyPages: string[]): Promise<void> {
  for (const path of keyPages) {
    await page.goto(`${dc.frontendUrl}${path}`);
    await page.waitForLoadState('networkidle');
  }
}

async function browserResponses(watch: PageWatch, origins: string[]): Promise<Seen[]> {
  const own = watch.responses.filter((r) => origins.includes(new URL(r.url()).origin));
  return Promise.all(
    own.map(async (r) => ({ where: `${r.request().method()} ${r.url()} (${r.status()}, browser)`, headers: await r.allHeaders() })),
  );
}

/** One line per distinct problem, naming up to three responses it was seen on. */
function grouped(items: { where: string; findings: Finding[] }[]): Finding[] {
  const byMessage = new Map<string, { severity: Finding['severity']; where: string[] }>();
  for (const { where, findings } of items) {
    for (const f of findings) {
      const entry = byMessage.get(f.message) ?? { severity: f.severity, where: [] };
      entry.where.push(where);
      byMessage.set(f.message, entry);
    }
  }
  return [...byMessage].map(([message, { severity, where }]) => ({
    severity,
    message: `${message} on ${where.length} response(s): ${where.slice(0, 3).join('; ')}${where.length > 3 ? '; …' : ''}`,
  }));
}

test.describe('DermaConsent HTTP security', { tag: ['@dermaconsent', '@prod-safe'] }, () => {
  test('DC-HDR-1 every response carries HSTS of at least one year with includeSubDomains', async ({ dc, settings, page, pageWatch }) => {
    const missing = `smoke-missing-${randomUUID().slice(0, 8)}`;
    const direct = await Promise.all([
      dc.api.get('/api/health'),
      dc.api.get('/api/health/ready'),
      dc.api.get(`/api/${missing}`),
      dc.web.get(`/${missing}`),
      ...settings.csp.keyPages.map((p) => dc.web.get(p)),
    ]);
    expect(direct.find((r) => r.url.endsWith(`/api/${missing}`))?.status, 'an unknown API route should answer 404').toBe(404);
    await loadKeyPages(page, dc, settings.csp.keyPages);
    const seen = [...direct.map(seenFromHttp), ...(await browserResponses(pageWatch, [dc.frontendOrigin, new URL(dc.apiUrl).origin]))];
    expect(seen.length, 'responses checked').toBeGreaterThan(direct.length);
    report(
      'HSTS',
      evaluation(grouped(seen.map((s) => ({ where: s.where, findings: evaluateHsts(s.headers['strict-transport-security']) })))),
    );
  });

  test('DC-HDR-2 every key page sends an enforced CSP that lets no foreign script run', async ({ dc, settings }) => {
    const pages = await Promise.all(settings.csp.keyPages.map((p) => dc.web.get(p)));
    const items = pages.map((r) => ({
      where: describe({ ...r, text: '' }),
      findings: evaluateCsp({
        enforced: r.headers['content-security-policy'] ?? null,
        reportOnly: r.headers['content-security-policy-report-only'] ?? null,
        strict: settings.csp.strict,
      }),
    }));
    report('Content-Security-Policy', evaluation(grouped(items)));
  });

  test('DC-HDR-2 key pages load without a single CSP violation', async ({ dc, settings, page, pageWatch }) => {
    await loadKeyPages(page, dc, settings.csp.keyPages);
    const consoleCsp = pageWatch.consoleErrors.filter((e) => /Content Security Policy/i.test(e));
    expect(
      { violations: pageWatch.cspViolations, consoleCsp },
      `CSP violations while loading ${settings.csp.keyPages.join(', ')}`,
    ).toEqual({ violations: [], consoleCsp: [] });
  });

  test('DC-HDR-3 API responses carry X-Request-Id and echo a supplied one', async ({ dc }) => {
    const supplied = `smoke-${randomUUID()}`;
    const [plain, errorRes, echoed] = await Promise.all([
      dc.api.get('/api/health'),
      dc.api.get(`/api/smoke-missing-${randomUUID().slice(0, 8)}`),
      dc.api.get('/api/health', { headers: { 'x-request-id': supplied } }),
    ]);
    report(
      'X-Request-Id',
      evaluation(
        grouped([
          { where: describe({ ...plain, text: '' }), findings: evaluateRequestId({ header: plain.headers['x-request-id'] }) },
          { where: describe({ ...errorRes, text: '' }), findings: evaluateRequestId({ header: errorRes.headers['x-request-id'] }) },
          {
            where: describe({ ...echoed, text: '' }),
            findings: evaluateRequestId({ header: plain.headers['x-request-id'], supplied, echoed: echoed.headers['x-request-id'] }),
          },
        ]),
      ),
    );
  });

  test.describe('CORS', () => {
    const preflight = (dc: DermaConsent, origin: string) =>
      httpRequest('OPTIONS', `${dc.apiUrl}/api/auth/login`, {
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,authorization',
        },
      });

    test('DC-SEC-2 CORS grants the frontend origin, with credentials', async ({ dc }) => {
      const [pre, get] = await Promise.all([
        preflight(dc, dc.frontendOrigin),
        dc.api.get('/api/health', { headers: { origin: dc.frontendOrigin } }),
      ]);
      const items = [pre, get].map((r) => ({
        where: describe({ ...r, text: '' }),
        findings: evaluateCorsGrant({
          requestOrigin: dc.frontendOrigin,
          allowOrigin: r.headers['access-control-allow-origin'],
          allowCredentials: r.headers['access-control-allow-credentials'],
          expectGrant: true,
        }),
      }));
      report(`CORS for FRONTEND_URL ${dc.frontendOrigin}`, evaluation(grouped(items)));
    });

    test('DC-SEC-2 CORS grants nothing to foreign, null or look-alike origins', async ({ dc }) => {
      const origins = lookalikeOrigins(dc.frontendOrigin);
      expect(origins.length, 'look-alike origins to try').toBeGreaterThan(3);
      const items = await Promise.all(
        origins.map(async (origin) => {
          const r = await preflight(dc, origin);
          return {
            where: `preflight from ${origin} (${r.status})`,
            findings: evaluateCorsGrant({
              requestOrigin: origin,
              allowOrigin: r.headers['access-control-allow-origin'],
              allowCredentials: r.headers['access-control-allow-credentials'],
              expectGrant: false,
            }),
          };
        }),
      );
      report('CORS for foreign origins', evaluation(items.flatMap((i) => i.findings.map((f) => ({ ...f, message: `${i.where}: ${f.message}` })))));
    });
  });

  test.describe('TLS', () => {
    test('DC-SEC-4 the TLS certificate is trusted, valid for the host and not close to expiry', async ({ settings }) => {
      test.skip(settings.tls.urls.length === 0, 'no https:// URL configured: set SMOKE_TLS_URL or use https:// target URLs');
      const items = await Promise.all(
        settings.tls.urls.map(async (url) => {
          const info = await fetchPeerCertificate(url, { caFile: settings.tls.caFile });
          return {
            where: `${url} (${info.subject}, valid to ${info.validTo.toISOString().slice(0, 10)})`,
            findings: evaluateCertificate(info, { minDays: settings.tls.minDays, warnDays: settings.tls.warnDays }),
          };
        }),
      );
      report('TLS certificate', evaluation(items.flatMap((i) => i.findings.map((f) => ({ ...f, message: `${i.where}: ${f.message}` })))));
    });

    test('DC-SEC-4 plain HTTP redirects to HTTPS on the same host', async ({ settings }) => {
      const httpUrl = settings.tls.httpUrl;
      test.skip(!httpUrl, 'no http:// URL to check: set SMOKE_HTTP_URL or use https:// target URLs');
      if (!httpUrl) return;
      const res = await httpRequest('GET', `${httpUrl}/`, { headers: { accept: 'text/html' } });
      report(
        'HTTP to HTTPS redirect',
        evaluation(
          evaluateHttpsRedirect({
            httpUrl: `${httpUrl}/`,
            status: res.status,
            location: res.headers.location,
            expectedHttpsUrl: settings.tls.urls[0],
          }),
        ),
      );
    });
  });
});
