import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluation } from './findings.ts';
import { evaluateHttpUnreachable, evaluateRedirectChain, followRedirects } from './redirect-chain.ts';

const H = 'http://dermaconsent.de/';
const S = 'https://dermaconsent.de/';

describe('evaluateRedirectChain', () => {
  it('accepts http → https → page', () => {
    expect(evaluateRedirectChain({ hops: [{ url: H, status: 301, location: S }, { url: S, status: 200 }] })).toEqual([]);
  });

  it('accepts a 303 and further https hops', () => {
    const hops = [
      { url: H, status: 303, location: S },
      { url: S, status: 302, location: '/de/login' },
      { url: `${S}de/login`, status: 200 },
    ];
    expect(evaluateRedirectChain({ hops })).toEqual([]);
  });

  it('fails an https page that later redirects back to http, naming the step and the chain', () => {
    const hops = [
      { url: H, status: 301, location: S },
      { url: S, status: 302, location: 'http://dermaconsent.de/welcome' },
      { url: 'http://dermaconsent.de/welcome', status: 200 },
    ];
    const { failures } = evaluation(evaluateRedirectChain({ hops }));
    expect(failures).toEqual([
      `step 2: the https page ${S} redirects back to plain http http://dermaconsent.de/welcome (chain: ${H} (301) → ${S} (302) → http://dermaconsent.de/welcome (200)); expected every hop to stay on https`,
    ]);
  });

  it('judges the first hop as before and stops there when it is wrong', () => {
    const { failures } = evaluation(evaluateRedirectChain({ hops: [{ url: H, status: 200 }] }));
    expect(failures).toEqual([expect.stringMatching(/answered 200; expected a redirect \(301, 302, 303, 307 or 308\)/)]);
  });

  it('fails a chain that does not end', () => {
    const hops = [{ url: H, status: 301, location: S }, ...Array.from({ length: 3 }, () => ({ url: S, status: 302, location: S }))];
    expect(evaluation(evaluateRedirectChain({ hops, maxHops: 3 })).failures).toEqual([expect.stringMatching(/do not end within 3 hops/)]);
  });
});

describe('evaluateHttpUnreachable', () => {
  it('reports a closed port as a finding of its own, with the setting that accepts it', () => {
    const closed = evaluation(evaluateHttpUnreachable({ httpUrl: H, code: 'ECONNREFUSED', message: 'connect ECONNREFUSED', closedOk: false }));
    expect(closed.failures).toEqual([expect.stringMatching(/^nothing listens on http:\/\/dermaconsent.de\/ \(connection refused\): .*set SMOKE_HTTP_CLOSED_OK=1/)]);
    const ok = evaluation(evaluateHttpUnreachable({ httpUrl: H, code: 'ECONNREFUSED', message: 'x', closedOk: true }));
    expect(ok).toEqual({ failures: [], warnings: [expect.stringMatching(/accepted because SMOKE_HTTP_CLOSED_OK=1/)] });
  });

  it('fails other errors with their reason', () => {
    expect(evaluation(evaluateHttpUnreachable({ httpUrl: H, code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND', closedOk: true })).failures).toEqual([
      'GET http://dermaconsent.de/ got no response (ENOTFOUND): getaddrinfo ENOTFOUND; expected a redirect to https',
    ]);
  });
});

describe('followRedirects', () => {
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/a') res.writeHead(301, { location: '/b' }).end();
      else if (req.url === '/b') res.writeHead(303, { location: `${base}/c` }).end();
      else res.writeHead(200).end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('records every hop, resolving relative Locations', async () => {
    const out = await followRedirects(`${base}/a`);
    expect(out).toEqual({
      ok: true,
      hops: [
        { url: `${base}/a`, status: 301, location: '/b' },
        { url: `${base}/b`, status: 303, location: `${base}/c` },
        { url: `${base}/c`, status: 200 },
      ],
    });
  });

  it('says ECONNREFUSED when nothing listens', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const out = await followRedirects(`http://127.0.0.1:${port}/`, { timeoutMs: 3000 });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.code).toBe('ECONNREFUSED');
  });
});
