import os from 'node:os';
import path from 'node:path';

/** Ports a sandbox may use above its base; the fault matrix spaces its sandboxes this far apart. */
export const PORTS_PER_SANDBOX = 20;

/**
 * Where a sandbox listens and keeps its files, derived from one port base so
 * the Playwright config can know the URLs before the sandbox starts, and the
 * fault matrix can run several sandboxes side by side.
 */
export interface SandboxLayout {
  portBase: number;
  frontendUrl: string;
  apiUrl: string;
  /** The frontend again, over TLS with a certificate made at start. */
  tlsUrl: string;
  /** Plain HTTP that redirects to tlsUrl. */
  httpUrl: string;
  /** Nova Home Care's API (Django REST style routes) and its static frontend. */
  novaApiUrl: string;
  novaFrontendUrl: string;
  /** Reserved for later stand-ins: Stripe API, SMTP, mail catcher web, DNS (UDP). */
  stripePort: number;
  smtpPort: number;
  mailWebPort: number;
  dnsPort: number;
  postgresPort: number;
  /** Temporary folder: database, certificates, the env file; removed at stop. */
  dir: string;
  caFile: string;
  envFile: string;
}

export const DEFAULT_PORT_BASE = 4300;

export function sandboxLayout(portBase: number = DEFAULT_PORT_BASE): SandboxLayout {
  const dir = path.join(os.tmpdir(), `smoke-sandbox-${portBase}`);
  return {
    portBase,
    frontendUrl: `http://127.0.0.1:${portBase}`,
    apiUrl: `http://127.0.0.1:${portBase + 1}`,
    tlsUrl: `https://127.0.0.1:${portBase + 2}`,
    httpUrl: `http://127.0.0.1:${portBase + 3}`,
    novaApiUrl: `http://127.0.0.1:${portBase + 4}`,
    novaFrontendUrl: `http://127.0.0.1:${portBase + 5}`,
    stripePort: portBase + 6,
    smtpPort: portBase + 7,
    mailWebPort: portBase + 8,
    postgresPort: portBase + 9,
    dnsPort: portBase + 10,
    dir,
    caFile: path.join(dir, 'tls-ca.pem'),
    envFile: path.join(dir, 'sandbox.env'),
  };
}

export function portBaseFrom(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT_BASE;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1024 || n > 65_000) {
    throw new Error(`SANDBOX_PORT_BASE must be an integer between 1024 and 65000 (got "${value}")`);
  }
  return n;
}
