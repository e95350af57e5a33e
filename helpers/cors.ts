// CORS checks (DC-SEC-2): the API grants exactly FRONTEND_URL, with
// credentials, and nothing that a naive allow-list would confuse with it.
import { fail, warn, type Finding } from './findings.ts';

/**
 * Foreign origins that sloppy origin checks accept: startsWith, endsWith,
 * "contains", regexes with an unescaped or unanchored host, a scheme or port
 * ignored. Only origins a browser can really send are returned (each is a valid
 * URL origin, plus the literal "null" of sandboxed frames and file: pages).
 */
export function lookalikeOrigins(frontendOrigin: string): string[] {
  const url = new URL(frontendOrigin);
  const self = url.origin;
  const scheme = url.protocol.replace(/:$/, '');
  const host = url.hostname;
  const port = url.port; // '' when it is the scheme's default
  const withPort = (h: string, s = scheme, p = port) => `${s}://${h}${p ? `:${p}` : ''}`;

  const candidates = ['null', 'https://evil.example'];
  // Tricks that splice text into the host make no sense around an IPv6 literal.
  if (!host.startsWith('[')) {
    candidates.push(
      `${scheme}://${host}.evil.example`, // startsWith(frontend)
      withPort(`${host}.evil.example`), // same, keeping the port
      withPort(`evil${host}`), // endsWith(host): evildermaconsent.de
      withPort(`evil.${host}`), // unanchored ".*\.host" or a sub-domain wildcard
    );
  }
  const otherScheme = scheme === 'https' ? 'http' : 'https';
  candidates.push(withPort(host, otherScheme)); // scheme ignored
  const otherPort = port ? String(Number(port) === 65535 ? 65534 : Number(port) + 1) : scheme === 'https' ? '8443' : '8080';
  candidates.push(withPort(host, scheme, otherPort)); // port ignored
  // startsWith(frontend) when the origin ends in a port: one more digit is still a valid port.
  if (port && Number(`${port}0`) <= 65535) candidates.push(`${self}0`);

  const out = new Set<string>();
  for (const c of candidates) {
    let origin: string;
    if (c === 'null') origin = c;
    else {
      try {
        origin = new URL(c).origin; // drops what browsers cannot send, e.g. "evil127.0.0.1"
      } catch {
        continue;
      }
      if (origin === 'null') continue;
    }
    if (origin !== self) out.add(origin);
  }
  return [...out];
}

export interface CorsGrantInput {
  /** The Origin header the request carried. */
  requestOrigin: string;
  /** Access-Control-Allow-Origin of the response. */
  allowOrigin: string | null | undefined;
  /** Access-Control-Allow-Credentials of the response. */
  allowCredentials: string | null | undefined;
  /** true for FRONTEND_URL, false for any foreign origin. */
  expectGrant: boolean;
  /** Vary of the response; checked only when given (not undefined). */
  vary?: string | null;
  /**
   * Whether Access-Control-Allow-Origin was seen to change with the request's
   * Origin (allowOriginVaries): then a missing Vary: Origin fails, because a
   * shared cache would serve one origin's answer to another. Otherwise it warns.
   */
  dependsOnOrigin?: boolean;
}

/** True when the responses to requests with different Origins carry different Access-Control-Allow-Origin values. */
export function allowOriginVaries(values: (string | null | undefined)[]): boolean {
  return new Set(values.map((v) => v?.trim() || '(absent)')).size > 1;
}

const VARY_ORIGIN = /(^|,)\s*(origin|\*)\s*(,|$)/i;

export function evaluateCorsGrant({ requestOrigin, allowOrigin, allowCredentials, expectGrant, vary, dependsOnOrigin }: CorsGrantInput): Finding[] {
  const findings: Finding[] = [];
  const acao = allowOrigin?.trim() || null;
  // Browsers accept credentials only for the exact, case-sensitive value "true".
  const credentials = allowCredentials?.trim() === 'true';
  const seen = `Access-Control-Allow-Origin: ${acao ?? '(absent)'}, Access-Control-Allow-Credentials: ${allowCredentials?.trim() || '(absent)'}`;

  if (acao === '*' && credentials) {
    findings.push(fail(`wildcard with credentials for Origin ${requestOrigin} (${seen}); expected a single named origin`));
  }

  if (expectGrant) {
    // Browsers compare the header byte for byte with the serialized origin.
    if (acao !== requestOrigin) {
      findings.push(fail(`Origin ${requestOrigin} is not granted exactly (${seen}); expected Access-Control-Allow-Origin: ${requestOrigin}`));
    }
    const sentCredentials = allowCredentials?.trim();
    if (!credentials && sentCredentials && sentCredentials.toLowerCase() === 'true') {
      findings.push(fail(`Origin ${requestOrigin} gets Access-Control-Allow-Credentials: ${sentCredentials}, but browsers accept only the lowercase value true, so credentialed requests fail (${seen})`));
    } else if (!credentials) {
      findings.push(fail(`Origin ${requestOrigin} is granted without credentials (${seen}); expected Access-Control-Allow-Credentials: true`));
    }
    if (vary !== undefined && acao === requestOrigin && !VARY_ORIGIN.test(vary ?? '')) {
      const message = `Access-Control-Allow-Origin ${dependsOnOrigin ? 'changes with the request\'s Origin' : 'may depend on the request'} but Vary is ${vary ? `"${vary}"` : 'absent'}; expected Vary: Origin so shared caches do not serve one origin's answer to another`;
      findings.push(dependsOnOrigin ? fail(message) : warn(message));
    }
  } else if (acao === requestOrigin) {
    const noVary = vary !== undefined && !VARY_ORIGIN.test(vary ?? '') ? ', and without Vary: Origin a shared cache may serve this grant to other origins' : '';
    findings.push(fail(`foreign Origin ${requestOrigin} is granted (${seen})${noVary}; expected no Access-Control-Allow-Origin for it`));
  } else if (acao === '*' && !credentials) {
    findings.push(fail(`foreign Origin ${requestOrigin} is granted by a wildcard (${seen}); expected only the frontend origin`));
  }
  return findings;
}
