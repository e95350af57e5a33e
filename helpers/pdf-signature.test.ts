import { createHash, sign as cryptoSign, X509Certificate } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { P12Signer } from '@signpdf/signer-p12';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSelfSignedP12, type SelfSignedP12 } from '../sandbox/signing/certs.ts';
import { renderPdf, signPdf } from '../sandbox/signing/sign.ts';
import {
  formatReport,
  sha256Hex,
  validatePdfSignatures,
  type PdfSignatureReport,
  type SignatureReport,
} from './pdf-signature.ts';

const PASSWORD = 'test-p12-password';
const DAY = 86_400_000;

// PDF_CASES_DIR=/tmp/pdfcases keeps every generated case, to compare with poppler's pdfsig.
const CASES_DIR = process.env.PDF_CASES_DIR;
function keep(name: string, pdf: Buffer): Buffer {
  if (CASES_DIR) {
    mkdirSync(CASES_DIR, { recursive: true });
    writeFileSync(join(CASES_DIR, `${name}.pdf`), pdf);
  }
  return pdf;
}

let nova: SelfSignedP12; // the expected signer
let other: SelfSignedP12; // another organisation
let impostor: SelfSignedP12; // same subject name, another key
let expired: SelfSignedP12;
let expiringSoon: SelfSignedP12;
let basePdf: Buffer;
let signed: Buffer;

beforeAll(async () => {
  const now = Date.now();
  nova = createSelfSignedP12({ password: PASSWORD, org: 'Nova Home Care' });
  other = createSelfSignedP12({ commonName: 'Someone Else Ltd', password: PASSWORD });
  impostor = createSelfSignedP12({ password: PASSWORD, org: 'Nova Home Care' });
  expired = createSelfSignedP12({ password: PASSWORD, validFrom: new Date(now - 730 * DAY), validTo: new Date(now - 365 * DAY) });
  expiringSoon = createSelfSignedP12({ password: PASSWORD, validFrom: new Date(now - 300 * DAY), validTo: new Date(now + 10 * DAY) });
  basePdf = await renderPdf({ title: 'Visit note', lines: ['Patient: Test Patient', 'Care plan reviewed and agreed.'] });
  signed = keep('valid', await signPdf(basePdf, { p12: nova.p12, password: PASSWORD, reason: 'Visit note' }));
}, 60_000); // key generation and signing: slow on a loaded machine

const sig = (report: PdfSignatureReport, n = 0): SignatureReport => {
  const s = report.signatures[n];
  if (!s) throw new Error(`no signature #${n + 1} in report:\n${formatReport(report)}`);
  return s;
};
const checkOf = (s: SignatureReport, name: string) => {
  const c = s.checks.find((x) => x.name === name);
  if (!c) throw new Error(`no check "${name}" in ${JSON.stringify(s.checks, null, 2)}`);
  return c;
};
const failedNames = (r: PdfSignatureReport) => r.signatures.flatMap((s) => s.checks.filter((c) => !c.ok).map((c) => c.name));

// --- building blocks for hand-made signatures --------------------------------

function withPlaceholder(pdf: Buffer, subFilter = 'adbe.pkcs7.detached'): Buffer {
  return plainAddPlaceholder({ pdfBuffer: pdf, reason: 'test', contactInfo: '', name: '', location: '', subFilter, signingTime: new Date() });
}

/**
 * What @signpdf's SignPdf.sign does, with hooks: rewrite the ranges, format the
 * ByteRange like another signer, and produce the CMS any way a case needs.
 */
async function manualSign(
  prepared: Buffer,
  makeCms: (covered: Buffer) => Promise<Buffer> | Buffer,
  hooks: { ranges?: (r: number[]) => number[]; format?: (r: number[]) => string } = {},
): Promise<Buffer> {
  const pdf = Buffer.from(prepared);
  const brStart = pdf.indexOf('/ByteRange [0 /**********');
  const brEnd = pdf.indexOf(']', brStart) + 1;
  const cs = pdf.indexOf('<', pdf.indexOf('/Contents ', brEnd));
  const ce = pdf.indexOf('>', cs) + 1;
  const natural = [0, cs, ce, pdf.length - ce];
  const ranges = hooks.ranges ? hooks.ranges(natural) : natural;
  const text = hooks.format ? hooks.format(ranges) : `/ByteRange [${ranges.join(' ')}]`;
  if (text.length > brEnd - brStart) throw new Error('ByteRange text does not fit the placeholder');
  pdf.write(text.padEnd(brEnd - brStart, ' '), brStart, 'latin1');
  const [a, b, c, d] = ranges as [number, number, number, number];
  const cms = await makeCms(Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]));
  const hex = cms.toString('hex');
  if (hex.length > ce - cs - 2) throw new Error('CMS does not fit the placeholder');
  pdf.write(hex, cs + 1, 'latin1');
  return pdf;
}

const p12Cms = (p: SelfSignedP12) => (covered: Buffer) => new P12Signer(p.p12, { passphrase: PASSWORD }).sign(covered);

/** A CMS SignedData built field by field, for the cases @signpdf cannot produce. */
function customCms(
  covered: Buffer,
  p: SelfSignedP12,
  opts: { sid?: 'issuerAndSerialNumber' | 'subjectKeyIdentifier'; messageDigest?: Buffer } = {},
): Buffer {
  const certDer = new X509Certificate(p.certPem).raw;
  const cert = pkijs.Certificate.fromBER(certDer);
  const attrs = [
    new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })] }),
    new pkijs.Attribute({ type: '1.2.840.113549.1.9.5', values: [new asn1js.UTCTime({ valueDate: new Date() })] }),
    new pkijs.Attribute({
      type: '1.2.840.113549.1.9.4',
      values: [new asn1js.OctetString({ valueHex: opts.messageDigest ?? createHash('sha256').update(covered).digest() })],
    }),
  ];
  // The signature covers the attributes as a SET OF, not as the [0] they are stored in.
  const toBeSigned = Buffer.from(new asn1js.Set({ value: attrs.map((a) => a.toSchema()) }).toBER());
  const signature = cryptoSign('sha256', toBeSigned, p.keyPem);
  const useSki = opts.sid === 'subjectKeyIdentifier';
  let sid: pkijs.IssuerAndSerialNumber | asn1js.Primitive;
  if (useSki) {
    const ext = cert.extensions?.find((e) => e.extnID === '2.5.29.14');
    if (!ext) throw new Error('test certificate has no subjectKeyIdentifier');
    const keyId = (asn1js.fromBER(ext.extnValue.valueBlock.valueHexView).result as asn1js.OctetString).valueBlock.valueHexView;
    sid = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: keyId });
  } else {
    sid = new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber });
  }
  const sha256Alg = () => new pkijs.AlgorithmIdentifier({ algorithmId: '2.16.840.1.101.3.4.2.1', algorithmParams: new asn1js.Null() });
  const signerInfo = new pkijs.SignerInfo({
    version: useSki ? 3 : 1,
    sid,
    digestAlgorithm: sha256Alg(),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.1', algorithmParams: new asn1js.Null() }),
    signature: new asn1js.OctetString({ valueHex: signature }),
  });
  const signedData = new pkijs.SignedData({
    version: useSki ? 3 : 1,
    digestAlgorithms: [sha256Alg()],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
    certificates: [cert],
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: signedData.toSchema(true) });
  return Buffer.from(contentInfo.toSchema().toBER());
}

/** A later revision (a new Info dictionary) appended the way incremental savers do. */
function appendIncrementalUpdate(pdf: Buffer): Buffer {
  const text = pdf.toString('latin1');
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  const size = Number(/\/Size\s+(\d+)/.exec(trailer)?.[1]);
  const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(trailer)?.[1];
  if (!prev || !size || !root) throw new Error('cannot read the trailer');
  const obj = `\n${size} 0 obj\n<< /Producer (edited after signing) >>\nendobj\n`;
  const xrefAt = pdf.length + obj.length;
  const xref =
    `xref\n${size} 1\n${String(pdf.length + 1).padStart(10, '0')} 00000 n \n` +
    `trailer\n<< /Size ${size + 1} /Root ${root} /Info ${size} 0 R /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(obj + xref, 'latin1')]);
}

/** Offset and DER length of the CMS inside the /Contents of the (only) signature. */
function cmsLocation(pdf: Buffer, report: PdfSignatureReport): { hexStart: number; derLength: number } {
  const hexStart = sig(report).byteRange[1]! + 1;
  const hexEnd = sig(report).byteRange[2]! - 1;
  const der = Buffer.from(pdf.toString('latin1', hexStart, hexEnd), 'hex');
  return { hexStart, derLength: asn1js.fromBER(new Uint8Array(der)).offset };
}

// --- cases --------------------------------------------------------------------

describe('validatePdfSignatures', () => {
  it('accepts a PDF signed by the expected certificate, fingerprint compared case- and colon-insensitively', async () => {
    const pinned = nova.sha256.toUpperCase().match(/../g)!.join(':');
    const r = await validatePdfSignatures(signed, { expectedSignerSha256: pinned });
    expect(r.verdict, formatReport(r)).toBe('valid');
    expect(r.problems).toEqual([]);
    const s = sig(r);
    expect(s.subFilter).toBe('adbe.pkcs7.detached');
    expect(s.coversWholeFile).toBe(true);
    expect(s.signer?.sha256).toBe(nova.sha256);
    expect(s.signer?.subject).toBe('CN=Nova Home Care, O=Nova Home Care');
    expect(s.signingTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(s.checks.every((c) => c.ok)).toBe(true);
    expect(s.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['ByteRange', 'covers whole file', 'CMS', 'content-type', 'messageDigest', 'signature', 'signer fingerprint', 'certificate valid now', 'certificate valid at signing time']),
    );
    expect(r.warnings).toEqual([]);
  });

  it('accepts a Uint8Array and warns with the fingerprint seen when none is pinned', async () => {
    const r = await validatePdfSignatures(new Uint8Array(signed));
    expect(r.verdict).toBe('valid');
    expect(r.warnings.join('\n')).toMatch(new RegExp(`no expected signer fingerprint.*${nova.sha256}`));
  });

  it('rejects a PDF with one byte changed in the covered range (messageDigest mismatch)', async () => {
    const tampered = Buffer.from(signed);
    // The /Reason string is covered and stays valid PDF syntax when one letter changes.
    const pos = tampered.indexOf('(Visit note)') + 7;
    expect(pos).toBeGreaterThan(7);
    tampered[pos] = 'm'.charCodeAt(0); // "Visit mote"
    keep('tampered-byte', tampered);
    const r = await validatePdfSignatures(tampered, { expectedSignerSha256: nova.sha256 });
    expect(r.verdict).toBe('invalid');
    expect(failedNames(r)).toEqual(['messageDigest']);
    expect(checkOf(sig(r), 'messageDigest').detail).toMatch(/messageDigest mismatch: the signed attribute says [0-9a-f]{64} but the sha256 of the covered bytes is [0-9a-f]{64}/);
  });

  it('rejects an incremental update appended after signing, even when allowed, since it changes the document information', async () => {
    const updated = keep('incremental-update', appendIncrementalUpdate(signed));
    const extra = updated.length - signed.length;
    const strict = await validatePdfSignatures(updated, { expectedSignerSha256: nova.sha256 });
    expect(strict.verdict).toBe('invalid');
    expect(failedNames(strict)).toEqual(['covers whole file']);
    expect(strict.problems.join('\n')).toMatch(new RegExp(`${extra} byte\\(s\\) after the signed range.*later incremental revision.*the document information \\(object \\d+\\): /CreationDate, /Creator`));
    expect(sig(strict).coversWholeFile).toBe(false);

    const lenient = await validatePdfSignatures(updated, { expectedSignerSha256: nova.sha256, allowIncrementalUpdates: true });
    expect(lenient.verdict).toBe('invalid');
    expect(lenient.problems.join('\n')).toMatch(/allows signature additions only/);
    expect(lenient.warnings.join('\n')).toMatch(/unsigned revision after the signature: changes: the document information/);
  });

  it('rejects a ByteRange whose gap is wider than /Contents even though the CMS matches the ranges', async () => {
    const gapped = keep(
      'byterange-gap',
      await manualSign(withPlaceholder(basePdf), p12Cms(nova), { ranges: ([a, b, c, d]) => [a!, b! - 16, c!, d!] }),
    );
    const r = await validatePdfSignatures(gapped, { expectedSignerSha256: nova.sha256 });
    expect(r.verdict).toBe('invalid');
    expect(failedNames(r)).toEqual(['ByteRange']);
    expect(checkOf(sig(r), 'ByteRange').detail).toMatch(/16 byte\(s\) before \/Contents are not covered/);
    expect(checkOf(sig(r), 'messageDigest').ok).toBe(true);
  });

  it('rejects a messageDigest that is not the digest of the covered bytes (validly signed attributes)', async () => {
    const wrong = createHash('sha256').update('some other document').digest();
    const pdf = keep('wrong-messagedigest', await manualSign(withPlaceholder(basePdf), (covered) => customCms(covered, nova, { messageDigest: wrong })));
    const r = await validatePdfSignatures(pdf, { expectedSignerSha256: nova.sha256 });
    expect(r.verdict).toBe('invalid');
    expect(failedNames(r)).toEqual(['messageDigest']);
    expect(checkOf(sig(r), 'messageDigest').detail).toMatch(new RegExp(`messageDigest mismatch: the signed attribute says ${wrong.toString('hex')}`));
    expect(checkOf(sig(r), 'signature').ok).toBe(true);
  });

  it('rejects a corrupted signature value', async () => {
    const good = await validatePdfSignatures(signed);
    const { hexStart, derLength } = cmsLocation(signed, good);
    const corrupted = Buffer.from(signed);
    const at = hexStart + (derLength - 8) * 2; // inside the RSA signature, the last field of the SignerInfo
    corrupted[at] = corrupted[at] === 0x30 ? 0x31 : 0x30;
    keep('corrupted-signature', corrupted);
    const r = await validatePdfSignatures(corrupted, { expectedSignerSha256: nova.sha256 });
    expect(r.verdict).toBe('invalid');
    expect(failedNames(r)).toEqual(['signature']);
    expect(checkOf(sig(r), 'signature').detail).toMatch(/does NOT verify with the signer certificate's public key/);
  });

  it('rejects a PDF signed by another certificate', async () => {
    const pdf = keep('other-signer', await signPdf(basePdf, { p12: other.p12, password: PASSWORD }));
    const r = await validatePdfSignatures(pdf, { expectedSignerSha256: nova.sha256 });
    expect(r.verdict).toBe('invalid');
    expect(failedNames(r)).toEqual(['signer fingerprint']);
    expect(r.problems[0]).toMatch(new RegExp(`expected the signer certificate SHA-256 ${nova.sha256}, saw ${other.sha256} \\(subject CN=Someone Else Ltd`));
  });

  it('rejects the same subject name with another key (fingerprint, not name, identifies the signer)', async () => {
    const pdf = keep('same-name-other-key', await signPdf(basePdf, { p12: impostor.p12, password: PASSWORD }));
    const r = await validatePdfSignatures(pdf, { expectedSignerSha256: nova.sha256 });
    expect(r.verdict).toBe('invalid');
    expect(sig(r).signer?.subject).toBe('CN=Nova Home Care, O=Nova Home Care');
    expect(failedNames(r)).toEqual(['signer fingerprint']);
    expect(r.problems[0]).toMatch(new RegExp(`saw ${impostor.sha256} \\(subject CN=Nova Home Care`));
  });

  it('rejects an expired certificate, saying that it failed both now and at the claimed signing time', async () => {
    const pdf = keep('expired-cert', await signPdf(basePdf, { p12: expired.p12, password: PASSWORD }));
    const r = await validatePdfSignatures(pdf, { expectedSignerSha256: expired.sha256 });
    expect(r.verdict).toBe('invalid');
    expect(failedNames(r).sort()).toEqual(['certificate valid at signing time', 'certificate valid now']);
    expect(checkOf(sig(r), 'certificate valid now').detail).toMatch(/has expired: now is .* it was valid .* to /);
    expect(checkOf(sig(r), 'certificate valid at signing time').detail).toMatch(/not valid at the claimed signing time .*\(signingTime attribute/);
  });

  it('says which validity check failed when only the claimed signing time was inside the period', async () => {
    const backdated = new Date(Date.now() - 500 * DAY);
    const pdf = await signPdf(basePdf, { p12: expired.p12, password: PASSWORD, signingTime: backdated });
    const r = await validatePdfSignatures(pdf, { expectedSignerSha256: expired.sha256 });
    expect(failedNames(r)).toEqual(['certificate valid now']);
    expect(checkOf(sig(r), 'certificate valid at signing time').detail).toMatch(/is within the certificate's validity/);
  });

  it('warns when the certificate expires within the warning window', async () => {
    const pdf = await signPdf(basePdf, { p12: expiringSoon.p12, password: PASSWORD });
    const r = await validatePdfSignatures(pdf, { expectedSignerSha256: expiringSoon.sha256 });
    expect(r.verdict).toBe('valid');
    expect(r.warnings.join('\n')).toMatch(/expires in (9|10) day\(s\).*threshold 30 days/);
    const quiet = await validatePdfSignatures(pdf, { expectedSignerSha256: expiringSoon.sha256, expiryWarningDays: 5 });
    expect(quiet.warnings).toEqual([]);
  });

  it('rejects an empty placeholder', async () => {
    const pdf = keep('empty-placeholder', withPlaceholder(basePdf));
    const r = await validatePdfSignatures(pdf);
    expect(r.verdict).toBe('invalid');
    expect(checkOf(sig(r), 'CMS').detail).toMatch(/empty placeholder: \/Contents holds only zeros/);
    expect(checkOf(sig(r), 'ByteRange').detail).toMatch(/placeholder .* never signed/);
  });

  it('says unsigned when there is no signature at all', async () => {
    const r = await validatePdfSignatures(keep('unsigned', basePdf));
    expect(r.verdict).toBe('unsigned');
    expect(r.signatures).toEqual([]);
    expect(r.problems[0]).toMatch(/no signature dictionary/);
  });

  it('parses a pyHanko-style ByteRange (space after the bracket, zero-padded numbers)', async () => {
    const pad = (n: number) => String(n).padStart(8, '0');
    const pdf = keep(
      'pyhanko-byterange',
      await manualSign(withPlaceholder(basePdf), p12Cms(nova), { format: (r) => `/ByteRange [ ${r.map(pad).join(' ')} ]` }),
    );
    expect(pdf.toString('latin1')).toMatch(/\/ByteRange \[ 00000000 \d{8} \d{8} \d{8} \]/);
    const r = await validatePdfSignatures(pdf, { expectedSignerSha256: nova.sha256 });
    expect(r.verdict, formatReport(r)).toBe('valid');
    expect(sig(r).byteRange[0]).toBe(0);
    expect(sig(r).byteRange[3]).toBeGreaterThan(0);
  });

  it('finds the signer by SubjectKeyIdentifier', async () => {
    const pdf = keep(
      'ski-signer',
      await manualSign(withPlaceholder(basePdf), (covered) => customCms(covered, nova, { sid: 'subjectKeyIdentifier' })),
    );
    const r = await validatePdfSignatures(pdf, { expectedSignerSha256: nova.sha256 });
    expect(r.verdict, formatReport(r)).toBe('valid');
    expect(checkOf(sig(r), 'signature').detail).toMatch(/signer found by subjectKeyIdentifier/);
  });

  it('reports each of two signatures; only the last covers the whole file, the revision between only adds a signature', async () => {
    const twice = keep('two-signatures', await signPdf(signed, { p12: nova.p12, password: PASSWORD, reason: 'Countersigned' }));
    const r = await validatePdfSignatures(twice, { expectedSignerSha256: nova.sha256 });
    expect(r.verdict, formatReport(r)).toBe('valid');
    expect(r.signatures.map((s) => [s.index, s.coversWholeFile])).toEqual([[1, false], [2, true]]);
    expect(checkOf(sig(r, 0), 'changes after signing').detail).toMatch(
      /none: the later revision \(bytes \d+–\d+, signed by signature #2\) only adds a signature \(signature dictionary \d+; new signature field \d+ \(Signature2\); AcroForm \d+: \/Fields changed .*; page \d+: \/Annots gained signature widget/,
    );
    const text = formatReport(r);
    expect(text).toMatch(/covers whole file: no \(a later signature covers the rest\)/);
    expect(text).not.toMatch(/✓ covers whole file: no/);
  });

  it('accepts the ETSI.CAdES.detached SubFilter', async () => {
    const pdf = keep('cades-subfilter', await signPdf(basePdf, { p12: nova.p12, password: PASSWORD, subFilter: 'ETSI.CAdES.detached' }));
    const r = await validatePdfSignatures(pdf, { expectedSignerSha256: nova.sha256 });
    expect(r.verdict, formatReport(r)).toBe('valid');
    expect(sig(r).subFilter).toBe('ETSI.CAdES.detached');
  });

  it('formats a readable report with ✓/✗ per check and the warnings', async () => {
    const r = await validatePdfSignatures(appendIncrementalUpdate(signed), { allowIncrementalUpdates: true });
    const text = formatReport(r);
    expect(text).toMatch(/^PDF signature verdict: INVALID \(1 signature\(s\)\)/);
    expect(text).toMatch(/✓ messageDigest: /);
    expect(text).toMatch(/issuer: {2}self-signed/);
    expect(text).toMatch(/Warnings:\n {2}! Signature #1: /);
    const bad = formatReport(await validatePdfSignatures(withPlaceholder(basePdf)));
    expect(bad).toMatch(/✗ CMS: empty placeholder/);
  });
});

describe('sha256Hex', () => {
  it('is the lowercase hex SHA-256', () => {
    expect(sha256Hex(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new TextEncoder().encode('abc').buffer as ArrayBuffer)).toBe(sha256Hex(Buffer.from('abc')));
  });
});

describe('signPdf and renderPdf', () => {
  it('throws a clear error for a wrong p12 password', async () => {
    await expect(signPdf(basePdf, { p12: nova.p12, password: 'wrong' })).rejects.toThrow(/wrong password for the PKCS#12/);
  });

  it('throws a clear error for an unreadable p12', async () => {
    await expect(signPdf(basePdf, { p12: Buffer.from('not a p12'), password: PASSWORD })).rejects.toThrow(/PKCS#12 \(\.p12\) file is unreadable/);
    await expect(signPdf(basePdf, { p12: Buffer.alloc(0), password: PASSWORD })).rejects.toThrow(/empty or missing/);
  });

  it('throws a clear error when the input is not a PDF it can sign', async () => {
    await expect(signPdf(Buffer.from('hello'), { p12: nova.p12, password: PASSWORD })).rejects.toThrow(/cannot add a signature placeholder/);
  });

  it('pads a rendered PDF to about the requested size', async () => {
    const pdf = await renderPdf({ title: 'Big', lines: ['x'], padToBytes: 300_000 });
    expect(pdf.length).toBeGreaterThan(290_000);
    expect(pdf.length).toBeLessThan(310_000);
  });
});
