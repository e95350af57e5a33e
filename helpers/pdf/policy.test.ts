/**
 * The cases of issue 15, each built with the project's own signing code
 * (sandbox/signing): documents changed between revisions, unusual CMS, signer
 * rotation, malformed signature dictionaries, and the scan's speed.
 */
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCaSignedP12, createSelfSignedP12, type CaSignedP12, type SelfSignedP12 } from '../../sandbox/signing/certs.ts';
import { readP12 } from '../../sandbox/signing/cms.ts';
import { renderPdf, signPdf } from '../../sandbox/signing/sign.ts';
import { amendPageContent } from '../../sandbox/signing/tamper.ts';
import { formatReport, validatePdfSignatures, type PdfSignatureReport, type SignatureReport } from '../pdf-signature.ts';

const PASSWORD = 'test-p12-password';

let nova: SelfSignedP12;
let other: SelfSignedP12;
let commercial: CaSignedP12;
let basePdf: Buffer;
let signed: Buffer;

beforeAll(async () => {
  nova = createSelfSignedP12({ password: PASSWORD, org: 'Nova Home Care' });
  other = createSelfSignedP12({ password: PASSWORD, commonName: 'Someone Else Ltd' });
  commercial = createCaSignedP12({ password: PASSWORD, org: 'Nova Home Care' });
  basePdf = await renderPdf({ title: 'Invoice 2041', lines: ['Amount due: EUR 120.00'] });
  signed = await signPdf(basePdf, { p12: nova.p12, password: PASSWORD });
}, 60_000); // key generation and signing: slow on a loaded machine

const sig = (r: PdfSignatureReport, n = 0): SignatureReport => {
  const s = r.signatures[n];
  if (!s) throw new Error(`no signature #${n + 1}:\n${formatReport(r)}`);
  return s;
};
const check = (s: SignatureReport, name: string) => {
  const c = s.checks.find((x) => x.name === name);
  if (!c) throw new Error(`no check "${name}" in ${s.checks.map((x) => x.name).join(', ')}`);
  return c;
};
const failed = (r: PdfSignatureReport) => r.signatures.flatMap((s) => s.checks.filter((c) => !c.ok).map((c) => c.name));

/** An unsigned revision holding a DSS (what LTV tools add): harmless. */
function appendDss(pdf: Buffer): Buffer {
  const text = pdf.toString('latin1');
  const prev = [...text.matchAll(/startxref\s+(\d+)\s+%%EOF/g)].at(-1)![1];
  const trailer = [...text.matchAll(/trailer\s*<<([\s\S]*?)>>\s*startxref/g)].at(-1)![1]!;
  const size = Number(/\/Size\s+(\d+)/.exec(trailer)![1]);
  const rootNum = Number(/\/Root\s+(\d+)\s+0\s+R/.exec(trailer)![1]);
  const info = /\/Info\s+(\d+\s+\d+\s+R)/.exec(trailer)?.[1];
  const catalog = [...text.matchAll(new RegExp(`(?:^|\\n)${rootNum} 0 obj\\s*<<([\\s\\S]*?)>>\\s*endobj`, 'g'))].at(-1)![1]!;
  const dss = `${size} 0 obj\n<< /Type /DSS /VRI << >> >>\nendobj\n`;
  const cat = `${rootNum} 0 obj\n<<${catalog} /DSS ${size} 0 R >>\nendobj\n`;
  const at = pdf.length;
  const xrefAt = at + dss.length + cat.length;
  const e = (n: number) => `${String(n).padStart(10, '0')} 00000 n \n`;
  const xref =
    `xref\n0 1\n0000000000 65535 f \n${rootNum} 1\n${e(at + dss.length)}${size} 1\n${e(at)}` +
    `trailer\n<< /Size ${size + 1} /Root ${rootNum} 0 R${info ? ` /Info ${info}` : ''} /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(dss + cat + xref, 'latin1')]);
}

describe('difference analysis between revisions (false accepts)', () => {
  it('rejects a document whose page was painted over after signing, then signed again by the same signer', async () => {
    const resigned = await signPdf(amendPageContent(signed), { p12: nova.p12, password: PASSWORD });
    const r = await validatePdfSignatures(resigned, { expectedSignerSha256: nova.sha256 });
    expect(r.verdict).toBe('invalid');
    expect(failed(r)).toEqual(['changes after signing']);
    expect(check(sig(r, 0), 'changes after signing').detail).toMatch(
      /changed after this signature and before signature #2 .*: new object \d+ \(stream, a dictionary\), which is not part of a signature; page object \d+ \(\/Type \/Page\): \/Contents changed/,
    );
    expect(r.signatures[1]!.checks.every((c) => c.ok)).toBe(true);
  });

  it('rejects the same when another signer signs the changed document', async () => {
    const resigned = await signPdf(amendPageContent(signed), { p12: other.p12, password: PASSWORD });
    const r = await validatePdfSignatures(resigned, { expectedSignerSha256: [nova.sha256, other.sha256] });
    expect(failed(r)).toEqual(['changes after signing']);
  });

  it('--allow-incremental: a painted-over page still fails, naming what the tail holds', async () => {
    const r = await validatePdfSignatures(amendPageContent(signed), { expectedSignerSha256: nova.sha256, allowIncrementalUpdates: true });
    expect(r.verdict).toBe('invalid');
    expect(check(sig(r), 'covers whole file').detail).toMatch(/it holds changes: .*\/Contents changed \(allowIncrementalUpdates allows signature additions only\)/);
    expect(r.warnings.join('\n')).toMatch(/unsigned revision after the signature: changes: .*\/Contents changed/);
  });

  it('--allow-incremental: a DSS-only tail passes with a warning listing it; without the option it fails', async () => {
    const withDss = appendDss(signed);
    const strict = await validatePdfSignatures(withDss, { expectedSignerSha256: nova.sha256 });
    expect(failed(strict)).toEqual(['covers whole file']);
    const lenient = await validatePdfSignatures(withDss, { expectedSignerSha256: nova.sha256, allowIncrementalUpdates: true });
    expect(lenient.verdict, formatReport(lenient)).toBe('valid');
    expect(check(sig(lenient), 'covers whole file').detail).toMatch(/signature additions: DSS \d+; catalog \d+: \/DSS added \(allowed: signature additions only\)/);
    expect(lenient.warnings.join('\n')).toMatch(/unsigned revision after the signature: signature additions: DSS/);
  });

  it('--allow-incremental: a signed range that stops before its own %%EOF fails', async () => {
    // The signer's range leaves out its own trailer: cut the signed file short of its end and sign that prefix again.
    const pdf = await signPdf(basePdf, { p12: nova.p12, password: PASSWORD });
    const text = pdf.toString('latin1');
    const br = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/.exec(text)!;
    const [a, b, c, d] = br.slice(1).map(Number) as [number, number, number, number];
    const startxref = text.lastIndexOf('startxref');
    const shorter = `/ByteRange [${a} ${b} ${c} ${startxref - c}]`.padEnd(br[0].length, ' ');
    const cut = Buffer.from(pdf);
    cut.write(shorter, br.index, 'latin1');
    expect(d).toBeGreaterThan(startxref - c);
    const r = await validatePdfSignatures(cut, { allowIncrementalUpdates: true });
    expect(check(sig(r), 'covers whole file').ok).toBe(false);
    expect(check(sig(r), 'covers whole file').detail).toMatch(/the signed range stops at byte \d+, \d+ byte\(s\) before the %%EOF that ends its revision/);
  });
});

describe('CMS policy', () => {
  it('rejects SHA-1 (digest and signature algorithm)', async () => {
    const pdf = await signPdf(basePdf, { p12: nova.p12, password: PASSWORD, cms: { digest: 'sha1' } });
    const r = await validatePdfSignatures(pdf, { expectedSignerSha256: nova.sha256 });
    expect(r.verdict).toBe('invalid');
    expect(failed(r).sort()).toEqual(['digest algorithm', 'signature algorithm']);
    expect(check(sig(r), 'digest algorithm').detail).toMatch(/SHA-1 \(1\.3\.14\.3\.2\.26\), which is rejected/);
    expect(check(sig(r), 'messageDigest').ok).toBe(true);
  });

  it('rejects more than one SignerInfo', async () => {
    const pdf = await signPdf(basePdf, { p12: nova.p12, password: PASSWORD, cms: { secondSignerInfo: true } });
    const r = await validatePdfSignatures(pdf, { expectedSignerSha256: nova.sha256 });
    expect(failed(r)).toEqual(['CMS']);
    expect(check(sig(r), 'CMS').detail).toMatch(/holds 2 SignerInfos; a PDF signature has exactly one signer/);
  });

  it('rejects a signing-certificate-v2 attribute naming another certificate, accepts one naming the signer', async () => {
    const otherDer = new X509Certificate(other.certPem).raw;
    const bad = await signPdf(basePdf, { p12: nova.p12, password: PASSWORD, cms: { essCertificateDer: otherDer } });
    const r = await validatePdfSignatures(bad, { expectedSignerSha256: nova.sha256 });
    expect(failed(r)).toEqual(['signing-certificate attribute']);
    expect(check(sig(r), 'signing-certificate attribute').detail).toMatch(/signing-certificate-v2 attribute names another certificate .*certHash is [0-9a-f]{64} but the sha256 of the certificate/);

    const good = await signPdf(basePdf, { p12: nova.p12, password: PASSWORD, cms: { essCertificateDer: readP12(nova.p12, PASSWORD).certDer } });
    const ok = await validatePdfSignatures(good, { expectedSignerSha256: nova.sha256 });
    expect(ok.verdict, formatReport(ok)).toBe('valid');
    expect(check(sig(ok), 'signing-certificate attribute').detail).toMatch(/names the certificate that verified the signature/);
  });

  it('reads the v1 signing-certificate attribute (SHA-1 certHash) the same way', async () => {
    const otherDer = new X509Certificate(other.certPem).raw;
    const bad = await signPdf(basePdf, { p12: nova.p12, password: PASSWORD, cms: { essCertificateDer: otherDer, essVersion: 1 } });
    const r = await validatePdfSignatures(bad, { expectedSignerSha256: nova.sha256 });
    expect(failed(r)).toEqual(['signing-certificate attribute']);
    expect(check(sig(r), 'signing-certificate attribute').detail).toMatch(/the signing-certificate attribute names another certificate .*the sha1 of the certificate/);
    const good = await signPdf(basePdf, { p12: nova.p12, password: PASSWORD, cms: { essCertificateDer: readP12(nova.p12, PASSWORD).certDer, essVersion: 1 } });
    expect((await validatePdfSignatures(good, { expectedSignerSha256: nova.sha256 })).verdict).toBe('valid');
  });

  it('validates a CMS without signed attributes (the signature is over the covered bytes)', async () => {
    const pdf = await signPdf(basePdf, { p12: nova.p12, password: PASSWORD, cms: { signedAttributes: false } });
    const r = await validatePdfSignatures(pdf, { expectedSignerSha256: nova.sha256 });
    expect(r.verdict, formatReport(r)).toBe('valid');
    expect(check(sig(r), 'signature').detail).toMatch(/over the covered bytes \(no signed attributes\) verifies/);
    // And a changed byte still fails it.
    const tampered = Buffer.from(pdf);
    tampered[20] = tampered[20]! ^ 1;
    const t = await validatePdfSignatures(tampered, { expectedSignerSha256: nova.sha256 });
    expect(failed(t)).toEqual(['signature']);
  });
});

describe('malformed signature dictionaries (false rejects and messages)', () => {
  it('reports a non-hex character in /Contents as a malformed signature dictionary, verdict invalid', async () => {
    const bad = Buffer.from(signed);
    const at = bad.indexOf('/Contents <') + 20;
    bad[at] = 'g'.charCodeAt(0);
    const r = await validatePdfSignatures(bad);
    expect(r.verdict).toBe('invalid');
    expect(failed(r)).toEqual(['signature dictionary']);
    expect(r.problems[0]).toMatch(/names \/ByteRange, so it is a signature dictionary, but it is malformed: invalid character in hex string/);
  });

  it('reports a file cut off inside /Contents the same way', async () => {
    const cut = signed.subarray(0, signed.indexOf('/Contents <') + 200);
    const r = await validatePdfSignatures(cut);
    expect(r.verdict).toBe('invalid');
    expect(r.problems[0]).toMatch(/is a signature dictionary, but it is malformed: (unterminated hex string|invalid character in hex string)/);
  });
});

describe('signer rotation: pinned fingerprints and a CA', () => {
  it('accepts any of several pinned fingerprints and says which matched', async () => {
    const r = await validatePdfSignatures(signed, { expectedSignerSha256: [other.sha256, nova.sha256.toUpperCase()] });
    expect(r.verdict).toBe('valid');
    expect(sig(r).signer?.matchedPin).toBe(nova.sha256);
    expect(check(sig(r), 'signer fingerprint').detail).toMatch(/pin 2 of 2; CN=Nova Home Care, O=Nova Home Care, self-signed/);
    const none = await validatePdfSignatures(signed, { expectedSignerSha256: [other.sha256] });
    expect(failed(none)).toEqual(['signer fingerprint']);
  });

  it('validates a CA-issued signer against the CA file and reports the chain', async () => {
    const pdf = await signPdf(basePdf, { p12: commercial.p12, password: PASSWORD });
    const r = await validatePdfSignatures(pdf, { caCertificatesPem: commercial.ca.certPem });
    expect(r.verdict, formatReport(r)).toBe('valid');
    expect(sig(r).signer?.selfSigned).toBe(false);
    expect(sig(r).signer?.chain).toEqual(['CN=Nova Home Care, O=Nova Home Care', 'CN=Test Document Signing CA']);
    expect(formatReport(r)).toMatch(/issuer: {2}chains to a trusted CA: CN=Nova Home Care, O=Nova Home Care → CN=Test Document Signing CA/);
    // Next year's leaf from the same CA: still accepted, no new pin needed.
    const renewed = createCaSignedP12({ password: PASSWORD, org: 'Nova Home Care', ca: commercial.ca });
    const next = await validatePdfSignatures(await signPdf(basePdf, { p12: renewed.p12, password: PASSWORD }), { caCertificatesPem: commercial.ca.certPem });
    expect(next.verdict).toBe('valid');
  });

  it('rejects a signer that does not chain to the CA file (another CA, or self-signed)', async () => {
    const otherCa = createCaSignedP12({ password: PASSWORD, caName: 'Another CA' });
    const pdf = await signPdf(basePdf, { p12: commercial.p12, password: PASSWORD });
    const r = await validatePdfSignatures(pdf, { caCertificatesPem: otherCa.ca.certPem });
    expect(failed(r)).toEqual(['certificate chain']);
    expect(check(sig(r), 'certificate chain').detail).toMatch(/is not issued by any of the 1 CA certificate\(s\) given/);
    const self = await validatePdfSignatures(signed, { caCertificatesPem: commercial.ca.certPem });
    expect(failed(self)).toEqual(['certificate chain']);
    expect(formatReport(self)).toMatch(/issuer: {2}self-signed/);
  });

  it('with pins and a CA, either suffices (old self-signed documents, new commercial ones)', async () => {
    const opts = { expectedSignerSha256: [nova.sha256], caCertificatesPem: commercial.ca.certPem };
    expect((await validatePdfSignatures(signed, opts)).verdict).toBe('valid');
    const pdf = await signPdf(basePdf, { p12: commercial.p12, password: PASSWORD });
    const r = await validatePdfSignatures(pdf, opts);
    expect(r.verdict).toBe('valid');
    expect(check(sig(r), 'signer').detail).toMatch(/^issued by the trusted CA/);
    expect(failed(await validatePdfSignatures(await signPdf(basePdf, { p12: other.p12, password: PASSWORD }), opts))).toEqual(['signer']);
  });
});

describe('speed and size', () => {
  it('scans a 2 MB file full of /ByteRange tokens in linear time', async () => {
    const body = '/ByteRange [0 1 2 3] /Contents <00> '.repeat(60_000);
    const pdf = Buffer.from(`%PDF-1.7\n1 0 obj\n<< /Length ${body.length} >>\nstream\n${body}\nendstream\nendobj\n2 0 obj\n(${'/ByteRange '.repeat(60_000)})\nendobj\n%%EOF\n`, 'latin1');
    expect(pdf.length).toBeGreaterThan(2_000_000);
    const started = performance.now();
    const r = await validatePdfSignatures(pdf);
    // The old backwards search per hit took 4.9 s here on an idle machine (quadratic); linear is tens of ms.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(r.verdict).toBe('unsigned');
  });

  it('refuses input over the size limit with a clear error', async () => {
    const r = await validatePdfSignatures(signed, { maxBytes: 1000 });
    expect(r.verdict).toBe('invalid');
    expect(r.problems).toEqual([`the file is ${signed.length} bytes, over the validator's limit of 1000 bytes (maxBytes): not validated`]);
  });
});
