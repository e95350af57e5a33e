import { randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { PDFDocument, StandardFonts, type PDFFont } from 'pdf-lib';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import { VariantSigner, type CmsVariant } from './cms.ts';

export interface RenderPdfOptions {
  title: string;
  lines: string[];
  /** Grow the file to about this many bytes (an embedded incompressible attachment). */
  padToBytes?: number;
}

export interface SignPdfOptions {
  p12: Buffer;
  password: string;
  reason?: string;
  name?: string;
  location?: string;
  contactInfo?: string;
  signingTime?: Date;
  /** 'adbe.pkcs7.detached' (default, what node-signpdf and pyHanko write) or 'ETSI.CAdES.detached'. */
  subFilter?: 'adbe.pkcs7.detached' | 'ETSI.CAdES.detached';
  /** A CMS other than @signpdf's own (SHA-1, two SignerInfos, an ESS attribute, no signed attributes). */
  cms?: CmsVariant;
}

const PAGE: [number, number] = [595.28, 841.89]; // A4 in points
const MARGIN = 56;

/** Helvetica only knows WinAnsi; anything else would make pdf-lib throw mid-render. */
function encodable(font: PDFFont, text: string): string {
  const supported = new Set(font.getCharacterSet());
  return Array.from(text, (ch) => (supported.has(ch.codePointAt(0) ?? -1) ? ch : '?')).join('');
}

export async function renderPdf({ title, lines, padToBytes }: RenderPdfOptions): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setProducer('go-live-smoke sandbox');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);

  let page = doc.addPage(PAGE);
  let y = PAGE[1] - MARGIN;
  page.drawText(encodable(bold, title), { x: MARGIN, y, size: 18, font: bold });
  y -= 32;
  for (const line of lines) {
    if (y < MARGIN) {
      page = doc.addPage(PAGE);
      y = PAGE[1] - MARGIN;
    }
    page.drawText(encodable(font, line), { x: MARGIN, y, size: 11, font });
    y -= 16;
  }

  // placeholder-plain reads classic xref tables only, so no object streams.
  const save = async () => Buffer.from(await doc.save({ useObjectStreams: false }));
  if (!padToBytes) return save();
  const base = await save();
  const missing = padToBytes - base.length - 600; // ~600 bytes of attachment dictionaries
  if (missing <= 0) return base;
  // Random bytes do not deflate, so the file grows by about `missing`.
  await doc.attach(randomBytes(missing), 'padding.bin', {
    mimeType: 'application/octet-stream',
    description: 'Padding to reach a realistic document size',
  });
  return save();
}

// The bag types P12Signer reads (forge.pki.oids.pkcs8ShroudedKeyBag / certBag).
const KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';

/** Read the key and certificate the way P12Signer will, but with an error a worker log can act on. */
function checkP12(p12: Buffer, password: string): { certDerLength: number } {
  if (!p12 || p12.length === 0) throw new Error('Cannot sign PDF: the PKCS#12 (.p12) file is empty or missing');
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary')));
    parsed = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/password|MAC could not be verified/i.test(message)) {
      throw new Error(`Cannot sign PDF: wrong password for the PKCS#12 (.p12) file (${message})`, { cause: err });
    }
    throw new Error(`Cannot sign PDF: the PKCS#12 (.p12) file is unreadable (${message})`, { cause: err });
  }
  const keyBags = parsed.getBags({ bagType: KEY_BAG })[KEY_BAG] ?? [];
  const key = keyBags[0]?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) throw new Error('Cannot sign PDF: the PKCS#12 (.p12) file holds no (shrouded) private key');
  const certBags = parsed.getBags({ bagType: CERT_BAG })[CERT_BAG] ?? [];
  const match = certBags.find((bag) => {
    const pub = bag.cert?.publicKey as forge.pki.rsa.PublicKey | undefined;
    return pub?.n && pub.n.compareTo(key.n) === 0 && pub.e.compareTo(key.e) === 0;
  });
  if (!match?.cert) throw new Error('Cannot sign PDF: the PKCS#12 (.p12) file holds no certificate matching its private key');
  const certDerLength = certBags.reduce(
    (sum, bag) => sum + (bag.cert ? forge.asn1.toDer(forge.pki.certificateToAsn1(bag.cert)).length() : 0),
    0,
  );
  return { certDerLength };
}

/**
 * Sign with a PKCS#12 (adbe.pkcs7.detached, SHA-256, CMS from node-forge via @signpdf).
 * Stateless: safe to call from a long-running worker for job after job.
 */
export async function signPdf(pdf: Buffer | Uint8Array, options: SignPdfOptions): Promise<Buffer> {
  const { p12, password, signingTime = new Date() } = options;
  const { certDerLength } = checkP12(Buffer.from(p12), password);
  const pdfBuffer = Buffer.isBuffer(pdf) ? pdf : Buffer.from(pdf);
  let withPlaceholder: Buffer;
  try {
    withPlaceholder = addPlaceholder(pdfBuffer, options, signingTime, certDerLength);
  } catch (err) {
    // placeholder-plain reads classic xref tables only (renderPdf writes those).
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`Cannot sign PDF: cannot add a signature placeholder to this PDF (${message})`, { cause: err });
  }
  const signer = options.cms
    ? new VariantSigner(Buffer.from(p12), password, options.cms)
    : new P12Signer(Buffer.from(p12), { passphrase: password });
  return new SignPdf().sign(withPlaceholder, signer, signingTime);
}

function addPlaceholder(pdfBuffer: Buffer, options: SignPdfOptions, signingTime: Date, certDerLength: number): Buffer {
  return plainAddPlaceholder({
    pdfBuffer,
    reason: options.reason ?? 'Document signed by the issuing organization',
    contactInfo: options.contactInfo ?? '',
    name: options.name ?? '',
    location: options.location ?? '',
    signingTime,
    // Room for the certificates, signed attributes and a 4096-bit signature.
    signatureLength: Math.max(8192, certDerLength + 4096),
    subFilter: options.subFilter ?? 'adbe.pkcs7.detached',
  });
}
