/** The mailbox the settings name, behind the one interface. */
import type { MailboxConfig } from '../settings-mail.ts';
import { ImapMailbox } from './imap.ts';
import { MailDevMailbox } from './maildev.ts';
import { MailpitMailbox } from './mailpit.ts';
import type { Mailbox } from './types.ts';

export type { Mailbox, MailMessage, MailSummary } from './types.ts';
export { waitForMessages, type MailQuery, type MailOutcome } from './wait.ts';

export function openMailbox(config: MailboxConfig, timeoutMs = 10_000): Mailbox {
  switch (config.kind) {
    case 'maildev':
      return new MailDevMailbox(config.url, timeoutMs);
    case 'mailpit':
      return new MailpitMailbox(config.url, config.user && config.password ? { user: config.user, password: config.password } : undefined, timeoutMs);
    case 'imap':
      return new ImapMailbox(config);
  }
}
