// DermaConsent's client-side encryption, re-implemented for the suite so it can judge
// what the browser stored (DC-FLOW-2/3/6/7) without trusting the page's own code.
// Formats follow docs/targets/dermaconsent.md "Encryption formats" and the real frontend's
// lib/crypto.ts; sandbox/web/static/vault-crypto.js is the browser twin and the unit
// tests prove the two interoperate.
//
// Error messages say what was expected and what was seen, but never carry the master
// password, key material or decrypted plaintext: they end up in CI reports.

import { createHash } from 'node:crypto';

export const PBKDF2_ITERATIONS = 600_000;
export const SALT_BYTES = 16;
export const IV_BYTES = 12;
export const RSA_BITS = 4096;
export const AES_KEY_BYTES = 32;
export const GCM_TAG_BYTES = 16;
/** RSA-OAEP output is exactly the modulus size: 512 bytes for RSA-4096. */
export const WRAPPED_KEY_BYTES = RSA_BITS / 8;
export const VAULT_SESSION_STORAGE_KEY = 'vault-session-key';
/**
 * Plausible size of the encrypted private key: WebCrypto's PKCS#8 for RSA-4096 is
 * ~2370-2380 bytes, plus the 16-byte GCM tag. RSA-2048 would be ~1230.
 */
export const MIN_ENCRYPTED_PKCS8_BYTES = 2300;
export const MAX_ENCRYPTED_PKCS8_BYTES = 2600;

const subtle = globalThis.crypto.subtle;
const RSA_OAEP: RsaHashedImportParams = { name: 'RSA-OAEP', hash: 'SHA-256' };
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];
// DER of PKCS#8 for rsaEncryption: SEQUENCE { INTEGER 0, SEQUENCE { OID 1.2.840.113549.1.1.1 ...
const RSA_ENCRYPTION_OID = Uint8Array.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]);

export interface EncryptedPrivKey {
  salt: string;
  iv: string;
  ciphertext: string;
}

/** One hybrid-encrypted value, as the browser posts it (all base64). */
export interface EncryptedEnvelope {
  encryptedSessionKey: string;
  iv: string;
  ciphertext: string;
}

export interface PublicKeyInspection {
  ok: boolean;
  problems: string[];
  modulusBits: number | null;
  exponent: number | null;
}

export interface KdfOptions {
  /** Only for unit tests; everything that talks to the target uses the default. */
  iterations?: number;
}

export interface EncryptPrivateKeyOptions extends KdfOptions {
  /** Fixed salt/IV: only for known-answer tests, never reuse an IV for real data. */
  salt?: Uint8Array;
  iv?: Uint8Array;
}

export interface DecryptPrivateKeyOptions extends KdfOptions {
  extractable?: boolean;
}

/** A consent_forms row (snake_case) or the API's camelCase shape. */
export interface ConsentRowCiphertext {
  encrypted_responses?: unknown;
  encrypted_session_key?: string | null;
  encryptedResponses?: unknown;
  encryptedSessionKey?: string | null;
}

/** What the page keeps in sessionStorage['vault-session-key'] (after JSON.parse). */
export interface VaultSessionEntry {
  wrapped: string;
  sessionKeyB64: string;
}

// ---------------------------------------------------------------------------
// base64

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Standard, padded base64 as btoa() writes it. Buffer.from() alone accepts junk. */
export function isStrictBase64(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && STRICT_BASE64.test(value);
}

/** Decodes strict base64; `what` names the field in the error. */
export function base64ToBytes(value: unknown, what: string): Uint8Array<ArrayBuffer> {
  if (!isStrictBase64(value)) throw new Error(`${what}: expected standard padded base64, got ${describe(value)}`);
  return copyBytes(Buffer.from(value, 'base64'));
}

export function bytesToBase64(bytes: ArrayBuffer | Uint8Array): string {
  return Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('base64');
}

function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  return copyBytes(Buffer.from(value, 'base64url'));
}

// WebCrypto's typings want an ArrayBuffer-backed view; Buffers may sit on a shared pool.
function copyBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

/** Shape of a value for error messages, without its content. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `a string of ${value.length} chars`;
  if (typeof value === 'object') return `an object with keys [${Object.keys(value).join(', ')}]`;
  return typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------
// Vault: the private key under the master password

/** PBKDF2-SHA-256 of the UTF-8 password (no normalisation, like the browser). */
export async function deriveVaultKey(
  masterPassword: string,
  saltB64: string,
  opts: KdfOptions & { extractable?: boolean } = {},
): Promise<CryptoKey> {
  const salt = base64ToBytes(saltB64, 'salt');
  if (salt.length !== SALT_BYTES) throw new Error(`salt: expected ${SALT_BYTES} bytes, got ${salt.length}`);
  const material = await subtle.importKey('raw', new TextEncoder().encode(masterPassword), 'PBKDF2', false, [
    'deriveKey',
  ]);
  return subtle.deriveKey(
    { name: 'PBKDF2', salt, iterations: opts.iterations ?? PBKDF2_ITERATIONS, hash: 'SHA-256' },
    material,
    { name: 'AES-GCM', length: 256 },
    opts.extractable ?? false,
    ['encrypt', 'decrypt'],
  );
}

/** Encrypts PKCS#8 bytes into the stored {salt, iv, ciphertext} blob. */
export async function encryptPrivateKey(
  pkcs8: ArrayBuffer | Uint8Array,
  masterPassword: string,
  opts: EncryptPrivateKeyOptions = {},
): Promise<EncryptedPrivKey> {
  const salt = opts.salt ?? globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = opts.iv ?? globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  if (salt.length !== SALT_BYTES) throw new Error(`salt: expected ${SALT_BYTES} bytes, got ${salt.length}`);
  if (iv.length !== IV_BYTES) throw new Error(`iv: expected ${IV_BYTES} bytes, got ${iv.length}`);
  const saltB64 = bytesToBase64(salt);
  const key = await deriveVaultKey(masterPassword, saltB64, opts);
  const plain = copyBytes(pkcs8 instanceof Uint8Array ? pkcs8 : new Uint8Array(pkcs8));
  const ciphertext = await subtle.encrypt({ name: 'AES-GCM', iv: copyBytes(iv) }, key, plain);
  return { salt: saltB64, iv: bytesToBase64(iv), ciphertext: bytesToBase64(ciphertext) };
}

/**
 * Vault unlock without the key import: the decrypted bytes (PKCS#8 for a real blob).
 * A wrong master password fails here, on the GCM tag.
 */
export async function decryptVaultBlob(
  blob: unknown,
  masterPassword: string,
  opts: KdfOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  if (!isRecord(blob)) throw new Error(`encryptedPrivKey: expected {salt, iv, ciphertext}, got ${describe(blob)}`);
  const iv = base64ToBytes(blob.iv, 'encryptedPrivKey.iv');
  if (iv.length !== IV_BYTES) throw new Error(`encryptedPrivKey.iv: expected ${IV_BYTES} bytes, got ${iv.length}`);
  const ciphertext = base64ToBytes(blob.ciphertext, 'encryptedPrivKey.ciphertext');
  if (!isStrictBase64(blob.salt)) {
    throw new Error(`encryptedPrivKey.salt: expected standard padded base64, got ${describe(blob.salt)}`);
  }
  const key = await deriveVaultKey(masterPassword, blob.salt, opts);
  try {
    return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv }, key, ciphertext));
  } catch {
    throw new Error(
      'Vault unlock failed: the AES-GCM tag check failed (wrong master password or corrupted blob); ' +
        `blob had ${ciphertext.length} ciphertext bytes, PBKDF2 iterations ${opts.iterations ?? PBKDF2_ITERATIONS}`,
    );
  }
}

/** Vault unlock: the practice's RSA-OAEP private key (decrypt and unwrapKey). */
export async function decryptPrivateKey(
  blob: unknown,
  masterPassword: string,
  opts: DecryptPrivateKeyOptions = {},
): Promise<CryptoKey> {
  const pkcs8 = await decryptVaultBlob(blob, masterPassword, opts);
  try {
    return await subtle.importKey('pkcs8', pkcs8, RSA_OAEP, opts.extractable ?? false, ['decrypt', 'unwrapKey']);
  } catch (err) {
    throw new Error(
      `Vault blob decrypted (password right) but the ${pkcs8.length} bytes are not a PKCS#8 RSA private key: ` +
        (err instanceof Error ? err.message : String(err)),
    );
  }
}

// ---------------------------------------------------------------------------
// Static checks on what the database holds

/** Checks a stored public key: RSA JWK, 4096-bit modulus, e = 65537, no private members. */
export function inspectPublicKeyJwk(jwk: unknown, expectedBits: number = RSA_BITS): PublicKeyInspection {
  const problems: string[] = [];
  let modulusBits: number | null = null;
  let exponent: number | null = null;
  if (!isRecord(jwk)) {
    return { ok: false, problems: [`expected a JWK object, got ${describe(jwk)}`], modulusBits, exponent };
  }
  if (jwk.kty !== 'RSA') problems.push(`kty: expected "RSA", got ${JSON.stringify(jwk.kty) ?? 'nothing'}`);

  if (typeof jwk.n !== 'string' || jwk.n.length === 0) {
    problems.push(`n (modulus): missing, got ${describe(jwk.n)}`);
  } else if (!BASE64URL.test(jwk.n)) {
    problems.push('n (modulus): not unpadded base64url');
  } else {
    const n = base64UrlToBytes(jwk.n);
    let i = 0;
    while (i < n.length && n[i] === 0) i++;
    const top = n[i];
    modulusBits = top === undefined ? 0 : (n.length - i - 1) * 8 + (32 - Math.clz32(top));
    if (modulusBits !== expectedBits) problems.push(`modulus: expected ${expectedBits} bits, got ${modulusBits}`);
  }

  if (typeof jwk.e !== 'string' || jwk.e.length === 0) {
    problems.push(`e (exponent): missing, got ${describe(jwk.e)}`);
  } else if (!BASE64URL.test(jwk.e)) {
    problems.push('e (exponent): not unpadded base64url');
  } else {
    const e = base64UrlToBytes(jwk.e);
    exponent = e.length <= 6 ? e.reduce((acc, b) => acc * 256 + b, 0) : null;
    if (jwk.e !== 'AQAB') {
      problems.push(`e: expected "AQAB" (65537), got "${jwk.e}" (${exponent ?? `${e.length} bytes`})`);
    }
  }

  const leaked = PRIVATE_JWK_MEMBERS.filter((m) => m in jwk);
  if (leaked.length > 0) {
    problems.push(`contains private key member(s) ${leaked.join(', ')}: the public key leaks the private key`);
  }
  // WebCrypto exports RSA-OAEP/SHA-256 as alg RSA-OAEP-256; anything else fails the browser's import.
  if (jwk.alg !== undefined && jwk.alg !== 'RSA-OAEP-256') {
    problems.push(`alg: expected "RSA-OAEP-256" (or absent), got ${JSON.stringify(jwk.alg)}`);
  }
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('encrypt'))) {
    problems.push(`key_ops: expected to include "encrypt", got ${JSON.stringify(jwk.key_ops)}`);
  }
  if (jwk.use !== undefined && jwk.use !== 'enc') problems.push(`use: expected "enc" (or absent), got ${JSON.stringify(jwk.use)}`);
  return { ok: problems.length === 0, problems, modulusBits, exponent };
}

/**
 * Checks the stored encryptedPrivKey is ciphertext of the expected shape, not a clear
 * key: exactly {salt, iv, ciphertext}, strict base64, 16/12 bytes, RSA-4096 size, and
 * no PKCS#8 DER, JWK with private members or PEM inside.
 */
export function inspectEncryptedPrivKey(blob: unknown): string[] {
  const problems: string[] = [];
  if (!isRecord(blob)) return [`expected an object {salt, iv, ciphertext}, got ${describe(blob)}`];

  const keys = Object.keys(blob);
  const missing = ['salt', 'iv', 'ciphertext'].filter((k) => !(k in blob));
  const extra = keys.filter((k) => !['salt', 'iv', 'ciphertext'].includes(k));
  if (missing.length > 0) problems.push(`missing field(s) ${missing.join(', ')}`);
  if (extra.length > 0) problems.push(`unexpected field(s) ${extra.join(', ')}: expected exactly salt, iv, ciphertext`);
  const leaked = findPrivateMembers(blob);
  if (leaked.length > 0) problems.push(`holds private key member(s) ${leaked.join(', ')}: a clear key, not ciphertext`);
  if (JSON.stringify(blob).includes('-----BEGIN')) problems.push('holds a PEM block (-----BEGIN): a clear key, not ciphertext');

  const sized = (field: 'salt' | 'iv', bytes: number): void => {
    const value = blob[field];
    if (value === undefined) return;
    if (!isStrictBase64(value)) problems.push(`${field}: expected standard padded base64, got ${describe(value)}`);
    else if (Buffer.from(value, 'base64').length !== bytes) {
      problems.push(`${field}: expected ${bytes} bytes, got ${Buffer.from(value, 'base64').length}`);
    }
  };
  sized('salt', SALT_BYTES);
  sized('iv', IV_BYTES);

  const ct = blob.ciphertext;
  if (ct !== undefined) {
    if (!isStrictBase64(ct)) {
      problems.push(`ciphertext: expected standard padded base64, got ${describe(ct)}`);
    } else {
      const bytes = Buffer.from(ct, 'base64');
      if (bytes.length < MIN_ENCRYPTED_PKCS8_BYTES || bytes.length > MAX_ENCRYPTED_PKCS8_BYTES) {
        problems.push(
          `ciphertext: expected ${MIN_ENCRYPTED_PKCS8_BYTES}-${MAX_ENCRYPTED_PKCS8_BYTES} bytes ` +
            `(PKCS#8 RSA-${RSA_BITS} + ${GCM_TAG_BYTES}-byte tag), got ${bytes.length}`,
        );
      }
      // 11 fixed bytes cannot turn up in real ciphertext by chance.
      if (indexOf(bytes, RSA_ENCRYPTION_OID) >= 0) {
        problems.push('ciphertext: contains the DER rsaEncryption OID: it is a clear PKCS#8/SPKI key, not ciphertext');
      }
      const text = bytes.toString('latin1');
      if (text.includes('-----BEGIN')) problems.push('ciphertext: decodes to a PEM block: a clear key');
      const parsed = tryParseJson(bytes.toString('utf8'));
      if (parsed !== undefined && findPrivateMembers(parsed).length > 0) {
        problems.push('ciphertext: decodes to a JWK with private members: a clear key');
      }
    }
  }
  return problems;
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function findPrivateMembers(value: unknown, path = ''): string[] {
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(PRIVATE_JWK_MEMBERS.includes(k) ? [`${path}${k}`] : []),
    ...findPrivateMembers(v, `${path}${k}.`),
  ]);
}

/** Problems with one hybrid envelope's shape and sizes (no decryption). */
export function inspectEncryptedEnvelope(envelope: unknown, expectedWrappedKeyBytes: number = WRAPPED_KEY_BYTES): string[] {
  if (!isRecord(envelope)) return [`expected {encryptedSessionKey, iv, ciphertext}, got ${describe(envelope)}`];
  const problems: string[] = [];
  const check = (field: keyof EncryptedEnvelope, ok: (n: number) => boolean, expected: string): void => {
    const value = envelope[field];
    if (!isStrictBase64(value)) {
      problems.push(`${field}: expected standard padded base64, got ${describe(value)}`);
      return;
    }
    const n = Buffer.from(value, 'base64').length;
    if (!ok(n)) problems.push(`${field}: expected ${expected}, got ${n} bytes`);
  };
  check('encryptedSessionKey', (n) => n === expectedWrappedKeyBytes, `${expectedWrappedKeyBytes} bytes (RSA-OAEP output)`);
  check('iv', (n) => n === IV_BYTES, `${IV_BYTES} bytes`);
  check('ciphertext', (n) => n > GCM_TAG_BYTES, `more than the ${GCM_TAG_BYTES}-byte GCM tag`);
  return problems;
}

// ---------------------------------------------------------------------------
// Hybrid encryption (consent answers, patient fields)

export async function importPracticePublicKey(publicJwk: unknown): Promise<CryptoKey> {
  if (!isRecord(publicJwk)) throw new Error(`public key: expected a JWK object, got ${describe(publicJwk)}`);
  try {
    return await subtle.importKey('jwk', publicJwk as JsonWebKey, RSA_OAEP, false, ['encrypt']);
  } catch (err) {
    const why = inspectPublicKeyJwk(publicJwk).problems.join('; ') || (err instanceof Error ? err.message : String(err));
    throw new Error(`public key: not importable as RSA-OAEP/SHA-256: ${why}`);
  }
}

/**
 * Proves the private key belongs to the public JWK: a random value encrypted with the
 * public key must decrypt with the private key. False on mismatch; throws on a bad JWK.
 */
export async function keyPairMatches(privateKey: CryptoKey, publicJwk: unknown): Promise<boolean> {
  const publicKey = await importPracticePublicKey(publicJwk);
  const probe = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const sealed = await subtle.encrypt({ name: 'RSA-OAEP' }, publicKey, probe);
  try {
    const opened = new Uint8Array(await subtle.decrypt({ name: 'RSA-OAEP' }, privateKey, sealed));
    return opened.length === probe.length && opened.every((b, i) => b === probe[i]);
  } catch {
    return false;
  }
}

/**
 * Encrypts a string exactly as the browser does for a submission: fresh AES-256-GCM key,
 * 12-byte IV, raw key wrapped with RSA-OAEP/SHA-256. For answers pass JSON.stringify(answers).
 */
export async function encryptForPractice(plaintext: string, publicJwk: unknown): Promise<EncryptedEnvelope> {
  const publicKey = await importPracticePublicKey(publicJwk);
  const sessionKey = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
  const wrapped = await subtle.encrypt({ name: 'RSA-OAEP' }, publicKey, await subtle.exportKey('raw', sessionKey));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await subtle.encrypt({ name: 'AES-GCM', iv }, sessionKey, new TextEncoder().encode(plaintext));
  return { encryptedSessionKey: bytesToBase64(wrapped), iv: bytesToBase64(iv), ciphertext: bytesToBase64(ciphertext) };
}

/** Opens one envelope with the practice private key; returns the UTF-8 plaintext. */
export async function decryptFromPractice(payload: unknown, privateKey: CryptoKey): Promise<string> {
  const modulusLength = (privateKey.algorithm as Partial<RsaHashedKeyAlgorithm>).modulusLength ?? RSA_BITS;
  const problems = inspectEncryptedEnvelope(payload, modulusLength / 8);
  if (problems.length > 0 || !isRecord(payload)) throw new Error(`encrypted envelope malformed: ${problems.join('; ')}`);
  let rawKey: Uint8Array;
  try {
    rawKey = new Uint8Array(
      await subtle.decrypt({ name: 'RSA-OAEP' }, privateKey, base64ToBytes(payload.encryptedSessionKey, 'encryptedSessionKey')),
    );
  } catch {
    throw new Error(
      'RSA-OAEP unwrap of encryptedSessionKey failed: it was not encrypted for this practice key (or is corrupted)',
    );
  }
  if (rawKey.length !== AES_KEY_BYTES) {
    throw new Error(`unwrapped session key: expected ${AES_KEY_BYTES} bytes (AES-256), got ${rawKey.length}`);
  }
  const sessionKey = await subtle.importKey('raw', copyBytes(rawKey), 'AES-GCM', false, ['decrypt']);
  let plain: ArrayBuffer;
  try {
    plain = await subtle.decrypt(
      { name: 'AES-GCM', iv: base64ToBytes(payload.iv, 'iv') },
      sessionKey,
      base64ToBytes(payload.ciphertext, 'ciphertext'),
    );
  } catch {
    throw new Error('AES-GCM tag check failed on the ciphertext (iv or ciphertext corrupted, or from another envelope)');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    throw new Error(`decrypted ${plain.byteLength} bytes are not valid UTF-8`);
  }
}

/**
 * One patient column value (encrypted_name/_dob/_email): JSON.stringify of the envelope.
 * Like the real UI the value itself is JSON-encoded before encryption ("\"Max\"").
 */
export async function encryptPatientField(value: string, publicJwk: unknown): Promise<string> {
  return JSON.stringify(await encryptForPractice(JSON.stringify(value), publicJwk));
}

/** Reads a patient column; also accepts the real UI's legacy {value} plaintext. */
export async function decryptPatientField(stored: string, privateKey: CryptoKey): Promise<string> {
  const envelope = tryParseJson(stored);
  if (!isRecord(envelope)) {
    throw new Error(`patient field: expected JSON.stringify({encryptedSessionKey, iv, ciphertext}), got ${describe(stored)}`);
  }
  const decoded = tryParseJson(await decryptFromPractice(envelope, privateKey));
  if (typeof decoded === 'string') return decoded;
  if (isRecord(decoded) && typeof decoded.value === 'string') return decoded.value;
  throw new Error(
    `patient field: decrypted plaintext is ${decoded === undefined ? 'not JSON' : describe(decoded)}; ` +
      'expected a JSON string (or legacy {value})',
  );
}

/** hex SHA-256 of name.trim().toLowerCase() + ':' + dob (YYYY-MM-DD), as the browser posts it. */
export function patientLookupHash(name: string, dob: string): string {
  return createHash('sha256').update(`${name.trim().toLowerCase()}:${dob}`, 'utf8').digest('hex');
}

// ---------------------------------------------------------------------------
// Consent rows

/**
 * The envelope(s) of a consent row. The real UI puts the wrapped key in the
 * encrypted_session_key column; the API also accepts it inside encrypted_responses.
 * Column first; both are returned when they differ.
 */
export function consentEnvelopesFromRow(row: ConsentRowCiphertext): EncryptedEnvelope[] {
  let responses = row.encrypted_responses ?? row.encryptedResponses;
  if (typeof responses === 'string') responses = tryParseJson(responses) ?? responses;
  if (!isRecord(responses)) {
    throw new Error(`encrypted_responses: expected an object {iv, ciphertext}, got ${describe(responses)}`);
  }
  const column = row.encrypted_session_key ?? row.encryptedSessionKey ?? undefined;
  const embedded = typeof responses.encryptedSessionKey === 'string' ? responses.encryptedSessionKey : undefined;
  const wrappedKeys = [...new Set([column, embedded].filter((k): k is string => typeof k === 'string' && k !== ''))];
  if (wrappedKeys.length === 0) {
    throw new Error(
      'consent row has no wrapped session key: encrypted_session_key is empty and encrypted_responses has no encryptedSessionKey',
    );
  }
  return wrappedKeys.map((encryptedSessionKey) => ({
    encryptedSessionKey,
    iv: responses.iv as string,
    ciphertext: responses.ciphertext as string,
  }));
}

/** Decrypts a consent row to its answers object (answers plus signatureData). */
export async function decryptConsentRow(row: ConsentRowCiphertext, privateKey: CryptoKey): Promise<Record<string, unknown>> {
  const failures: string[] = [];
  for (const [i, envelope] of consentEnvelopesFromRow(row).entries()) {
    let text: string;
    try {
      text = await decryptFromPractice(envelope, privateKey);
    } catch (err) {
      failures.push(`${i === 0 ? 'first' : 'second'} wrapped key: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    const answers = tryParseJson(text);
    if (!isRecord(answers)) {
      throw new Error(`consent answers: expected a JSON object, got ${answers === undefined ? 'non-JSON text' : describe(answers)}`);
    }
    return answers;
  }
  throw new Error(`consent row did not decrypt: ${failures.join('; ')}`);
}

// ---------------------------------------------------------------------------
// The tab's vault session (sessionStorage['vault-session-key'])

/**
 * Recovers the private key the page keeps for the tab: wrapped = base64(iv || AES-GCM(pkcs8))
 * under sessionKeyB64. Lets the suite prove the vault really is unlocked with the right key.
 */
export async function unwrapVaultSession(stored: string | VaultSessionEntry): Promise<CryptoKey> {
  const entry = typeof stored === 'string' ? tryParseJson(stored) : stored;
  if (!isRecord(entry)) throw new Error(`${VAULT_SESSION_STORAGE_KEY}: expected {wrapped, sessionKeyB64}, got ${describe(entry)}`);
  const wrapped = base64ToBytes(entry.wrapped, `${VAULT_SESSION_STORAGE_KEY}.wrapped`);
  const rawKey = base64ToBytes(entry.sessionKeyB64, `${VAULT_SESSION_STORAGE_KEY}.sessionKeyB64`);
  if (rawKey.length !== AES_KEY_BYTES) {
    throw new Error(`${VAULT_SESSION_STORAGE_KEY}.sessionKeyB64: expected ${AES_KEY_BYTES} bytes, got ${rawKey.length}`);
  }
  if (wrapped.length <= IV_BYTES + GCM_TAG_BYTES) {
    throw new Error(`${VAULT_SESSION_STORAGE_KEY}.wrapped: expected iv + ciphertext, got ${wrapped.length} bytes`);
  }
  const aesKey = await subtle.importKey('raw', rawKey, 'AES-GCM', false, ['unwrapKey']);
  try {
    return await subtle.unwrapKey(
      'pkcs8',
      wrapped.subarray(IV_BYTES),
      aesKey,
      { name: 'AES-GCM', iv: wrapped.subarray(0, IV_BYTES) },
      RSA_OAEP,
      false,
      ['decrypt', 'unwrapKey'],
    );
  } catch {
    throw new Error(`${VAULT_SESSION_STORAGE_KEY}: unwrap failed (GCM tag check or not a PKCS#8 RSA key)`);
  }
}
