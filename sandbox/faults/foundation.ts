import type { Fault } from './fault.ts';

/** Faults of the foundation: health, headers, CORS, TLS, the frontend. */
export const FOUNDATION_FAULTS = {
  'readiness-db-error-200': {
    breaks: 'GET /api/health/ready answers 200 with status "error" and checks.database "error" (the real API does this when the database is down)',
    expect: ['DC-HEALTH-2', 'DC-DB-1'],
  },
  'health-down': {
    breaks: 'GET /api/health answers 503',
    expect: ['DC-HEALTH-1'],
  },
  'hsts-missing': {
    breaks: 'no Strict-Transport-Security header on any response',
    expect: ['DC-HDR-1'],
  },
  'hsts-short': {
    breaks: 'Strict-Transport-Security max-age=86400 (one day)',
    expect: ['DC-HDR-1'],
  },
  'hsts-missing-on-errors': {
    breaks: 'Strict-Transport-Security is dropped on 4xx/5xx responses only',
    expect: ['DC-HDR-1'],
  },
  'csp-missing': {
    breaks: 'no Content-Security-Policy header',
    expect: ['DC-HDR-2'],
  },
  'csp-report-only': {
    breaks: 'the policy is sent as Content-Security-Policy-Report-Only only, so nothing is enforced',
    expect: ['DC-HDR-2'],
  },
  'csp-wildcard-script': {
    breaks: "script-src allows any https: origin",
    expect: ['DC-HDR-2'],
  },
  'csp-blocks-app': {
    breaks: "script-src 'none': the policy blocks the app's own scripts, so no page works in a browser",
    // The checks that drive a page fail on their own assertions: the CSP checks, the front page,
    // registration, setup, the run account's sign-in (DC-FLOW-1 owns it) and the patient's form
    // (DC-FLOW-5 owns it). The checks built on those two are skipped, pointing there.
    expect: ['DC-HDR-2', 'DC-HEALTH-3', 'DC-FLOW-1', 'DC-FLOW-2', 'DC-FLOW-5'],
  },
  'hsts-zeroed-by-second-header': {
    breaks: 'a second Strict-Transport-Security header says max-age=0 (as a proxy adding its own would); browsers honour the first, any reordering switches HSTS off',
    expect: ['DC-HDR-1'],
  },
  'csp-empty-nonce': {
    breaks: "script-src 'self' 'nonce-' 'unsafe-inline': the nonce was never filled in, so browsers drop it and 'unsafe-inline' applies",
    // Chromium also logs "contains an invalid source: ''nonce-''" as a console error on every page, as it would in production.
    expect: ['DC-HDR-2', 'DC-HEALTH-3'],
  },
  'xfo-missing': {
    breaks: 'no X-Frame-Options and no CSP frame-ancestors: any site may frame the consent and signature pages',
    expect: ['DC-HDR-4'],
  },
  'frame-ancestors-wildcard': {
    breaks: 'CSP frame-ancestors * (X-Frame-Options SAMEORIGIN still sent, which browsers then ignore)',
    expect: ['DC-HDR-4'],
  },
  'cookie-not-secure': {
    breaks: "the frontend's cookies (locale, Auth.js CSRF) lack Secure, also over https",
    expect: ['DC-HDR-5'],
  },
  'cookie-no-samesite': {
    breaks: "the frontend's cookies carry no SameSite attribute",
    expect: ['DC-HDR-5'],
  },
  'nosniff-missing': {
    breaks: "the API's responses (JSON with patient data, PDFs) lack X-Content-Type-Options: nosniff",
    expect: ['DC-HDR-6'],
  },
  'referrer-unsafe-url': {
    breaks: 'Referrer-Policy: unsafe-url: the consent link, token included, goes to every site the page links to or loads from',
    expect: ['DC-HDR-7'],
  },
  'api-cacheable': {
    breaks: 'API responses, the authenticated ones and the public consent data included, say Cache-Control: public, max-age=300',
    expect: ['DC-HDR-8'],
  },
  'request-id-missing': {
    breaks: 'no X-Request-Id header on API responses',
    expect: ['DC-HDR-3'],
  },
  'request-id-not-echoed': {
    breaks: "a caller's X-Request-Id is replaced by a fresh UUID instead of echoed",
    expect: ['DC-HDR-3'],
  },
  'cors-reflects-any-origin': {
    breaks: 'CORS echoes whatever Origin the request names, with credentials',
    expect: ['DC-SEC-2'],
  },
  'cors-wildcard-with-credentials': {
    breaks: 'CORS answers Access-Control-Allow-Origin: * together with Allow-Credentials: true',
    expect: ['DC-SEC-2'],
  },
  'cors-prefix-match': {
    breaks: 'CORS grants any origin that starts with the frontend origin (https://app.example.evil.example passes)',
    expect: ['DC-SEC-2'],
  },
  'cors-no-vary': {
    breaks: 'CORS grants the frontend origin only when asked by it (no grant otherwise) and sends no Vary: Origin, so a shared cache mixes the answers up',
    expect: ['DC-SEC-2'],
  },
  'redirect-back-to-http': {
    breaks: 'the https home page redirects to the plain-http frontend, undoing the http-to-https redirect before it',
    expect: ['DC-SEC-4'],
  },
  'no-https-redirect': {
    breaks: 'the plain-HTTP listener serves the app instead of redirecting to https://',
    expect: ['DC-SEC-4'],
  },
  'cert-expiring': {
    breaks: 'the TLS certificate expires 5 days after the sandbox starts',
    expect: ['DC-SEC-4'],
  },
  'console-error': {
    breaks: 'the home page script throws on load',
    expect: ['DC-HEALTH-3'],
  },
  slow: {
    breaks: '200-800 ms of random latency on every response (the suite must stay green)',
    expect: [],
  },
} as const satisfies Record<string, Fault>;
