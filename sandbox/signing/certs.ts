import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface SelfSignedP12Options {
  commonName?: string;
  org?: string;
  validFrom?: Date;
  validTo?: Date;
  password: string;
  keyBits?: number;
  /** Add a subjectKeyIdentifier extension (default true, as `openssl req -x509` does). */
  subjectKeyIdentifier?: boolean;
}

export interface SelfSignedP12 {
  p12: Buffer;
  certPem: string;
  keyPem: string;
  /** Lowercase hex SHA-256 of the DER certificate, as QA pins it. */
  sha256: string;
}

const DAY_MS = 86_400_000;

/** An RSA key: node:crypto generates natively in milliseconds, forge's pure-JS keygen takes seconds. */
function rsaKey(bits = 2048): forge.pki.rsa.PrivateKey {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicExponent: 0x10001,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return forge.pki.privateKeyFromPem(privateKey);
}

/** A certificate for `key` with a positive random serial and the validity given; subject and extensions to set. */
function certificateFor(key: forge.pki.rsa.PrivateKey, validFrom: Date, validTo: Date): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  // Positive serial: a leading byte below 0x80 keeps the DER INTEGER unsigned.
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  cert.validity.notBefore = validFrom;
  cert.validity.notAfter = validTo;
  return cert;
}

function subjectOf(commonName: string, org?: string): forge.pki.CertificateField[] {
  return [{ name: 'commonName', value: commonName }, ...(org ? [{ name: 'organizationName', value: org }] : [])];
}

/** The PKCS#12 of a leaf (and its chain) with the leaf's PEMs and SHA-256; 3DES PBE reads everywhere (forge, OpenSSL 3, pyHanko). */
function packP12(key: forge.pki.rsa.PrivateKey, chain: forge.pki.Certificate[], password: string, friendlyName: string): SelfSignedP12 {
  const leaf = chain[0] as forge.pki.Certificate;
  const p12Asn1 = forge.pkcs12.toPkcs12Asn1(key, chain, password, { algorithm: '3des', friendlyName, generateLocalKeyId: true });
  const certDer = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(leaf)).getBytes(), 'binary');
  return {
    p12: Buffer.from(forge.asn1.toDer(p12Asn1).getBytes(), 'binary'),
    certPem: forge.pki.certificateToPem(leaf),
    keyPem: forge.pki.privateKeyToPem(key),
    sha256: createHash('sha256').update(certDer).digest('hex'),
  };
}

/**
 * A self-signed signing certificate and its key in a PKCS#12, the shape the
 * seed's openssl recipe produces ("CN=Nova Home Care" in a password-protected p12).
 */
export function createSelfSignedP12(options: SelfSignedP12Options): SelfSignedP12 {
  const {
    commonName = 'Nova Home Care',
    org,
    password,
    keyBits = 2048,
    subjectKeyIdentifier = true,
  } = options;
  const validFrom = options.validFrom ?? new Date(Date.now() - DAY_MS);
  const validTo = options.validTo ?? new Date(validFrom.getTime() + 365 * DAY_MS);
  if (validTo.getTime() <= validFrom.getTime()) {
    throw new Error(`createSelfSignedP12: validTo (${validTo.toISOString()}) must be after validFrom (${validFrom.toISOString()})`);
  }

  const privateKey = rsaKey(keyBits);
  const cert = certificateFor(privateKey, validFrom, validTo);
  const subject = subjectOf(commonName, org);
  cert.setSubject(subject);
  cert.setIssuer(subject);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true },
  ];
  if (subjectKeyIdentifier) extensions.push({ name: 'subjectKeyIdentifier' });
  cert.setExtensions(extensions);
  cert.sign(privateKey, forge.md.sha256.create());
  return packP12(privateKey, [cert], password, commonName);
}

export interface CaSignedP12 extends SelfSignedP12 {
  /** The issuing CA, to trust (a CA file) or to issue the next leaf with. */
  ca: { certPem: string; keyPem: string };
}

/**
 * A document-signing certificate issued by a CA (a commercial certificate's
 * shape): the PKCS#12 holds the leaf and the CA certificate. Pass `ca` to
 * renew under the same CA (a new leaf each year).
 */
export function createCaSignedP12(options: SelfSignedP12Options & { ca?: { certPem: string; keyPem: string }; caName?: string }): CaSignedP12 {
  const { commonName = 'Nova Home Care', org, password } = options;
  const validFrom = options.validFrom ?? new Date(Date.now() - DAY_MS);
  const validTo = options.validTo ?? new Date(validFrom.getTime() + 365 * DAY_MS);
  let ca = options.ca;
  if (!ca) {
    const caKey = rsaKey();
    const caCert = certificateFor(caKey, new Date(Date.now() - 30 * DAY_MS), new Date(Date.now() + 3650 * DAY_MS));
    const caSubject = subjectOf(options.caName ?? 'Test Document Signing CA');
    caCert.setSubject(caSubject);
    caCert.setIssuer(caSubject);
    caCert.setExtensions([
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    caCert.sign(caKey, forge.md.sha256.create());
    ca = { certPem: forge.pki.certificateToPem(caCert), keyPem: forge.pki.privateKeyToPem(caKey) };
  }
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const key = rsaKey();
  const cert = certificateFor(key, validFrom, validTo);
  cert.setSubject(subjectOf(commonName, org));
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return {
    ...packP12(key, [cert, caCert], password, commonName),
    ca,
  };
}
