/**
 * Who issued the signer's certificate: self-signed, or a chain to a CA the
 * deployer trusts (SMOKE_SIGNER_CA_FILE / --ca-file), checked link by link:
 * each signature, each certificate's validity at signing time and now, key
 * usage allowing signatures on the leaf, CA basic constraints above it.
 */
import { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export interface ChainResult {
  ok: boolean;
  /** Subjects from the signer up to the trust anchor, as far as the chain could be built. */
  chain: string[];
  detail: string;
}

/** The certificates of a PEM bundle (a CA file). Throws with the file's problem. */
export function parsePemBundle(pem: string, where = 'the CA file'): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error(`${where} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return blocks.map((b, i) => {
    try {
      return new X509Certificate(b);
    } catch (err) {
      throw new Error(`${where}: certificate ${i + 1} does not parse (${err instanceof Error ? err.message : String(err)})`);
    }
  });
}

/**
 * Named as issuer and verifying with its own key. (X509Certificate.checkIssued
 * also demands keyCertSign, which a self-signed signing certificate lacks.)
 */
export function isSelfSigned(cert: X509Certificate): boolean {
  return cert.issuer === cert.subject && verifiesWith(cert, cert);
}

function verifiesWith(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

const subjectOf = (c: X509Certificate) => c.subject.replace(/\n/g, ', ');

/** Key usage bits by name, or undefined when the certificate has no keyUsage extension. */
function keyUsage(cert: X509Certificate): Set<string> | undefined {
  const ext = pkijs.Certificate.fromBER(cert.raw).extensions?.find((e) => e.extnID === '2.5.29.15');
  if (!ext) return undefined;
  const bits = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView).result as asn1js.BitString;
  const bytes = bits.valueBlock.valueHexView;
  const names = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign'];
  return new Set(names.filter((_, i) => ((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1));
}

function validAt(cert: X509Certificate, t: Date): boolean {
  return t.getTime() >= new Date(cert.validFrom).getTime() && t.getTime() <= new Date(cert.validTo).getTime();
}

/**
 * Builds the chain from `leaf` through the CMS's other certificates to one of
 * `anchors`, and checks every link. `times` are the moments each certificate
 * must be valid at (now, and the claimed signing time when there is one).
 */
export function validateChain(
  leaf: X509Certificate,
  intermediates: X509Certificate[],
  anchors: X509Certificate[],
  times: { label: string; at: Date }[],
): ChainResult {
  const chain: X509Certificate[] = [leaf];
  const problems: string[] = [];
  const isAnchor = (c: X509Certificate) => anchors.some((a) => a.fingerprint256 === c.fingerprint256);
  let current = leaf;
  let anchored = isAnchor(leaf);
  for (let depth = 0; !anchored && depth < 8; depth++) {
    const issuedBy = (c: X509Certificate) => c.fingerprint256 !== current.fingerprint256 && current.issuer === c.subject && verifiesWith(current, c);
    const anchor = anchors.find(issuedBy);
    if (anchor) {
      chain.push(anchor);
      anchored = true;
      break;
    }
    const next = intermediates.find((c) => issuedBy(c) && !chain.some((x) => x.fingerprint256 === c.fingerprint256));
    if (!next) break;
    chain.push(next);
    current = next;
  }
  const names = chain.map(subjectOf);
  if (!anchored) {
    return {
      ok: false,
      chain: names,
      detail: `${subjectOf(current)} (issuer ${current.issuer.replace(/\n/g, ', ')}) is not issued by any of the ${anchors.length} CA certificate(s) given, nor by another certificate in the CMS: the chain ${names.join(' → ')} does not reach a trusted CA`,
    };
  }
  chain.forEach((c, i) => {
    for (const { label, at } of times) {
      if (!validAt(c, at)) problems.push(`${subjectOf(c)} is not valid at ${label} (${at.toISOString()}; valid ${c.validFrom} to ${c.validTo})`);
    }
    const usage = keyUsage(c);
    if (i === 0) {
      if (usage && !usage.has('digitalSignature') && !usage.has('nonRepudiation')) {
        problems.push(`the signer certificate's key usage (${[...usage].join(', ') || 'none'}) allows no signatures`);
      }
    } else {
      if (!c.ca) problems.push(`${subjectOf(c)} issues a certificate but is not a CA (basic constraints)`);
      if (usage && !usage.has('keyCertSign')) problems.push(`${subjectOf(c)} issues a certificate but its key usage lacks keyCertSign`);
    }
  });
  return problems.length
    ? { ok: false, chain: names, detail: `chain ${names.join(' → ')}: ${problems.join('; ')}` }
    : { ok: true, chain: names, detail: `chains to the trusted CA: ${names.join(' → ')}, each certificate valid at ${times.map((t) => t.label).join(' and ')}` };
}
