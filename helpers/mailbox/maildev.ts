/** MailDev's REST API (v3): GET /api/email lists every message with both parts; GET /api/email/:id reads one. */
import { HttpClient } from '../http.ts';
import { mimePartTypes } from '../mail-content.ts';
import type { Address } from '../mail-sender.ts';
import { sameAddress, type Mailbox, type MailMessage, type MailSummary } from './types.ts';

interface MailDevAddress {
  address: string;
  name?: string;
}
interface MailDevEmail {
  id: string;
  subject?: string;
  from?: MailDevAddress[];
  to?: MailDevAddress[];
  cc?: MailDevAddress[];
  time?: string;
  html?: string;
  text?: string;
}

const addresses = (list: MailDevAddress[] | undefined): Address[] =>
  (list ?? []).map((a) => ({ name: a.name ?? '', address: a.address.toLowerCase() }));

function toMessage(e: MailDevEmail): MailMessage {
  return {
    id: e.id,
    from: addresses(e.from),
    to: [...addresses(e.to), ...addresses(e.cc)].map((a) => a.address),
    subject: e.subject ?? '',
    text: e.text,
    html: e.html,
  };
}

export class MailDevMailbox implements Mailbox {
  private readonly http: HttpClient;
  readonly where: string;

  constructor(url: string, timeoutMs = 10_000) {
    this.http = new HttpClient(url, { timeoutMs });
    this.where = `MailDev at ${new URL(url).origin}`;
  }

  private async all(): Promise<MailDevEmail[]> {
    const res = await this.http.get('/api/email');
    if (res.status !== 200 || !Array.isArray(res.json)) {
      throw new Error(`${this.where}: GET /api/email answered ${res.status}${Array.isArray(res.json) ? '' : ' without a JSON list'}`);
    }
    return res.json as MailDevEmail[];
  }

  async search(to: string): Promise<MailSummary[]> {
    const mine = (await this.all()).map(toMessage).filter((m) => m.to.some((a) => sameAddress(a, to)));
    return mine.reverse(); // MailDev lists oldest first
  }

  async fetch(summary: MailSummary): Promise<MailMessage> {
    const id = encodeURIComponent(summary.id);
    const [res, source] = await Promise.all([this.http.get(`/api/email/${id}`), this.http.get(`/api/email/${id}/source`, { headers: { accept: '*/*' } })]);
    if (res.status !== 200) throw new Error(`${this.where}: GET /api/email/${summary.id} answered ${res.status}`);
    if (source.status !== 200) throw new Error(`${this.where}: GET /api/email/${summary.id}/source answered ${source.status}`);
    // MailDev fills `text` from the HTML when there is no text part: the source tells.
    return { ...toMessage(res.json as MailDevEmail), partTypes: mimePartTypes(source.text) };
  }

  async total(): Promise<number | undefined> {
    return (await this.all()).length;
  }

  async close(): Promise<void> {}
}
