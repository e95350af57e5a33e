import type { Fault } from './fault.ts';

/**
 * Faults of transactional email and the sending domain (issue 6).
 *
 * Which check owns what (tests/email.spec.ts):
 * - DC-MAIL-2 / NHC-MAIL-1: a mail reaches the synthetic address at all (the API key / SMTP works).
 * - DC-INT-3: every DermaConsent template arrives AND is usable: HTML and text parts, no
 *   unrendered placeholder, and the reset link works once. A template that arrives broken
 *   is a template whose delivery does not work, so placeholders, missing parts and a
 *   reusable reset link fail DC-INT-3 only (not DC-MAIL-2: the provider delivered).
 * - DC-MAIL-3 / NHC-MAIL-2: the From header. A check that has no message to look at skips
 *   with the reason (the delivery check already fails for it).
 * - DC-SEC-2: "links in emails point to FRONTEND_URL" is part of that item's own wording,
 *   so the origin (and that the link opens) is checked under DC-SEC-2.
 * - DC-MAIL-1 / NHC-MAIL-3: DNS. DMARC is required for DermaConsent only.
 */
export const MAIL_FAULTS = {
  'mail-not-sent': {
    breaks: 'SMTP is refused (the sandbox sends to a port nobody listens on); the API still answers 201, as real apps do',
    expect: ['DC-MAIL-2', 'DC-INT-3', 'NHC-MAIL-1'],
  },
  'legacy-sender': {
    breaks: 'every mail (DermaConsent and Nova) is sent From: Medical Web Experts <devops@medicalwebexperts.com>',
    expect: ['DC-MAIL-3', 'NHC-MAIL-2'],
  },
  'links-to-wrong-origin': {
    breaks: "DermaConsent's mail links are built from http://localhost:3000 instead of FRONTEND_URL",
    expect: ['DC-SEC-2'],
  },
  'unrendered-placeholder': {
    breaks: 'the welcome mail goes out with "{{user.firstName}}" in its subject and "Hello undefined" in its body',
    expect: ['DC-INT-3'],
  },
  'reset-link-reusable': {
    breaks: 'POST /api/auth/reset-password accepts the same token again (it is never marked used)',
    expect: ['DC-INT-3'],
  },
  'text-part-missing': {
    breaks: 'DermaConsent mails are sent HTML-only (no text/plain part)',
    expect: ['DC-INT-3'],
  },
  'spf-missing': {
    breaks: 'no v=spf1 TXT record for either sending domain (send.<dc domain>, the Nova domain)',
    expect: ['DC-MAIL-1', 'NHC-MAIL-3'],
  },
  'dkim-missing': {
    breaks: 'no DKIM TXT record at any selector (resend._domainkey, s1/s2._domainkey)',
    expect: ['DC-MAIL-1', 'NHC-MAIL-3'],
  },
  'dmarc-missing': {
    breaks: 'no _dmarc TXT record for the DermaConsent domain (Nova does not require one)',
    expect: ['DC-MAIL-1'],
  },
} as const satisfies Record<string, Fault>;
