/**
 * Email: every template arrives at the run's synthetic address, from the
 * configured sender, with links on FRONTEND_URL that open, fully rendered,
 * with both parts; and each sending domain publishes SPF, DKIM (and DMARC).
 *
 * The templates are triggered through the API once per worker and waited for
 * together (fixtures/mailbox.ts); the checks below read that one collection.
 * Reports show subjects, senders, recipients and link hosts, never bodies or tokens.
 * The DNS checks are read-only and run in prod; the rest create synthetic data.
 */
import { expect, report, test, warn } from '../fixtures/index.ts';
import type { TemplateOutcome } from '../fixtures/mailbox.ts';
import { httpRequest } from '../helpers/http.ts';
import { extractLinks, findPlaceholders, missingParts } from '../helpers/mail-content.ts';
import { checkSendingDomain, resolverFor } from '../helpers/mail-dns.ts';
import { checkLinkOrigins } from '../helpers/mail-links.ts';
import { linkHosts, redactUrl } from '../helpers/mail-redact.ts';
import { checkSender, formatAddress } from '../helpers/mail-sender.ts';
import type { MailMessage } from '../helpers/mailbox/index.ts';
import type { SenderSettings } from '../helpers/settings-mail.ts';
import { strongPassword } from '../helpers/synthetic.ts';

/** What a report may say of a message: subject, sender, recipient, link hosts. */
function summary(label: string, m: MailMessage): string {
  const hosts = linkHosts(extractLinks(m));
  return `${label}: "${m.subject}" from ${m.from.map(formatAddress).join(', ') || '(none)'} to ${m.to.join(', ')}${hosts.length ? `; links to ${hosts.join(', ')}` : ''}`;
}

const arrived = (templates: TemplateOutcome[]): (TemplateOutcome & { message: MailMessage })[] =>
  templates.filter((t): t is TemplateOutcome & { message: MailMessage } => !!t.message);

/** The checks every template shares: both parts, nothing left unrendered. */
function contentFailures(t: TemplateOutcome & { message: MailMessage }): string[] {
  const failures: string[] = [];
  const missing = missingParts(t.message);
  if (missing.length > 0) failures.push(`${t.label} ("${t.message.subject}") has no ${missing.join(' and no ')} part`);
  for (const p of findPlaceholders(t.message)) {
    failures.push(`${t.label} ("${t.message.subject}") has an unrendered ${p.marker} in its ${p.where}: ${JSON.stringify(p.excerpt)}`);
  }
  return failures;
}

function delivery(templates: TemplateOutcome[]): { failures: string[]; warnings: string[] } {
  return {
    failures: templates.filter((t) => t.failure).map((t) => `${t.label}: ${t.failure}`),
    warnings: templates.filter((t) => t.precondition).map((t) => `${t.label} not checked: ${t.precondition}`),
  };
}

async function checkDomain(sender: SenderSettings, dnsServer: string | undefined, where: string): Promise<void> {
  if (!sender.domain || !sender.spfHost) {
    test.skip(true, `not configured: set the expected sender (${where === 'DermaConsent' ? 'SMOKE_EXPECTED_FROM or SMOKE_MAIL_DOMAIN' : 'SMOKE_NOVA_EXPECTED_FROM or SMOKE_NOVA_MAIL_DOMAIN'})`);
    return;
  }
  const evaluation = await checkSendingDomain(resolverFor(dnsServer), {
    domain: sender.domain,
    spfHost: sender.spfHost,
    spfInclude: sender.spfInclude,
    dkimSelectors: sender.dkimSelectors,
    requireDmarc: sender.requireDmarc,
  });
  report(`${where} sending domain ${sender.domain} (DNS ${dnsServer ?? 'system resolver'})`, evaluation);
}

test.describe('DermaConsent email', { tag: ['@dermaconsent', '@writes', '@mail'] }, () => {
  test('DC-MAIL-2 mail the API sends is actually delivered to the synthetic address', async ({ dcMail }) => {
    const got = arrived(dcMail.templates);
    for (const t of got) test.info().annotations.push({ type: 'mail', description: summary(t.label, t.message) });
    test.info().annotations.push({ type: 'timing', description: `every template of both systems triggered and collected in ${dcMail.collectedMs} ms` });
    const { failures, warnings } = delivery(dcMail.templates);
    for (const w of warnings) warn(w);
    expect(got.length, `no DermaConsent mail arrived within ${dcMail.deadlineS} s:\n  - ${failures.join('\n  - ')}`).toBeGreaterThan(0);
  });

  test('DC-INT-3 every template arrives with HTML and text parts, fully rendered, and the reset link works once', async ({ dcMail }) => {
    const { failures, warnings } = delivery(dcMail.templates);
    for (const t of arrived(dcMail.templates)) failures.push(...contentFailures(t));

    const reset = dcMail.templates.find((t) => t.label === 'password reset')?.message;
    if (reset) {
      // The token is taken from the link whatever its origin (DC-SEC-2 judges the origin).
      const link = extractLinks(reset).find((l) => /[?&]token=/.test(l));
      const token = link ? new URL(link).searchParams.get('token') : null;
      if (!token) {
        failures.push(`password reset ("${reset.subject}") has no link with a token (links: ${extractLinks(reset).map(redactUrl).join(', ') || 'none'})`);
      } else {
        const password = strongPassword();
        const first = await dcMail.api.post('/api/auth/reset-password', { token, password });
        if (first.status !== 200 && first.status !== 201) {
          failures.push(`the reset link's token was refused the first time: POST /api/auth/reset-password → ${first.status} (expected 200 or 201)`);
        } else {
          const login = await dcMail.api.post('/api/auth/login', { email: dcMail.resetUser.email, password });
          if (login.status !== 200) failures.push(`after the reset, signing in with the new password answered ${login.status} (expected 200)`);
          const second = await dcMail.api.post('/api/auth/reset-password', { token, password: strongPassword() });
          if (second.status < 400 || second.status >= 500) {
            failures.push(`the reset link works twice: the second POST /api/auth/reset-password with the same token answered ${second.status} (expected 400)`);
          }
        }
      }
    }
    report('DermaConsent templates', { failures, warnings });
  });

  test('DC-MAIL-3 every DermaConsent mail is from the configured sender', async ({ dcMail, mail }) => {
    const expected = mail.dermaconsent.from;
    test.skip(!expected, 'not configured: set SMOKE_EXPECTED_FROM (e.g. "DermaConsent <noreply@your-domain>")');
    const got = arrived(dcMail.templates);
    test.skip(got.length === 0, 'no DermaConsent mail arrived to read the sender of (DC-MAIL-2 reports that)');
    const failures = got.flatMap((t) => checkSender(t.message.from, expected as string).map((f) => `${t.label} ("${t.message.subject}"): ${f}`));
    report('DermaConsent senders', { failures, warnings: [] });
  });

  test('DC-SEC-2 every link in every DermaConsent mail points to FRONTEND_URL and opens', async ({ dcMail, dc }) => {
    const got = arrived(dcMail.templates);
    test.skip(got.length === 0, 'no DermaConsent mail arrived to read the links of (DC-MAIL-2 reports that)');
    const failures: string[] = [];
    const toOpen = new Set<string>();
    for (const t of got) {
      const links = extractLinks(t.message);
      failures.push(...checkLinkOrigins(links, dc.frontendOrigin).map((f) => `${t.label}: ${f}`));
      for (const l of links) if (new URL(l).origin === dc.frontendOrigin) toOpen.add(l);
    }
    // Opening is a GET of the page: it never consumes a one-time token (the page posts it).
    const opened = await Promise.all(
      [...toOpen].map(async (l) => {
        try {
          const res = await httpRequest('GET', l, { headers: { accept: 'text/html' } });
          return res.status < 400 ? undefined : `${redactUrl(l)} answered ${res.status}`;
        } catch (err) {
          return `${redactUrl(l)} does not open: ${(err as Error).message.replace(l, redactUrl(l))}`;
        }
      }),
    );
    failures.push(...opened.filter((o): o is string => !!o));
    report(`links in ${got.length} DermaConsent mail(s) (FRONTEND_URL ${dc.frontendOrigin})`, { failures, warnings: [] });
  });
});

test.describe('DermaConsent sending domain', { tag: ['@dermaconsent', '@prod-safe', '@mail'] }, () => {
  test('DC-MAIL-1 the sending domain publishes SPF, DKIM and DMARC records', async ({ mail }) => {
    await checkDomain(mail.dermaconsent, mail.dnsServer, 'DermaConsent');
  });
});

test.describe('Nova Home Care email', { tag: ['@nova', '@writes', '@mail'] }, () => {
  test('NHC-MAIL-1 transactional mail is delivered, with both parts, fully rendered, linking to the Nova frontend', async ({ novaMail, settings }) => {
    const { failures, warnings } = delivery(novaMail.templates);
    const frontend = settings.nova?.frontendUrl;
    for (const t of arrived(novaMail.templates)) {
      test.info().annotations.push({ type: 'mail', description: summary(t.label, t.message) });
      failures.push(...contentFailures(t));
      if (frontend) failures.push(...checkLinkOrigins(extractLinks(t.message), frontend).map((f) => `${t.label}: ${f.replace('FRONTEND_URL', 'SMOKE_NOVA_FRONTEND_URL')}`));
      else warnings.push('links not checked: set SMOKE_NOVA_FRONTEND_URL');
    }
    report('Nova Home Care mail', { failures, warnings });
  });

  test('NHC-MAIL-2 Nova mail is from the configured Nova Home Care sender, not Medical Web Experts', async ({ novaMail, mail }) => {
    const expected = mail.nova.from;
    test.skip(!expected, 'not configured: set SMOKE_NOVA_EXPECTED_FROM');
    const got = arrived(novaMail.templates);
    test.skip(got.length === 0, 'no Nova mail arrived to read the sender of (NHC-MAIL-1 reports that)');
    const failures = got.flatMap((t) => checkSender(t.message.from, expected as string).map((f) => `${t.label} ("${t.message.subject}"): ${f}`));
    report('Nova Home Care sender', { failures, warnings: [] });
  });
});

test.describe('Nova Home Care sending domain', { tag: ['@nova', '@prod-safe', '@mail'] }, () => {
  test('NHC-MAIL-3 the sending domain publishes SPF and DKIM records', async ({ mail }) => {
    await checkDomain(mail.nova, mail.dnsServer, 'Nova Home Care');
  });
});

