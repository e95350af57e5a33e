/**
 * PDF syntax, only as much as signature validation needs: a reader for PDF
 * objects that keeps exact byte offsets (the ByteRange and the /Contents hex
 * string are judged by offset), text and date values, and the search for
 * signature dictionaries.
 */
export type PdfValue =
  | { kind: 'dict'; start: number; end: number; entries: Map<string, PdfValue> }
  | { kind: 'array'; start: number; end: number; items: PdfValue[] }
  | { kind: 'number'; start: number; end: number; value: number; text: string }
  | { kind: 'name'; start: number; end: number; value: string }
  | { kind: 'hex'; start: number; end: number; hex: string }
  | { kind: 'string'; start: number; end: number; bytes: Buffer }
  | { kind: 'ref'; start: number; end: number; num: number; gen: number }
  | { kind: 'keyword'; start: number; end: number; value: string };

export const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
export const isRegular = (c: number | undefined) => c !== undefined && !WHITESPACE.has(c) && !DELIMITERS.has(c);
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

// \n \r \t \b \f \( \) \\ inside literal strings.
const ESCAPES: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };

export class PdfSyntaxError extends Error {}

export class PdfReader {
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
    // Fast path: no escapes, so the bytes are the string (balanced parentheses included).
    let depth0 = 0;
    for (let p = start + 1; p < buf.length; p++) {
      const c = buf[p];
      if (c === 0x5c) break;
      if (c === 0x28) depth0++;
      else if (c === 0x29 && depth0-- === 0) {
        this.pos = p + 1;
        return { kind: 'string', start, end: p + 1, bytes: Buffer.from(buf.subarray(start + 1, p)) };
      }
    }
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

export function pdfText(v: PdfValue | undefined): string | undefined {
  if (!v || (v.kind !== 'string' && v.kind !== 'hex')) return undefined;
  const bytes = v.kind === 'hex' ? Buffer.from(v.hex.length % 2 ? v.hex + '0' : v.hex, 'hex') : v.bytes;
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return bytes.toString('latin1');
}

/** PDF date `D:YYYYMMDDHHmmSSOHH'mm` (most parts optional). */
export function parsePdfDate(s: string | undefined): Date | undefined {
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?/.exec(s?.trim() ?? '');
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', sec = '00', tz, tzh = '00', tzm = '00'] = m;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  if (tz === '+' || tz === '-') t -= (tz === '+' ? 1 : -1) * (Number(tzh) * 60 + Number(tzm)) * 60_000;
  return Number.isNaN(t) ? undefined : new Date(t);
}

export type DictValue = Extract<PdfValue, { kind: 'dict' }>;

export interface IndirectObject {
  num: number;
  gen: number;
  /** Byte offset of `n g obj`. */
  start: number;
  value: PdfValue;
  /** The stream's data, when the object is a stream. */
  stream?: { start: number; end: number };
}

/** An object whose header was found but whose body does not parse (a cut-off file, a bad hex digit). */
export interface MalformedObject {
  num: number;
  gen: number;
  start: number;
  error: string;
  /** Its raw text names /ByteRange: a signature dictionary that cannot be read. */
  signatureLike: boolean;
}

export interface PdfLayout {
  objects: IndirectObject[];
  malformed: MalformedObject[];
  /** Classic `trailer << … >>` dictionaries, in file order. */
  trailers: { start: number; dict: DictValue }[];
  /** Byte offsets just after each `%%EOF` marker: where revisions end. */
  eofs: number[];
  /** Every dictionary holding both /ByteRange and /Contents, in file order. */
  signatureDicts: DictValue[];
}

const isDigitByte = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
const startsWith = (buf: Buffer, at: number, word: string) => buf.toString('latin1', at, at + word.length) === word;

/** `n g obj` ending at the `obj` found at `at`: the header's start, object and generation numbers. */
function objectHeader(buf: Buffer, at: number): { start: number; num: number; gen: number } | undefined {
  if (isRegular(buf[at + 3])) return undefined; // objx
  let p = at - 1;
  const digitsBack = () => {
    const end = p + 1;
    while (p >= 0 && isDigitByte(buf[p])) p--;
    return end - (p + 1) > 0 && end - (p + 1) <= 10 ? Number(buf.toString('latin1', p + 1, end)) : undefined;
  };
  const wsBack = () => {
    const end = p;
    while (p >= 0 && WHITESPACE.has(buf[p]!)) p--;
    return end - p;
  };
  if (wsBack() === 0) return undefined;
  const gen = digitsBack();
  if (gen === undefined || wsBack() === 0) return undefined;
  const num = digitsBack();
  if (num === undefined) return undefined;
  return { start: p + 1, num, gen };
}

/** Next occurrence of each token at or after `pos`, searched again only once passed (so the scan stays linear). */
class TokenFinder {
  private readonly next = new Map<string, number>();
  constructor(private readonly buf: Buffer) {}
  find(token: string, pos: number): number {
    const known = this.next.get(token);
    if (known !== undefined && (known >= pos || known < 0)) return known;
    const at = this.buf.indexOf(token, pos, 'latin1');
    this.next.set(token, at);
    return at;
  }
}

/**
 * One pass over the file: every top-level indirect object (streams are
 * skipped by their length, so nothing inside them is mistaken for syntax),
 * trailer and %%EOF. Linear in the file size, and it works on the bytes (no
 * copy of the file as a string).
 */
export function scanPdf(buf: Buffer): PdfLayout {
  const layout: PdfLayout = { objects: [], malformed: [], trailers: [], eofs: [], signatureDicts: [] };
  const tokens = new TokenFinder(buf);
  let pos = 0;
  for (;;) {
    const candidates = (['obj', 'trailer', '%%EOF'] as const).map((t) => [t, tokens.find(t, pos)] as const).filter(([, at]) => at >= 0);
    if (candidates.length === 0) break;
    const [token, at] = candidates.reduce((a, b) => (b[1] < a[1] ? b : a));
    pos = at + token.length;
    if (token === '%%EOF') {
      layout.eofs.push(pos);
      continue;
    }
    const reader = new PdfReader(buf, pos);
    if (token === 'trailer') {
      try {
        const dict = reader.parse();
        if (dict.kind === 'dict') layout.trailers.push({ start: at, dict });
        pos = reader.pos;
      } catch (err) {
        if (!(err instanceof PdfSyntaxError)) throw err;
      }
      continue;
    }
    const header = objectHeader(buf, at);
    if (!header) continue;
    const { start, num, gen } = header;
    try {
      const value = reader.parse();
      const object: IndirectObject = { num, gen, start, value };
      pos = reader.pos;
      const stream = value.kind === 'dict' ? streamAfter(buf, reader.pos, value) : undefined;
      if (stream) {
        object.stream = { start: stream.start, end: stream.end };
        pos = stream.after;
      }
      layout.objects.push(object);
      collectSigDicts(value, layout.signatureDicts);
    } catch (err) {
      if (!(err instanceof PdfSyntaxError)) throw err;
      const endobj = buf.indexOf('endobj', pos, 'latin1');
      const rawEnd = endobj < 0 ? buf.length : endobj;
      const signatureLike = buf.subarray(pos, rawEnd).includes('/ByteRange', 0, 'latin1');
      layout.malformed.push({ num, gen, start, error: err.message, signatureLike });
      pos = rawEnd;
    }
  }
  layout.signatureDicts.sort((a, b) => a.start - b.start);
  return layout;
}

/** The data of the stream that follows a dictionary, by its /Length when that is right, else up to `endstream`. */
function streamAfter(buf: Buffer, pos: number, dict: DictValue): { start: number; end: number; after: number } | undefined {
  let p = pos;
  while (p < buf.length && WHITESPACE.has(buf[p]!)) p++;
  if (!startsWith(buf, p, 'stream')) return undefined;
  p += 6;
  if (buf[p] === 0x0d) p++;
  if (buf[p] === 0x0a) p++;
  const length = dict.entries.get('Length');
  if (length?.kind === 'number' && Number.isSafeInteger(length.value) && length.value >= 0) {
    let e = p + length.value;
    while (e < buf.length && WHITESPACE.has(buf[e]!)) e++;
    if (startsWith(buf, e, 'endstream')) return { start: p, end: p + length.value, after: e + 9 };
  }
  const e = buf.indexOf('endstream', p, 'latin1');
  if (e < 0) return { start: p, end: buf.length, after: buf.length };
  return { start: p, end: e, after: e + 9 };
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

/** Every dictionary holding both /ByteRange and /Contents, in any revision, whether or not a form field still points at it. */
export function findSignatureDictionaries(buf: Buffer): DictValue[] {
  return scanPdf(buf).signatureDicts;
}

/** A value without its offsets, so two definitions of an object compare equal when they mean the same. */
export function canonical(v: PdfValue | undefined): string {
  if (!v) return 'null';
  switch (v.kind) {
    case 'dict':
      return `<<${[...v.entries.keys()].sort().map((k) => `/${k} ${canonical(v.entries.get(k))}`).join(' ')}>>`;
    case 'array':
      return `[${v.items.map(canonical).join(' ')}]`;
    case 'number':
      return String(v.value);
    case 'name':
      return `/${v.value}`;
    case 'hex':
      return `<${(v.hex.length % 2 ? v.hex + '0' : v.hex).toLowerCase()}>`;
    case 'string':
      return `<${v.bytes.toString('hex')}>`;
    case 'ref':
      return `${v.num} ${v.gen} R`;
    case 'keyword':
      return v.value;
  }
}
