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
