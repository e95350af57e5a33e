import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRequests, guardedHttpClient, refusal, StripeWriteRefused, unwrapRefusal, type StripeRequestRecord } from './stripe-guard.ts';

describe('refusal', () => {
  it('lets reads through in any mode, writes only in test mode', () => {
    expect(refusal('live', 'GET', '/v1/prices')).toBeUndefined();
    expect(refusal('test', 'POST', '/v1/checkout/sessions')).toBeUndefined();
    expect(refusal('live', 'POST', '/v1/checkout/sessions')).toBeInstanceOf(StripeWriteRefused);
    expect(refusal('live', 'delete', '/v1/webhook_endpoints/we_1')?.message).toContain('DELETE /v1/webhook_endpoints/we_1');
  });
  it('fails closed when the mode is unknown', () => {
    expect(refusal(undefined, 'POST', '/v1/refunds')).toBeInstanceOf(StripeWriteRefused);
  });
});

describe('guardedHttpClient with the official client', () => {
  let server: http.Server;
  let port = 0;
  const hits: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [], has_more: false, url: '/v1/prices' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const client = (mode: 'live' | 'test', log: StripeRequestRecord[]) =>
    new Stripe(mode === 'live' ? 'rk_live_unitunitunit' : 'sk_test_unitunitunit', {
      host: '127.0.0.1',
      port,
      protocol: 'http',
      telemetry: false,
      maxNetworkRetries: 0,
      httpClient: guardedHttpClient(Stripe.createNodeHttpClient(), mode, log),
    });

  it('records reads, refuses a live write before it leaves the process', async () => {
    const log: StripeRequestRecord[] = [];
    const stripe = client('live', log);
    await stripe.prices.list({ limit: 1 });
    const err = await stripe.checkout.sessions.create({ mode: 'payment', success_url: 'https://x.example/' }).catch((e: unknown) => unwrapRefusal(e));
    expect(err).toBeInstanceOf(StripeWriteRefused);
    expect(hits.filter((h) => h.startsWith('POST'))).toEqual([]);
    expect(log).toEqual([
      { method: 'GET', path: '/v1/prices?limit=1', status: 200 },
      { method: 'POST', path: '/v1/checkout/sessions', refused: true },
    ]);
    expect(formatRequests(log)).toContain('REFUSED');
    expect(JSON.stringify(log)).not.toContain('rk_live_unitunitunit');
  });
  it('lets a test-mode write through', async () => {
    const log: StripeRequestRecord[] = [];
    await client('test', log).checkout.sessions.create({ mode: 'payment', success_url: 'https://x.example/' });
    expect(log[0]).toMatchObject({ method: 'POST', status: 200 });
  });
});
