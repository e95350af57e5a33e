/**
 * The IMAP adapter against a real IMAP server: Dovecot (Debian's
 * dovecot-imapd), started here on a free port. Skipped, saying why, where
 * Dovecot is not installed.
 */
import { ImapFlow } from 'imapflow';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapMailbox } from './imap.ts';
import { DOVECOT, startDovecot, type DovecotPeer } from './test-peers.ts';
import { waitForMessages } from './wait.ts';

async function compose(mail: { from: string; to: string; subject: string; text?: string; html?: string }): Promise<Buffer> {
  return new MailComposer(mail).compile().build();
}

describe.skipIf(!DOVECOT)(`ImapMailbox against a real Dovecot${DOVECOT ? '' : ' (skipped: dovecot-imapd is not installed)'}`, () => {
  let peer: DovecotPeer;
  let writer: ImapFlow;
  let mailbox: ImapMailbox;

  beforeAll(async () => {
    peer = await startDovecot();
    writer = new ImapFlow({ host: '127.0.0.1', port: peer.port, secure: false, auth: { user: peer.user, pass: peer.password }, logger: false, disableAutoIdle: true });
    await writer.connect();
    // A plus-addressed inbox: other runs' mail sits beside ours.
    await writer.append('INBOX', await compose({ from: 'DermaConsent <noreply@dermaconsent.test>', to: 'smoke+other-run@example.com', subject: 'Welcome to DermaConsent', text: 'other', html: '<p>other</p>' }));
    await writer.append('INBOX', await compose({ from: 'DermaConsent <noreply@dermaconsent.test>', to: 'smoke+run1-mail@example.com', subject: 'Welcome to DermaConsent', text: 'Hello, sign in: https://app.example.com/login', html: '<p>Hello <a href="https://app.example.com/login">Sign in</a></p>' }));
    await writer.append('INBOX', await compose({ from: 'Nova <noreply@nova.test>', to: 'smoke+run1-nova@example.com', subject: 'Password reset', html: '<p>HTML only</p>' }));
    mailbox = new ImapMailbox({ host: '127.0.0.1', port: peer.port, secure: false, user: peer.user, password: peer.password, mailbox: 'INBOX' });
  }, 30_000);

  afterAll(async () => {
    await mailbox?.close();
    await writer?.logout().catch(() => undefined);
    await peer?.stop();
  });

  it('finds the run’s exact recipient only, with sender and subject', async () => {
    const found = await mailbox.search('smoke+run1-mail@example.com');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ subject: 'Welcome to DermaConsent', from: [{ name: 'DermaConsent', address: 'noreply@dermaconsent.test' }], to: ['smoke+run1-mail@example.com'] });
    expect(await mailbox.search('smoke+run1@example.com')).toEqual([]);
  });

  it('reads both parts of a multipart message, and a single-part one', async () => {
    const [summary] = await mailbox.search('smoke+run1-mail@example.com');
    const message = await mailbox.fetch(summary!);
    expect(message.text?.trim()).toBe('Hello, sign in: https://app.example.com/login');
    expect(message.html).toContain('<a href="https://app.example.com/login">');
    const [nova] = await mailbox.search('smoke+run1-nova@example.com');
    const htmlOnly = await mailbox.fetch(nova!);
    expect(htmlOnly.html).toContain('HTML only');
    expect(htmlOnly.text).toBeUndefined();
    expect(htmlOnly.partTypes).toEqual(['text/html']);
  });

  it('waits for mail that arrives later, and says what it saw when none comes', async () => {
    const late = setTimeout(() => {
      void compose({ from: 'a@b.test', to: 'smoke+run1-late@example.com', subject: 'Team invitation', text: 'x', html: '<p>x</p>' }).then((raw) => writer.append('INBOX', raw));
    }, 400);
    const [got, missing] = await waitForMessages(
      mailbox,
      [
        { label: 'late', to: 'smoke+run1-late@example.com', subject: /invitation/i },
        { label: 'never', to: 'smoke+run1-never@example.com' },
      ],
      { deadlineMs: 2_500, intervalMs: 250 },
    );
    clearTimeout(late);
    expect(got && 'message' in got ? got.message.subject : got).toBe('Team invitation');
    expect(missing && 'failure' in missing ? missing.failure : '').toMatch(/^no message to smoke\+run1-never@example.com within 2\.5 s; IMAP 127\.0\.0\.1:\d+ INBOX had 4 message\(s\) for other recipients$/);
  }, 15_000);

  it('names the mailbox, never the password, when sign-in fails', async () => {
    const wrong = new ImapMailbox({ host: '127.0.0.1', port: peer.port, secure: false, user: 'nobody', password: 'wrong-password-xyz', mailbox: 'INBOX' });
    const err = await wrong.search('x@example.com').catch((e: Error) => e);
    expect(String(err)).toContain('cannot sign in as nobody');
    expect(String(err)).not.toContain('wrong-password-xyz');
  });
});
