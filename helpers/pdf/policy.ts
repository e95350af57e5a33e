/**
 * The policy: what makes a PDF's signatures valid (docs/targets/nova-home-care.md,
 * "Signed PDFs"). Each signature is judged check by check; the PDF is valid
 * only when every check of every signature holds.
 */
import { createHash, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { isSelfSigned, parsePemBundle, validateChain } from './chain.ts';
import { attributeValue, DIGESTS, essSigningCertificate, findSignerCertificate, OID, parseSignedData, rdnString, toBuf, verifySignature } from './cms.ts';
import { analyseUpdate, type UpdateAnalysis } from './revisions.ts';
import { parsePdfDate, pdfText, scanPdf, type DictValue, type PdfLayout, type PdfValue } from './syntax.ts';

export type Verdict = 'valid' | 'invalid' | 'unsigned';

export interface SignatureCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface SignerSummary {
  subject: string;
  issuer: string;
  /** Lowercase hex SHA-256 of the DER certificate. */
  sha256: string;
  notBefore: string;
  notAfter: string;
  /** Issued by itself (and its signature verifies with its own key). */
  selfSigned: boolean;
  /** Subjects from the signer to the trusted CA, when a CA bundle was given and the chain was built. */
  chain?: string[];
  /** The pinned fingerprint it matched, when one did. */
  matchedPin?: string;
}

export interface SignatureReport {
  /** 1-based, in file order (= revision order for incremental updates). */
  index: number;
  subFilter: string;
  byteRange: number[];
  checks: SignatureCheck[];
  signer?: SignerSummary;
  /** ISO time the signer claims (signingTime attribute, else the /M entry). */
  signingTime?: string;
  coversWholeFile: boolean;
}

export interface PdfSignatureReport {
  verdict: Verdict;
  signatures: SignatureReport[];
  problems: string[];
  warnings: string[];
}

export interface ValidateOptions {
  /**
   * SHA-256 of the expected signer certificate, or several (certificate
   * rotation): every signature must match one of them, or chain to the CA bundle.
   */
  expectedSignerSha256?: string | readonly string[];
  /** PEM bundle of the CA certificate(s) whose issued certificates may sign (SMOKE_SIGNER_CA_FILE). */
  caCertificatesPem?: string;
  /**
   * An unsigned revision after the last signature is reported, and passes when
   * it holds only what adding a signature does (a prepared signature field, a DSS).
   */
  allowIncrementalUpdates?: boolean;
  /** Larger inputs are refused (default 64 MiB). */
  maxBytes?: number;
  now?: Date;
  expiryWarningDays?: number;
}

export function sha256Hex(bytes: Uint8Array | ArrayBuffer): string {
  return createHash('sha256')
    .update(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes)
    .digest('hex');
}

/** Lowercase hex without separators, so `AB:CD…` and `abcd…` compare equal. */
export function normalizeFingerprint(fp: string): string {
  return fp.replace(/[\s:]/g, '').toLowerCase();
}

const DAY_MS = 86_400_000;
const ACCEPTED_SUBFILTERS = ['adbe.pkcs7.detached', 'ETSI.CAdES.detached'];

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

interface Context {
  buf: Buffer;
  layout: PdfLayout;
  opts: ValidateOptions;
  pins: string[];
  anchors?: X509Certificate[];
  now: Date;
  warnings: string[];
}

/** Collects one signature's checks and warnings. */
class Judge {
  readonly checks: SignatureCheck[] = [];
  constructor(
    private readonly ctx: Context,
    private readonly index: number,
  ) {}
  check(name: string, ok: boolean, detail: string): void {
    this.checks.push({ name, ok, detail });
  }
  warn(w: string): void {
    this.ctx.warnings.push(`Signature #${this.index}: ${w}`);
  }
}

function checkSubFilter(j: Judge, dict: DictValue): string {
  const v = dict.entries.get('SubFilter');
  const subFilter = v?.kind === 'name' ? v.value : '(none)';
  const ok = ACCEPTED_SUBFILTERS.includes(subFilter);
  j.check(
    'SubFilter',
    ok,
    ok ? `/SubFilter /${subFilter}` : `expected /adbe.pkcs7.detached or /ETSI.CAdES.detached, saw ${subFilter === '(none)' ? 'no /SubFilter' : `/${subFilter}`}`,
  );
  return subFilter;
}

const itemText = (i: PdfValue) => (i.kind === 'name' ? `/${i.value}` : i.kind === 'number' ? i.text : i.kind);

/** Two ranges from byte 0 whose gap is exactly the /Contents hex string. Returns the numbers read and where the range ends. */
function checkByteRange(j: Judge, dict: DictValue, fileLength: number): { byteRange: number[]; rangeEnd?: number } {
  const contents = dict.entries.get('Contents');
  const br = dict.entries.get('ByteRange');
  const byteRange: number[] = [];
  const fail = (detail: string) => {
    j.check('ByteRange', false, detail);
    return { byteRange };
  };
  if (br?.kind !== 'array') return fail(`expected /ByteRange to be an array of four numbers, saw a ${br?.kind ?? 'missing value'}`);
  if (br.items.some((i) => i.kind === 'name')) {
    return fail(`/ByteRange still holds the signer's placeholder [${br.items.map(itemText).join(' ')}]: the document was prepared for signing but never signed`);
  }
  if (!br.items.every((i) => i.kind === 'number' && Number.isSafeInteger(i.value) && i.value >= 0)) {
    return fail(`expected /ByteRange to hold non-negative integers only, saw [${br.items.map(itemText).join(' ')}]`);
  }
  byteRange.push(...br.items.map((i) => (i as { value: number }).value));
  if (byteRange.length !== 4) {
    return fail(`expected exactly two ranges (4 numbers) in /ByteRange, saw ${byteRange.length} number(s): [${byteRange.join(' ')}]`);
  }
  const [a, b, c, d] = byteRange as [number, number, number, number];
  const issues: string[] = [];
  if (a !== 0) issues.push(`the first range starts at byte ${a}, expected 0`);
  if (c < a + b) issues.push(`the second range (from ${c}) starts before the first one ends (${a + b})`);
  if (c + d > fileLength) issues.push(`the second range ends at byte ${c + d}, beyond the end of the file (${fileLength} bytes)`);
  if (contents?.kind === 'hex') {
    const { start: cs, end: ce } = contents;
    if (a + b !== cs || c !== ce) {
      const parts = [`the gap between the ranges is bytes ${a + b}–${c} but the /Contents hex string <…> spans bytes ${cs}–${ce}`];
      if (a + b < cs) parts.push(`${cs - (a + b)} byte(s) before /Contents are not covered`);
      if (c > ce) parts.push(`${c - ce} byte(s) after /Contents are not covered`);
      if (a + b > cs || c < ce) parts.push('the ranges overlap the /Contents string');
      issues.push(parts.join('; '));
    }
  } else {
    issues.push(`/Contents is not a hex string (${contents?.kind ?? 'missing'}), so the gap cannot be checked`);
  }
  const ok = issues.length === 0;
  j.check(
    'ByteRange',
    ok,
    ok
      ? `[${byteRange.join(' ')}]: two ranges from byte 0, the gap is exactly the /Contents hex string (bytes ${a + b}–${c})`
      : `[${byteRange.join(' ')}]: ${issues.join('; ')}`,
  );
  return { byteRange, rangeEnd: c + d };
}

function checkCms(j: Judge, dict: DictValue): { signed?: pkijs.SignedData; signerInfo?: pkijs.SignerInfo } {
  const contents = dict.entries.get('Contents');
  if (contents?.kind !== 'hex') {
    j.check('CMS', false, `expected /Contents to be a hex string holding the CMS, saw ${contents?.kind ?? 'nothing'}`);
    return {};
  }
  const parsed = parseSignedData(contents.hex);
  parsed.warnings.forEach((w) => j.warn(w));
  j.check('CMS', Boolean(parsed.signerInfo), parsed.detail);
  return parsed;
}

/** content-type and messageDigest signed attributes against the covered bytes. */
function checkSignedAttributes(j: Judge, signerInfo: pkijs.SignerInfo, buf: Buffer, byteRange: number[]): void {
  const digestOid = signerInfo.digestAlgorithm.algorithmId;
  const digestName = DIGESTS[digestOid];
  j.check(
    'digest algorithm',
    Boolean(digestName) && digestName !== 'sha1',
    !digestName
      ? `unsupported digest algorithm ${digestOid} in the SignerInfo`
      : digestName === 'sha1'
        ? `the digest algorithm is SHA-1 (${digestOid}), which is rejected: collisions are practical, a signed SHA-1 digest no longer pins the document`
        : `${digestName} (${digestOid})`,
  );
  if (!signerInfo.signedAttrs) {
    // Legal CMS (RFC 5652, 5.4): the signature is then over the covered bytes themselves, verified below.
    j.check('content-type', true, 'no signed attributes: the content type is implied (id-data)');
    j.check('messageDigest', true, 'no signed attributes: the signature value is over the covered bytes directly (see the signature check)');
    return;
  }
  const ct = attributeValue(signerInfo, OID.contentType);
  const ctOid = ct instanceof asn1js.ObjectIdentifier ? ct.getValue() : undefined;
  j.check(
    'content-type',
    ctOid === OID.data,
    ctOid === OID.data
      ? `content-type attribute is id-data (${OID.data})`
      : `expected the content-type attribute to be id-data (${OID.data}), saw ${ctOid ?? 'no content-type attribute'}`,
  );
  const md = attributeValue(signerInfo, OID.messageDigest);
  const claimed = md instanceof asn1js.OctetString ? toBuf(md.valueBlock.valueHexView).toString('hex') : undefined;
  if (!digestName) return j.check('messageDigest', false, `unsupported digest algorithm ${digestOid} in the SignerInfo`);
  if (claimed === undefined) return j.check('messageDigest', false, 'the signed attributes carry no messageDigest attribute');
  if (byteRange.length !== 4) return j.check('messageDigest', false, 'cannot compute the digest of the covered bytes: the ByteRange is unusable');
  const actual = coveredDigest(buf, byteRange, digestName).toString('hex');
  j.check(
    'messageDigest',
    actual === claimed,
    actual === claimed
      ? `messageDigest attribute equals the ${digestName} of the covered bytes (${actual})`
      : `messageDigest mismatch: the signed attribute says ${claimed} but the ${digestName} of the covered bytes is ${actual} (the covered bytes changed after signing, or the signer hashed other data)`,
  );
}

function coveredDigest(buf: Buffer, byteRange: number[], digestName: string): Buffer {
  const [a, b, c, d] = byteRange as [number, number, number, number];
  return createHash(digestName)
    .update(buf.subarray(a, Math.min(buf.length, a + b)))
    .update(buf.subarray(c, Math.min(buf.length, c + d)))
    .digest();
}

function checkSignatureValue(j: Judge, signerInfo: pkijs.SignerInfo, certDer: Buffer, how: string, buf: Buffer, byteRange: number[]): void {
  const digestName = DIGESTS[signerInfo.digestAlgorithm.algorithmId];
  if (!digestName) return j.check('signature', false, 'cannot verify: unsupported digest algorithm');
  let data: Buffer;
  let over: string;
  if (signerInfo.signedAttrs) {
    data = toBuf(signerInfo.signedAttrs.encodedValue);
    over = 'the signed attributes';
  } else if (byteRange.length === 4) {
    const [a, b, c, d] = byteRange as [number, number, number, number];
    data = Buffer.concat([buf.subarray(a, Math.min(buf.length, a + b)), buf.subarray(c, Math.min(buf.length, c + d))]);
    over = 'the covered bytes (no signed attributes)';
  } else {
    return j.check('signature', false, 'cannot verify: no signed attributes and the ByteRange is unusable');
  }
  try {
    const r = verifySignature(signerInfo, data, certDer, digestName, over);
    j.check('signature', r.ok, `${r.detail} (signer found by ${how.split(' (')[0]})`);
    if (r.hash === 'sha1') {
      j.check('signature algorithm', false, `the signature algorithm (${signerInfo.signatureAlgorithm.algorithmId}) hashes with SHA-1, which is rejected`);
    }
  } catch (err) {
    j.check('signature', false, `cannot verify the signature value: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** RFC 2634 / RFC 5035: when the signer names its certificate in a signed attribute, it must be the one that verified. */
function checkEssCertificate(j: Judge, signerInfo: pkijs.SignerInfo, cert: pkijs.Certificate, certDer: Buffer): void {
  const ess = essSigningCertificate(signerInfo);
  if (!ess) return;
  if ('error' in ess) return j.check('signing-certificate attribute', false, ess.error);
  if (!ess.hashName) return j.check('signing-certificate attribute', false, `the ${ess.attribute} attribute uses an unknown hash algorithm ${ess.hashOid}`);
  const actual = createHash(ess.hashName).update(certDer).digest();
  const serial = toBuf(cert.serialNumber.valueBlock.valueHexView);
  const problems: string[] = [];
  if (!actual.equals(ess.hash)) {
    problems.push(`its certHash is ${ess.hash.toString('hex')} but the ${ess.hashName} of the certificate that verified the signature is ${actual.toString('hex')}`);
  }
  if (ess.serial && !ess.serial.equals(serial)) problems.push(`its serial number ${ess.serial.toString('hex')} is not the certificate's ${serial.toString('hex')}`);
  j.check(
    'signing-certificate attribute',
    problems.length === 0,
    problems.length === 0
      ? `the ${ess.attribute} attribute names the certificate that verified the signature (${ess.hashName} ${actual.toString('hex')})`
      : `the ${ess.attribute} attribute names another certificate than the one that verified the signature: ${problems.join('; ')}`,
  );
}

/**
 * The expected signer: one of the pinned fingerprints, or a chain to the CA
 * bundle; with both, either suffices (a rotation from a self-signed to a
 * commercial certificate). Fills in the summary's issuer facts.
 */
function checkSigner(j: Judge, ctx: Context, signer: SignerSummary, certDer: Buffer, cmsCerts: Buffer[], signingTime: Date | undefined): void {
  const { sha256 } = signer;
  const { pins, anchors } = ctx;
  const leaf = new X509Certificate(certDer);
  signer.selfSigned = isSelfSigned(leaf);
  const kind = signer.selfSigned ? 'self-signed' : `issued by ${signer.issuer}`;
  const matched = pins.findIndex((p) => p === sha256);
  if (matched >= 0) signer.matchedPin = pins[matched];
  const pinText =
    matched >= 0
      ? `signer certificate SHA-256 is the expected ${sha256} (pin ${matched + 1} of ${pins.length}; ${signer.subject}, ${kind})`
      : `expected the signer certificate SHA-256 ${pins.length === 1 ? pins[0] : `to be one of ${pins.join(', ')}`}, saw ${sha256} (subject ${signer.subject}, issuer ${signer.issuer}, ${kind}): another certificate or key signed this`;
  let chainText: string | undefined;
  let chainOk = false;
  if (anchors) {
    const intermediates = cmsCerts.filter((d) => !d.equals(certDer)).map((d) => new X509Certificate(d));
    const times = [{ label: 'now', at: ctx.now }, ...(signingTime ? [{ label: 'the claimed signing time', at: signingTime }] : [])];
    const r = validateChain(leaf, intermediates, anchors, times);
    if (r.ok) signer.chain = r.chain;
    chainOk = r.ok;
    chainText = r.detail;
  }
  if (pins.length && !anchors) return j.check('signer fingerprint', matched >= 0, pinText);
  if (anchors && !pins.length) return j.check('certificate chain', chainOk, chainText!);
  if (anchors && pins.length) {
    const ok = matched >= 0 || chainOk;
    return j.check('signer', ok, `${ok ? (matched >= 0 ? 'pinned' : 'issued by the trusted CA') : 'neither pinned nor issued by the trusted CA'}: ${pinText}; ${chainText}`);
  }
  j.warn(`no expected signer fingerprint given; the signer certificate (${signer.subject}, ${kind}) has SHA-256 ${sha256}: pin it to check the signer`);
}

/** Validity now and at the claimed signing time (the signer's own word, not proof). Returns the claimed time. */
function checkValidity(j: Judge, ctx: Context, cert: pkijs.Certificate, signerInfo: pkijs.SignerInfo, dict: DictValue): Date | undefined {
  const { now, opts } = ctx;
  const notBefore = cert.notBefore.value;
  const notAfter = cert.notAfter.value;
  const within = (t: Date) => t.getTime() >= notBefore.getTime() && t.getTime() <= notAfter.getTime();
  const period = `valid ${notBefore.toISOString()} to ${notAfter.toISOString()}`;
  j.check(
    'certificate valid now',
    within(now),
    within(now)
      ? `now (${now.toISOString()}) is within the certificate's validity (${period})`
      : now < notBefore
        ? `the signer certificate is not yet valid now (${now.toISOString()}; ${period})`
        : `the signer certificate has expired: now is ${now.toISOString()}, it was ${period}`,
  );
  const { time: signingTime, source } = claimedSigningTime(signerInfo, dict);
  if (signingTime) {
    j.check(
      'certificate valid at signing time',
      within(signingTime),
      within(signingTime)
        ? `the claimed signing time ${signingTime.toISOString()} (${source}) is within the certificate's validity (${period})`
        : `the certificate was not valid at the claimed signing time ${signingTime.toISOString()} (${source}; ${period})`,
    );
    if (signingTime.getTime() > now.getTime() + 5 * 60_000) j.warn(`the claimed signing time ${signingTime.toISOString()} is in the future`);
  } else {
    j.check('certificate valid at signing time', true, 'no signing time claimed (no signingTime attribute, no /M): only the validity now is checked');
  }
  const days = (notAfter.getTime() - now.getTime()) / DAY_MS;
  const warnDays = opts.expiryWarningDays ?? 30;
  if (days >= 0 && days <= warnDays) {
    j.warn(`the signer certificate expires in ${Math.floor(days)} day(s), on ${notAfter.toISOString()} (warning threshold ${warnDays} days)`);
  }
  return signingTime;
}

function claimedSigningTime(signerInfo: pkijs.SignerInfo, dict: DictValue): { time?: Date; source: string } {
  const st = attributeValue(signerInfo, OID.signingTime);
  if (st instanceof asn1js.UTCTime || st instanceof asn1js.GeneralizedTime) return { time: st.toDate(), source: 'signingTime attribute' };
  return { time: parsePdfDate(pdfText(dict.entries.get('M'))), source: '/M entry of the signature dictionary' };
}

function validateOne(ctx: Context, dict: DictValue, index: number): SignatureReport & { rangeEnd?: number } {
  const { buf } = ctx;
  const j = new Judge(ctx, index);
  const subFilter = checkSubFilter(j, dict);
  const { byteRange, rangeEnd } = checkByteRange(j, dict, buf.length);
  const { signed, signerInfo } = checkCms(j, dict);
  let signer: SignerSummary | undefined;
  let signingTime: Date | undefined;
  if (signed && signerInfo) {
    checkSignedAttributes(j, signerInfo, buf, byteRange);
    const { cert, how } = findSignerCertificate(signed, signerInfo);
    if (!cert) {
      j.check('signer certificate', false, `the signer certificate named by ${how} is not among the ${signed.certificates?.length ?? 0} certificate(s) in the CMS`);
    } else {
      const certDer = toBuf(cert.toSchema().toBER(false));
      signer = {
        subject: rdnString(cert.subject),
        issuer: rdnString(cert.issuer),
        sha256: sha256Hex(certDer),
        notBefore: cert.notBefore.value.toISOString(),
        notAfter: cert.notAfter.value.toISOString(),
        selfSigned: false,
      };
      checkSignatureValue(j, signerInfo, certDer, how, buf, byteRange);
      checkEssCertificate(j, signerInfo, cert, certDer);
      const cmsCerts = (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate).map((c) => toBuf(c.toSchema().toBER(false)));
      signingTime = claimedSigningTime(signerInfo, dict).time;
      checkSigner(j, ctx, signer, certDer, cmsCerts, signingTime);
      signingTime = checkValidity(j, ctx, cert, signerInfo, dict);
    }
    if (signerInfo.unsignedAttrs?.attributes.some((a) => a.type === OID.timeStampToken)) {
      j.warn('the signature carries an RFC 3161 timestamp token, which this validator does not verify');
    }
  }
  return {
    index,
    subFilter,
    byteRange,
    checks: j.checks,
    ...(signer ? { signer } : {}),
    ...(signingTime ? { signingTime: signingTime.toISOString() } : {}),
    coversWholeFile: rangeEnd === buf.length,
    rangeEnd,
  };
}

/** Where the revision a byte offset falls in ends: just after its %%EOF (and line end), or undefined past the last one. */
function revisionEndAfter(buf: Buffer, layout: PdfLayout, pos: number): number | undefined {
  const eof = layout.eofs.find((e) => e >= pos - 2);
  if (eof === undefined) return undefined;
  let end = eof;
  while (end < buf.length && (buf[end] === 0x0d || buf[end] === 0x0a) && end - eof < 2) end++;
  return end;
}

function describeUpdate(a: UpdateAnalysis): string {
  const parts: string[] = [];
  if (a.changes.length) parts.push(`changes: ${a.changes.join('; ')}`);
  if (a.harmless.length) parts.push(`signature additions: ${a.harmless.join('; ')}`);
  return parts.join('; ') || 'no object changes';
}

/**
 * Revisions: each signature's range must end where its revision ends (its
 * %%EOF). What later revisions change is compared with what it signed; only
 * what adding a signature needs may differ. Only the last signature may reach
 * the end of the file; an unsigned tail after it fails unless allowed, and
 * even then only when it holds signature additions alone.
 */
function judgeRevisions(ctx: Context, results: (SignatureReport & { rangeEnd?: number })[]): void {
  const { buf, opts, layout } = ctx;
  results.forEach((r, i) => {
    const next = results[i + 1];
    // Shown right after the ByteRange check, where a reader looks for it.
    const add = (c: SignatureCheck) => r.checks.splice(r.checks.findIndex((x) => x.name === 'ByteRange') + 1, 0, c);
    if (r.rangeEnd === undefined) return add({ name: 'covers whole file', ok: false, detail: 'unknown: the ByteRange is unusable' });
    const after = buf.length - r.rangeEnd;
    if (after < 0) return add({ name: 'covers whole file', ok: false, detail: `the ByteRange ends ${-after} byte(s) beyond the end of the file` });
    if (after > 0) {
      const ownEnd = revisionEndAfter(buf, layout, r.rangeEnd);
      const before = buf.toString('latin1', Math.max(0, r.rangeEnd - 8), r.rangeEnd).trimEnd();
      if (!before.endsWith('%%EOF')) {
        return add({
          name: 'covers whole file',
          ok: false,
          detail:
            `the signed range stops at byte ${r.rangeEnd}, ${ownEnd === undefined ? 'not at the end of a revision' : `${ownEnd - r.rangeEnd} byte(s) before the %%EOF that ends its revision (byte ${ownEnd})`}: ` +
            `the end of its own revision (its cross-reference section and trailer) is not signed`,
        });
      }
    }
    if (next) {
      if (after === 0) {
        return add({ name: 'covers whole file', ok: false, detail: `covers the whole file although signature #${next.index} comes later in the file: only the last signature may cover the whole file` });
      }
      const to = next.rangeEnd ?? buf.length;
      const update = analyseUpdate(layout, buf, r.rangeEnd, Math.max(to, r.rangeEnd));
      const span = `bytes ${r.rangeEnd}–${to}, signed by signature #${next.index}`;
      return add(
        update.changes.length === 0
          ? { name: 'changes after signing', ok: true, detail: `none: the later revision (${span}) only adds a signature (${update.harmless.join('; ') || 'no object changes'})` }
          : {
              name: 'changes after signing',
              ok: false,
              detail: `the document was changed after this signature and before signature #${next.index} (${span}): ${update.changes.join('; ')}; a later signature does not make earlier signers agree to changes`,
            },
      );
    }
    if (after === 0) return add({ name: 'covers whole file', ok: true, detail: `the second range ends at the end of the file (${buf.length} bytes)` });
    const update = analyseUpdate(layout, buf, r.rangeEnd, buf.length);
    const detail = `${after} byte(s) after the signed range (ends at ${r.rangeEnd}, file is ${buf.length} bytes): a later incremental revision that no signature covers; it holds ${describeUpdate(update)}`;
    if (!opts.allowIncrementalUpdates) return add({ name: 'covers whole file', ok: false, detail });
    const ok = update.changes.length === 0;
    add({ name: 'covers whole file', ok, detail: ok ? `${detail} (allowed: signature additions only)` : `${detail} (allowIncrementalUpdates allows signature additions only)` });
    ctx.warnings.push(`Signature #${r.index}: unsigned revision after the signature: ${describeUpdate(update)}`);
  });
}

/** A signature dictionary that is there but does not parse: invalid, not "unsigned". */
function malformedReport(m: PdfLayout['malformed'][number], index: number): SignatureReport & { rangeEnd?: number } {
  return {
    index,
    subFilter: '(unreadable)',
    byteRange: [],
    checks: [
      {
        name: 'signature dictionary',
        ok: false,
        detail: `object ${m.num} ${m.gen} at byte ${m.start} names /ByteRange, so it is a signature dictionary, but it is malformed: ${m.error}`,
      },
    ],
    coversWholeFile: false,
  };
}

export async function validatePdfSignatures(pdf: Uint8Array | Buffer, opts: ValidateOptions = {}): Promise<PdfSignatureReport> {
  const buf = Buffer.isBuffer(pdf) ? pdf : Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (buf.length > maxBytes) {
    return {
      verdict: 'invalid',
      signatures: [],
      problems: [`the file is ${buf.length} bytes, over the validator's limit of ${maxBytes} bytes (maxBytes): not validated`],
      warnings: [],
    };
  }
  const pinList = typeof opts.expectedSignerSha256 === 'string' ? [opts.expectedSignerSha256] : [...(opts.expectedSignerSha256 ?? [])];
  const ctx: Context = {
    buf,
    layout: scanPdf(buf),
    opts,
    pins: pinList.map(normalizeFingerprint).filter(Boolean),
    ...(opts.caCertificatesPem !== undefined ? { anchors: parsePemBundle(opts.caCertificatesPem) } : {}),
    now: opts.now ?? new Date(),
    warnings: [],
  };
  const found = [
    ...ctx.layout.signatureDicts.map((d) => ({ start: d.start, dict: d as DictValue | undefined, malformed: undefined })),
    ...ctx.layout.malformed.filter((m) => m.signatureLike).map((m) => ({ start: m.start, dict: undefined, malformed: m })),
  ].sort((a, b) => a.start - b.start);
  if (found.length === 0) {
    return { verdict: 'unsigned', signatures: [], problems: ['the PDF carries no signature dictionary (/ByteRange + /Contents)'], warnings: [] };
  }
  const results = found.map((f, i) => (f.dict ? validateOne(ctx, f.dict, i + 1) : malformedReport(f.malformed!, i + 1)));
  judgeRevisions(ctx, results.filter((r) => r.subFilter !== '(unreadable)'));
  const signatures: SignatureReport[] = results.map(({ rangeEnd: _unused, ...r }) => r);
  const problems = signatures.flatMap((s) => s.checks.filter((c) => !c.ok).map((c) => `Signature #${s.index}: ${c.name}: ${c.detail}`));
  return { verdict: problems.length ? 'invalid' : 'valid', signatures, problems, warnings: ctx.warnings };
}
