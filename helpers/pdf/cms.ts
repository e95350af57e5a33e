/**
 * CMS (PKCS#7) SignedData as PDF signatures carry it: parsed with asn1js +
 * pkijs, digests and signature values checked with node:crypto. node-forge is
 * deliberately not used: it cannot verify PKCS#7 and does not understand
 * SubjectKeyIdentifier signer IDs (which pyHanko may write).
 */
import { createHash, verify as cryptoVerify, X509Certificate, constants as cryptoConstants } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  subjectKeyIdentifier: '2.5.29.14',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  ed25519: '1.3.101.112',
  ecPublicKey: '1.2.840.10045.2.1',
} as const;

export const DIGESTS: Record<string, string> = {
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

export const toBuf = (v: ArrayBuffer | Uint8Array): Buffer =>
  v instanceof ArrayBuffer ? Buffer.from(v) : Buffer.from(v.buffer, v.byteOffset, v.byteLength);

export function attributeValue(signerInfo: pkijs.SignerInfo, oid: string): unknown {
  return signerInfo.signedAttrs?.attributes.find((a) => a.type === oid)?.values[0];
}

export function rdnString(names: pkijs.RelativeDistinguishedNames): string {
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
export function findSignerCertificate(signed: pkijs.SignedData, signerInfo: pkijs.SignerInfo): { cert?: pkijs.Certificate; how: string } {
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

/**
 * The signature value over `data`: the DER signed attributes, or (without
 * signed attributes) the covered bytes themselves. `hash` is the hash the
 * signature algorithm uses, for the SHA-1 policy.
 */
export function verifySignature(
  signerInfo: pkijs.SignerInfo,
  data: Buffer,
  certDer: Buffer,
  digestName: string,
  over = 'the signed attributes',
): { ok: boolean; detail: string; hash?: string } {
  const sigAlg = signerInfo.signatureAlgorithm.algorithmId;
  const signature = toBuf(signerInfo.signature.valueBlock.valueHexView);
  const key = new X509Certificate(certDer).publicKey;
  let ok: boolean;
  let algName: string;
  let used: string | undefined;
  if (sigAlg === OID.rsaEncryption || RSA_PKCS1_SIG[sigAlg]) {
    const hash = RSA_PKCS1_SIG[sigAlg] ?? digestName;
    algName = `RSA PKCS#1 v1.5 with ${hash}`;
    used = hash;
    ok = cryptoVerify(hash, data, { key, padding: cryptoConstants.RSA_PKCS1_PADDING }, signature);
  } else if (sigAlg === OID.rsassaPss) {
    const params = new pkijs.RSASSAPSSParams({ schema: signerInfo.signatureAlgorithm.algorithmParams });
    const hash = DIGESTS[params.hashAlgorithm.algorithmId] ?? 'sha1';
    algName = `RSASSA-PSS with ${hash}, salt ${params.saltLength}`;
    used = hash;
    ok = cryptoVerify(hash, data, { key, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, signature);
  } else if (ECDSA_SIG[sigAlg] || sigAlg === OID.ecPublicKey) {
    const hash = ECDSA_SIG[sigAlg] ?? digestName;
    algName = `ECDSA with ${hash}`;
    used = hash;
    ok = cryptoVerify(hash, data, { key, dsaEncoding: 'der' }, signature);
  } else if (sigAlg === OID.ed25519) {
    algName = 'Ed25519';
    ok = cryptoVerify(null, data, key, signature);
  } else {
    return { ok: false, detail: `unsupported signature algorithm ${sigAlg}` };
  }
  return ok
    ? { ok: true, detail: `${algName} signature over ${over} verifies with the signer certificate's public key`, hash: used }
    : { ok: false, detail: `${algName} signature over ${over} does NOT verify with the signer certificate's public key (signature value corrupted, or made with another key)`, hash: used };
}

export interface ParsedCms {
  signed?: pkijs.SignedData;
  signerInfo?: pkijs.SignerInfo;
  /** What was found, or why nothing usable was. */
  detail: string;
  warnings: string[];
}

/** The CMS SignedData in a /Contents hex string (zero padding after the DER allowed). */
export function parseSignedData(hexDigits: string): ParsedCms {
  if (/^0*$/.test(hexDigits)) {
    return { detail: `empty placeholder: /Contents holds only zeros (${Math.ceil(hexDigits.length / 2)} bytes), no CMS signature was ever written`, warnings: [] };
  }
  const hex = hexDigits.length % 2 ? hexDigits + '0' : hexDigits;
  const der = new Uint8Array(Buffer.from(hex, 'hex')); // a private copy: pkijs patches tag bytes in place
  const warnings: string[] = [];
  try {
    const asn = asn1js.fromBER(der);
    if (asn.offset === -1) throw new Error(asn.result.error || 'not BER/DER');
    const trailing = der.subarray(asn.offset);
    if (trailing.some((x) => x !== 0)) {
      throw new Error(`${trailing.filter((x) => x !== 0).length} non-zero byte(s) follow the CMS structure inside /Contents`);
    }
    const info = new pkijs.ContentInfo({ schema: asn.result });
    if (info.contentType !== OID.signedData) throw new Error(`content type is ${info.contentType}, expected SignedData (${OID.signedData})`);
    const signed = new pkijs.SignedData({ schema: info.content });
    if (signed.signerInfos.length === 0) throw new Error('SignedData has no SignerInfo');
    if (signed.signerInfos.length > 1) {
      return { detail: `the SignedData holds ${signed.signerInfos.length} SignerInfos; a PDF signature has exactly one signer (ISO 32000-1, 12.8.3.3)`, warnings };
    }
    if (signed.encapContentInfo.eContent) warnings.push('the CMS embeds its content although the SubFilter says detached');
    return {
      signed,
      signerInfo: signed.signerInfos[0]!,
      detail: `SignedData with ${signed.signerInfos.length} SignerInfo(s), ${signed.certificates?.length ?? 0} certificate(s), ${asn.offset} DER bytes + ${trailing.length} bytes zero padding`,
      warnings,
    };
  } catch (err) {
    return { detail: `cannot parse the CMS SignedData in /Contents: ${err instanceof Error ? err.message : String(err)}`, warnings: [] };
  }
}

export interface EssCertId {
  attribute: 'signing-certificate' | 'signing-certificate-v2';
  hashName?: string;
  hashOid: string;
  hash: Buffer;
  serial?: Buffer;
}

/**
 * The first ESSCertID of the signing-certificate (RFC 2634, SHA-1) or
 * signing-certificate-v2 (RFC 5035, SHA-256 by default) signed attribute: the
 * certificate the signer meant. Undefined when neither is present.
 */
export function essSigningCertificate(signerInfo: pkijs.SignerInfo): EssCertId | { error: string } | undefined {
  for (const [oid, attribute] of [
    [OID.signingCertificateV2, 'signing-certificate-v2'],
    [OID.signingCertificate, 'signing-certificate'],
  ] as const) {
    const v = attributeValue(signerInfo, oid);
    if (v === undefined) continue;
    try {
      const certs = (v as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
      const first = certs.valueBlock.value[0] as asn1js.Sequence | undefined;
      if (!first) return { error: `the ${attribute} attribute lists no certificate` };
      const items = first.valueBlock.value;
      let k = 0;
      let hashOid = attribute === 'signing-certificate' ? '1.3.14.3.2.26' : '2.16.840.1.101.3.4.2.1';
      if (attribute === 'signing-certificate-v2' && items[0] instanceof asn1js.Sequence) {
        hashOid = (items[0].valueBlock.value[0] as asn1js.ObjectIdentifier).getValue();
        k = 1;
      }
      const hash = items[k];
      if (!(hash instanceof asn1js.OctetString)) return { error: `the ${attribute} attribute's certHash is not an OCTET STRING` };
      const issuerSerial = items[k + 1];
      const serial = issuerSerial instanceof asn1js.Sequence ? issuerSerial.valueBlock.value[1] : undefined;
      return {
        attribute,
        hashOid,
        hashName: DIGESTS[hashOid],
        hash: toBuf(hash.valueBlock.valueHexView),
        ...(serial instanceof asn1js.Integer ? { serial: toBuf(serial.valueBlock.valueHexView) } : {}),
      };
    } catch (err) {
      return { error: `the ${attribute} attribute cannot be read (${err instanceof Error ? err.message : String(err)})` };
    }
  }
  return undefined;
}
