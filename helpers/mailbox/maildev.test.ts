/** The MailDev adapter against a real MailDev (npm), fed over real SMTP by nodemailer. */
import { MailDev } from 'maildev';
import nodemailer from 'nodemailer';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailDevMailbox } from './maildev.ts';
import { freePort } from './test-peers.ts';
import { waitForMessages } from './wait.ts';

describe('MailDevMailbox against a real MailDev', () => {
  let maildev: MailDev;
  let smtpPort = 0;
  let url = '';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smoke-maildev-test-'));

  beforeAll(async () => {
    smtpPort = await freePort();
    const webPort = await freePort();
    maildev = new MailDev({ smtp: smtpPort, ip: '127.0.0.1', web: webPort, webIp: '127.0.0.1', mailDirectory: dir, silent: true });
    await maildev.start();
    url = `http://127.0.0.1:${webPort}`;
  });
  afterAll(async () => {
    await maildev?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = (to: string, subject: string, parts: { text?: string; html?: string }) =>
    nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true }).sendMail({ from: 'DermaConsent <noreply@dermaconsent.test>', to, subject, ...parts });

  it('finds a message by exact recipient and reads both parts', async () => {
    await send('smoke+other@example.com', 'Welcome to DermaConsent', { text: 'x', html: '<p>x</p>' });
    await send('smoke+run2-mail@example.com', 'Welcome to DermaConsent', { text: 'Sign in: http://127.0.0.1/login', html: '<a href="http://127.0.0.1/login">Sign in</a>' });
    const mailbox = new MailDevMailbox(url);
    const [summary, ...rest] = await mailbox.search('SMOKE+run2-mail@example.com');
    expect(rest).toEqual([]);
    expect(summary).toMatchObject({ subject: 'Welcome to DermaConsent', from: [{ name: 'DermaConsent', address: 'noreply@dermaconsent.test' }] });
    const message = await mailbox.fetch(summary!);
    expect(message.text).toContain('Sign in: http://127.0.0.1/login');
    expect(message.html).toContain('href="http://127.0.0.1/login"');
    expect(message.partTypes).toEqual(['text/plain', 'text/html']);
  });

  it('tells an HTML-only mail from one with a text part (MailDev derives a text from the HTML)', async () => {
    await send('smoke+run2-htmlonly@example.com', 'Consent form signed', { html: '<p>Signed</p>' });
    const mailbox = new MailDevMailbox(url);
    const [summary] = await mailbox.search('smoke+run2-htmlonly@example.com');
    const message = await mailbox.fetch(summary!);
    expect(message.partTypes).toEqual(['text/html']);
  });

  it('tells a reference apart when one address gets several alike, and waits for late mail', async () => {
    await send('smoke+practice@example.com', 'A consent form was signed', { text: 'Reference: consent-1', html: '<p>consent-1</p>' });
    const late = setTimeout(() => void send('smoke+practice@example.com', 'A consent form was signed', { text: 'Reference: consent-2', html: '<p>consent-2</p>' }), 300);
    const [outcome] = await waitForMessages(new MailDevMailbox(url), [{ label: 'completed', to: 'smoke+practice@example.com', subject: /signed/, contains: 'consent-2' }], {
      deadlineMs: 3_000,
      intervalMs: 250,
    });
    clearTimeout(late);
    expect(outcome && 'message' in outcome ? outcome.message.text : outcome).toContain('consent-2');
  });
});
