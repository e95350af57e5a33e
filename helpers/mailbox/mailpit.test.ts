/**
 * The Mailpit adapter against recorded responses of Mailpit's REST API v1
 * (recorded/, shapes from its API documentation), served by a local HTTP
 * server that also checks what the adapter asks: Mailpit cannot run here.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailpitMailbox } from './mailpit.ts';
import { waitForMessages } from './wait.ts';

const recorded = (name: string): string => readFileSync(path.join(import.meta.dirname, 'recorded', `mailpit-${name}.json`), 'utf8');
const RECIPIENT = 'smoke+ab12cd34-mail-1a2b3c@example.com';

describe('MailpitMailbox against recorded API v1 responses', () => {
  let server: http.Server;
  let url = '';
  const requests: { path: string; auth?: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push({ path: req.url ?? '', auth: req.headers.authorization });
      const u = new URL(req.url ?? '/', 'http://x');
      const send = (status: number, body: string) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body);
      };
      if (req.headers.authorization !== `Basic ${Buffer.from('smoke:pit-secret').toString('base64')}`) return send(401, '"Unauthorised."');
      if (u.pathname === '/api/v1/search') {
        const q = u.searchParams.get('query') ?? '';
        return send(200, q === `to:"${RECIPIENT}"` ? recorded('search') : JSON.stringify({ ...JSON.parse(recorded('search')), messages: [], messages_count: 0 }));
      }
      if (u.pathname === '/api/v1/message/YeaP3sdhLkmTRpE5fBTHhz') return send(200, recorded('message'));
      if (u.pathname === '/api/v1/message/YeaP3sdhLkmTRpE5fBTHhz/raw') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        return res.end(readFileSync(path.join(import.meta.dirname, 'recorded', 'mailpit-raw.eml')));
      }
      if (u.pathname === '/api/v1/messages') return send(200, recorded('messages'));
      return send(404, '"Not found"');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const mailbox = () => new MailpitMailbox(url, { user: 'smoke', password: 'pit-secret' });

  it('searches to:"<address>" and keeps exact recipients only (Mailpit matches substrings)', async () => {
    const found = await mailbox().search(RECIPIENT);
    expect(found).toEqual([
      { id: 'YeaP3sdhLkmTRpE5fBTHhz', from: [{ name: 'DermaConsent', address: 'noreply@dermaconsent.test' }], to: [RECIPIENT], subject: 'Reset your DermaConsent password' },
    ]);
    expect(requests.at(-1)?.path).toBe(`/api/v1/search?query=${encodeURIComponent(`to:"${RECIPIENT}"`).replace(/%20/g, '+')}&limit=50`);
  });

  it('fetches both parts by ID and counts the mailbox', async () => {
    const m = mailbox();
    const [summary] = await m.search(RECIPIENT);
    const message = await m.fetch(summary!);
    expect(message.text).toContain('/reset-password?token=');
    expect(message.html).toContain('<a href="https://app.dermaconsent.test/reset-password?token=');
    expect(message.partTypes).toEqual(['text/plain', 'text/html']);
    expect(await m.total()).toBe(5);
  });

  it('finds by recipient and subject with a deadline, and reports what else the mailbox held', async () => {
    const [hit, miss] = await waitForMessages(
      mailbox(),
      [
        { label: 'reset', to: RECIPIENT, subject: /reset/i },
        { label: 'invite', to: 'smoke+ab12cd34-invite@example.com', subject: /invit/i },
      ],
      { deadlineMs: 600, intervalMs: 250 },
    );
    expect(hit && 'message' in hit).toBe(true);
    expect(miss && 'failure' in miss ? miss.failure : '').toBe(
      `no message to smoke+ab12cd34-invite@example.com with subject ~ /invit/i within 0.6 s; Mailpit at ${url} had 5 message(s) for other recipients`,
    );
  });

  it('says which variables to set on 401, without the password', async () => {
    const err = await new MailpitMailbox(url).search(RECIPIENT).catch((e: Error) => e.message);
    expect(err).toContain('401: set SMOKE_MAILPIT_USER and SMOKE_MAILPIT_PASSWORD');
    expect(err).not.toContain('pit-secret');
  });
});
