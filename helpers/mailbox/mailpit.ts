/**
 * Mailpit's REST API v1: GET /api/v1/search?query=to:"…" finds summaries,
 * GET /api/v1/message/{ID} returns one message with Text and HTML,
 * GET /api/v1/messages?limit=1 tells the total. Basic auth when the server asks for it.
 */
import { HttpClient } from '../http.ts';
import { mimePartTypes } from '../mail-content.ts';
import type { Address } from '../mail-sender.ts';
import { sameAddress, type Mailbox, type MailMessage, type MailSummary } from './types.ts';

interface MailpitAddress {
  Name: string;
  Address: string;
}
interface MailpitSummary {
  ID: string;
  From?: MailpitAddress | null;
  To?: MailpitAddress[] | null;
  Cc?: MailpitAddress[] | null;
  Subject?: string;
}
interface MailpitMessage extends MailpitSummary {
  Text?: string;
  HTML?: string;
}

const addr = (a: MailpitAddress): Address => ({ name: a.Name ?? '', address: (a.Address ?? '').toLowerCase() });

function toSummary(m: MailpitSummary): MailSummary {
  return {
    id: m.ID,
    from: m.From ? [addr(m.From)] : [],
    to: [...(m.To ?? []), ...(m.Cc ?? [])].map((a) => addr(a).address),
    subject: m.Subject ?? '',
  };
}

export class MailpitMailbox implements Mailbox {
  private readonly http: HttpClient;
  readonly where: string;

  constructor(url: string, auth?: { user: string; password: string }, timeoutMs = 10_000) {
    const headers: Record<string, string> = auth
      ? { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` }
      : {};
    this.http = new HttpClient(url, { timeoutMs, headers });
    this.where = `Mailpit at ${new URL(url).origin}`;
  }

  private async getJson(path: string): Promise<unknown> {
    const res = await this.http.get(path);
    if (res.status === 401) throw new Error(`${this.where}: ${path.split('?')[0]} answered 401: set SMOKE_MAILPIT_USER and SMOKE_MAILPIT_PASSWORD`);
    if (res.status !== 200 || res.json === undefined) throw new Error(`${this.where}: GET ${path.split('?')[0]} answered ${res.status}`);
    return res.json;
  }

  async search(to: string): Promise<MailSummary[]> {
    const query = new URLSearchParams({ query: `to:"${to}"`, limit: '50' });
    const body = (await this.getJson(`/api/v1/search?${query}`)) as { messages?: MailpitSummary[] };
    // Mailpit's to: matches substrings; keep exact recipients only. It lists newest first.
    return (body.messages ?? []).map(toSummary).filter((m) => m.to.some((a) => sameAddress(a, to)));
  }

  async fetch(summary: MailSummary): Promise<MailMessage> {
    const id = encodeURIComponent(summary.id);
    const m = (await this.getJson(`/api/v1/message/${id}`)) as MailpitMessage;
    // Mailpit derives Text from the HTML when there is no text part: the raw source tells.
    const raw = await this.http.get(`/api/v1/message/${id}/raw`, { headers: { accept: '*/*' } });
    if (raw.status !== 200) throw new Error(`${this.where}: GET /api/v1/message/${summary.id}/raw answered ${raw.status}`);
    return { ...toSummary(m), text: m.Text || undefined, html: m.HTML || undefined, partTypes: mimePartTypes(raw.text) };
  }

  async total(): Promise<number | undefined> {
    const body = (await this.getJson('/api/v1/messages?limit=1')) as { total?: number };
    return typeof body.total === 'number' ? body.total : undefined;
  }

  async close(): Promise<void> {}
}
