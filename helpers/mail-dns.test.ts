import { generateKeyPairSync } from 'node:crypto';
import dns2 from 'dns2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { txtStrings } from '../sandbox/mail/dns.ts';
import { checkSendingDomain, evaluateDkim, evaluateDmarc, evaluateSpf, lookupTxt, resolverFor } from './mail-dns.ts';

const KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

describe('evaluateSpf', () => {
  it('wants exactly one v=spf1 record that includes the provider', () => {
    expect(evaluateSpf('send.example.com', { records: ['v=spf1 include:amazonses.com ~all'] }, 'amazonses.com')).toEqual({ failures: [], warnings: [] });
    expect(evaluateSpf('send.example.com', { records: ['v=spf1 include:_spf.google.com ~all'] }, 'amazonses.com').failures[0]).toContain('does not include amazonses.com');
    expect(evaluateSpf('x', { records: ['v=spf1 include:a.com ~all', 'v=spf1 -all'] }, 'a.com').failures[0]).toContain('2 v=spf1 records');
    expect(evaluateSpf('x', { records: ['google-site-verification=abc'] }, 'a.com').failures[0]).toContain('none starts with v=spf1');
    expect(evaluateSpf('x', { error: 'NXDOMAIN' }, 'a.com').failures[0]).toContain('no TXT record at x (NXDOMAIN)');
    expect(evaluateSpf('x', { records: ['v=spf1 include:a.com +all'] }, 'a.com').failures[0]).toContain('+all');
  });
});

describe('evaluateDkim', () => {
  it('wants a non-empty base64 p=', () => {
    expect(evaluateDkim('resend._domainkey.example.com', { records: [`p=${KEY}`] }).failures).toEqual([]);
    expect(evaluateDkim('s1._domainkey.example.com', { records: [`v=DKIM1; k=rsa; p=${KEY}`] }).failures).toEqual([]);
    expect(evaluateDkim('s1', { records: ['v=DKIM1; k=rsa; p='] }).failures[0]).toContain('revoked');
    expect(evaluateDkim('s1', { records: ['v=spf1 -all'] }).failures[0]).toContain('no record with a p=');
    expect(evaluateDkim('s1', { error: 'no TXT record' }).failures[0]).toContain('no TXT record at s1');
  });
});

describe('evaluateDmarc', () => {
  it('wants v=DMARC1 with a policy; p=none is a warning', () => {
    expect(evaluateDmarc('_dmarc.example.com', { records: ['v=DMARC1; p=reject; rua=mailto:d@example.com'] })).toEqual({ failures: [], warnings: [] });
    expect(evaluateDmarc('_dmarc.example.com', { records: ['v=DMARC1; p=none'] }).warnings[0]).toContain('p=none');
    expect(evaluateDmarc('_dmarc.example.com', { records: ['v=DMARC1; rua=mailto:d@example.com'] }).failures[0]).toContain('no p= policy');
    expect(evaluateDmarc('_dmarc.example.com', { error: 'NXDOMAIN' }).failures[0]).toContain('no TXT record');
  });
});

// Against a real DNS server (dns2 over UDP on 127.0.0.1) and node's own resolver, as the spec queries the sandbox.
describe('checkSendingDomain against a real DNS server', () => {
  const zone = new Map<string, string[]>([
    ['example.test', []],
    ['send.example.test', ['v=spf1 include:amazonses.com ~all']],
    ['resend._domainkey.example.test', [`p=${KEY}`]],
    ['_dmarc.example.test', ['v=DMARC1; p=quarantine']],
  ]);
  let server: ReturnType<typeof dns2.createServer>;
  let address = '';

  beforeAll(async () => {
    server = dns2.createServer({
      udp: true,
      handle: (request, send) => {
        const response = dns2.Packet.createResponseFromRequest(request);
        const q = request.questions[0];
        const values = zone.get(q?.name.toLowerCase() ?? '');
        if (!values) response.header.rcode = 3;
        else for (const v of values) response.answers.push({ name: q?.name, type: dns2.Packet.TYPE.TXT, class: dns2.Packet.CLASS.IN, ttl: 60, data: txtStrings(v) } as never);
        void send(response);
      },
    });
    const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
    address = `127.0.0.1:${addresses.udp?.port}`;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('joins a DKIM key split into 255-byte strings', async () => {
    const result = await lookupTxt(resolverFor(address), 'resend._domainkey.example.test');
    expect(result).toEqual({ records: [`p=${KEY}`] });
  });

  it('passes a complete domain and names each missing record', async () => {
    const policy = { domain: 'example.test', spfHost: 'send.example.test', spfInclude: 'amazonses.com', dkimSelectors: ['resend'], requireDmarc: true };
    expect(await checkSendingDomain(resolverFor(address), policy)).toEqual({ failures: [], warnings: [] });
    const broken = await checkSendingDomain(resolverFor(address), { ...policy, domain: 'other.test', spfHost: 'example.test', dkimSelectors: ['s1', 's2'] });
    expect(broken.failures).toEqual([
      'SPF: no TXT record at example.test (no TXT record); expected "v=spf1 include:amazonses.com ~all" or similar',
      'DKIM: no TXT record at s1._domainkey.other.test (NXDOMAIN)',
      'DKIM: no TXT record at s2._domainkey.other.test (NXDOMAIN)',
      'DMARC: no TXT record at _dmarc.other.test (NXDOMAIN); expected "v=DMARC1; p=quarantine" or similar',
    ]);
  });
});
