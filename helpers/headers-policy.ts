// Response-header policies beyond HSTS and CSP (DC-HDR-4..9): framing,
// cookies, nosniff, Referrer-Policy, Cache-Control, and the warning-level
// isolation and disclosure headers. Rules after the Mozilla HTTP Observatory
// and OWASP's secure headers guidance; where this project is stricter (a
// consent app whose public links carry tokens), the code says why.
import { parseCspHeader } from './csp.ts';
import { fail, warn, type Finding } from './findings.ts';

const clip = (s: string, n = 100) => (s.length > n ? `${s.slice(0, n)}...` : s);

// --- DC-HDR-4 framing --------------------------------------------------------

export interface FramingInput {
  xFrameOptions: string | null | undefined;
  /** Enforced Content-Security-Policy header value (several joined by ", "). */
  csp: string | null | undefined;
}

/** A frame-ancestors source that lets any site, or any site of a scheme, frame the page. */
function broadAncestor(source: string): boolean {
  const s = source.toLowerCase();
  return /^[a-z][a-z0-9+.-]*:$/.test(s) || /^(?:[a-z][a-z0-9+.-]*:\/\/)?\*(?::(?:\d+|\*))?(?:\/.*)?$/.test(s);
}

/**
 * Browsers obey CSP frame-ancestors when any enforced policy has it, and then
 * ignore X-Frame-Options; otherwise X-Frame-Options DENY or SAMEORIGIN. A
 * frame-ancestors in a <meta> policy does nothing, so only the header counts.
 */
export function evaluateFraming({ xFrameOptions, csp }: FramingInput): Finding[] {
  const withAncestors = parseCspHeader(csp).filter((p) => p.has('frame-ancestors'));
  if (withAncestors.length > 0) {
    // Every policy must allow the framing, so the strictest one decides.
    const verdicts = withAncestors.map((p) => {
      const sources = p.get('frame-ancestors') ?? [];
      const broad = sources.filter(broadAncestor);
      return { sources, broad };
    });
    if (verdicts.some((v) => v.broad.length === 0)) return [];
    const first = verdicts[0] as { sources: string[]; broad: string[] };
    return [
      fail(
        `CSP frame-ancestors ${first.sources.join(' ')} lets any site frame the page (${first.broad.join(' ')}); browsers then ignore X-Frame-Options${xFrameOptions ? ` ("${xFrameOptions}")` : ''}; expected frame-ancestors 'none', 'self' or exact origins`,
      ),
    ];
  }
  if (xFrameOptions == null || xFrameOptions.trim() === '') {
    return [fail("no X-Frame-Options and no CSP frame-ancestors: any site may frame the page (clickjacking); expected X-Frame-Options: DENY or SAMEORIGIN, or frame-ancestors 'none' or 'self'")];
  }
  const value = xFrameOptions.trim();
  if (/^(deny|sameorigin)$/i.test(value)) return [];
  if (/^allow-from\b/i.test(value)) {
    return [fail(`X-Frame-Options "${value}": browsers no longer support ALLOW-FROM and ignore the header, so any site may frame the page; expected DENY or SAMEORIGIN, or CSP frame-ancestors with the allowed origins`)];
  }
  // "SAMEORIGIN, SAMEORIGIN" (two headers) is invalid for the Observatory; browsers
  // accept it when every value agrees, so only disagreeing values fail here.
  const values = value.split(',').map((v) => v.trim().toLowerCase());
  if (values.length > 1 && values.every((v) => v === values[0] && (v === 'deny' || v === 'sameorigin'))) {
    return [warn(`X-Frame-Options is sent ${values.length} times ("${value}"); browsers accept it because the values agree, but one header is expected`)];
  }
  return [fail(`X-Frame-Options "${clip(value)}" is invalid, so browsers ignore it and any site may frame the page; expected DENY or SAMEORIGIN`)];
}

// --- DC-HDR-5 cookies --------------------------------------------------------

export interface SetCookie {
  name: string;
  /** Attribute names lowercased, values as sent ("" for flags). */
  attributes: Map<string, string>;
  raw: string;
}

/** RFC 6265 section 5.2: name=value, then ';'-separated attributes; the last of a repeated attribute wins. */
export function parseSetCookie(header: string): SetCookie | null {
  const [pair = '', ...attrs] = header.split(';');
  const eq = pair.indexOf('=');
  if (eq === -1) return null; // browsers ignore a cookie without '='
  const name = pair.slice(0, eq).trim();
  const attributes = new Map<string, string>();
  for (const a of attrs) {
    const i = a.indexOf('=');
    const key = (i === -1 ? a : a.slice(0, i)).trim().toLowerCase();
    if (key === '') continue;
    attributes.set(key, i === -1 ? '' : a.slice(i + 1).trim());
  }
  return { name, attributes, raw: header };
}

// Observatory: session cookies are recognised by name; the list is wider here
// (Auth.js, NestJS and JWT names) because the real frontend is Auth.js.
const SESSION_NAME = /sess|sid$|^sid|token|auth|jwt|login|remember/i;
// Double-submit CSRF cookies (XSRF-TOKEN) must stay readable by the page's script.
const CSRF_NAME = /csrf|xsrf/i;

export function isSessionCookie(name: string): boolean {
  return SESSION_NAME.test(name) && !(CSRF_NAME.test(name) && !/auth/i.test(name));
}

export interface CookieInput {
  /** The Set-Cookie header value, one per cookie (never joined). */
  setCookie: string;
  /** Whether the response came over https. */
  https: boolean;
}

/**
 * Secure on every cookie (fails over https; over plain http it cannot be
 * judged, because apps set it by the request's scheme, so it warns); HttpOnly
 * on session cookies; SameSite Lax or Strict; __Host- and __Secure- prefixes honoured.
 *
 * Deliberate differences from the Observatory: SameSite=None fails (a consent
 * app has no cross-site embedding that needs it), and a cookie without SameSite
 * fails even though browsers default to Lax (Firefox and Safari do not).
 */
export function evaluateCookie({ setCookie, https }: CookieInput): Finding[] {
  const c = parseSetCookie(setCookie);
  if (!c) return [warn(`Set-Cookie "${clip(setCookie, 60)}" has no name=value pair: browsers ignore it`)];
  const findings: Finding[] = [];
  const name = `cookie ${c.name}`;
  const secure = c.attributes.has('secure');
  const session = isSessionCookie(c.name);
  if (!secure) {
    if (https) findings.push(fail(`${name} lacks Secure: it would also be sent over plain http; expected Secure on every cookie`));
    else findings.push(warn(`${name} lacks Secure (served over plain http, where apps commonly leave it off: check it over https)`));
  }
  if (session && !c.attributes.has('httponly')) {
    findings.push(fail(`${name} looks like a session or token cookie but lacks HttpOnly: an injected script can read it; expected HttpOnly`));
  }
  const sameSite = c.attributes.get('samesite');
  if (sameSite === undefined) {
    findings.push(fail(`${name} has no SameSite attribute; expected SameSite=Lax or Strict (not every browser defaults to Lax)`));
  } else if (/^none$/i.test(sameSite)) {
    findings.push(fail(`${name} has SameSite=None: it is sent on cross-site requests (CSRF); expected Lax or Strict`));
  } else if (!/^(lax|strict)$/i.test(sameSite)) {
    findings.push(fail(`${name} has SameSite=${sameSite || '(empty)'}, which browsers do not recognise; expected Lax or Strict`));
  }
  if (c.name.startsWith('__Host-')) {
    const problems: string[] = [];
    if (!secure) problems.push('no Secure');
    if (c.attributes.has('domain')) problems.push(`Domain=${c.attributes.get('domain')}`);
    if (c.attributes.get('path') !== '/') problems.push(`Path=${c.attributes.get('path') ?? '(none)'}`);
    if (problems.length) findings.push(fail(`${name} has the __Host- prefix but ${problems.join(', ')}: browsers reject it; expected Secure, Path=/ and no Domain`));
  } else if (c.name.startsWith('__Secure-') && !secure) {
    findings.push(fail(`${name} has the __Secure- prefix but no Secure: browsers reject it`));
  }
  return findings;
}

// --- DC-HDR-6 nosniff ----------------------------------------------------------

export function evaluateNosniff(value: string | null | undefined): Finding[] {
  if (value == null || value.trim() === '') {
    return [fail('no X-Content-Type-Options; expected nosniff, so browsers never guess a script or page out of JSON, PDFs or uploads')];
  }
  // Browsers read the first value only; "nosniff, nosniff" (two headers) still works
  // for them, where the Observatory calls it invalid.
  const first = value.split(',')[0]?.trim() ?? '';
  if (first.toLowerCase() !== 'nosniff') return [fail(`X-Content-Type-Options is "${clip(value)}"; expected nosniff`)];
  return [];
}

// --- DC-HDR-7 Referrer-Policy ------------------------------------------------------

const REFERRER_TOKENS = new Set([
  'no-referrer',
  'no-referrer-when-downgrade',
  'same-origin',
  'origin',
  'strict-origin',
  'origin-when-cross-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
]);

/** The policy a browser applies: the last recognised token of the comma-separated list. */
export function effectiveReferrerPolicy(value: string | null | undefined): string | null {
  const tokens = (value ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => REFERRER_TOKENS.has(t));
  return tokens.at(-1) ?? null;
}

/**
 * Public consent links carry their token in the path, so a policy that sends
 * the full URL to other sites leaks the token. The Observatory also calls
 * origin and origin-when-cross-origin unsafe; they send only the origin
 * cross-site (never the token), so they only warn here.
 */
export function evaluateReferrerPolicy(value: string | null | undefined): Finding[] {
  if (value == null || value.trim() === '') {
    return [warn('no Referrer-Policy: browsers fall back to strict-origin-when-cross-origin (safe), but an explicit no-referrer or strict-origin-when-cross-origin is expected')];
  }
  const policy = effectiveReferrerPolicy(value);
  if (policy === null) {
    return [warn(`Referrer-Policy "${clip(value)}" has no recognised value, so browsers use their default (strict-origin-when-cross-origin)`)];
  }
  const via = policy === value.trim().toLowerCase() ? '' : ` (the last recognised value of "${clip(value)}", which browsers apply)`;
  if (policy === 'unsafe-url' || policy === 'no-referrer-when-downgrade') {
    return [fail(`Referrer-Policy ${policy}${via} sends the full URL, with the consent token in its path, to other sites; expected no-referrer, same-origin, strict-origin or strict-origin-when-cross-origin`)];
  }
  if (policy === 'origin' || policy === 'origin-when-cross-origin') {
    return [warn(`Referrer-Policy ${policy}${via} sends the origin even from https to http; expected strict-origin-when-cross-origin or stricter`)];
  }
  return [];
}

// --- DC-HDR-8 Cache-Control ------------------------------------------------------

/** Cache-Control directives, lowercased, with their values. */
export function parseCacheControl(value: string | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (value ?? '').split(',')) {
    const [k = '', ...v] = part.split('=');
    const key = k.trim().toLowerCase();
    if (key) out.set(key, v.join('=').trim().replace(/^"(.*)"$/, '$1'));
  }
  return out;
}

/** Sensitive responses (authenticated API data, the public consent form's data) must not be stored by any cache. */
export function evaluateSensitiveCaching(value: string | null | undefined): Finding[] {
  const directives = parseCacheControl(value);
  if (directives.has('no-store')) return [];
  if (value == null || value.trim() === '') {
    return [fail('no Cache-Control: a shared cache or the browser may store the response (heuristic caching); expected Cache-Control: no-store')];
  }
  const shared = directives.has('public') || directives.has('s-maxage');
  const why = shared ? 'a shared cache may keep it' : directives.has('private') ? 'the browser may still keep it on disk' : 'caches may keep it';
  return [fail(`Cache-Control is "${clip(value)}": ${why}; expected no-store`)];
}

// --- DC-HDR-9 warning level: isolation and disclosure ---------------------------

export interface IsolationInput {
  headers: Record<string, string>;
  /** An HTML document: COOP and Permissions-Policy matter there. */
  document: boolean;
}

export function evaluateIsolation({ headers, document }: IsolationInput): Finding[] {
  const findings: Finding[] = [];
  if (document) {
    const coop = headers['cross-origin-opener-policy']?.trim().toLowerCase();
    if (!coop) {
      findings.push(warn('no Cross-Origin-Opener-Policy: a page this one opens (or that opens it) keeps a handle to it; expected same-origin'));
    } else if (coop.startsWith('unsafe-none')) {
      findings.push(warn('Cross-Origin-Opener-Policy is unsafe-none; expected same-origin (or same-origin-allow-popups)'));
    }
    if (!headers['permissions-policy']?.trim()) {
      findings.push(warn('no Permissions-Policy: every powerful feature keeps its default; expected one that turns off what the app does not use (e.g. camera=(), geolocation=())'));
    }
  }
  const corp = headers['cross-origin-resource-policy']?.trim().toLowerCase();
  if (!document && !corp) {
    findings.push(warn('no Cross-Origin-Resource-Policy: other sites may embed this response; expected same-origin or same-site'));
  } else if (!document && corp === 'cross-origin') {
    findings.push(warn('Cross-Origin-Resource-Policy is cross-origin; expected same-origin or same-site'));
  }
  return findings;
}

const VERSION = /\d+(?:\.\d+)+|\/\s*\d/;

/** Server and X-Powered-By: a version number tells an attacker which exploits to try. */
export function evaluateDisclosure(headers: Record<string, string>): Finding[] {
  const findings: Finding[] = [];
  for (const name of ['server', 'x-powered-by', 'x-aspnet-version']) {
    const value = headers[name]?.trim();
    if (!value) continue;
    const label = name === 'server' ? 'Server' : name === 'x-powered-by' ? 'X-Powered-By' : 'X-AspNet-Version';
    if (VERSION.test(value)) findings.push(warn(`${label}: ${clip(value, 60)} discloses a software version; expected no version (or no header)`));
    else if (name !== 'server') findings.push(warn(`${label}: ${clip(value, 60)} names the framework; expected no ${label} header`));
  }
  return findings;
}
