/**
 * Transport and browser security: HSTS, CSP, framing, cookies, nosniff,
 * Referrer-Policy, caching, request IDs, CORS and TLS. Read-only (safe
 * against prod), except the checks of sensitive responses at the end, which
 * need the run's synthetic practice.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent } from 'undici';
import { expect, report, test, type DermaConsent } from '../fixtures/index.ts';
import type { PageWatch } from '../fixtures/page-watch.ts';
import type { PdfConsent } from '../fixtures/pdf-consent.ts';
import type { SyntheticPractice } from '../fixtures/account.ts';
import { allowOriginVaries, evaluateCorsGrant, lookalikeOrigins } from '../helpers/cors.ts';
import { evaluateCsp, metaCspPolicies } from '../helpers/csp.ts';
import { evaluation, warn as warnFinding, type Finding } from '../helpers/findings.ts';
import {
  evaluateCookie,
  evaluateDisclosure,
  evaluateFraming,
  evaluateIsolation,
  evaluateNosniff,
  evaluateReferrerPolicy,
  evaluateSensitiveCaching,
} from '../helpers/headers-policy.ts';
import { evaluateHsts } from '../helpers/hsts.ts';
import { describe, httpRequest, type HttpResponse } from '../helpers/http.ts';
import { evaluateHttpUnreachable, evaluateRedirectChain, followRedirects } from '../helpers/redirect-chain.ts';
import { evaluateRequestId, evaluateRequestIdEcho } from '../helpers/request-id.ts';
import type { Settings } from '../helpers/settings.ts';
import { evaluateCertificate, fetchPeerCertificate, trustStore } from '../helpers/tls.ts';
import type { Page } from '@playwright/test';

/** A response reduced to what header checks need, from undici or from the browser. */
interface Seen {
  where: string;
  headers: Record<string, string>;
}

const seenFromHttp = (r: HttpResponse): Seen => ({ where: `${r.method} ${r.url} (${r.status})`, headers: r.headers });
const where = (r: HttpResponse) => describe({ ...r, text: '' });
const isHtml = (r: HttpResponse) => /text\/html/i.test(r.headers['content-type'] ?? '');
const missingPath = () => `smoke-missing-${randomUUID().slice(0, 8)}`;
/** A public consent link with a token that does not exist: the page clickjacking and token leaks aim at. */
const consentProbe = () => `/consent/smoke-${randomUUID().slice(0, 8)}`;

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

/** Every response the suite reads directly plus every own-origin response of the key pages in the browser. */
async function everyResponse(dc: DermaConsent, settings: Settings, page: Page, watch: PageWatch): Promise<Seen[]> {
  const missing = missingPath();
  const direct = await Promise.all([
    dc.api.get('/api/health'),
    dc.api.get('/api/health/ready'),
    dc.api.get(`/api/${missing}`),
    dc.web.get(`/${missing}`),
    ...settings.csp.keyPages.map((p) => dc.web.get(p)),
  ]);
  expect(direct.find((r) => r.url.endsWith(`/api/${missing}`))?.status, 'an unknown API route should answer 404').toBe(404);
  await loadKeyPages(page, dc, settings.csp.keyPages);
  const seen = [...direct.map(seenFromHttp), ...(await browserResponses(watch, [dc.frontendOrigin, new URL(dc.apiUrl).origin]))];
  expect(seen.length, 'responses checked').toBeGreaterThan(direct.length);
  return seen;
}

/** The frontend's HTML documents: the key pages and a public consent link. */
async function documents(dc: DermaConsent, settings: Settings): Promise<HttpResponse[]> {
  const pages = await Promise.all([...settings.csp.keyPages, consentProbe()].map((p) => dc.web.get(p)));
  const html = pages.filter(isHtml);
  expect(html.map(where), 'HTML documents to check (key pages and a consent link)').not.toEqual([]);
  return html;
}

/** One line per distinct problem, naming up to three responses it was seen on (each once). */
function grouped(items: { where: string; findings: Finding[] }[]): Finding[] {
  const byMessage = new Map<string, { severity: Finding['severity']; where: string[] }>();
  for (const { where, findings } of items) {
    for (const f of findings) {
      const entry = byMessage.get(f.message) ?? { severity: f.severity, where: [] };
      if (!entry.where.includes(where)) entry.where.push(where);
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
    const seen = await everyResponse(dc, settings, page, pageWatch);
    report(
      'HSTS',
      evaluation(grouped(seen.map((s) => ({ where: s.where, findings: evaluateHsts(s.headers['strict-transport-security']) })))),
    );
  });

  test('DC-HDR-2 every key page sends an enforced CSP that lets no foreign script run', async ({ dc, settings }) => {
    const pages = await Promise.all(settings.csp.keyPages.map((p) => dc.web.get(p)));
    const items = pages.map((r) => ({
      where: where(r),
      findings: evaluateCsp({
        enforced: r.headers['content-security-policy'] ?? null,
        reportOnly: r.headers['content-security-policy-report-only'] ?? null,
        meta: isHtml(r) ? metaCspPolicies(r.text) : [],
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
          { where: where(plain), findings: evaluateRequestId({ header: plain.headers['x-request-id'] }) },
          { where: where(errorRes), findings: evaluateRequestId({ header: errorRes.headers['x-request-id'] }) },
          { where: `${where(echoed)} (sent X-Request-Id)`, findings: evaluateRequestIdEcho(supplied, echoed.headers['x-request-id']) },
        ]),
      ),
    );
  });

  test('DC-HDR-4 pages cannot be framed by other sites (X-Frame-Options or CSP frame-ancestors)', async ({ dc, settings }) => {
    const pages = await documents(dc, settings);
    const items = pages.map((r) => ({
      where: where(r),
      findings: evaluateFraming({ xFrameOptions: r.headers['x-frame-options'], csp: r.headers['content-security-policy'] }),
    }));
    report('Framing', evaluation(grouped(items)));
  });

  test('DC-HDR-5 cookies are Secure, HttpOnly when they carry a session, and SameSite Lax or Strict', async ({ dc, settings }) => {
    const responses = await cookieResponses(dc, settings);
    const items = responses.flatMap((r) =>
      (r.setCookies ?? []).map((c) => ({ where: where(r), findings: evaluateCookie({ setCookie: c, https: r.url.startsWith('https:') }) })),
    );
    test.info().annotations.push({
      type: 'checked',
      description: `${items.length} Set-Cookie header(s) on ${responses.length} response(s): ${responses.map(where).join('; ')}`,
    });
    report('Cookies', evaluation(grouped(items)));
  });

  test('DC-HDR-6 every response carries X-Content-Type-Options: nosniff', async ({ dc, settings, page, pageWatch }) => {
    const seen = await everyResponse(dc, settings, page, pageWatch);
    // A failed sign-in is a POST: only where the run may write (the write guard refuses it elsewhere).
    const login = settings.writes ? [seenFromHttp(await dc.api.request('POST', '/api/auth/login', { body: bogusLogin(settings) }))] : [];
    const all = [...seen, ...login];
    report('X-Content-Type-Options', evaluation(grouped(all.map((s) => ({ where: s.where, findings: evaluateNosniff(s.headers['x-content-type-options']) })))));
  });

  test('DC-HDR-7 no page sends a Referrer-Policy that leaks the consent link', async ({ dc, settings }) => {
    const pages = await documents(dc, settings);
    report('Referrer-Policy', evaluation(grouped(pages.map((r) => ({ where: where(r), findings: evaluateReferrerPolicy(r.headers['referrer-policy']) })))));
  });

  test('DC-HDR-9 isolation headers and no version disclosure (warnings only)', async ({ dc, settings }) => {
    const [pages, api] = await Promise.all([documents(dc, settings), Promise.all([dc.api.get('/api/health'), dc.api.get(`/api/${missingPath()}`)])]);
    const items = [
      ...pages.map((r) => ({ where: where(r), findings: [...evaluateIsolation({ headers: r.headers, document: true }), ...evaluateDisclosure(r.headers)] })),
      ...api.map((r) => ({ where: where(r), findings: [...evaluateIsolation({ headers: r.headers, document: false }), ...evaluateDisclosure(r.headers)] })),
    ];
    // Warnings by design: the checklist asks for none of these; they are advice.
    report('Isolation and disclosure', evaluation(grouped(items).map((f) => warnFinding(f.message))));
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
      const [pre, get, foreign, none] = await Promise.all([
        preflight(dc, dc.frontendOrigin),
        dc.api.get('/api/health', { headers: { origin: dc.frontendOrigin } }),
        dc.api.get('/api/health', { headers: { origin: 'https://evil.example' } }),
        dc.api.get('/api/health'),
      ]);
      // A grant that changes with the Origin must say so in Vary, or a shared cache mixes origins up.
      const dependsOnOrigin = allowOriginVaries([get, foreign, none].map((r) => r.headers['access-control-allow-origin']));
      const items = [pre, get].map((r) => ({
        where: where(r),
        findings: evaluateCorsGrant({
          requestOrigin: dc.frontendOrigin,
          allowOrigin: r.headers['access-control-allow-origin'],
          allowCredentials: r.headers['access-control-allow-credentials'],
          expectGrant: true,
          vary: r.headers.vary ?? null,
          dependsOnOrigin,
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
              vary: r.headers.vary ?? null,
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

    test('DC-SEC-4 plain HTTP redirects to HTTPS on the same host, and every later hop stays on HTTPS', async ({ settings }) => {
      const httpUrl = settings.tls.httpUrl;
      test.skip(!httpUrl, 'no http:// URL to check: set SMOKE_HTTP_URL or use https:// target URLs');
      if (!httpUrl) return;
      const start = `${httpUrl.replace(/\/$/, '')}/`;
      const chain = await followRedirects(start, { caFile: settings.tls.caFile, timeoutMs: settings.httpTimeoutMs });
      if (!chain.ok) {
        report('HTTP to HTTPS redirect', evaluation(evaluateHttpUnreachable({ httpUrl: chain.url, code: chain.code, message: chain.message, closedOk: settings.tls.httpClosedOk })));
        return;
      }
      test.info().annotations.push({ type: 'checked', description: chain.hops.map((h) => `${h.url} (${h.status})`).join(' → ') });
      report('HTTP to HTTPS redirect', evaluation(evaluateRedirectChain({ hops: chain.hops, expectedHttpsUrl: settings.tls.urls[0] })));
    });
  });
});

/** A login that cannot succeed: an address no account has (nothing is written for it). */
function bogusLogin(settings: Settings): { email: string; password: string } {
  return { email: `smoke-no-account-${randomUUID().slice(0, 8)}@${settings.account.emailDomain}`, password: `not-a-password-${randomUUID()}` };
}

/**
 * Where the app may set cookies: the key pages and a consent link, the
 * Auth.js endpoints of the frontend (the real one signs in there), and the
 * API's login and token refresh (both failing: no session is made). An https
 * URL of the frontend (SMOKE_TLS_URL) is read too, so Secure is judged over https.
 */
async function cookieResponses(dc: DermaConsent, settings: Settings): Promise<HttpResponse[]> {
  const paths = [...settings.csp.keyPages, consentProbe(), '/api/auth/csrf', '/api/auth/session'];
  const own = new Set([dc.frontendOrigin, new URL(dc.apiUrl).origin]);
  const httpsFrontends = settings.tls.urls.map((u) => new URL(u).origin).filter((o) => !own.has(o));
  const ca = trustStore(settings.tls.caFile);
  const dispatcher = ca ? new Agent({ connect: { ca } }) : undefined;
  try {
    const reads = [
      ...paths.map((p) => dc.web.get(p)),
      ...httpsFrontends.flatMap((origin) => paths.map((p) => httpRequest('GET', `${origin}${p}`, { headers: { accept: 'text/html,*/*' }, dispatcher, timeoutMs: settings.httpTimeoutMs }))),
      // The cookie-setting routes are POSTs: read only where the run may write.
      ...(settings.writes
        ? [dc.api.request('POST', '/api/auth/login', { body: bogusLogin(settings) }), dc.api.request('POST', '/api/auth/refresh-token', { body: {} })]
        : []),
    ];
    return await Promise.all(reads);
  } finally {
    await dispatcher?.close();
  }
}

// --- sensitive responses: authenticated API data, public consent data, the consent PDF ---

/**
 * The practice's own data (authenticated JSON), the consent a practice
 * creates (its response carries the public token) and the public consent
 * form's data. Read once per worker: DC-HDR-6 and DC-HDR-8 judge the same responses.
 */
let sensitiveJson: Promise<HttpResponse[]> | undefined;
function sensitiveResponses(practice: SyntheticPractice): Promise<HttpResponse[]> {
  sensitiveJson ??= (async () => {
    const created = await practice.api.post('/api/consent', { type: 'BOTOX' });
    expect(created.status, `creating a consent to read its public data: ${where(created)}`).toBe(201);
    const { id, token } = created.json as { id: string; token: string };
    practice.created.consents.push(id);
    const [own, list, pub] = await Promise.all([practice.api.get('/api/practice'), practice.api.get('/api/consent/practice'), practice.api.publicConsent(token)]);
    for (const r of [own, list, pub]) expect(r.status, `a sensitive response to judge: ${where(r).replace(token, '<token>')}`).toBe(200);
    // The public token is a credential: never in a report.
    return [created, own, list, pub].map((r) => ({ ...r, url: r.url.replace(token, '<token>') }));
  })();
  return sensitiveJson;
}

/** The signed consent's PDF as the practice downloads it (generated here unless it already is), or why it is not there. */
let consentPdf: Promise<HttpResponse | { unavailable: string }> | undefined;
function pdfResponse(consent: PdfConsent, settings: Settings): Promise<HttpResponse | { unavailable: string }> {
  consentPdf ??= (async () => {
    const path = `/api/consent/${encodeURIComponent(consent.consentId)}`;
    const generated = await consent.api.post(`${path}/generate-pdf`, { formData: consent.formData, patientName: consent.patient.name, patientDob: consent.patient.dob, locale: 'en' });
    if (generated.status !== 201 && generated.status !== 202) return { unavailable: `generate-pdf: ${where(generated)}` };
    const deadline = Date.now() + settings.pdf.deadlineS * 1000;
    for (;;) {
      const res = await consent.api.get(`${path}/pdf`);
      if (res.status === 200) return { ...res, text: '' };
      if (![404, 409, 429].includes(res.status) || Date.now() >= deadline) return { unavailable: `no PDF within ${settings.pdf.deadlineS} s: ${where(res)}` };
      await delay(500); // poll interval, bounded by the deadline above
    }
  })();
  return consentPdf;
}

async function requirePdf(consent: PdfConsent, settings: Settings): Promise<HttpResponse> {
  const pdf = await pdfResponse(consent, settings);
  // DC-PDF-1 fails when the PDF is not made; here it is only not judged.
  if ('unavailable' in pdf) test.skip(true, `the consent PDF is not available, so its headers are not judged (DC-PDF-1 judges that): ${pdf.unavailable}`);
  return pdf as HttpResponse;
}

test.describe('DermaConsent sensitive responses', { tag: ['@dermaconsent'] }, () => {
  test('DC-HDR-6 authenticated API data and the public consent data carry nosniff', async ({ practice }) => {
    const responses = await sensitiveResponses(practice);
    report('X-Content-Type-Options', evaluation(grouped(responses.map((r) => ({ where: where(r), findings: evaluateNosniff(r.headers['x-content-type-options']) })))));
  });

  test('DC-HDR-8 authenticated API data and the public consent data are never stored by a cache (no-store)', async ({ practice }) => {
    const responses = await sensitiveResponses(practice);
    report('Cache-Control', evaluation(grouped(responses.map((r) => ({ where: where(r), findings: evaluateSensitiveCaching(r.headers['cache-control']) })))));
  });

  test('DC-HDR-6 the consent PDF carries nosniff', async ({ pdfConsent, settings }) => {
    const pdf = await requirePdf(pdfConsent, settings);
    report('X-Content-Type-Options', evaluation(grouped([{ where: where(pdf), findings: evaluateNosniff(pdf.headers['x-content-type-options']) }])));
  });

  test('DC-HDR-8 the consent PDF is never stored by a cache (no-store)', async ({ pdfConsent, settings }) => {
    const pdf = await requirePdf(pdfConsent, settings);
    report('Cache-Control', evaluation(grouped([{ where: where(pdf), findings: evaluateSensitiveCaching(pdf.headers['cache-control']) }])));
  });
});
