// DC-SEC-4: the whole way from plain http to the page, not only the first hop.
// An https page that later redirects back to http undoes the upgrade; a
// closed port 80 is reported as what it is, with its expectation a setting.
import { Agent, request, type Dispatcher } from 'undici';
import { fail, warn, type Finding } from './findings.ts';
import { evaluateHttpsRedirect, REDIRECT_STATUSES, trustStore } from './tls.ts';

export interface Hop {
  url: string;
  status: number;
  location?: string;
}

export type ChainOutcome =
  | { ok: true; hops: Hop[] }
  /** The first request got no answer at all (nothing listening, DNS, timeout). */
  | { ok: false; url: string; code?: string; message: string; hops: Hop[] };

export interface FollowOptions {
  /** Extra trusted CA (PEM file) for the https hops. */
  caFile?: string;
  maxHops?: number;
  timeoutMs?: number;
}

export const MAX_HOPS = 10;

function errorCode(err: unknown): string | undefined {
  let e = err as { code?: string; cause?: unknown } | undefined;
  for (let i = 0; e && i < 4; i++) {
    if (typeof e.code === 'string' && !e.code.startsWith('UND_ERR_CONNECT') && e.code !== 'UND_ERR_SOCKET') return e.code;
    e = e.cause as typeof e;
  }
  return (err as { code?: string } | undefined)?.code;
}

/** GETs `url` and each Location in turn (one request per hop, nothing followed implicitly). */
export async function followRedirects(url: string, { caFile, maxHops = MAX_HOPS, timeoutMs = 15_000 }: FollowOptions = {}): Promise<ChainOutcome> {
  const ca = trustStore(caFile);
  const dispatcher: Dispatcher | undefined = ca ? new Agent({ connect: { ca } }) : undefined;
  const hops: Hop[] = [];
  let current = url;
  try {
    for (let i = 0; i <= maxHops; i++) {
      let res;
      try {
        res = await request(current, {
          method: 'GET',
          headers: { accept: 'text/html' },
          dispatcher,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        return { ok: false, url: current, code: errorCode(err), message: (err as Error).message, hops };
      }
      await res.body.dump();
      const raw = res.headers.location;
      const location = Array.isArray(raw) ? raw[0] : raw;
      hops.push({ url: current, status: res.statusCode, ...(location ? { location } : {}) });
      if (!REDIRECT_STATUSES.includes(res.statusCode) || !location) break;
      try {
        current = new URL(location, current).toString();
      } catch {
        break; // evaluateRedirectChain reports the unusable Location
      }
    }
  } finally {
    await dispatcher?.close();
  }
  return { ok: true, hops };
}

export interface RedirectChainInput {
  hops: Hop[];
  /** When given, the first redirect must land on this URL's origin. */
  expectedHttpsUrl?: string;
  maxHops?: number;
}

/**
 * The first hop as evaluateHttpsRedirect judges it; then no hop may lead back
 * to plain http, the chain must end, and it must end on https.
 */
export function evaluateRedirectChain({ hops, expectedHttpsUrl, maxHops = MAX_HOPS }: RedirectChainInput): Finding[] {
  const [first, ...rest] = hops;
  if (!first) return [fail('no response was recorded for the plain-http request')];
  const findings = evaluateHttpsRedirect({ httpUrl: first.url, status: first.status, location: first.location, expectedHttpsUrl });
  if (findings.length > 0) return findings; // the later hops only matter after a sound first one
  const path = hops.map((h) => `${h.url} (${h.status})`).join(' → ');
  for (const [i, hop] of rest.entries()) {
    if (!REDIRECT_STATUSES.includes(hop.status) || !hop.location) continue;
    let to: URL;
    try {
      to = new URL(hop.location, hop.url);
    } catch {
      findings.push(fail(`step ${i + 2}: GET ${hop.url} redirects to "${hop.location}", which is not a URL (chain: ${path})`));
      continue;
    }
    if (to.protocol === 'http:') {
      findings.push(fail(`step ${i + 2}: the https page ${hop.url} redirects back to plain http ${to.toString()} (chain: ${path}); expected every hop to stay on https`));
    }
  }
  const last = hops[hops.length - 1] as Hop;
  if (REDIRECT_STATUSES.includes(last.status) && last.location) {
    findings.push(fail(`the redirects do not end within ${maxHops} hops (chain: ${path})`));
  } else if (new URL(last.url).protocol !== 'https:' && findings.length === 0) {
    findings.push(fail(`the chain ends on plain http ${last.url} (chain: ${path}); expected it to end on https`));
  }
  return findings;
}

export interface UnreachableInput {
  httpUrl: string;
  code?: string;
  message: string;
  /** SMOKE_HTTP_CLOSED_OK: port 80 is closed on purpose. */
  closedOk: boolean;
}

/** No answer on plain http: a closed port is a finding (or, when intended, a warning); anything else fails with the reason. */
export function evaluateHttpUnreachable({ httpUrl, code, message, closedOk }: UnreachableInput): Finding[] {
  if (code === 'ECONNREFUSED') {
    const what = `nothing listens on ${httpUrl} (connection refused)`;
    if (closedOk) {
      return [warn(`${what}: accepted because SMOKE_HTTP_CLOSED_OK=1; visitors who type the bare domain get an error unless the domain is HSTS-preloaded`)];
    }
    return [fail(`${what}: a visitor who types the bare domain gets an error instead of a redirect to https; expected a redirect, or set SMOKE_HTTP_CLOSED_OK=1 if port 80 is closed on purpose`)];
  }
  return [fail(`GET ${httpUrl} got no response${code ? ` (${code})` : ''}: ${message}; expected a redirect to https`)];
}
