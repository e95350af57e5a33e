/**
 * Strict validator for digital signatures in PDFs (docs/targets/nova-home-care.md, "Signed
 * PDFs"). Pure logic: the PDF syntax around signatures is read
 * here, the CMS is parsed with asn1js + pkijs, and digests and signatures are
 * checked with node:crypto. node-forge is deliberately not used: it cannot
 * verify PKCS#7 and does not understand SubjectKeyIdentifier signer IDs
 * (which pyHanko may write).
 */
import { createHash, verify as cryptoVerify, X509Certificate, constants as cryptoConstants } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

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

// ---------------------------------------------------------------------------
// Minimal PDF object reader: only what is needed to read signature dictionaries
// with exact byte offsets (ByteRange and the /Contents hex string).

type PdfValue =
  | { kind: 'dict'; start: number; end: number; entries: Map<string, PdfValue> }
  | { kind: 'array'; start: number; end: number; items: PdfValue[] }
  | { kind: 'number'; start: number; end: number; value: number; text: string }
  | { kind: 'name'; start: number; end: number; value: string }
  | { kind: 'hex'; start: number; end: number; hex: string }
  | { kind: 'string'; start: number; end: number; bytes: Buffer }
  | { kind: 'ref'; start: number; end: number; num: number; gen: number }
  | { kind: 'keyword'; start: number; end: number; value: string };

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const isRegular = (c: number | undefined) => c !== undefined && !WHITESPACE.has(c) && !DELIMITERS.has(c);
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

// \n \r \t \b \f \( \) \\ inside literal strings.
const ESCAPES: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };

class PdfSyntaxError extends Error {}

class PdfReader {
  constructor(
    private readonly buf: Buffer,
    public pos: number,
  ) {}

  private skipWs(): void {
    const { buf } = this;
    while (this.pos < buf.length) {
      const c = buf[this.pos]!;
      if (WHITESPACE.has(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < buf.length && buf[this.pos] !== 0x0a && buf[this.pos] !== 0x0d) this.pos++;
      } else break;
    }
  }

  private fail(what: string): never {
    throw new PdfSyntaxError(`${what} at byte ${this.pos}`);
  }

  /** A non-negative integer at the cursor (without consuming), for `n g R` lookahead. */
  private peekUint(at: number): { value: number; end: number } | undefined {
    let p = at;
    while (p < this.buf.length && WHITESPACE.has(this.buf[p]!)) p++;
    const start = p;
    while (isDigit(this.buf[p])) p++;
    if (p === start || isRegular(this.buf[p])) return undefined;
    return { value: Number(this.buf.toString('latin1', start, p)), end: p };
  }

  parse(depth = 0): PdfValue {
    if (depth > 64) this.fail('nesting too deep');
    this.skipWs();
    const { buf } = this;
    const start = this.pos;
    const c = buf[start];
    if (c === undefined) this.fail('unexpected end of file');
    if (c === 0x3c && buf[start + 1] === 0x3c) {
      this.pos += 2;
      const entries = new Map<string, PdfValue>();
      for (;;) {
        this.skipWs();
        if (buf[this.pos] === 0x3e && buf[this.pos + 1] === 0x3e) {
          this.pos += 2;
          return { kind: 'dict', start, end: this.pos, entries };
        }
        const key = this.parse(depth + 1);
        if (key.kind !== 'name') this.fail('expected a name as dictionary key');
        entries.set(key.value, this.parse(depth + 1));
      }
    }
    if (c === 0x3c) {
      const close = buf.indexOf(0x3e, start + 1);
      if (close < 0) this.fail('unterminated hex string');
      const hex = buf.toString('latin1', start + 1, close).replace(/[\0\t\n\f\r ]/g, '');
      if (!/^[0-9a-fA-F]*$/.test(hex)) this.fail('invalid character in hex string');
      this.pos = close + 1;
      return { kind: 'hex', start, end: this.pos, hex };
    }
    if (c === 0x28) return this.literalString(start);
    if (c === 0x5b) {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipWs();
        if (buf[this.pos] === 0x5d) {
          this.pos++;
          return { kind: 'array', start, end: this.pos, items };
        }
        items.push(this.parse(depth + 1));
      }
    }
    if (c === 0x2f) {
      this.pos++;
      while (isRegular(buf[this.pos])) this.pos++;
      const raw = buf.toString('latin1', start + 1, this.pos);
      const value = raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
      return { kind: 'name', start, end: this.pos, value };
    }
    if (isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) {
      while (isRegular(buf[this.pos])) this.pos++;
      const text = buf.toString('latin1', start, this.pos);
      if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) this.fail(`invalid number "${text}"`);
      if (/^\d+$/.test(text)) {
        // `12 0 R` is a reference; ByteRange numbers never are.
        const gen = this.peekUint(this.pos);
        if (gen) {
          let p = gen.end;
          while (p < buf.length && WHITESPACE.has(buf[p]!)) p++;
          if (buf[p] === 0x52 && !isRegular(buf[p + 1])) {
            this.pos = p + 1;
            return { kind: 'ref', start, end: this.pos, num: Number(text), gen: gen.value };
          }
        }
      }
      return { kind: 'number', start, end: this.pos, value: Number(text), text };
    }
    if (isRegular(c)) {
      while (isRegular(buf[this.pos])) this.pos++;
      return { kind: 'keyword', start, end: this.pos, value: buf.toString('latin1', start, this.pos) };
    }
    this.fail(`unexpected "${String.fromCharCode(c)}"`);
  }

  private literalString(start: number): PdfValue {
    const { buf } = this;
    const out: number[] = [];
    let depth = 0;
    let p = start + 1;
    for (;;) {
      const c = buf[p];
      if (c === undefined) this.fail('unterminated string');
      p++;
      if (c === 0x5c) {
        const n = buf[p++];
        if (n === undefined) this.fail('unterminated string');
        const simple = ESCAPES[n];
        if (simple !== undefined) out.push(simple);
        else if (n >= 0x30 && n <= 0x37) {
          let oct = n - 0x30;
          for (let i = 0; i < 2 && buf[p]! >= 0x30 && buf[p]! <= 0x37; i++) oct = oct * 8 + (buf[p++]! - 0x30);
          out.push(oct & 0xff);
        } else if (n === 0x0d) {
          if (buf[p] === 0x0a) p++;
        } else if (n !== 0x0a) out.push(n);
        continue;
      }
      if (c === 0x28) depth++;
      if (c === 0x29) {
        if (depth === 0) break;
        depth--;
      }
      out.push(c);
    }
    this.pos = p;
    return { kind: 'string', start, end: p, bytes: Buffer.from(out) };
  }
}

function pdfText(v: PdfValue | undefined): string | undefined {
  if (!v || (v.kind !== 'string' && v.kind !== 'hex')) return undefined;
  const bytes = v.kind === 'hex' ? Buffer.from(v.hex.length % 2 ? v.hex + '0' : v.hex, 'hex') : v.bytes;
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return bytes.toString('latin1');
}

/** PDF date `D:YYYYMMDDHHmmSSOHH'mm` (most parts optional). */
function parsePdfDate(s: string | undefined): Date | undefined {
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?/.exec(s?.trim() ?? '');
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', sec = '00', tz, tzh = '00', tzm = '00'] = m;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  if (tz === '+' || tz === '-') t -= (tz === '+' ? 1 : -1) * (Number(tzh) * 60 + Number(tzm)) * 60_000;
  return Number.isNaN(t) ? undefined : new Date(t);
}

type DictValue = Extract<PdfValue, { kind: 'dict' }>;

/** Start of the value of the indirect object enclosing `pos` (`n g obj`), or -1. */
function enclosingObjectBody(buf: Buffer, pos: number): number {
  let from = pos;
  for (;;) {
    const i = buf.lastIndexOf('obj', from, 'latin1');
    if (i < 0) return -1;
    if (i >= 3 && buf.toString('latin1', i - 3, i) === 'end') return -1; // between objects
    const head = buf.toString('latin1', Math.max(0, i - 24), i);
    if (/(?:^|[^0-9])\d+[\0\t\n\f\r ]+\d+[\0\t\n\f\r ]*$/.test(head) && !isRegular(buf[i + 3])) return i + 3;
    from = i - 1;
    if (from < 0) return -1;
  }
}

function collectSigDicts(v: PdfValue, out: DictValue[], depth = 0): void {
  if (depth > 16) return;
  if (v.kind === 'dict') {
    if (v.entries.has('ByteRange') && v.entries.has('Contents')) out.push(v);
    for (const child of v.entries.values()) collectSigDicts(child, out, depth + 1);
  } else if (v.kind === 'array') {
    for (const child of v.items) collectSigDicts(child, out, depth + 1);
  }
}

/**
 * Every dictionary holding both /ByteRange and /Contents, found by scanning the
 * raw bytes (so signatures in any revision are seen, whether or not a form
 * field still points at them). Hits inside streams or strings do not parse as
 * such a dictionary and are ignored.
 */
function findSignatureDictionaries(buf: Buffer): DictValue[] {
  const found = new Map<number, DictValue>();
  let at = buf.indexOf('/ByteRange', 0, 'latin1');
  while (at >= 0) {
    const body = enclosingObjectBody(buf, at);
    if (body >= 0) {
      try {
        const value = new PdfReader(buf, body).parse();
        const dicts: DictValue[] = [];
        collectSigDicts(value, dicts);
        for (const d of dicts) found.set(d.start, d);
      } catch (err) {
        if (!(err instanceof PdfSyntaxError)) throw err;
      }
    }
    at = buf.indexOf('/ByteRange', at + 10, 'latin1');
  }
  return [...found.values()].sort((a, b) => a.start - b.start);
}

// ---------------------------------------------------------------------------
// CMS helpers

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  subjectKeyIdentifier: '2.5.29.14',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  ed25519: '1.3.101.112',
  ecPublicKey: '1.2.840.10045.2.1',
} as const;

const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  // Some signers put the signature algorithm here; Acrobat tolerates it, so do we.
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

const RSA_PKCS1_SIG: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

const ECDSA_SIG: Record<string, string> = {
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

const toBuf = (v: ArrayBuffer | Uint8Array): Buffer =>
  v instanceof ArrayBuffer ? Buffer.from(v) : Buffer.from(v.buffer, v.byteOffset, v.byteLength);

function attributeValue(signerInfo: pkijs.SignerInfo, oid: string): unknown {
  return signerInfo.signedAttrs?.attributes.find((a) => a.type === oid)?.values[0];
}

function rdnString(names: pkijs.RelativeDistinguishedNames): string {
  const short: Record<string, string> = {
    '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU',
    '2.5.4.5': 'serialNumber', '1.2.840.113549.1.9.1': 'emailAddress',
  };
  return names.typesAndValues
    .map((tv) => `${short[tv.type] ?? tv.type}=${(tv.value.valueBlock as { value?: unknown }).value ?? ''}`)
    .join(', ');
}

function ski(cert: pkijs.Certificate): Buffer | undefined {
  const ext = cert.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
  if (!ext) return undefined;
  const inner = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView);
  return inner.offset === -1 ? undefined : toBuf((inner.result as asn1js.OctetString).valueBlock.valueHexView);
}

/** The signer certificate by issuerAndSerialNumber or by subjectKeyIdentifier (extension, else SHA-1 of the key). */
function findSignerCertificate(signed: pkijs.SignedData, signerInfo: pkijs.SignerInfo): { cert?: pkijs.Certificate; how: string } {
  const certs = (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const sid = signerInfo.sid as pkijs.IssuerAndSerialNumber | asn1js.BaseBlock;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    const cert = certs.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
    return { cert, how: `issuerAndSerialNumber (issuer ${rdnString(sid.issuer)}, serial ${toBuf(sid.serialNumber.valueBlock.valueHexView).toString('hex')})` };
  }
  const block = sid as asn1js.Constructed & asn1js.Primitive;
  const keyId = block.idBlock.isConstructed
    ? toBuf((block.valueBlock.value[0] as asn1js.OctetString).valueBlock.valueHexView)
    : toBuf(block.valueBlock.valueHexView);
  const cert = certs.find((c) => {
    const ext = ski(c);
    if (ext) return ext.equals(keyId);
    return createHash('sha1').update(c.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest().equals(keyId);
  });
  return { cert, how: `subjectKeyIdentifier ${keyId.toString('hex')}` };
}

function verifySignedAttrs(
  signerInfo: pkijs.SignerInfo,
  data: Buffer,
  certDer: Buffer,
  digestName: string,
): { ok: boolean; detail: string } {
  const sigAlg = signerInfo.signatureAlgorithm.algorithmId;
  const signature = toBuf(signerInfo.signature.valueBlock.valueHexView);
  const key = new X509Certificate(certDer).publicKey;
  let ok: boolean;
  let algName: string;
  if (sigAlg === OID.rsaEncryption || RSA_PKCS1_SIG[sigAlg]) {
    const hash = RSA_PKCS1_SIG[sigAlg] ?? digestName;
    algName = `RSA PKCS#1 v1.5 with ${hash}`;
    ok = cryptoVerify(hash, data, { key, padding: cryptoConstants.RSA_PKCS1_PADDING }, signature);
  } else if (sigAlg === OID.rsassaPss) {
    const params = new pkijs.RSASSAPSSParams({ schema: signerInfo.signatureAlgorithm.algorithmParams });
    const hash = DIGESTS[params.hashAlgorithm.algorithmId] ?? 'sha1';
    algName = `RSASSA-PSS with ${hash}, salt ${params.saltLength}`;
    ok = cryptoVerify(hash, data, { key, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, signature);
  } else if (ECDSA_SIG[sigAlg] || sigAlg === OID.ecPublicKey) {
    const hash = ECDSA_SIG[sigAlg] ?? digestName;
    algName = `ECDSA with ${hash}`;
    ok = cryptoVerify(hash, data, { key, dsaEncoding: 'der' }, signature);
  } else if (sigAlg === OID.ed25519) {
    algName = 'Ed25519';
    ok = cryptoVerify(null, data, key, signature);
  } else {
    return { ok: false, detail: `unsupported signature algorithm ${sigAlg}` };
  }
  return ok
    ? { ok: true, detail: `${algName} signature over the signed attributes verifies with the signer certificate's public key` }
    : { ok: false, detail: `${algName} signature over the signed attributes does NOT verify with the signer certificate's public key (signature value corrupted, or made with another key)` };
}

// ---------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const ACCEPTED_SUBFILTERS = ['adbe.pkcs7.detached', 'ETSI.CAdES.detached'];

interface Context {
  buf: Buffer;
  opts: ValidateOptions;
  now: Date;
  warnings: string[];
}

function validateOne(ctx: Context, dict: DictValue, index: number): SignatureReport & { rangeEnd?: number } {
  const { buf, opts, now } = ctx;
  const checks: SignatureCheck[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const warn = (w: string) => ctx.warnings.push(`Signature #${index}: ${w}`);

  const subFilterValue = dict.entries.get('SubFilter');
  const subFilter = subFilterValue?.kind === 'name' ? subFilterValue.value : '(none)';
  check(
    'SubFilter',
    ACCEPTED_SUBFILTERS.includes(subFilter),
    ACCEPTED_SUBFILTERS.includes(subFilter)
      ? `/SubFilter /${subFilter}`
      : `expected /adbe.pkcs7.detached or /ETSI.CAdES.detached, saw ${subFilter === '(none)' ? 'no /SubFilter' : `/${subFilter}`}`,
  );

  // 1. ByteRange and coverage.
  const contents = dict.entries.get('Contents');
  const brValue = dict.entries.get('ByteRange');
  const byteRange: number[] = [];
  let rangeOk = false;
  let rangeEnd: number | undefined;
  let rangeDetail: string;
  if (brValue?.kind !== 'array') {
    rangeDetail = `expected /ByteRange to be an array of four numbers, saw a ${brValue?.kind ?? 'missing value'}`;
  } else if (brValue.items.some((i) => i.kind === 'name')) {
    rangeDetail = `/ByteRange still holds the signer's placeholder [${brValue.items.map((i) => (i.kind === 'name' ? `/${i.value}` : i.kind === 'number' ? i.text : i.kind)).join(' ')}]: the document was prepared for signing but never signed`;
  } else if (!brValue.items.every((i) => i.kind === 'number' && Number.isSafeInteger(i.value) && i.value >= 0)) {
    rangeDetail = `expected /ByteRange to hold non-negative integers only, saw [${brValue.items.map((i) => (i.kind === 'number' ? i.text : i.kind)).join(' ')}]`;
  } else {
    byteRange.push(...brValue.items.map((i) => (i as { value: number }).value));
    if (byteRange.length !== 4) {
      rangeDetail = `expected exactly two ranges (4 numbers) in /ByteRange, saw ${byteRange.length} number(s): [${byteRange.join(' ')}]`;
    } else {
      const [a, b, c, d] = byteRange as [number, number, number, number];
      const issues: string[] = [];
      if (a !== 0) issues.push(`the first range starts at byte ${a}, expected 0`);
      if (c < a + b) issues.push(`the second range (from ${c}) starts before the first one ends (${a + b})`);
      if (c + d > buf.length) issues.push(`the second range ends at byte ${c + d}, beyond the end of the file (${buf.length} bytes)`);
      if (contents?.kind === 'hex') {
        const cs = contents.start;
        const ce = contents.end;
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
      rangeOk = issues.length === 0;
      rangeEnd = c + d;
      rangeDetail = rangeOk
        ? `[${byteRange.join(' ')}]: two ranges from byte 0, the gap is exactly the /Contents hex string (bytes ${a + b}–${c})`
        : `[${byteRange.join(' ')}]: ${issues.join('; ')}`;
    }
  }
  check('ByteRange', rangeOk, rangeDetail);

  // 2. CMS structure.
  let signed: pkijs.SignedData | undefined;
  let signerInfo: pkijs.SignerInfo | undefined;
  let cmsDetail: string;
  if (contents?.kind !== 'hex') {
    cmsDetail = `expected /Contents to be a hex string holding the CMS, saw ${contents?.kind ?? 'nothing'}`;
  } else if (/^0*$/.test(contents.hex)) {
    cmsDetail = `empty placeholder: /Contents holds only zeros (${Math.ceil(contents.hex.length / 2)} bytes), no CMS signature was ever written`;
  } else {
    const hex = contents.hex.length % 2 ? contents.hex + '0' : contents.hex;
    const der = new Uint8Array(Buffer.from(hex, 'hex')); // a private copy: pkijs patches tag bytes in place
    try {
      const asn = asn1js.fromBER(der);
      if (asn.offset === -1) throw new Error(asn.result.error || 'not BER/DER');
      const trailing = der.subarray(asn.offset);
      if (trailing.some((x) => x !== 0)) {
        throw new Error(`${trailing.filter((x) => x !== 0).length} non-zero byte(s) follow the CMS structure inside /Contents`);
      }
      const info = new pkijs.ContentInfo({ schema: asn.result });
      if (info.contentType !== OID.signedData) throw new Error(`content type is ${info.contentType}, expected SignedData (${OID.signedData})`);
      signed = new pkijs.SignedData({ schema: info.content });
      if (signed.signerInfos.length === 0) throw new Error('SignedData has no SignerInfo');
      signerInfo = signed.signerInfos[0]!;
      if (signed.signerInfos.length > 1) warn(`the CMS holds ${signed.signerInfos.length} SignerInfos; only the first is checked`);
      if (signed.encapContentInfo.eContent) warn('the CMS embeds its content although the SubFilter says detached');
      cmsDetail = `SignedData with ${signed.signerInfos.length} SignerInfo(s), ${signed.certificates?.length ?? 0} certificate(s), ${asn.offset} DER bytes + ${trailing.length} bytes zero padding`;
    } catch (err) {
      signed = undefined;
      signerInfo = undefined;
      cmsDetail = `cannot parse the CMS SignedData in /Contents: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  check('CMS', Boolean(signerInfo), cmsDetail);

  let signer: SignerSummary | undefined;
  let signingTime: Date | undefined;
  let signingTimeSource = '';
  if (signed && signerInfo) {
    const digestOid = signerInfo.digestAlgorithm.algorithmId;
    const digestName = DIGESTS[digestOid];

    // 2. Signed attributes: content-type and messageDigest.
    if (!signerInfo.signedAttrs) {
      check('content-type', false, 'the SignerInfo has no signed attributes, so there is no content-type attribute (expected id-data)');
      check('messageDigest', false, 'the SignerInfo has no signed attributes, so there is no messageDigest to compare with the covered bytes');
    } else {
      const ct = attributeValue(signerInfo, OID.contentType);
      const ctOid = ct instanceof asn1js.ObjectIdentifier ? ct.getValue() : undefined;
      check(
        'content-type',
        ctOid === OID.data,
        ctOid === OID.data
          ? `content-type attribute is id-data (${OID.data})`
          : `expected the content-type attribute to be id-data (${OID.data}), saw ${ctOid ?? 'no content-type attribute'}`,
      );

      const md = attributeValue(signerInfo, OID.messageDigest);
      const claimed = md instanceof asn1js.OctetString ? toBuf(md.valueBlock.valueHexView).toString('hex') : undefined;
      if (!digestName) {
        check('messageDigest', false, `unsupported digest algorithm ${digestOid} in the SignerInfo`);
      } else if (claimed === undefined) {
        check('messageDigest', false, 'the signed attributes carry no messageDigest attribute');
      } else if (byteRange.length !== 4) {
        check('messageDigest', false, 'cannot compute the digest of the covered bytes: the ByteRange is unusable');
      } else {
        const [a, b, c, d] = byteRange as [number, number, number, number];
        const actual = createHash(digestName)
          .update(buf.subarray(a, Math.min(buf.length, a + b)))
          .update(buf.subarray(c, Math.min(buf.length, c + d)))
          .digest('hex');
        if (digestName === 'sha1') warn('the digest algorithm is SHA-1, which is no longer considered secure');
        check(
          'messageDigest',
          actual === claimed,
          actual === claimed
            ? `messageDigest attribute equals the ${digestName} of the covered bytes (${actual})`
            : `messageDigest mismatch: the signed attribute says ${claimed} but the ${digestName} of the covered bytes is ${actual} (the covered bytes changed after signing, or the signer hashed other data)`,
        );
      }
    }

    // 3. Signature over the signed attributes, by the certificate the SignerInfo names.
    const { cert, how } = findSignerCertificate(signed, signerInfo);
    if (!cert) {
      check('signer certificate', false, `the signer certificate named by ${how} is not among the ${signed.certificates?.length ?? 0} certificate(s) in the CMS`);
    } else {
      const certDer = toBuf(cert.toSchema().toBER(false));
      const sha256 = sha256Hex(certDer);
      signer = {
        subject: rdnString(cert.subject),
        issuer: rdnString(cert.issuer),
        sha256,
        notBefore: cert.notBefore.value.toISOString(),
        notAfter: cert.notAfter.value.toISOString(),
      };
      if (signerInfo.signedAttrs && digestName) {
        try {
          const r = verifySignedAttrs(signerInfo, toBuf(signerInfo.signedAttrs.encodedValue), certDer, digestName);
          check('signature', r.ok, `${r.detail} (signer found by ${how.split(' (')[0]})`);
        } catch (err) {
          check('signature', false, `cannot verify the signature value: ${err instanceof Error ? err.message : String(err)}`);
        }
      } else {
        check('signature', false, 'cannot verify: no signed attributes or an unsupported digest algorithm');
      }

      // 4. The expected signer.
      if (opts.expectedSignerSha256) {
        const expected = normalizeFingerprint(opts.expectedSignerSha256);
        check(
          'signer fingerprint',
          expected === sha256,
          expected === sha256
            ? `signer certificate SHA-256 is the expected ${sha256} (${signer.subject})`
            : `expected the signer certificate SHA-256 ${expected}, saw ${sha256} (subject ${signer.subject}, issuer ${signer.issuer}): another certificate or key signed this`,
        );
      } else {
        warn(`no expected signer fingerprint given; the signer certificate (${signer.subject}) has SHA-256 ${sha256}: pin it to check the signer`);
      }

      // 5. Validity now and at the claimed signing time (the signer's own word, not proof).
      const notBefore = cert.notBefore.value;
      const notAfter = cert.notAfter.value;
      const within = (t: Date) => t.getTime() >= notBefore.getTime() && t.getTime() <= notAfter.getTime();
      const period = `valid ${notBefore.toISOString()} to ${notAfter.toISOString()}`;
      check(
        'certificate valid now',
        within(now),
        within(now)
          ? `now (${now.toISOString()}) is within the certificate's validity (${period})`
          : now < notBefore
            ? `the signer certificate is not yet valid now (${now.toISOString()}; ${period})`
            : `the signer certificate has expired: now is ${now.toISOString()}, it was ${period}`,
      );
      const st = attributeValue(signerInfo, OID.signingTime);
      if (st instanceof asn1js.UTCTime || st instanceof asn1js.GeneralizedTime) {
        signingTime = st.toDate();
        signingTimeSource = 'signingTime attribute';
      } else {
        signingTime = parsePdfDate(pdfText(dict.entries.get('M')));
        signingTimeSource = '/M entry of the signature dictionary';
      }
      if (signingTime) {
        check(
          'certificate valid at signing time',
          within(signingTime),
          within(signingTime)
            ? `the claimed signing time ${signingTime.toISOString()} (${signingTimeSource}) is within the certificate's validity (${period})`
            : `the certificate was not valid at the claimed signing time ${signingTime.toISOString()} (${signingTimeSource}; ${period})`,
        );
        if (signingTime.getTime() > now.getTime() + 5 * 60_000) {
          warn(`the claimed signing time ${signingTime.toISOString()} is in the future`);
        }
      } else {
        check('certificate valid at signing time', true, 'no signing time claimed (no signingTime attribute, no /M): only the validity now is checked');
      }
      const days = (notAfter.getTime() - now.getTime()) / DAY_MS;
      const warnDays = opts.expiryWarningDays ?? 30;
      if (days >= 0 && days <= warnDays) {
        warn(`the signer certificate expires in ${Math.floor(days)} day(s), on ${notAfter.toISOString()} (warning threshold ${warnDays} days)`);
      }
    }
    if (signerInfo.unsignedAttrs?.attributes.some((a) => a.type === OID.timeStampToken)) {
      warn('the signature carries an RFC 3161 timestamp token, which this validator does not verify');
    }
  }

  return {
    index,
    subFilter,
    byteRange,
    checks,
    ...(signer ? { signer } : {}),
    ...(signingTime ? { signingTime: signingTime.toISOString() } : {}),
    coversWholeFile: rangeEnd === buf.length,
    rangeEnd,
  };
}

export async function validatePdfSignatures(pdf: Uint8Array | Buffer, opts: ValidateOptions = {}): Promise<PdfSignatureReport> {
  const buf = Buffer.isBuffer(pdf) ? pdf : Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const ctx: Context = { buf, opts, now: opts.now ?? new Date(), warnings: [] };
  const dicts = findSignatureDictionaries(buf);
  if (dicts.length === 0) {
    return { verdict: 'unsigned', signatures: [], problems: ['the PDF carries no signature dictionary (/ByteRange + /Contents)'], warnings: [] };
  }

  const results = dicts.map((d, i) => validateOne(ctx, d, i + 1));
  // Coverage: only the last signature may reach the end of the file; the bytes
  // after an earlier one are the later revisions its successors sign.
  results.forEach((r, i) => {
    const isLast = i === results.length - 1;
    // Shown right after the ByteRange check, where a reader looks for it.
    const add = (c: SignatureCheck) => r.checks.splice(r.checks.findIndex((x) => x.name === 'ByteRange') + 1, 0, c);
    if (r.rangeEnd === undefined) {
      add({ name: 'covers whole file', ok: false, detail: 'unknown: the ByteRange is unusable' });
      return;
    }
    const after = buf.length - r.rangeEnd;
    if (after < 0) {
      add({ name: 'covers whole file', ok: false, detail: `the ByteRange ends ${-after} byte(s) beyond the end of the file` });
    } else if (!isLast) {
      add(
        after === 0
          ? { name: 'covers whole file', ok: false, detail: `covers the whole file although signature #${r.index + 1} comes later in the file: only the last signature may cover the whole file` }
          : { name: 'covers whole file', ok: true, detail: `no (by design): ${after} byte(s) after this signature's range belong to later revision(s), signed by signature #${results.length}` },
      );
    } else if (after === 0) {
      add({ name: 'covers whole file', ok: true, detail: `the second range ends at the end of the file (${buf.length} bytes)` });
    } else {
      const detail = `${after} byte(s) after the signed range (ends at ${r.rangeEnd}, file is ${buf.length} bytes): a later incremental revision that no signature covers`;
      add({
        name: 'covers whole file',
        ok: Boolean(opts.allowIncrementalUpdates),
        detail: opts.allowIncrementalUpdates ? `${detail} (allowed by allowIncrementalUpdates)` : detail,
      });
      if (opts.allowIncrementalUpdates) ctx.warnings.push(`Signature #${r.index}: ${detail}`);
    }
  });

  const signatures: SignatureReport[] = results.map(({ rangeEnd: _unused, ...r }) => r);
  const problems = signatures.flatMap((s) => s.checks.filter((c) => !c.ok).map((c) => `Signature #${s.index}: ${c.name}: ${c.detail}`));
  return { verdict: problems.length ? 'invalid' : 'valid', signatures, problems, warnings: ctx.warnings };
}

export function formatReport(report: PdfSignatureReport): string {
  const lines = [`PDF signature verdict: ${report.verdict.toUpperCase()} (${report.signatures.length} signature(s))`];
  if (report.verdict === 'unsigned') lines.push(...report.problems.map((p) => `  ${p}`));
  for (const s of report.signatures) {
    lines.push('');
    lines.push(`Signature #${s.index}: ${s.subFilter}, ByteRange [${s.byteRange.join(' ')}], covers whole file: ${s.coversWholeFile ? 'yes' : 'no'}`);
    if (s.signer) {
      lines.push(`  signer:  ${s.signer.subject} (issuer ${s.signer.issuer})`);
      lines.push(`  sha256:  ${s.signer.sha256}`);
      lines.push(`  valid:   ${s.signer.notBefore} to ${s.signer.notAfter}`);
    }
    if (s.signingTime) lines.push(`  claimed signing time: ${s.signingTime}`);
    for (const c of s.checks) lines.push(`  ${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`);
  }
  if (report.warnings.length) {
    lines.push('', 'Warnings:');
    for (const w of report.warnings) lines.push(`  ! ${w}`);
  }
  return lines.join('\n');
}
