/**
 * Waiting for mail: bounded polling of one mailbox for several expected
 * messages at once (one deadline for all, so five missing templates cost one
 * deadline, not five), at most one search per pending recipient per round.
 */
import type { Mailbox, MailMessage, MailSummary } from './types.ts';

export interface MailQuery {
  /** A name for messages ("password reset"). */
  label: string;
  /** The run's unique recipient. */
  to: string;
  subject?: RegExp;
  /** A reference that must be in the text or HTML part (e.g. a consent ID), when the recipient gets several alike. */
  contains?: string;
}

export type MailOutcome = { query: MailQuery; message: MailMessage } | { query: MailQuery; failure: string };

export interface WaitOptions {
  deadlineMs: number;
  /** Between rounds; at least 250 ms (real APIs allow 20 requests per second per route). */
  intervalMs?: number;
  /** For tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function describeQuery(q: MailQuery): string {
  return `no message to ${q.to}${q.subject ? ` with subject ~ ${q.subject}` : ''}${q.contains ? ' carrying its reference' : ''}`;
}

export async function waitForMessages(mailbox: Mailbox, queries: MailQuery[], opts: WaitOptions): Promise<MailOutcome[]> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? defaultSleep;
  const interval = Math.max(250, opts.intervalMs ?? 500);
  const started = now();
  const found = new Map<MailQuery, MailMessage>();
  const rejected = new Set<string>(); // ids fetched and found not to carry the reference
  const lastSeen = new Map<string, MailSummary[]>();
  let lastError: string | undefined;

  for (;;) {
    const pending = queries.filter((q) => !found.has(q));
    const byRecipient = new Map<string, MailSummary[]>();
    for (const q of pending) {
      try {
        let summaries = byRecipient.get(q.to.toLowerCase());
        if (!summaries) {
          summaries = await mailbox.search(q.to);
          byRecipient.set(q.to.toLowerCase(), summaries);
          lastSeen.set(q.to.toLowerCase(), summaries);
        }
        for (const s of summaries) {
          if (q.subject && !q.subject.test(s.subject)) continue;
          if ([...found.values()].some((m) => m.id === s.id)) continue;
          if (q.contains && rejected.has(`${s.id}\u0000${q.contains}`)) continue;
          const message = await mailbox.fetch(s);
          if (q.contains && !`${message.text ?? ''}\n${message.html ?? ''}`.includes(q.contains)) {
            rejected.add(`${s.id}\u0000${q.contains}`);
            continue;
          }
          found.set(q, message);
          break;
        }
        lastError = undefined;
      } catch (err) {
        // A mailbox that hiccups is retried until the deadline; its last error goes into the message.
        lastError = (err as Error).message;
      }
    }
    if (found.size === queries.length || now() - started + interval > opts.deadlineMs) break;
    await sleep(interval);
  }

  const seconds = Math.round(opts.deadlineMs / 100) / 10;
  let total: number | undefined;
  if (found.size < queries.length) total = await mailbox.total().catch(() => undefined);
  return queries.map((q) => {
    const message = found.get(q);
    if (message) return { query: q, message };
    const mine = lastSeen.get(q.to.toLowerCase()) ?? [];
    const others = total === undefined ? undefined : Math.max(0, total - mine.length);
    const parts = [`${describeQuery(q)} within ${seconds} s`];
    if (mine.length > 0) parts.push(`that address got ${mine.length} other message(s): ${mine.slice(0, 5).map((m) => JSON.stringify(m.subject)).join(', ')}`);
    if (others !== undefined) parts.push(`${mailbox.where} had ${others} message(s) for other recipients`);
    else parts.push(`in ${mailbox.where}`);
    if (lastError) parts.push(`last error: ${lastError}`);
    return { query: q, failure: parts.join('; ') };
  });
}
