/**
 * The sending domain's DNS (DC-MAIL-1, NHC-MAIL-3): SPF, DKIM and DMARC TXT
 * records, evaluated from what a resolver returns. Read-only: only lookups.
 */
import { promises as dns } from 'node:dns';

export interface Evaluation {
  failures: string[];
  warnings: string[];
}

/** A TXT lookup's outcome: the records (each joined from its strings), or why there are none. */
export type TxtResult = { records: string[] } | { error: string };

/**
 * SPF at `host`: exactly one v=spf1 record (two are a permerror for receivers),
 * which includes the provider's host; "+all" lets anyone send.
 */
export function evaluateSpf(host: string, result: TxtResult, include: string): Evaluation {
  const out: Evaluation = { failures: [], warnings: [] };
  if ('error' in result) {
    out.failures.push(`SPF: no TXT record at ${host} (${result.error}); expected "v=spf1 include:${include} ~all" or similar`);
    return out;
  }
  const spf = result.records.filter((r) => /^v=spf1(\s|$)/i.test(r.trim()));
  if (spf.length === 0) {
    out.failures.push(`SPF: ${host} has ${result.records.length} TXT record(s) but none starts with v=spf1; expected one that includes ${include}`);
    return out;
  }
  if (spf.length > 1) out.failures.push(`SPF: ${host} has ${spf.length} v=spf1 records; receivers treat more than one as a permanent error`);
  const record = spf[0] as string;
  const terms = record.trim().split(/\s+/).map((t) => t.toLowerCase());
  if (!terms.includes(`include:${include.toLowerCase()}`)) {
    out.failures.push(`SPF: ${host} "${record}" does not include ${include} (the provider's sending host)`);
  }
  if (terms.includes('+all') || terms.includes('all')) out.failures.push(`SPF: ${host} "${record}" ends in +all: any server may send as this domain`);
  else if (!terms.some((t) => /^[~-]all$/.test(t))) out.warnings.push(`SPF: ${host} "${record}" has no ~all or -all`);
  return out;
}

/** DKIM at <selector>._domainkey.<domain>: a record with a non-empty p= public key (p= empty means revoked). */
export function evaluateDkim(name: string, result: TxtResult): Evaluation {
  const out: Evaluation = { failures: [], warnings: [] };
  if ('error' in result) {
    out.failures.push(`DKIM: no TXT record at ${name} (${result.error})`);
    return out;
  }
  const keys = result.records.filter((r) => /(^|;)\s*p=/i.test(r));
  if (keys.length === 0) {
    out.failures.push(`DKIM: ${name} has no record with a p= public key (${result.records.length} TXT record(s))`);
    return out;
  }
  const tags = new Map(
    (keys[0] as string).split(';').map((kv) => {
      const i = kv.indexOf('=');
      return [kv.slice(0, i).trim().toLowerCase(), kv.slice(i + 1).replace(/\s+/g, '')] as const;
    }),
  );
  const p = tags.get('p') ?? '';
  if (p === '') out.failures.push(`DKIM: ${name} publishes an empty p= (the key is revoked)`);
  else if (!/^[A-Za-z0-9+/]+=*$/.test(p)) out.failures.push(`DKIM: ${name} p= is not base64`);
  else if (p.length < 200) out.warnings.push(`DKIM: ${name} key is short (${p.length} base64 chars: under 1024 bits?)`);
  const v = tags.get('v');
  if (v !== undefined && v !== 'DKIM1') out.failures.push(`DKIM: ${name} v=${v}; expected DKIM1`);
  return out;
}

/** DMARC at _dmarc.<domain>: one v=DMARC1 record with a p= policy; p=none only monitors (a warning). */
export function evaluateDmarc(name: string, result: TxtResult): Evaluation {
  const out: Evaluation = { failures: [], warnings: [] };
  if ('error' in result) {
    out.failures.push(`DMARC: no TXT record at ${name} (${result.error}); expected "v=DMARC1; p=quarantine" or similar`);
    return out;
  }
  const dmarc = result.records.filter((r) => /^v=DMARC1\s*(;|$)/i.test(r.trim()));
  if (dmarc.length === 0) {
    out.failures.push(`DMARC: ${name} has no v=DMARC1 record`);
    return out;
  }
  if (dmarc.length > 1) out.failures.push(`DMARC: ${name} has ${dmarc.length} v=DMARC1 records (receivers ignore all of them)`);
  const policy = /;\s*p\s*=\s*([a-z]+)/i.exec(dmarc[0] as string)?.[1]?.toLowerCase();
  if (!policy) out.failures.push(`DMARC: ${name} "${dmarc[0]}" has no p= policy`);
  else if (!['none', 'quarantine', 'reject'].includes(policy)) out.failures.push(`DMARC: ${name} p=${policy} is not none, quarantine or reject`);
  else if (policy === 'none') out.warnings.push(`DMARC: ${name} p=none only monitors; quarantine or reject protects the domain`);
  return out;
}

/** A resolver for the configured server ("ip[:port]"), or the system's. */
export function resolverFor(server: string | undefined, timeoutMs = 2_000): dns.Resolver {
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 2 });
  if (server) resolver.setServers([server]);
  return resolver;
}

/** TXT records at a name, each record's strings joined (long DKIM keys arrive split in 255-byte strings). */
export async function lookupTxt(resolver: dns.Resolver, name: string): Promise<TxtResult> {
  try {
    return { records: (await resolver.resolveTxt(name)).map((strings) => strings.join('')) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const meaning: Record<string, string> = { ENOTFOUND: 'NXDOMAIN', ENODATA: 'no TXT record', ETIMEOUT: 'DNS timeout', ECONNREFUSED: 'DNS server refused' };
    return { error: meaning[code] ?? code };
  }
}

export interface DomainPolicy {
  domain: string;
  spfHost: string;
  spfInclude: string;
  dkimSelectors: string[];
  requireDmarc: boolean;
}

/** Every record of a sending domain, looked up in parallel and evaluated. */
export async function checkSendingDomain(resolver: dns.Resolver, policy: DomainPolicy): Promise<Evaluation> {
  const dkimNames = policy.dkimSelectors.map((s) => `${s}._domainkey.${policy.domain}`);
  const dmarcName = `_dmarc.${policy.domain}`;
  const [spf, dmarc, ...dkim] = await Promise.all([
    lookupTxt(resolver, policy.spfHost),
    policy.requireDmarc ? lookupTxt(resolver, dmarcName) : Promise.resolve(undefined),
    ...dkimNames.map((n) => lookupTxt(resolver, n)),
  ]);
  const parts = [evaluateSpf(policy.spfHost, spf as TxtResult, policy.spfInclude), ...dkim.map((r, i) => evaluateDkim(dkimNames[i] as string, r as TxtResult))];
  if (dmarc) parts.push(evaluateDmarc(dmarcName, dmarc));
  return { failures: parts.flatMap((p) => p.failures), warnings: parts.flatMap((p) => p.warnings) };
}
