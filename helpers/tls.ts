// TLS certificate and HTTPS redirect checks (DC-SEC-4). undici does not expose
// the peer certificate, so the certificate is read with a bare node:tls handshake.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import { fail, warn, type Finding } from './findings.ts';

export interface PeerCertInfo {
  host: string;
  port: number;
  /** e.g. "CN=app.example.com, O=Example" */
  subject: string;
  issuer: string;
  /** e.g. "DNS:app.example.com, IP Address:127.0.0.1" */
  subjectAltName?: string;
  validFrom: Date;
  validTo: Date;
  fingerprint256: string;
  /** Negotiated protocol, e.g. "TLSv1.3". */
  protocol: string | null;
  /** The chain verifies against the trusted roots (OpenSSL's check; says nothing of the name). */
  authorized: boolean;
  /** OpenSSL's reason when not authorized, e.g. "UNABLE_TO_VERIFY_LEAF_SIGNATURE". */
  authorizationError?: string;
  /** tls.checkServerIdentity's message when the certificate does not cover the host. */
  identityError?: string;
}

export interface FetchPeerCertificateOptions {
  /** PEM file with extra trusted CA certificates (a private or test CA). */
  caFile?: string;
  timeoutMs?: number;
}

function formatName(name: unknown): string {
  if (!name || typeof name !== 'object') return '';
  return Object.entries(name as Record<string, string | string[]>)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

/**
 * Passing `ca` replaces Node's trust store, so when a CA file is given the
 * bundled roots and NODE_EXTRA_CA_CERTS are added back; without one, Node's
 * default store is used unchanged.
 */
export function trustStore(caFile: string | undefined): string[] | undefined {
  if (!caFile) return undefined;
  const ca = [...tls.rootCertificates];
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (extra) {
    try {
      ca.push(readFileSync(extra, 'utf8'));
    } catch {
      // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS.
    }
  }
  ca.push(readFileSync(caFile, 'utf8'));
  return ca;
}

export function fetchPeerCertificate(url: string, opts: FetchPeerCertificateOptions = {}): Promise<PeerCertInfo> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'wss:') {
    return Promise.reject(new Error(`fetchPeerCertificate needs an https URL, got ${url}`));
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1'); // IPv6 literal without brackets
  const port = parsed.port ? Number(parsed.port) : 443;
  const where = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let ca: string[] | undefined;
  try {
    ca = trustStore(opts.caFile);
  } catch (err) {
    return Promise.reject(new Error(`cannot read CA file ${opts.caFile}: ${(err as Error).message}`));
  }

  return new Promise<PeerCertInfo>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      fn();
    };
    const socket = tls.connect({
      host,
      port,
      // SNI carries DNS names only (RFC 6066): sending an IP address is invalid.
      servername: isIP(host) ? undefined : host,
      ca,
      // Verify ourselves, so an untrusted certificate is reported rather than thrown.
      rejectUnauthorized: false,
      // Node would fold a name mismatch into `authorized`; it is checked below
      // on its own so the report says which of the two is wrong.
      checkServerIdentity: () => undefined,
    });
    const timer = setTimeout(
      () => finish(() => reject(new Error(`TLS handshake with ${where} did not complete within ${timeoutMs} ms`))),
      timeoutMs,
    );
    socket.on('error', (err) => finish(() => reject(new Error(`TLS connection to ${where} failed: ${err.message}`))));
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate(true);
      if (!cert || Object.keys(cert).length === 0) {
        finish(() => reject(new Error(`${where} presented no certificate`)));
        return;
      }
      // Typed as Error, but Node sets the OpenSSL code string at run time.
      const authErr = socket.authorizationError as unknown;
      const authorizationError =
        authErr == null ? undefined : typeof authErr === 'string' ? authErr : ((authErr as { code?: string; message?: string }).code ?? String((authErr as Error).message ?? authErr));
      const identity = tls.checkServerIdentity(host, cert);
      const info: PeerCertInfo = {
        host,
        port,
        subject: formatName(cert.subject),
        issuer: formatName(cert.issuer),
        subjectAltName: cert.subjectaltname || undefined,
        validFrom: new Date(cert.valid_from),
        validTo: new Date(cert.valid_to),
        fingerprint256: cert.fingerprint256,
        protocol: socket.getProtocol(),
        authorized: socket.authorized,
        ...(socket.authorized ? {} : { authorizationError: authorizationError ?? 'unknown verification error' }),
        ...(identity ? { identityError: identity.message } : {}),
      };
      finish(() => resolve(info));
    });
  });
}

export interface CertificateOptions {
  now?: Date;
  /** Fewer days left than this fails. */
  minDays?: number;
  /** Fewer days left than this warns. */
  warnDays?: number;
}

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => (Number.isNaN(d.getTime()) ? 'unknown date' : d.toISOString().slice(0, 10));

export function evaluateCertificate(info: PeerCertInfo, { now = new Date(), minDays = 14, warnDays = 30 }: CertificateOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const name = `${info.host}:${info.port}`;
  const expired = now.getTime() > info.validTo.getTime();
  const notYetValid = now.getTime() < info.validFrom.getTime();

  // The date checks below say the same thing more precisely.
  const dateReason = info.authorizationError === 'CERT_HAS_EXPIRED' || info.authorizationError === 'CERT_NOT_YET_VALID';
  if (!info.authorized && !(dateReason && (expired || notYetValid))) {
    findings.push(fail(`certificate for ${name} is not trusted: ${info.authorizationError ?? 'unknown verification error'} (issuer ${info.issuer || 'unknown'}); expected a chain to a trusted root`));
  }
  if (info.identityError) {
    // Node's message lists only names of the host's kind (none for an IP): show all.
    const names = info.subjectAltName ? `names ${info.subjectAltName}` : `subject ${info.subject || 'unknown'}, no subjectAltName`;
    findings.push(fail(`certificate for ${name} does not cover ${info.host} (${names}): ${info.identityError.replace(/[:\s]+$/, '')}`));
  }
  if (Number.isNaN(info.validTo.getTime()) || Number.isNaN(info.validFrom.getTime())) {
    findings.push(fail(`certificate for ${name} has unreadable validity dates`));
    return findings;
  }
  if (expired) {
    findings.push(fail(`certificate for ${name} expired on ${isoDay(info.validTo)}`));
  } else if (notYetValid) {
    findings.push(fail(`certificate for ${name} is not valid before ${isoDay(info.validFrom)}`));
  } else {
    const daysLeft = Math.floor((info.validTo.getTime() - now.getTime()) / DAY_MS);
    const left = `expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${isoDay(info.validTo)})`;
    if (daysLeft < minDays) {
      findings.push(fail(`certificate for ${name} ${left}; at least ${minDays} required`));
    } else if (daysLeft < warnDays) {
      findings.push(warn(`certificate for ${name} ${left}; renew before fewer than ${warnDays} remain`));
    }
  }
  return findings;
}

export interface HttpsRedirectInput {
  /** The plain-http URL that was requested (without following redirects). */
  httpUrl: string;
  status: number;
  location: string | null | undefined;
  /** When given, the redirect must land on this URL's origin. */
  expectedHttpsUrl?: string;
}

// 303 (See Other) is a redirect too: browsers follow it with a GET, which is all a page visit is.
export const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

export function evaluateHttpsRedirect({ httpUrl, status, location, expectedHttpsUrl }: HttpsRedirectInput): Finding[] {
  const from = new URL(httpUrl);
  const what = `GET ${httpUrl}`;
  if (!REDIRECT_STATUSES.includes(status)) {
    return [fail(`${what} answered ${status}${location ? ` (Location: ${location})` : ''}; expected a redirect (301, 302, 303, 307 or 308) to https`)];
  }
  if (!location) {
    return [fail(`${what} answered ${status} without a Location header; expected a redirect to https://${from.host}`)];
  }
  let to: URL;
  try {
    to = new URL(location); // no base: a relative Location would stay on http
  } catch {
    return [fail(`${what} redirects to "${location}", which is not an absolute URL (relative redirects stay on http); expected https://${from.hostname}/...`)];
  }
  const findings: Finding[] = [];
  if (to.protocol !== 'https:') {
    findings.push(fail(`${what} redirects to ${location}, which is not https`));
  }
  if (to.hostname !== from.hostname) {
    findings.push(fail(`${what} redirects to host ${to.hostname}; expected the same host ${from.hostname}`));
  }
  if (expectedHttpsUrl !== undefined) {
    const expected = new URL(expectedHttpsUrl).origin;
    if (to.origin !== expected) findings.push(fail(`${what} redirects to origin ${to.origin}; expected ${expected}`));
  }
  return findings;
}

/** The same host, path and query on plain http; port 80 unless httpPort is given. */
export function httpUrlFor(httpsUrl: string, httpPort?: number): string {
  const url = new URL(httpsUrl);
  url.protocol = 'http:';
  url.port = httpPort === undefined ? '' : String(httpPort); // 80 serialises as no port
  url.hash = '';
  return url.toString();
}
