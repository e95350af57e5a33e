import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { evaluation } from './findings.ts';
import { evaluateCertificate, evaluateHttpsRedirect, fetchPeerCertificate, httpUrlFor, type PeerCertInfo } from './tls.ts';

const DAY = 86_400_000;

// Key pairs come from node:crypto (fast, native); node-forge builds the X.509.
function forgeKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { pem: privateKey, priv: forge.pki.privateKeyFromPem(privateKey), pub: forge.pki.publicKeyFromPem(publicKey) };
}

function makeCa() {
  const keys = forgeKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.pub;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - DAY);
  cert.validity.notAfter = new Date(Date.now() + 3650 * DAY);
  const name = [{ name: 'commonName', value: 'Smoke Test CA' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  cert.sign(keys.priv, forge.md.sha256.create());
  return { cert, keys, pem: forge.pki.certificateToPem(cert) };
}

type Ca = ReturnType<typeof makeCa>;
type AltName = { type: 2; value: string } | { type: 7; ip: string };

function makeLeaf(ca: Ca, { notBefore, notAfter, altNames }: { notBefore: Date; notAfter: Date; altNames: AltName[] }) {
  const keys = forgeKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.pub;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([{ name: 'commonName', value: 'smoke-test-server' }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
  ]);
  cert.sign(ca.keys.priv, forge.md.sha256.create());
  return { key: keys.pem, cert: forge.pki.certificateToPem(cert) };
}

const LOCAL_NAMES: AltName[] = [
  { type: 7, ip: '127.0.0.1' },
  { type: 2, value: 'localhost' },
];

interface Served {
  url: string;
  port: number;
  /** SNI names the server saw, one per handshake (false when none was sent). */
  servernames: (string | false)[];
  server: tls.Server;
}

async function serve(leaf: { key: string; cert: string }): Promise<Served> {
  const servernames: (string | false)[] = [];
  const server = tls.createServer({ key: leaf.key, cert: leaf.cert }, (socket) => {
    servernames.push(socket.servername ?? false);
    socket.end();
  });
  // The client hangs up right after its side of the handshake, which may be
  // before the server's side completes: the SNI is known either way.
  server.on('tlsClientError', (_err, socket) => servernames.push(socket.servername ?? false));
  track(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `https://127.0.0.1:${port}/`, port, servernames, server };
}

const sockets = new Set<Socket>();
// server.close() waits for open connections: remember them to destroy them.
function track(server: tls.Server | TcpServer) {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
}

let dir: string;
let caFile: string;
let ca: Ca;
const servers: (tls.Server | TcpServer)[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tls-test-'));
  ca = makeCa();
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ca.pem);
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  rmSync(dir, { recursive: true, force: true });
});

async function serveLeaf(validForDays: number, altNames = LOCAL_NAMES) {
  const now = Date.now();
  // An extra hour keeps "N days left" at N despite the seconds the test takes.
  const leaf = makeLeaf(ca, { notBefore: new Date(now - DAY), notAfter: new Date(now + validForDays * DAY + 3_600_000), altNames });
  const served = await serve(leaf);
  servers.push(served.server);
  return served;
}

describe('fetchPeerCertificate + evaluateCertificate against a real TLS server', () => {
  it('finds nothing for a trusted, matching certificate with a year left', async () => {
    const { url, port, servernames } = await serveLeaf(365);
    const info = await fetchPeerCertificate(url, { caFile });
    expect(info).toMatchObject({ host: '127.0.0.1', port, authorized: true, subject: 'CN=smoke-test-server', issuer: 'CN=Smoke Test CA' });
    expect(info.authorizationError).toBeUndefined();
    expect(info.identityError).toBeUndefined();
    expect(info.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(info.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(info.validTo.getTime()).toBeGreaterThan(Date.now() + 364 * DAY);
    expect(evaluateCertificate(info)).toEqual([]);
    // No SNI for an IP address. Named race: the server may log the handshake
    // after the client has already resolved.
    await vi.waitFor(() => expect(servernames).toEqual([false]));
  });

  it('sends SNI for a DNS name and matches it', async () => {
    const { port, servernames } = await serveLeaf(365);
    const info = await fetchPeerCertificate(`https://localhost:${port}`, { caFile });
    await vi.waitFor(() => expect(servernames).toEqual(['localhost'])); // same race as above
    expect(evaluateCertificate(info)).toEqual([]);
  });

  it('fails an untrusted certificate when no CA file is given', async () => {
    const { url } = await serveLeaf(365);
    const info = await fetchPeerCertificate(url);
    expect(info.authorized).toBe(false);
    const { failures } = evaluation(evaluateCertificate(info));
    expect(failures).toEqual([expect.stringMatching(/^certificate for 127\.0\.0\.1:\d+ is not trusted: [A-Z_]+ \(issuer CN=Smoke Test CA\)/)]);
  });

  it('fails a certificate expiring in 5 days', async () => {
    const { url, port } = await serveLeaf(5);
    const info = await fetchPeerCertificate(url, { caFile });
    const date = info.validTo.toISOString().slice(0, 10);
    expect(evaluation(evaluateCertificate(info))).toEqual({
      failures: [`certificate for 127.0.0.1:${port} expires in 5 days (${date}); at least 14 required`],
      warnings: [],
    });
  });

  it('warns on a certificate expiring in 20 days', async () => {
    const { url } = await serveLeaf(20);
    const info = await fetchPeerCertificate(url, { caFile });
    const { failures, warnings } = evaluation(evaluateCertificate(info));
    expect(failures).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/expires in 20 days .*renew before fewer than 30 remain/)]);
  });

  it('fails a certificate for another host name', async () => {
    const { url } = await serveLeaf(365, [{ type: 2, value: 'other.example' }]);
    const info = await fetchPeerCertificate(url, { caFile });
    expect(info.authorized).toBe(true); // the chain is fine; only the name is wrong
    const { failures } = evaluation(evaluateCertificate(info));
    expect(failures).toEqual([expect.stringMatching(/^certificate for 127\.0\.0\.1:\d+ does not cover 127\.0\.0\.1 \(names DNS:other\.example\): Hostname\/IP does not match .*list$/)]);
  });

  it('reports an expired certificate once, by its date', async () => {
    const now = Date.now();
    const leaf = makeLeaf(ca, { notBefore: new Date(now - 30 * DAY), notAfter: new Date(now - DAY), altNames: LOCAL_NAMES });
    const served = await serve(leaf);
    servers.push(served.server);
    const info = await fetchPeerCertificate(served.url, { caFile });
    expect(info.authorizationError).toBe('CERT_HAS_EXPIRED');
    expect(evaluation(evaluateCertificate(info)).failures).toEqual([expect.stringMatching(/expired on \d{4}-\d{2}-\d{2}$/)]);
  });

  it('times out with a message naming host and port', async () => {
    // A TCP server that accepts and never answers the ClientHello.
    const silent = createTcpServer(() => {});
    servers.push(silent);
    track(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    await expect(fetchPeerCertificate(`https://127.0.0.1:${port}`, { timeoutMs: 200 })).rejects.toThrow(
      `TLS handshake with 127.0.0.1:${port} did not complete within 200 ms`,
    );
  });

  it('rejects a refused connection naming host and port', async () => {
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await expect(fetchPeerCertificate(`https://127.0.0.1:${port}`)).rejects.toThrow(`TLS connection to 127.0.0.1:${port} failed`);
  });

  it('rejects a non-https URL and an unreadable CA file', async () => {
    await expect(fetchPeerCertificate('http://127.0.0.1/')).rejects.toThrow(/needs an https URL/);
    await expect(fetchPeerCertificate('https://127.0.0.1/', { caFile: join(dir, 'missing.pem') })).rejects.toThrow(/cannot read CA file/);
  });
});

describe('evaluateCertificate dates', () => {
  const base: PeerCertInfo = {
    host: 'dermaconsent.de',
    port: 443,
    subject: 'CN=dermaconsent.de',
    issuer: 'CN=R11',
    validFrom: new Date('2026-09-01T00:00:00Z'),
    validTo: new Date('2026-12-01T00:00:00Z'),
    fingerprint256: 'AA',
    protocol: 'TLSv1.3',
    authorized: true,
  };

  it('uses the given clock and thresholds', () => {
    expect(evaluation(evaluateCertificate(base, { now: new Date('2026-11-26T00:00:00Z') })).failures).toEqual([
      'certificate for dermaconsent.de:443 expires in 5 days (2026-12-01); at least 14 required',
    ]);
    expect(evaluateCertificate(base, { now: new Date('2026-11-26T00:00:00Z'), minDays: 3, warnDays: 4 })).toEqual([]);
    expect(evaluateCertificate(base, { now: new Date('2026-10-01T00:00:00Z') })).toEqual([]);
  });

  it('fails not-yet-valid and expired certificates', () => {
    expect(evaluation(evaluateCertificate(base, { now: new Date('2026-08-01T00:00:00Z') })).failures).toEqual([
      'certificate for dermaconsent.de:443 is not valid before 2026-09-01',
    ]);
    expect(evaluation(evaluateCertificate(base, { now: new Date('2026-12-02T00:00:00Z') })).failures).toEqual([
      'certificate for dermaconsent.de:443 expired on 2026-12-01',
    ]);
  });
});

describe('evaluateHttpsRedirect', () => {
  const httpUrl = 'http://dermaconsent.de/';

  it.each([301, 302, 307, 308])('accepts %i to https on the same host', (status) => {
    expect(evaluateHttpsRedirect({ httpUrl, status, location: 'https://dermaconsent.de/' })).toEqual([]);
  });

  it('fails a page served over http', () => {
    expect(evaluation(evaluateHttpsRedirect({ httpUrl, status: 200, location: null })).failures).toEqual([
      'GET http://dermaconsent.de/ answered 200; expected a redirect (301, 302, 303, 307 or 308) to https',
    ]);
  });

  it('fails a missing, relative, http or foreign Location', () => {
    const f = (location: string | null) => evaluation(evaluateHttpsRedirect({ httpUrl, status: 301, location })).failures;
    expect(f(null)).toEqual([expect.stringMatching(/without a Location header/)]);
    expect(f('/login')).toEqual([expect.stringMatching(/"\/login", which is not an absolute URL/)]);
    expect(f('http://dermaconsent.de/')).toEqual([expect.stringMatching(/which is not https$/)]);
    expect(f('https://evil.example/')).toEqual([expect.stringMatching(/redirects to host evil\.example; expected the same host dermaconsent\.de/)]);
  });

  it('checks the expected origin, port included, when given', () => {
    const input = { httpUrl: 'http://127.0.0.1/', status: 308, location: 'https://127.0.0.1:8443/' };
    expect(evaluateHttpsRedirect({ ...input, expectedHttpsUrl: 'https://127.0.0.1:8443/app' })).toEqual([]);
    expect(evaluation(evaluateHttpsRedirect({ ...input, expectedHttpsUrl: 'https://127.0.0.1/' })).failures).toEqual([
      'GET http://127.0.0.1/ redirects to origin https://127.0.0.1:8443; expected https://127.0.0.1',
    ]);
  });
});

describe('httpUrlFor', () => {
  it('keeps host, path and query on port 80 unless told otherwise', () => {
    expect(httpUrlFor('https://dermaconsent.de/login?x=1#top')).toBe('http://dermaconsent.de/login?x=1');
    expect(httpUrlFor('https://127.0.0.1:8443/')).toBe('http://127.0.0.1/');
    expect(httpUrlFor('https://127.0.0.1:8443/', 8080)).toBe('http://127.0.0.1:8080/');
    expect(httpUrlFor('https://[::1]:8443/', 80)).toBe('http://[::1]/');
  });
});
