/**
 * The DNS the sandbox serves for its mail domains (UDP on 127.0.0.1): SPF,
 * DKIM and DMARC TXT records as Resend (DermaConsent) and SendGrid (Nova)
 * ask their customers to publish. Faults drop records.
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import dns2 from 'dns2';
import { has, type SandboxContext } from '../context.ts';
import { SANDBOX_MAIL } from './constants.ts';

/** A TXT record's strings: DNS character-strings hold at most 255 bytes each. */
export function txtStrings(value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i += 255) out.push(value.slice(i, i + 255));
  return out.length > 0 ? out : [''];
}

/** A fresh RSA-2048 public key as DKIM publishes it (base64 SPKI), made off the main thread. */
async function dkimKey(): Promise<string> {
  const { publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** name (lower case) → TXT values, as published (faults applied). */
export async function mailZone(ctx: SandboxContext): Promise<Map<string, string[]>> {
  const zone = new Map<string, string[]>();
  const add = (name: string, value: string): void => {
    zone.set(name, [...(zone.get(name) ?? []), value]);
  };
  const dc = SANDBOX_MAIL.dermaconsent;
  const nova = SANDBOX_MAIL.nova;
  // Names that exist without the record in question: a removed record leaves the name (NOERROR, no answer).
  zone.set(dc.domain, []);
  zone.set(nova.domain, []);
  add(dc.domain, 'google-site-verification=sandbox-dermaconsent');
  if (!has(ctx, 'spf-missing')) {
    add(dc.spfHost, `v=spf1 include:${dc.spfInclude} ~all`);
    add(nova.spfHost, `v=spf1 include:${nova.spfInclude} ~all`);
  }
  if (!has(ctx, 'dkim-missing')) {
    const selectors = [...dc.dkimSelectors.map((s) => [s, dc.domain, ''] as const), ...nova.dkimSelectors.map((s) => [s, nova.domain, 'k=rsa; '] as const)];
    const keys = await Promise.all(selectors.map(() => dkimKey()));
    selectors.forEach(([s, domain, prefix], i) => add(`${s}._domainkey.${domain}`, `${prefix}p=${keys[i]}`));
  }
  if (!has(ctx, 'dmarc-missing')) {
    add(`_dmarc.${dc.domain}`, `v=DMARC1; p=quarantine; rua=mailto:dmarc@${dc.domain}`);
  }
  return zone;
}

export interface MailDns {
  stop(): Promise<void>;
}

export async function startDns(ctx: SandboxContext): Promise<MailDns> {
  const zone = await mailZone(ctx);
  const { Packet } = dns2;
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const question = request.questions[0];
      const name = question?.name.toLowerCase().replace(/\.$/, '') ?? '';
      const values = zone.get(name);
      if (!values) {
        response.header.rcode = 3; // NXDOMAIN
      } else if (question?.type === Packet.TYPE.TXT) {
        for (const value of values) {
          response.answers.push({ name: question.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 60, data: txtStrings(value) } as never);
        }
      }
      void send(response);
    },
  });
  server.on('requestError', (err) => ctx.log(`dns: bad request: ${err.message}`));
  await server.listen({ udp: { port: ctx.layout.dnsPort, address: '127.0.0.1' } });
  return { stop: () => server.close() };
}
