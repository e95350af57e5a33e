/**
 * The sandbox's senders and mail domains. The suite's settings use the same
 * values as defaults for the sandbox a run manages (helpers/settings-mail.ts),
 * and the sandbox writes them to its env file for runs that target it from outside.
 */
export const SANDBOX_MAIL = {
  dermaconsent: {
    from: 'DermaConsent <noreply@dermaconsent.test>',
    domain: 'dermaconsent.test',
    /** Resend: SPF on the `send.` subdomain (the MAIL FROM / Return-Path domain), DKIM at resend._domainkey. */
    spfHost: 'send.dermaconsent.test',
    spfInclude: 'amazonses.com',
    dkimSelectors: ['resend'],
  },
  nova: {
    from: 'Nova Home Care <noreply@novahomecare.test>',
    domain: 'novahomecare.test',
    /** SendGrid: SPF on the domain itself, DKIM at s1/s2._domainkey. */
    spfHost: 'novahomecare.test',
    spfInclude: 'sendgrid.net',
    dkimSelectors: ['s1', 's2'],
  },
  /** The previous vendor's sender that must be gone (docs/targets/). */
  legacyFrom: 'Medical Web Experts <devops@medicalwebexperts.com>',
  /** Where the DermaConsent contact form delivers (the support inbox; the sender gets a confirmation copy). */
  supportInbox: 'support@dermaconsent.test',
} as const;
