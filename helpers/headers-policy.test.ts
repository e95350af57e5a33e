import { describe, expect, it } from 'vitest';
import { evaluation } from './findings.ts';
import {
  effectiveReferrerPolicy,
  evaluateCookie,
  evaluateDisclosure,
  evaluateFraming,
  evaluateIsolation,
  evaluateNosniff,
  evaluateReferrerPolicy,
  evaluateSensitiveCaching,
  isSessionCookie,
  parseCacheControl,
  parseSetCookie,
} from './headers-policy.ts';

const verdict = (findings: ReturnType<typeof evaluateFraming>) => {
  const e = evaluation(findings);
  return e.failures.length ? 'fail' : e.warnings.length ? 'warn' : 'pass';
};

describe('evaluateFraming (DC-HDR-4)', () => {
  // Observatory x-frame-options.test.js: missing, invalid, ALLOW-FROM, DENY/SAMEORIGIN, via CSP.
  it.each([
    [null, null, 'fail'], // XFrameOptionsNotImplemented
    ['whimsy', null, 'fail'], // XFrameOptionsHeaderInvalid
    // The Observatory calls a repeated header invalid; browsers accept agreeing values, so only a warning here.
    ['SAMEORIGIN, SAMEORIGIN', null, 'warn'],
    // XFrameOptionsAllowFromOrigin passes there; no current browser supports ALLOW-FROM, so it fails here.
    ['ALLOW-FROM https://mozilla.org', null, 'fail'],
    ['DENY', null, 'pass'], // XFrameOptionsSameoriginOrDeny
    ['SAMEORIGIN', null, 'pass'],
    ['deny', null, 'pass'],
    ['DENY', 'frame-ancestors https://mozilla.org', 'pass'], // XFrameOptionsImplementedViaCsp
    [null, "default-src 'self'; frame-ancestors 'none'", 'pass'],
    [null, "frame-ancestors 'self' https://partner.example", 'pass'],
  ])('X-Frame-Options %j with CSP %j: %s', (xfo, csp, expected) => {
    expect(verdict(evaluateFraming({ xFrameOptions: xfo, csp }))).toBe(expected);
  });

  // Observatory csp.test.js "policy analysis": these are not anti-clickjacking.
  it.each(['frame-ancestors *', 'frame-ancestors http:', 'frame-ancestors https:', 'frame-ancestors https://*'])(
    'fails %s even with X-Frame-Options DENY, which browsers then ignore',
    (csp) => {
      const { failures } = evaluation(evaluateFraming({ xFrameOptions: 'DENY', csp }));
      expect(failures).toEqual([expect.stringContaining('lets any site frame the page')]);
      expect(failures[0]).toContain('ignore X-Frame-Options ("DENY")');
    },
  );

  it("default-src 'none' does not cover frame-ancestors (no fallback)", () => {
    expect(verdict(evaluateFraming({ xFrameOptions: null, csp: "default-src 'none'" }))).toBe('fail');
  });

  it('a restrictive policy among several wins (browsers enforce all of them)', () => {
    expect(verdict(evaluateFraming({ xFrameOptions: null, csp: "frame-ancestors *, frame-ancestors 'none'" }))).toBe('pass');
  });
});

describe('cookies (DC-HDR-5)', () => {
  it('parses name, flags and attributes; an attribute repeated takes the last value', () => {
    const c = parseSetCookie('SESSIONID=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite=Lax; samesite=Strict');
    expect(c?.name).toBe('SESSIONID');
    expect(c?.attributes.get('secure')).toBe('');
    expect(c?.attributes.get('samesite')).toBe('Strict');
    expect(parseSetCookie('novalue')).toBeNull();
  });

  it('recognises session cookies by name, not double-submit CSRF cookies', () => {
    for (const n of ['SESSIONID', 'authjs.session-token', '__Secure-authjs.session-token', 'connect.sid', 'refresh_token', '__Host-authjs.csrf-token']) {
      expect(isSessionCookie(n), n).toBe(true);
    }
    for (const n of ['NEXT_LOCALE', 'foo', 'XSRF-TOKEN', 'csrftoken']) expect(isSessionCookie(n), n).toBe(false);
  });

  const run = (setCookie: string, https = true) => evaluation(evaluateCookie({ setCookie, https }));

  // Observatory cookies.test.js cases, with the verdict here.
  it.each([
    // CookiesSecureWithHttponlySessions (passes there): no SameSite fails here, deliberately.
    ['SESSIONID=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly', 'fail'],
    ['SESSIONID_SAMESITE_STRICT=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite=Strict', 'pass'],
    ['SESSIONID_SAMESITE_LAX=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite=Lax', 'pass'],
    // SameSite=None passes there; a consent app needs no cross-site cookies, so it fails here.
    ['SESSIONID_SAMESITE_NONE=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite=None', 'fail'],
    ['CSRFTOKEN=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly', 'fail'], // CookiesAnticsrfWithoutSamesiteFlag
    ['SESSIONID=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite=', 'fail'], // CookiesSamesiteFlagInvalid
    ['SESSIONID=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite=True', 'fail'],
    ['SESSIONID=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite=Invalid', 'fail'],
    ['foo=bar; Domain=mozilla.org; Path=/; SameSite=Lax', 'fail'], // CookiesWithoutSecureFlag(ButProtectedByHsts)
    ['SESSIONID=bar; Domain=mozilla.org; Path=/; HttpOnly; SameSite=Lax', 'fail'], // CookiesSessionWithoutSecureFlag
    ['SESSIONID=bar; Domain=mozilla.org; Path=/; Secure; SameSite=Lax', 'fail'], // CookiesSessionWithoutHttponlyFlag
    ['foo=bar; Path=/; Secure; SameSite=Lax', 'pass'], // not a session cookie: HttpOnly not required
  ])('%s over https: %s', (cookie, expected) => {
    const e = run(cookie);
    expect(e.failures.length ? 'fail' : 'pass').toBe(expected);
  });

  it('over plain http a missing Secure only warns, and says why', () => {
    const e = run('NEXT_LOCALE=de; Path=/; Expires=Thu, 02 Dec 2027 13:48:42 GMT; Max-Age=31536000; SameSite=lax', false);
    expect(e.failures).toEqual([]);
    expect(e.warnings).toEqual([expect.stringMatching(/cookie NEXT_LOCALE lacks Secure \(served over plain http/)]);
  });

  it('names the missing attribute', () => {
    expect(run('NEXT_LOCALE=de; Path=/; Secure').failures).toEqual([expect.stringMatching(/NEXT_LOCALE has no SameSite attribute/)]);
    expect(run('authjs.session-token=x; Path=/; Secure; SameSite=Lax').failures).toEqual([expect.stringMatching(/lacks HttpOnly/)]);
  });

  it('holds __Host- and __Secure- cookies to their prefix rules', () => {
    expect(run('__Host-authjs.csrf-token=x; Path=/; Secure; HttpOnly; SameSite=Lax').failures).toEqual([]);
    expect(run('__Host-authjs.csrf-token=x; Path=/app; Domain=example.com; Secure; HttpOnly; SameSite=Lax').failures).toEqual([
      expect.stringMatching(/__Host- prefix but Domain=example.com, Path=\/app/),
    ]);
    expect(run('__Secure-id=x; Path=/; SameSite=Lax', false).failures).toEqual([expect.stringMatching(/__Secure- prefix but no Secure/)]);
  });
});

describe('evaluateNosniff (DC-HDR-6)', () => {
  // Observatory x-content-type-options.test.js
  it.each([
    [undefined, 'fail'], // XContentTypeOptionsNotImplemented
    ['whimsy', 'fail'], // XContentTypeOptionsHeaderInvalid
    ['nosniff', 'pass'],
    ['nosniff ', 'pass'],
    ['NoSniff', 'pass'],
    // Invalid for the Observatory; browsers read the first value, so it protects.
    ['nosniff, nosniff', 'pass'],
  ])('%j: %s', (value, expected) => {
    expect(evaluation(evaluateNosniff(value)).failures.length ? 'fail' : 'pass').toBe(expected);
  });
});

describe('Referrer-Policy (DC-HDR-7)', () => {
  it('applies the last recognised value, as browsers do', () => {
    expect(effectiveReferrerPolicy('no-referrer, whimsy')).toBe('no-referrer');
    expect(effectiveReferrerPolicy('no-referrer, unsafe-url')).toBe('unsafe-url');
    expect(effectiveReferrerPolicy('whimsy, whimsy1')).toBeNull();
  });

  const v = (value: string | undefined) => {
    const e = evaluation(evaluateReferrerPolicy(value));
    return e.failures.length ? 'fail' : e.warnings.length ? 'warn' : 'pass';
  };

  // Observatory referrer-policy.test.js, with the verdict here.
  it.each([
    ['no-referrer', 'pass'], // ReferrerPolicyPrivate
    ['same-origin', 'pass'],
    ['strict-origin', 'pass'],
    ['STRICT-ORIGIN', 'pass'],
    ['strict-origin-when-cross-origin', 'pass'],
    ['no-referrer, whimsy', 'pass'],
    [undefined, 'warn'], // ReferrerPolicyNotImplemented: browsers default to strict-origin-when-cross-origin
    ['whimsy', 'warn'], // ReferrerPolicyHeaderInvalid: ignored, so the same default
    ['whimsy, whimsy1, whimsy2', 'warn'],
    ['unsafe-url', 'fail'], // ReferrerPolicyUnsafe
    ['no-referrer-when-downgrade', 'fail'],
    ['no-referrer, unsafe-url', 'fail'],
    ['origin-when-cross-origin, no-referrer, unsafe-url', 'fail'],
    // ReferrerPolicyUnsafe there; only the origin leaves the site (never the token), so a warning here.
    ['origin', 'warn'],
    ['origin-when-cross-origin', 'warn'],
  ])('%j: %s', (value, expected) => {
    expect(v(value)).toBe(expected);
  });

  it('says which value of a list the browser applies', () => {
    expect(evaluation(evaluateReferrerPolicy('no-referrer, unsafe-url')).failures[0]).toMatch(
      /unsafe-url \(the last recognised value of "no-referrer, unsafe-url", which browsers apply\)/,
    );
  });
});

describe('Cache-Control for sensitive responses (DC-HDR-8)', () => {
  it('parses directives', () => {
    expect([...parseCacheControl('No-Store, max-age=0, private="set-cookie"')]).toEqual([
      ['no-store', ''],
      ['max-age', '0'],
      ['private', 'set-cookie'],
    ]);
  });

  it.each([
    ['no-store', 'pass'],
    ['private, no-cache, no-store, must-revalidate', 'pass'],
    [undefined, 'fail'],
    ['public, max-age=300', 'fail'],
    ['private, max-age=0', 'fail'],
    ['no-cache', 'fail'],
  ])('%j: %s', (value, expected) => {
    expect(evaluation(evaluateSensitiveCaching(value)).failures.length ? 'fail' : 'pass').toBe(expected);
  });

  it('says who may keep it', () => {
    expect(evaluation(evaluateSensitiveCaching('public, max-age=300')).failures[0]).toMatch(/a shared cache may keep it; expected no-store/);
    expect(evaluation(evaluateSensitiveCaching(undefined)).failures[0]).toMatch(/^no Cache-Control/);
  });
});

describe('isolation and disclosure (DC-HDR-9, warnings only)', () => {
  it('warns on documents without COOP or Permissions-Policy, and on resources without CORP', () => {
    expect(evaluateIsolation({ headers: {}, document: true }).map((f) => f.severity)).toEqual(['warn', 'warn']);
    expect(evaluateIsolation({ headers: {}, document: false })).toEqual([expect.objectContaining({ severity: 'warn' })]);
    const full = { 'cross-origin-opener-policy': 'same-origin', 'permissions-policy': 'camera=()', 'cross-origin-resource-policy': 'same-origin' };
    expect(evaluateIsolation({ headers: full, document: true })).toEqual([]);
    expect(evaluateIsolation({ headers: full, document: false })).toEqual([]);
    // Observatory cross-origin-opener-policy.test.js: unsafe-none is no isolation.
    expect(evaluateIsolation({ headers: { ...full, 'cross-origin-opener-policy': 'unsafe-none' }, document: true })).toHaveLength(1);
  });

  it('warns on versions in Server or X-Powered-By, and on X-Powered-By at all', () => {
    expect(evaluateDisclosure({ server: 'nginx' })).toEqual([]);
    expect(evaluateDisclosure({ server: 'nginx/1.25.3' })).toEqual([expect.objectContaining({ severity: 'warn', message: expect.stringMatching(/Server: nginx\/1.25.3 discloses a software version/) })]);
    expect(evaluateDisclosure({ 'x-powered-by': 'PHP/8.1.2' })[0]?.message).toMatch(/discloses a software version/);
    expect(evaluateDisclosure({ 'x-powered-by': 'Next.js' })[0]?.message).toMatch(/names the framework/);
  });
});
