/**
 * One small interface over the mail catchers and inboxes the suite reads:
 * MailDev (REST), Mailpit (REST API v1) and a real inbox over IMAP. Messages
 * are found by the run's unique recipient (and, where needed, a reference in
 * the body), never by "the count went up": shared and capped mailboxes break that.
 */
import type { Address } from '../mail-sender.ts';

export interface MailSummary {
  id: string;
  from: Address[];
  /** Lower-case addresses of To and Cc. */
  to: string[];
  subject: string;
}

export interface MailMessage extends MailSummary {
  text?: string;
  html?: string;
  /**
   * MIME types of the body's parts (leaves, not attachments), read from the
   * message's structure. Catchers (MailDev, Mailpit) derive a text from the
   * HTML when a mail has no text part, so `text` alone cannot tell.
   */
  partTypes?: string[];
}

export interface Mailbox {
  /** Which mailbox, for messages: kind and host, never credentials. */
  readonly where: string;
  /** Messages addressed to `to` (To or Cc, exact address, case-insensitive), newest first. */
  search(to: string): Promise<MailSummary[]>;
  /** The whole message (both parts) of a summary that search returned. */
  fetch(summary: MailSummary): Promise<MailMessage>;
  /** How many messages the mailbox holds in all, for failure messages; undefined when unknown. */
  total(): Promise<number | undefined>;
  close(): Promise<void>;
}

export const sameAddress = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
