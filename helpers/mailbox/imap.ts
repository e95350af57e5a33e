/**
 * A real inbox over IMAP (imapflow), e.g. a plus-addressed mailbox in prod:
 * smoke+<run>-…@domain all land in smoke@domain, and the adapter searches the
 * To header for the run's exact address. Read-only: messages are never
 * flagged, moved or deleted (BODY.PEEK; the mailbox is opened read-only).
 */
import { ImapFlow, type FetchMessageObject, type MessageStructureObject } from 'imapflow';
import type { Address } from '../mail-sender.ts';
import { sameAddress, type Mailbox, type MailMessage, type MailSummary } from './types.ts';

export interface ImapConfig {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
  /** For a test server with a self-signed certificate only. */
  rejectUnauthorized?: boolean;
}

const addresses = (list: { name?: string; address?: string }[] | undefined): Address[] =>
  (list ?? []).filter((a) => a.address).map((a) => ({ name: a.name ?? '', address: (a.address as string).toLowerCase() }));

function summaryOf(m: FetchMessageObject): MailSummary {
  const env = m.envelope;
  return {
    id: String(m.uid),
    from: addresses(env?.from),
    to: [...addresses(env?.to), ...addresses(env?.cc)].map((a) => a.address),
    subject: env?.subject ?? '',
  };
}

/** The text/plain and text/html parts that are the body (not attachments). */
function bodyParts(node: MessageStructureObject | undefined, out: { text?: string; html?: string } = {}): { text?: string; html?: string } {
  if (!node) return out;
  if (node.childNodes?.length) {
    for (const child of node.childNodes) bodyParts(child, out);
    return out;
  }
  if (node.disposition?.toLowerCase() === 'attachment') return out;
  const part = node.part ?? '1'; // a single-part message: its body is part 1
  if (node.type === 'text/plain' && !out.text) out.text = part;
  if (node.type === 'text/html' && !out.html) out.html = part;
  return out;
}

export class ImapMailbox implements Mailbox {
  readonly where: string;
  private client: ImapFlow | undefined;
  private connecting: Promise<ImapFlow> | undefined;

  constructor(private readonly config: ImapConfig) {
    this.where = `IMAP ${config.host}:${config.port} ${config.mailbox}`;
  }

  private connect(): Promise<ImapFlow> {
    if (this.client?.usable) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new ImapFlow({
        host: this.config.host,
        port: this.config.port,
        secure: this.config.secure,
        auth: { user: this.config.user, pass: this.config.password },
        logger: false,
        disableAutoIdle: true,
        tls: { rejectUnauthorized: this.config.rejectUnauthorized ?? true },
      });
      client.on('error', () => undefined); // a dropped connection shows up as a failed call, then a reconnect
      try {
        await client.connect();
      } catch (err) {
        // imapflow's message may quote the server; it never holds the password.
        throw new Error(`${this.where}: cannot sign in as ${this.config.user}: ${(err as Error).message}`);
      }
      this.client = client;
      return client;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async inMailbox<T>(work: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = await this.connect();
    const lock = await client.getMailboxLock(this.config.mailbox, { readOnly: true });
    try {
      return await work(client);
    } finally {
      lock.release();
    }
  }

  async search(to: string): Promise<MailSummary[]> {
    return this.inMailbox(async (client) => {
      const uids = (await client.search({ to }, { uid: true })) || [];
      if (uids.length === 0) return [];
      const newest = [...uids].sort((a, b) => b - a).slice(0, 50);
      const found = await client.fetchAll(newest.join(','), { envelope: true, uid: true }, { uid: true });
      // The server's TO search matches substrings: keep the exact address only.
      return found
        .sort((a, b) => b.uid - a.uid)
        .map(summaryOf)
        .filter((m) => m.to.some((a) => sameAddress(a, to)));
    });
  }

  async fetch(summary: MailSummary): Promise<MailMessage> {
    return this.inMailbox(async (client) => {
      const msg = await client.fetchOne(summary.id, { bodyStructure: true, envelope: true, uid: true }, { uid: true });
      if (!msg) throw new Error(`${this.where}: message uid ${summary.id} is gone`);
      const parts = bodyParts(msg.bodyStructure);
      const read = async (part: string | undefined): Promise<string | undefined> => {
        if (!part) return undefined;
        const dl = await client.download(summary.id, part, { uid: true });
        if (!dl.content) return undefined;
        const chunks: Buffer[] = [];
        for await (const chunk of dl.content) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString('utf8');
      };
      return { ...summaryOf(msg), text: await read(parts.text), html: await read(parts.html), partTypes: [parts.text && 'text/plain', parts.html && 'text/html'].filter((t): t is string => !!t) };
    });
  }

  async total(): Promise<number | undefined> {
    const client = await this.connect();
    const status = await client.status(this.config.mailbox, { messages: true });
    return status ? status.messages : undefined;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client?.usable) await client.logout().catch(() => undefined);
  }
}
