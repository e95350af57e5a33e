import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

export interface SandboxCertificates {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** A private CA that issues the sandbox's server certificates. */
export interface SandboxCa {
  caPem: string;
  /** A server certificate for 127.0.0.1 / localhost, valid `validDays` from now (same key for every one). */
  issue(validDays: number): SandboxCertificates;
}

const CA_NAME = [{ name: 'commonName', value: 'Smoke Sandbox Local CA' }];

function rsaKeys(): { key: KeyObject; forgePublic: forge.pki.PublicKey } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { key: privateKey, forgePublic: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()) };
}

/** forge builds the certificate; Node signs it (forge's pure-JS RSA costs a quarter second a signature). */
function signWith(cert: forge.pki.Certificate, key: KeyObject): void {
  cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption ?? '1.2.840.113549.1.1.11';
  cert.signatureOid = cert.siginfo.algorithmOid;
  // getTBSCertificate is public in forge but missing from its type definitions.
  const pki = forge.pki as typeof forge.pki & { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 };
  cert.tbsCertificate = pki.getTBSCertificate(cert);
  const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), 'binary');
  cert.signature = sign('sha256', tbs, key).toString('binary');
}

const serial = () => `01${randomBytes(15).toString('hex')}`;

/**
 * The sandbox's CA and server key, made at every start and never written
 * anywhere but the sandbox's temp folder. One CA and one server key serve
 * both HTTPS and PostgreSQL: two RSA keys per start, not four.
 */
export function createSandboxCa(now: Date = new Date()): SandboxCa {
  const caKeys = rsaKeys();
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.forgePublic;
  ca.serialNumber = serial();
  ca.validity.notBefore = new Date(now.getTime() - 3_600_000);
  ca.validity.notAfter = new Date(now.getTime() + 3650 * 86_400_000);
  ca.setSubject(CA_NAME);
  ca.setIssuer(CA_NAME);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signWith(ca, caKeys.key);
  const caPem = forge.pki.certificateToPem(ca);

  const leafKeys = rsaKeys();
  const keyPem = leafKeys.key.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    caPem,
    issue(validDays: number): SandboxCertificates {
      const leaf = forge.pki.createCertificate();
      leaf.publicKey = leafKeys.forgePublic;
      leaf.serialNumber = serial();
      leaf.validity.notBefore = new Date(now.getTime() - 3_600_000);
      leaf.validity.notAfter = new Date(now.getTime() + validDays * 86_400_000);
      leaf.setSubject([{ name: 'commonName', value: 'localhost' }]);
      leaf.setIssuer(CA_NAME);
      leaf.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
      ]);
      signWith(leaf, caKeys.key);
      return { caPem, certPem: forge.pki.certificateToPem(leaf), keyPem };
    },
  };
}

/** A CA and one server certificate valid `validDays`. */
export function createSandboxCertificates(opts: { validDays: number; now?: Date }): SandboxCertificates {
  return createSandboxCa(opts.now).issue(opts.validDays);
}
