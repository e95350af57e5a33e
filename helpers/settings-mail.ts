/**
 * Mail settings (DC-MAIL-*, DC-INT-3, NHC-MAIL-*): which mailbox the run reads
 * (MailDev, Mailpit or a real inbox over IMAP), how long it waits, the
 * expected senders, and the DNS records each sending domain must publish.
 */
import { z } from 'zod';
import { LEGACY_SENDER, parseAddress } from './mail-sender.ts';
import { bool, positiveInt, type PartContext } from './settings-parts.ts';

/** Variables whose values are never printed. */
export const MAIL_SECRETS: readonly string[] = ['SMOKE_IMAP_PASSWORD', 'SMOKE_MAILPIT_PASSWORD'];

export const DEFAULT_EMAIL_DEADLINE_S = 60;

const url = z
  .string()
  .refine((v) => /^https?:\/\/[^/]+/.test(v), 'must be an absolute http(s) URL')
  .transform((v) => v.replace(/\/+$/, ''));
const hostname = z.string().regex(/^[a-z0-9_.-]+\.[a-z]{2,}$/i, 'must be a host name such as send.example.com');
const list = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .refine((l) => l.length > 0 && l.every((s) => /^[a-z0-9_.-]+$/i.test(s)), 'must be a comma-separated list of DKIM selectors');
const sender = z.string().refine((v) => parseAddress(v) !== undefined, 'must be an address, e.g. "DermaConsent <noreply@example.com>"');

export const mailShape = {
  SMOKE_MAILBOX: z.enum(['maildev', 'mailpit', 'imap', 'none'], { message: 'must be maildev, mailpit, imap or none' }).optional(),
  SMOKE_MAILDEV_URL: url.optional(),
  SMOKE_MAILPIT_URL: url.optional(),
  SMOKE_MAILPIT_USER: z.string().optional(),
  SMOKE_MAILPIT_PASSWORD: z.string().optional(),
  SMOKE_IMAP_HOST: z.string().optional(),
  SMOKE_IMAP_PORT: positiveInt.default(993),
  SMOKE_IMAP_SECURE: bool.default(true),
  SMOKE_IMAP_USER: z.string().optional(),
  SMOKE_IMAP_PASSWORD: z.string().optional(),
  SMOKE_IMAP_MAILBOX: z.string().default('INBOX'),
  SMOKE_EMAIL_DEADLINE_S: positiveInt.optional(),
  SMOKE_EXPECTED_FROM: sender.optional(),
  SMOKE_MAIL_DOMAIN: hostname.optional(),
  SMOKE_SPF_HOST: hostname.optional(),
  SMOKE_SPF_INCLUDE: hostname.default('amazonses.com'),
  SMOKE_DKIM_SELECTORS: list.default(['resend']),
  SMOKE_NOVA_EXPECTED_FROM: sender.optional(),
  SMOKE_NOVA_MAIL_DOMAIN: hostname.optional(),
  SMOKE_NOVA_SPF_HOST: hostname.optional(),
  SMOKE_NOVA_SPF_INCLUDE: hostname.default('sendgrid.net'),
  SMOKE_NOVA_DKIM_SELECTORS: list.default(['s1', 's2']),
  SMOKE_NOVA_MAIL_PATH: z.string().regex(/^\/.*\/$/, 'must start and end with /').default('/api/auth/password/reset/'),
  SMOKE_NOVA_MAIL_TO: z
    .string()
    .refine((v) => v === 'synthetic' || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v), 'must be an email address, or "synthetic" for the run\'s own address')
    .optional(),
  SMOKE_DNS_SERVER: z
    .string()
    .regex(/^(\[[0-9a-f:]+\]|[0-9.]+)(:\d{1,5})?$/i, 'must be an IP address with an optional port, e.g. 127.0.0.1:5353')
    .optional(),
} satisfies z.ZodRawShape;

export type MailboxConfig =
  | { kind: 'maildev'; url: string }
  | { kind: 'mailpit'; url: string; user?: string; password?: string }
  | { kind: 'imap'; host: string; port: number; secure: boolean; user: string; password: string; mailbox: string };

/** What one system's mail must look like, and what its sending domain must publish. */
export interface SenderSettings {
  /** The expected From ("Name <address>"); undefined = not configured. */
  from?: string;
  /** The sending domain (from SMOKE_*_MAIL_DOMAIN or the expected From's domain). */
  domain?: string;
  /** Where the v=spf1 record lives (Resend: send.<domain>; SendGrid: the domain). */
  spfHost?: string;
  spfInclude: string;
  dkimSelectors: string[];
  requireDmarc: boolean;
}

export interface MailSettings {
  /** How long a mail may take to arrive (SMOKE_EMAIL_DEADLINE_S). */
  deadlineS: number;
  mailbox?: MailboxConfig;
  /** "ip[:port]" of the DNS server for the domain checks; undefined = the system resolver. */
  dnsServer?: string;
  dermaconsent: SenderSettings;
  nova: SenderSettings & {
    /** The Nova route that sends mail (dj-rest-auth's password reset by default). */
    mailPath: string;
    /** The address Nova mails in the run (a registered user in prod), or 'synthetic': the run's own address (a Nova that mails anyone). */
    recipient?: string;
  };
}

type MailVars = z.output<z.ZodObject<typeof mailShape>>;

function mailbox(v: MailVars, c: PartContext): MailboxConfig | undefined {
  const kind =
    v.SMOKE_MAILBOX ??
    (v.SMOKE_MAILDEV_URL ? 'maildev' : v.SMOKE_MAILPIT_URL ? 'mailpit' : v.SMOKE_IMAP_HOST ? 'imap' : 'none');
  switch (kind) {
    case 'none':
      return undefined;
    case 'maildev': {
      const at = v.SMOKE_MAILDEV_URL;
      if (!at) c.problems.push('SMOKE_MAILDEV_URL: required when SMOKE_MAILBOX=maildev');
      return at ? { kind, url: at } : undefined;
    }
    case 'mailpit':
      if (!v.SMOKE_MAILPIT_URL) {
        c.problems.push('SMOKE_MAILPIT_URL: required when SMOKE_MAILBOX=mailpit');
        return undefined;
      }
      if (!!v.SMOKE_MAILPIT_USER !== !!v.SMOKE_MAILPIT_PASSWORD) {
        c.problems.push('SMOKE_MAILPIT_USER and SMOKE_MAILPIT_PASSWORD: set both or neither');
      }
      return { kind, url: v.SMOKE_MAILPIT_URL, user: v.SMOKE_MAILPIT_USER, password: v.SMOKE_MAILPIT_PASSWORD };
    case 'imap': {
      const missing = (['SMOKE_IMAP_HOST', 'SMOKE_IMAP_USER', 'SMOKE_IMAP_PASSWORD'] as const).filter((k) => !v[k]);
      for (const k of missing) c.problems.push(`${k}: required when SMOKE_MAILBOX=imap`);
      if (missing.length > 0) return undefined;
      return {
        kind,
        host: v.SMOKE_IMAP_HOST as string,
        port: v.SMOKE_IMAP_PORT,
        secure: v.SMOKE_IMAP_SECURE,
        user: v.SMOKE_IMAP_USER as string,
        password: v.SMOKE_IMAP_PASSWORD as string,
        mailbox: v.SMOKE_IMAP_MAILBOX,
      };
    }
  }
}

function senderSettings(
  fromVar: string,
  from: string | undefined,
  domain: string | undefined,
  spfHost: (d: string) => string | undefined,
  rest: Pick<SenderSettings, 'spfInclude' | 'dkimSelectors' | 'requireDmarc'>,
  c: PartContext,
): SenderSettings {
  if (from && parseAddress(from)?.address === LEGACY_SENDER.address) {
    c.problems.push(`${fromVar}: names the legacy sender ${LEGACY_SENDER.address}, which is exactly what must be gone`);
  }
  const d = domain ?? (from ? parseAddress(from)?.address.split('@')[1] : undefined);
  return { from, domain: d, spfHost: d ? spfHost(d) : undefined, ...rest };
}

export function mailSettings(v: MailVars, c: PartContext): MailSettings | undefined {
  return {
    deadlineS: v.SMOKE_EMAIL_DEADLINE_S ?? DEFAULT_EMAIL_DEADLINE_S,
    mailbox: mailbox(v, c),
    dnsServer: v.SMOKE_DNS_SERVER,
    dermaconsent: senderSettings(
      'SMOKE_EXPECTED_FROM',
      v.SMOKE_EXPECTED_FROM,
      v.SMOKE_MAIL_DOMAIN,
      // Resend publishes SPF on the send. subdomain (its MAIL FROM domain).
      (d) => v.SMOKE_SPF_HOST ?? `send.${d}`,
      { spfInclude: v.SMOKE_SPF_INCLUDE, dkimSelectors: v.SMOKE_DKIM_SELECTORS, requireDmarc: true },
      c,
    ),
    nova: {
      ...senderSettings(
        'SMOKE_NOVA_EXPECTED_FROM',
        v.SMOKE_NOVA_EXPECTED_FROM,
        v.SMOKE_NOVA_MAIL_DOMAIN,
        (d) => v.SMOKE_NOVA_SPF_HOST ?? d,
        { spfInclude: v.SMOKE_NOVA_SPF_INCLUDE, dkimSelectors: v.SMOKE_NOVA_DKIM_SELECTORS, requireDmarc: false },
        c,
      ),
      mailPath: v.SMOKE_NOVA_MAIL_PATH,
      recipient: v.SMOKE_NOVA_MAIL_TO,
    },
  };
}
