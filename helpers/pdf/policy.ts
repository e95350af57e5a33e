/**
 * The policy: what makes a PDF's signatures valid (docs/targets/nova-home-care.md,
 * "Signed PDFs"). Each signature is judged check by check; the PDF is valid
 * only when every check of every signature holds.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { attributeValue, DIGESTS, findSignerCertificate, OID, parseSignedData, rdnString, toBuf, verifySignedAttrs } from './cms.ts';
import { findSignatureDictionaries, parsePdfDate, pdfText, type DictValue, type PdfValue } from './syntax.ts';

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
  /** SHA-256 of the expected signer certificate; every signature must match it. */
  expectedSignerSha256?: string;
  /** Bytes after the last signature (a later unsigned revision) are reported but not a failure. */
  allowIncrementalUpdates?: boolean;
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

interface Context {
  buf: Buffer;
  opts: ValidateOptions;
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
  if (!signerInfo.signedAttrs) {
    j.check('content-type', false, 'the SignerInfo has no signed attributes, so there is no content-type attribute (expected id-data)');
    j.check('messageDigest', false, 'the SignerInfo has no signed attributes, so there is no messageDigest to compare with the covered bytes');
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
  if (digestName === 'sha1') j.warn('the digest algorithm is SHA-1, which is no longer considered secure');
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

function checkSignatureValue(j: Judge, signerInfo: pkijs.SignerInfo, certDer: Buffer, how: string): void {
  const digestName = DIGESTS[signerInfo.digestAlgorithm.algorithmId];
  if (!signerInfo.signedAttrs || !digestName) {
    return j.check('signature', false, 'cannot verify: no signed attributes or an unsupported digest algorithm');
  }
  try {
    const r = verifySignedAttrs(signerInfo, toBuf(signerInfo.signedAttrs.encodedValue), certDer, digestName);
    j.check('signature', r.ok, `${r.detail} (signer found by ${how.split(' (')[0]})`);
  } catch (err) {
    j.check('signature', false, `cannot verify the signature value: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function checkPinnedSigner(j: Judge, opts: ValidateOptions, signer: SignerSummary): void {
  const { sha256 } = signer;
  if (!opts.expectedSignerSha256) {
    return j.warn(`no expected signer fingerprint given; the signer certificate (${signer.subject}) has SHA-256 ${sha256}: pin it to check the signer`);
  }
  const expected = normalizeFingerprint(opts.expectedSignerSha256);
  j.check(
    'signer fingerprint',
    expected === sha256,
    expected === sha256
      ? `signer certificate SHA-256 is the expected ${sha256} (${signer.subject})`
      : `expected the signer certificate SHA-256 ${expected}, saw ${sha256} (subject ${signer.subject}, issuer ${signer.issuer}): another certificate or key signed this`,
  );
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
  const { buf, opts } = ctx;
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
      };
      checkSignatureValue(j, signerInfo, certDer, how);
      checkPinnedSigner(j, opts, signer);
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

/**
 * Coverage: only the last signature may reach the end of the file; the bytes
 * after an earlier one are the later revisions its successors sign.
 */
function judgeCoverage(ctx: Context, results: (SignatureReport & { rangeEnd?: number })[]): void {
  const { buf, opts } = ctx;
  results.forEach((r, i) => {
    const isLast = i === results.length - 1;
    // Shown right after the ByteRange check, where a reader looks for it.
    const add = (c: SignatureCheck) => r.checks.splice(r.checks.findIndex((x) => x.name === 'ByteRange') + 1, 0, c);
    if (r.rangeEnd === undefined) return add({ name: 'covers whole file', ok: false, detail: 'unknown: the ByteRange is unusable' });
    const after = buf.length - r.rangeEnd;
    if (after < 0) return add({ name: 'covers whole file', ok: false, detail: `the ByteRange ends ${-after} byte(s) beyond the end of the file` });
    if (!isLast) {
      return add(
        after === 0
          ? { name: 'covers whole file', ok: false, detail: `covers the whole file although signature #${r.index + 1} comes later in the file: only the last signature may cover the whole file` }
          : { name: 'covers whole file', ok: true, detail: `no (by design): ${after} byte(s) after this signature's range belong to later revision(s), signed by signature #${results.length}` },
      );
    }
    if (after === 0) return add({ name: 'covers whole file', ok: true, detail: `the second range ends at the end of the file (${buf.length} bytes)` });
    const detail = `${after} byte(s) after the signed range (ends at ${r.rangeEnd}, file is ${buf.length} bytes): a later incremental revision that no signature covers`;
    add({
      name: 'covers whole file',
      ok: Boolean(opts.allowIncrementalUpdates),
      detail: opts.allowIncrementalUpdates ? `${detail} (allowed by allowIncrementalUpdates)` : detail,
    });
    if (opts.allowIncrementalUpdates) ctx.warnings.push(`Signature #${r.index}: ${detail}`);
  });
}

export async function validatePdfSignatures(pdf: Uint8Array | Buffer, opts: ValidateOptions = {}): Promise<PdfSignatureReport> {
  const buf = Buffer.isBuffer(pdf) ? pdf : Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const ctx: Context = { buf, opts, now: opts.now ?? new Date(), warnings: [] };
  const dicts = findSignatureDictionaries(buf);
  if (dicts.length === 0) {
    return { verdict: 'unsigned', signatures: [], problems: ['the PDF carries no signature dictionary (/ByteRange + /Contents)'], warnings: [] };
  }
  const results = dicts.map((d, i) => validateOne(ctx, d, i + 1));
  judgeCoverage(ctx, results);
  const signatures: SignatureReport[] = results.map(({ rangeEnd: _unused, ...r }) => r);
  const problems = signatures.flatMap((s) => s.checks.filter((c) => !c.ok).map((c) => `Signature #${s.index}: ${c.name}: ${c.detail}`));
  return { verdict: problems.length ? 'invalid' : 'valid', signatures, problems, warnings: ctx.warnings };
}
