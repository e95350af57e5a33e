/**
 * CMS signatures the way a misconfigured or hostile signer makes them, for the
 * faults and the validator's unit tests: SHA-1, a second SignerInfo, an ESS
 * signing-certificate-v2 attribute naming another certificate, or no signed
 * attributes at all (legal). Built with pkijs + node:crypto, since node-forge
 * (behind @signpdf's P12Signer) writes only its three fixed attributes.
 */
import { createHash, createPrivateKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import { P12Signer } from '@signpdf/signer-p12';

export interface CmsVariant {
  /** The digest and signature hash (default sha256). */
  digest?: 'sha256' | 'sha1';
  /** Write the SignerInfo twice (ISO 32000-1 allows exactly one). */
  secondSignerInfo?: boolean;
  /** DER of the certificate a signing-certificate-v2 attribute names (the signer's own when it should match). */
  essCertificateDer?: Buffer;
  /** Write the RFC 2634 signing-certificate (v1, SHA-1 certHash) instead of v2. */
  essVersion?: 1 | 2;
  /** false: no signed attributes, the signature is over the covered bytes (default true). */
  signedAttributes?: boolean;
}

const OIDS = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha1: '1.3.14.3.2.26',
  rsaEncryption: '1.2.840.113549.1.1.1',
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
};

/** The private key and the certificate matching it, from a PKCS#12. */
export function readP12(p12: Buffer, password: string): { key: KeyObject; certDer: Buffer } {
  const parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary'))), false, password);
  const keyBag = parsed.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!]?.[0];
  const key = keyBag?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) throw new Error('the PKCS#12 holds no private key');
  const certBag = (parsed.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? []).find((b) => {
    const pub = b.cert?.publicKey as forge.pki.rsa.PublicKey | undefined;
    return pub?.n.compareTo(key.n) === 0;
  });
  if (!certBag?.cert) throw new Error('the PKCS#12 holds no certificate matching its key');
  return {
    key: createPrivateKey(forge.pki.privateKeyToPem(key)),
    certDer: Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certBag.cert)).getBytes(), 'binary'),
  };
}

export function buildCms(covered: Buffer, key: KeyObject, certDer: Buffer, variant: CmsVariant, signingTime = new Date()): Buffer {
  const digest = variant.digest ?? 'sha256';
  const cert = pkijs.Certificate.fromBER(new Uint8Array(certDer));
  const alg = () => new pkijs.AlgorithmIdentifier({ algorithmId: OIDS[digest], algorithmParams: new asn1js.Null() });
  const withAttrs = variant.signedAttributes !== false;
  const attrs = [
    new pkijs.Attribute({ type: OIDS.contentType, values: [new asn1js.ObjectIdentifier({ value: OIDS.data })] }),
    new pkijs.Attribute({ type: OIDS.signingTime, values: [new asn1js.UTCTime({ valueDate: signingTime })] }),
    new pkijs.Attribute({ type: OIDS.messageDigest, values: [new asn1js.OctetString({ valueHex: createHash(digest).update(covered).digest() })] }),
  ];
  if (variant.essCertificateDer) {
    // SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2) }; ESSCertID(v2) ::= SEQUENCE { certHash }
    // (v1: SHA-1; v2: SHA-256 by default).
    const v1 = variant.essVersion === 1;
    const certHash = createHash(v1 ? 'sha1' : 'sha256').update(variant.essCertificateDer).digest();
    const value = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: certHash })] })] })] });
    attrs.push(new pkijs.Attribute({ type: v1 ? OIDS.signingCertificate : OIDS.signingCertificateV2, values: [value] }));
  }
  // The signature covers the attributes as a SET OF, not as the [0] they are stored in.
  const toBeSigned = withAttrs ? Buffer.from(new asn1js.Set({ value: attrs.map((a) => a.toSchema()) }).toBER()) : covered;
  const signerInfo = () =>
    new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
      digestAlgorithm: alg(),
      ...(withAttrs ? { signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs }) } : {}),
      signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OIDS.rsaEncryption, algorithmParams: new asn1js.Null() }),
      signature: new asn1js.OctetString({ valueHex: cryptoSign(digest, toBeSigned, key) }),
    });
  const signed = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [alg()],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OIDS.data }),
    certificates: [cert],
    signerInfos: variant.secondSignerInfo ? [signerInfo(), signerInfo()] : [signerInfo()],
  });
  return Buffer.from(new pkijs.ContentInfo({ contentType: OIDS.signedData, content: signed.toSchema(true) }).toSchema().toBER());
}

/** A @signpdf signer (SignPdf wants a Signer) that writes one of the variants above. */
export class VariantSigner extends P12Signer {
  constructor(
    private readonly p12: Buffer,
    private readonly password: string,
    private readonly variant: CmsVariant,
  ) {
    super(p12, { passphrase: password });
  }

  override async sign(pdfBuffer: Buffer, signingTime?: Date): Promise<Buffer> {
    const { key, certDer } = readP12(this.p12, this.password);
    return buildCms(pdfBuffer, key, certDer, this.variant, signingTime);
  }
}
