import { describe, expect, it } from 'vitest';
import { parseSettings, SECRET_VARIABLES } from './settings.ts';

const prod = { SMOKE_BASE_URL: 'https://app.dermaconsent.de' };

describe('mail settings', () => {
  it('take MailDev, the DNS server, the senders and the deadline from the target settings (as the sandbox writes them)', () => {
    const r = parseSettings('local', {
      SMOKE_MAILBOX: 'maildev',
      SMOKE_MAILDEV_URL: 'http://127.0.0.1:5308',
      SMOKE_DNS_SERVER: '127.0.0.1:5310',
      SMOKE_EMAIL_DEADLINE_S: '15',
      SMOKE_EXPECTED_FROM: 'DermaConsent <noreply@dermaconsent.test>',
      SMOKE_NOVA_EXPECTED_FROM: 'Nova Home Care <noreply@novahomecare.test>',
      SMOKE_NOVA_MAIL_TO: 'synthetic',
    });
    expect(r.ok).toBe(true);
    const mail = r.ok ? r.settings.mail : undefined;
    expect(mail).toMatchObject({
      deadlineS: 15,
      mailbox: { kind: 'maildev', url: 'http://127.0.0.1:5308' },
      dnsServer: '127.0.0.1:5310',
      dermaconsent: { from: 'DermaConsent <noreply@dermaconsent.test>', domain: 'dermaconsent.test', spfHost: 'send.dermaconsent.test', spfInclude: 'amazonses.com', dkimSelectors: ['resend'], requireDmarc: true },
      nova: { domain: 'novahomecare.test', spfHost: 'novahomecare.test', spfInclude: 'sendgrid.net', dkimSelectors: ['s1', 's2'], requireDmarc: false, mailPath: '/api/auth/password/reset/', recipient: 'synthetic' },
    });
  });

  it('elsewhere: no mailbox unless configured, 60 s, the system resolver, Resend and SendGrid conventions', () => {
    const r = parseSettings('prod', { ...prod, SMOKE_EXPECTED_FROM: 'DermaConsent <noreply@dermaconsent.de>', SMOKE_NOVA_EXPECTED_FROM: 'noreply@novahomecare.com' });
    const mail = r.ok ? r.settings.mail : undefined;
    expect(mail?.mailbox).toBeUndefined();
    expect(mail?.deadlineS).toBe(60);
    expect(mail?.dnsServer).toBeUndefined();
    expect(mail?.dermaconsent).toMatchObject({ domain: 'dermaconsent.de', spfHost: 'send.dermaconsent.de' });
    expect(mail?.nova).toMatchObject({ domain: 'novahomecare.com', spfHost: 'novahomecare.com', dkimSelectors: ['s1', 's2'] });
  });

  it('IMAP needs host, user and password, and its password is never echoed', () => {
    const r = parseSettings('prod', { ...prod, SMOKE_MAILBOX: 'imap', SMOKE_IMAP_HOST: 'imap.example.com' });
    expect(r.ok ? [] : r.problems).toEqual(['SMOKE_IMAP_USER: required when SMOKE_MAILBOX=imap', 'SMOKE_IMAP_PASSWORD: required when SMOKE_MAILBOX=imap']);
    const bad = parseSettings('prod', { ...prod, SMOKE_IMAP_HOST: 'imap.example.com', SMOKE_IMAP_USER: 'u', SMOKE_IMAP_PASSWORD: 'hunter2', SMOKE_IMAP_PORT: 'x' });
    expect(bad.ok ? '' : bad.problems.join('\n')).not.toContain('hunter2');
    expect(SECRET_VARIABLES.has('SMOKE_IMAP_PASSWORD')).toBe(true);
    expect(SECRET_VARIABLES.has('SMOKE_MAILPIT_PASSWORD')).toBe(true);
    const ok = parseSettings('prod', { ...prod, SMOKE_IMAP_HOST: 'imap.example.com', SMOKE_IMAP_USER: 'u', SMOKE_IMAP_PASSWORD: 'hunter2' });
    expect(ok.ok && ok.settings.mail?.mailbox).toMatchObject({ kind: 'imap', port: 993, secure: true, mailbox: 'INBOX' });
  });

  it('refuses the legacy sender as the expectation, and bad values', () => {
    const r = parseSettings('prod', { ...prod, SMOKE_NOVA_EXPECTED_FROM: 'Medical Web Experts <devops@medicalwebexperts.com>', SMOKE_DNS_SERVER: 'dns.example.com', SMOKE_EMAIL_DEADLINE_S: '0' });
    const problems = r.ok ? [] : r.problems;
    expect(problems.some((p) => p.startsWith('SMOKE_DNS_SERVER:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('SMOKE_EMAIL_DEADLINE_S:'))).toBe(true);
    const legacy = parseSettings('prod', { ...prod, SMOKE_NOVA_EXPECTED_FROM: 'Medical Web Experts <devops@medicalwebexperts.com>' });
    expect(legacy.ok ? [] : legacy.problems).toEqual([
      'SMOKE_NOVA_EXPECTED_FROM: names the legacy sender devops@medicalwebexperts.com, which is exactly what must be gone',
    ]);
  });

  it('mailpit with auth, and a deadline override', () => {
    const r = parseSettings('staging', { ...prod, SMOKE_MAILPIT_URL: 'https://mail.staging.example.com/', SMOKE_MAILPIT_USER: 'qa', SMOKE_MAILPIT_PASSWORD: 'pw', SMOKE_EMAIL_DEADLINE_S: '30' });
    expect(r.ok && r.settings.mail).toMatchObject({ deadlineS: 30, mailbox: { kind: 'mailpit', url: 'https://mail.staging.example.com', user: 'qa', password: 'pw' } });
  });
});
