import { createCipheriv, createHash, generateKeyPairSync, pbkdf2Sync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  IV_BYTES,
  PBKDF2_ITERATIONS,
  RSA_BITS,
  SALT_BYTES,
  WRAPPED_KEY_BYTES,
  bytesToBase64,
  consentEnvelopesFromRow,
  decryptConsentRow,
  decryptFromPractice,
  decryptPatientField,
  decryptPrivateKey,
  decryptVaultBlob,
  deriveVaultKey,
  encryptForPractice,
  encryptPatientField,
  encryptPrivateKey,
  inspectEncryptedEnvelope,
  inspectEncryptedPrivKey,
  inspectPublicKeyJwk,
  keyPairMatches,
  patientLookupHash,
  unwrapVaultSession,
  type EncryptedEnvelope,
  type EncryptedPrivKey,
} from './vault-crypto.ts';

// The browser twin is plain JS outside the type-checked tree; this is its API as used here.
interface BrowserVaultCrypto {
  PBKDF2_ITERATIONS: number;
  VAULT_SESSION_KEY: string;
  generatePracticeKeys(
    masterPassword: string,
    opts?: { iterations?: number },
  ): Promise<{ publicKey: JsonWebKey; encryptedPrivKey: EncryptedPrivKey; privateKey: CryptoKey }>;
  unlockPrivateKey(blob: EncryptedPrivKey, masterPassword: string, opts?: { iterations?: number }): Promise<CryptoKey>;
  encryptForPractice(plaintext: string, publicJwk: JsonWebKey): Promise<EncryptedEnvelope>;
  decryptFromPractice(payload: EncryptedEnvelope, privateKey: CryptoKey): Promise<string>;
  encryptPatientField(value: string, publicJwk: JsonWebKey): Promise<string>;
  decryptPatientField(stored: string, privateKey: CryptoKey): Promise<string>;
  patientLookupHash(name: string, dob: string): Promise<string>;
  wrapForSession(privateKey: CryptoKey): Promise<{ wrapped: string; sessionKeyB64: string }>;
  unwrapFromSession(stored: string | { wrapped: string; sessionKeyB64: string }): Promise<CryptoKey>;
}

// A non-literal specifier keeps tsc from demanding a .d.ts for the JS file.
const BROWSER_MODULE: string = '../sandbox/web/static/vault-crypto.js';
const MASTER = 'Smoke-Master-Passwort-9!';
const FAST = { iterations: 1_000 }; // only where the function takes iterations explicitly

/** The Error a promise rejects with (fails the test if it resolves). */
async function errorOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`rejected with a non-Error: ${String(err)}`);
  }
  throw new Error('expected a rejection, but the promise resolved');
}

let browser: BrowserVaultCrypto;
let practice: Awaited<ReturnType<BrowserVaultCrypto['generatePracticeKeys']>>;
let pkcs8: ArrayBuffer;
let other2048: { publicJwk: JsonWebKey; privateJwk: JsonWebKey; privateKey: CryptoKey; pkcs8: Buffer };

beforeAll(async () => {
  browser = (await import(BROWSER_MODULE)) as BrowserVaultCrypto;
  // The one RSA-4096 keypair of the file (seconds), made by the browser code with the
  // production 600000 PBKDF2 iterations, as practice setup does.
  practice = await browser.generatePracticeKeys(MASTER);
  pkcs8 = await crypto.subtle.exportKey('pkcs8', practice.privateKey);

  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
  other2048 = {
    publicJwk: pair.publicKey.export({ format: 'jwk' }) as JsonWebKey,
    privateJwk: pair.privateKey.export({ format: 'jwk' }) as JsonWebKey,
    privateKey: await crypto.subtle.importKey('pkcs8', new Uint8Array(der), { name: 'RSA-OAEP', hash: 'SHA-256' }, false, [
      'decrypt',
    ]),
    pkcs8: der,
  };
}, 90_000);

describe('constants match the contract', () => {
  it('uses PBKDF2 600000, 16-byte salt, 12-byte IV, RSA-4096', () => {
    expect([PBKDF2_ITERATIONS, SALT_BYTES, IV_BYTES, RSA_BITS, WRAPPED_KEY_BYTES]).toEqual([600_000, 16, 12, 4096, 512]);
    expect(browser.PBKDF2_ITERATIONS).toBe(PBKDF2_ITERATIONS);
    expect(browser.VAULT_SESSION_KEY).toBe('vault-session-key');
  });
});

describe('vault: private key under the master password', () => {
  it('unlocks browser-generated keys with 600000 iterations and proves the pairing', async () => {
    expect(inspectPublicKeyJwk(practice.publicKey)).toEqual({ ok: true, problems: [], modulusBits: 4096, exponent: 65537 });
    expect(inspectEncryptedPrivKey(practice.encryptedPrivKey)).toEqual([]);
    const privateKey = await decryptPrivateKey(practice.encryptedPrivKey, MASTER);
    expect(privateKey.type).toBe('private');
    expect(privateKey.extractable).toBe(false);
    expect(await keyPairMatches(privateKey, practice.publicKey)).toBe(true);
  });

  it('fails a wrong master password on the GCM tag, without echoing it', async () => {
    const wrong = 'Wrong-Master-Passwort-1!';
    const error = await errorOf(decryptPrivateKey(practice.encryptedPrivKey, wrong));
    expect(error.message).toMatch(/AES-GCM tag check failed \(wrong master password or corrupted blob\)/);
    expect(error.message).not.toContain(wrong);
    expect(error.message).not.toContain(MASTER);
  });

  it('fails a corrupted blob the same way', async () => {
    const blob = await encryptPrivateKey(pkcs8, MASTER, FAST);
    const bytes = Buffer.from(blob.ciphertext, 'base64');
    bytes[100] = (bytes[100] ?? 0) ^ 1;
    await expect(decryptPrivateKey({ ...blob, ciphertext: bytes.toString('base64') }, MASTER, FAST)).rejects.toThrow(
      /GCM tag check failed/,
    );
  });

  it('round-trips a suite-encrypted blob that passes its own inspection', async () => {
    const blob = await encryptPrivateKey(pkcs8, MASTER, FAST);
    expect(Object.keys(blob)).toEqual(['salt', 'iv', 'ciphertext']);
    expect(inspectEncryptedPrivKey(blob)).toEqual([]);
    expect(await keyPairMatches(await decryptPrivateKey(blob, MASTER, FAST), practice.publicKey)).toBe(true);
  });

  it('produces blobs the browser twin unlocks, and the twin rejects a wrong password', async () => {
    const blob = await encryptPrivateKey(pkcs8, MASTER, FAST);
    const unlocked = await browser.unlockPrivateKey(blob, MASTER, FAST);
    expect(await keyPairMatches(unlocked, practice.publicKey)).toBe(true);
    await expect(browser.unlockPrivateKey(blob, 'nope', FAST)).rejects.toThrow(/Wrong password.*GCM tag check failed/);
  });

  it('says the password was right when the decrypted blob is not a PKCS#8 key', async () => {
    const blob = await encryptPrivateKey(new TextEncoder().encode('not a key'), MASTER, FAST);
    await expect(decryptPrivateKey(blob, MASTER, FAST)).rejects.toThrow(/password right.*not a PKCS#8/);
  });

  it('tells a matching key pair from a foreign one', async () => {
    expect(await keyPairMatches(other2048.privateKey, practice.publicKey)).toBe(false);
    expect(await keyPairMatches(practice.privateKey, other2048.publicJwk)).toBe(false);
  });
});

describe('known answers, computed once with node:crypto', () => {
  const password = 'Kat-Master-Passwort-1!';
  const salt = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
  const iv = Buffer.from('a0a1a2a3a4a5a6a7a8a9aaab', 'hex');
  const plaintext = Buffer.from('DermaConsent vault KAT', 'utf8');
  const KEY_HEX = '298f89d505d7314c0363109e41ab41edd58778c7a27de733a6c46d35d09e7670';
  const BLOB = {
    salt: 'AAECAwQFBgcICQoLDA0ODw==',
    iv: 'oKGio6Slpqeoqaqr',
    ciphertext: 'P5KU+Oh6bkGrTT+ALYDqA4S0mSjwdWKHjuZyr2TIU+OYJL3v2AA=',
  };

  it('derives the pinned PBKDF2-SHA-256 key at 600000 iterations, as node:crypto does', async () => {
    expect(pbkdf2Sync(password, salt, PBKDF2_ITERATIONS, 32, 'sha256').toString('hex')).toBe(KEY_HEX);
    const key = await deriveVaultKey(password, salt.toString('base64'), { extractable: true });
    expect(Buffer.from(await crypto.subtle.exportKey('raw', key)).toString('hex')).toBe(KEY_HEX);
  });

  it('encrypts a fixed password, salt, IV and plaintext to the pinned blob', async () => {
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(KEY_HEX, 'hex'), iv);
    const independent = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]).toString('base64');
    expect(independent).toBe(BLOB.ciphertext);
    expect(await encryptPrivateKey(plaintext, password, { salt, iv })).toEqual(BLOB);
    expect(Buffer.from(await decryptVaultBlob(BLOB, password)).toString('utf8')).toBe(plaintext.toString('utf8'));
  });

  it('pins the patient lookup hash', async () => {
    const expected = 'e5301798f842e866859313f13fe6479b872ab912f7e8c2bccf18076182a484fb';
    expect(patientLookupHash('  Max Mustermann ', '1990-01-15')).toBe(expected);
    expect(await browser.patientLookupHash('  Max Mustermann ', '1990-01-15')).toBe(expected);
    expect(createHash('sha256').update('max mustermann:1990-01-15').digest('hex')).toBe(expected);
  });
});

describe('inspectPublicKeyJwk', () => {
  it('flags a 2048-bit modulus', () => {
    const result = inspectPublicKeyJwk(other2048.publicJwk);
    expect(result.ok).toBe(false);
    expect(result.modulusBits).toBe(2048);
    expect(result.problems).toContain('modulus: expected 4096 bits, got 2048');
  });

  it('flags an exponent other than AQAB', () => {
    const result = inspectPublicKeyJwk({ ...practice.publicKey, e: 'Aw' });
    expect(result.exponent).toBe(3);
    expect(result.problems).toEqual(['e: expected "AQAB" (65537), got "Aw" (3)']);
  });

  it('flags wrong kty, missing n, private members, a SHA-1 alg and non-objects', () => {
    const { n: _n, ...withoutN } = practice.publicKey;
    const problems = inspectPublicKeyJwk({ ...withoutN, kty: 'EC', alg: 'RSA-OAEP' }).problems.join('\n');
    expect(problems).toMatch(/kty: expected "RSA", got "EC"/);
    expect(problems).toMatch(/n \(modulus\): missing/);
    expect(problems).toMatch(/alg: expected "RSA-OAEP-256"/);
    expect(inspectPublicKeyJwk(other2048.privateJwk).problems.join('\n')).toMatch(/private key member\(s\) d, p, q, dp, dq, qi/);
    expect(inspectPublicKeyJwk('{"kty":"RSA"}').problems).toEqual(['expected a JWK object, got a string of 13 chars']);
  });
});

describe('inspectEncryptedPrivKey', () => {
  const salt = bytesToBase64(new Uint8Array(16));
  const iv = bytesToBase64(new Uint8Array(12));

  it('flags a clear PKCS#8 key stored as the ciphertext', () => {
    expect(inspectEncryptedPrivKey({ salt, iv, ciphertext: bytesToBase64(pkcs8) })).toEqual([
      'ciphertext: contains the DER rsaEncryption OID: it is a clear PKCS#8/SPKI key, not ciphertext',
    ]);
  });

  it('flags a clear JWK, top-level private members and PEM', async () => {
    const jwk = await crypto.subtle.exportKey('jwk', practice.privateKey);
    const asCiphertext = inspectEncryptedPrivKey({ salt, iv, ciphertext: Buffer.from(JSON.stringify(jwk)).toString('base64') });
    expect(asCiphertext.join('\n')).toMatch(/decodes to a JWK with private members/);
    expect(inspectEncryptedPrivKey(jwk).join('\n')).toMatch(/holds private key member\(s\) d, p, q, dp, dq, qi/);
    const pem = `-----BEGIN PRIVATE KEY-----\n${bytesToBase64(pkcs8)}\n-----END PRIVATE KEY-----`;
    const pemProblems = inspectEncryptedPrivKey({ salt, iv, ciphertext: pem }).join('\n');
    expect(pemProblems).toMatch(/PEM block/);
    expect(pemProblems).toMatch(/ciphertext: expected standard padded base64/);
  });

  it('flags wrong sizes, extra fields and bad base64', () => {
    const small = Buffer.concat([other2048.pkcs8, Buffer.alloc(16)]).map((b) => b ^ 0x5a);
    const problems = inspectEncryptedPrivKey({
      salt: bytesToBase64(new Uint8Array(8)),
      iv: 'not base64!',
      ciphertext: bytesToBase64(small),
      version: 1,
    });
    expect(problems).toEqual([
      'unexpected field(s) version: expected exactly salt, iv, ciphertext',
      'salt: expected 16 bytes, got 8',
      'iv: expected standard padded base64, got a string of 11 chars',
      `ciphertext: expected 2300-2600 bytes (PKCS#8 RSA-4096 + 16-byte tag), got ${small.length}`,
    ]);
    expect(inspectEncryptedPrivKey(null)).toEqual(['expected an object {salt, iv, ciphertext}, got null']);
  });
});

describe('hybrid envelopes: consent answers and patient fields', () => {
  const answers = { treatmentAreas: ['forehead'], previousBotox: 'Twice, 2023', signatureData: 'data:image/png;base64,iVBORw0KGgo=' };

  it('round-trips in the suite with a 512-byte wrapped key', async () => {
    const envelope = await encryptForPractice(JSON.stringify(answers), practice.publicKey);
    expect(Object.keys(envelope)).toEqual(['encryptedSessionKey', 'iv', 'ciphertext']);
    expect(Buffer.from(envelope.encryptedSessionKey, 'base64')).toHaveLength(512);
    expect(inspectEncryptedEnvelope(envelope)).toEqual([]);
    expect(JSON.parse(await decryptFromPractice(envelope, practice.privateKey))).toEqual(answers);
  });

  it('decrypts a browser-encrypted consent row with the wrapped key in the column or inside the responses', async () => {
    const { encryptedSessionKey, iv, ciphertext } = await browser.encryptForPractice(JSON.stringify(answers), practice.publicKey);
    expect(inspectEncryptedEnvelope({ encryptedSessionKey, iv, ciphertext })).toEqual([]);
    const privateKey = await decryptPrivateKey(await encryptPrivateKey(pkcs8, MASTER, FAST), MASTER, FAST);
    const asPosted = { encrypted_responses: { iv, ciphertext }, encrypted_session_key: encryptedSessionKey };
    expect(await decryptConsentRow(asPosted, privateKey)).toEqual(answers);
    const embedded = { encrypted_responses: { iv, ciphertext, encryptedSessionKey }, encrypted_session_key: null };
    expect(await decryptConsentRow(embedded, privateKey)).toEqual(answers);
    const camel = { encryptedResponses: JSON.stringify({ iv, ciphertext }), encryptedSessionKey };
    expect(await decryptConsentRow(camel, privateKey)).toEqual(answers);
  });

  it('falls back to the embedded wrapped key when the column one does not open', async () => {
    const good = await encryptForPractice(JSON.stringify(answers), practice.publicKey);
    const foreign = await encryptForPractice('x', other2048.publicJwk);
    const row = { encrypted_responses: good, encrypted_session_key: foreign.encryptedSessionKey };
    expect(consentEnvelopesFromRow(row)).toHaveLength(2);
    expect(await decryptConsentRow(row, practice.privateKey)).toEqual(answers);
    const keyless = { encrypted_responses: { iv: good.iv, ciphertext: good.ciphertext } };
    await expect(decryptConsentRow(keyless, practice.privateKey)).rejects.toThrow(/no wrapped session key/);
  });

  it('produces envelopes the browser twin decrypts', async () => {
    const envelope = await encryptForPractice(JSON.stringify(answers), practice.publicKey);
    expect(JSON.parse(await browser.decryptFromPractice(envelope, practice.privateKey))).toEqual(answers);
  });

  it('reads browser-encrypted patient fields, whose plaintext is JSON-encoded like the real UI', async () => {
    const stored = await browser.encryptPatientField('Max Mustermann', practice.publicKey);
    const envelope = JSON.parse(stored) as EncryptedEnvelope;
    expect(Object.keys(envelope)).toEqual(['encryptedSessionKey', 'iv', 'ciphertext']);
    expect(await decryptFromPractice(envelope, practice.privateKey)).toBe('"Max Mustermann"');
    expect(await decryptPatientField(stored, practice.privateKey)).toBe('Max Mustermann');
    const legacy = JSON.stringify(await encryptForPractice(JSON.stringify({ value: '1990-01-15' }), practice.publicKey));
    expect(await decryptPatientField(legacy, practice.privateKey)).toBe('1990-01-15');
  });

  it('writes patient fields the browser twin reads', async () => {
    const stored = await encryptPatientField('max@example.test', practice.publicKey);
    expect(await browser.decryptPatientField(stored, practice.privateKey)).toBe('max@example.test');
  });

  it('says why an envelope does not open, without the plaintext', async () => {
    const envelope = await encryptForPractice(JSON.stringify('Erika Musterfrau'), practice.publicKey);
    await expect(decryptFromPractice(envelope, other2048.privateKey)).rejects.toThrow(/encryptedSessionKey: expected 256 bytes/);
    const otherRsa4096 = await encryptForPractice('x', practice.publicKey);
    const swapped = { ...envelope, encryptedSessionKey: otherRsa4096.encryptedSessionKey };
    const error = await errorOf(decryptFromPractice(swapped, practice.privateKey));
    expect(error.message).toMatch(/AES-GCM tag check failed/);
    expect(error.message).not.toContain('Erika');
    expect(inspectEncryptedEnvelope({ encryptedSessionKey: 'AAAA', iv: bytesToBase64(new Uint8Array(16)) })).toEqual([
      'encryptedSessionKey: expected 512 bytes (RSA-OAEP output), got 3 bytes',
      'iv: expected 12 bytes, got 16 bytes',
      'ciphertext: expected standard padded base64, got undefined',
    ]);
    await expect(decryptPatientField('[encrypted]', practice.privateKey)).rejects.toThrow(/patient field: expected JSON.stringify/);
  });
});

describe('vault session in sessionStorage', () => {
  it('round-trips the tab key between the browser twin and the suite', async () => {
    const unlocked = await browser.unlockPrivateKey(await encryptPrivateKey(pkcs8, MASTER, FAST), MASTER, FAST);
    const stored = JSON.stringify(await browser.wrapForSession(unlocked));
    expect(Object.keys(JSON.parse(stored) as object)).toEqual(['wrapped', 'sessionKeyB64']);
    expect(await keyPairMatches(await unwrapVaultSession(stored), practice.publicKey)).toBe(true);
    const restored = await browser.unwrapFromSession(stored);
    const envelope = await encryptForPractice('"restored"', practice.publicKey);
    expect(await browser.decryptFromPractice(envelope, restored)).toBe('"restored"');
    const wrongKey = { ...(JSON.parse(stored) as { wrapped: string }), sessionKeyB64: bytesToBase64(new Uint8Array(32)) };
    await expect(unwrapVaultSession(wrongKey)).rejects.toThrow(/vault-session-key: unwrap failed/);
  });
});
