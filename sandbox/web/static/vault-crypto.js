// DermaConsent client-side encryption, as the real frontend does it (WebCrypto only).
// Served to the browser as is; the suite's twin is helpers/vault-crypto.ts and the
// two are tested against each other, so change both or neither.
//
// Formats (docs/targets/dermaconsent.md, "Encryption formats"):
//   practice.publicKey        the RSA-OAEP-4096/SHA-256 public JWK exactly as exported
//   practice.encryptedPrivKey {salt, iv, ciphertext}: AES-256-GCM(PKCS#8) under
//                             PBKDF2-SHA-256(masterPassword, salt, 600000)
//   envelope                  {encryptedSessionKey, iv, ciphertext}: fresh AES-256-GCM key,
//                             its raw bytes wrapped with RSA-OAEP (512 bytes for RSA-4096)
//   patient field             JSON.stringify(envelope) of JSON.stringify(value): the real
//                             UI JSON-encodes the value, so the plaintext is "\"Max\""
//   sessionStorage            'vault-session-key' = JSON.stringify({wrapped, sessionKeyB64})

export const PBKDF2_ITERATIONS = 600000;
export const SALT_BYTES = 16;
export const IV_BYTES = 12;
export const RSA_BITS = 4096;
export const VAULT_SESSION_KEY = 'vault-session-key';

const RSA_OAEP = { name: 'RSA-OAEP', hash: 'SHA-256' };

export function bytesToBase64(bytes) {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  // Chunked: String.fromCharCode(...bigArray) overflows the call stack.
  for (let i = 0; i < view.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, view.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export function base64ToBytes(b64) {
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function deriveVaultKey(masterPassword, salt, iterations) {
  const material = await crypto.subtle.importKey(
    'raw', new TextEncoder().encode(masterPassword), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', salt, iterations, hash: 'SHA-256' },
    material, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

// `iterations` exists for unit tests only; pages must use the default. `modulusLength`
// other than RSA_BITS exists only for the sandbox fault 'keypair-weak'.
export async function generatePracticeKeys(masterPassword, { iterations = PBKDF2_ITERATIONS, modulusLength = RSA_BITS } = {}) {
  const pair = await crypto.subtle.generateKey(
    { ...RSA_OAEP, modulusLength, publicExponent: new Uint8Array([1, 0, 1]) },
    true, ['encrypt', 'decrypt']);
  const publicKey = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', pair.privateKey);
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const vaultKey = await deriveVaultKey(masterPassword, salt, iterations);
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, vaultKey, pkcs8);
  return {
    publicKey,
    encryptedPrivKey: {
      salt: bytesToBase64(salt), iv: bytesToBase64(iv), ciphertext: bytesToBase64(ciphertext),
    },
    privateKey: pair.privateKey,
  };
}

// Vault unlock. Extractable so the page can keep it in sessionStorage (wrapForSession).
export async function unlockPrivateKey(encryptedPrivKey, masterPassword, { iterations = PBKDF2_ITERATIONS } = {}) {
  const vaultKey = await deriveVaultKey(masterPassword, base64ToBytes(encryptedPrivKey.salt), iterations);
  let pkcs8;
  try {
    pkcs8 = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: base64ToBytes(encryptedPrivKey.iv) },
      vaultKey, base64ToBytes(encryptedPrivKey.ciphertext));
  } catch {
    // Never echo the password: the UI only needs to know it was wrong.
    throw new Error('Wrong password: the AES-GCM tag check failed (wrong master password or corrupted key blob)');
  }
  return crypto.subtle.importKey('pkcs8', pkcs8, RSA_OAEP, true, ['decrypt']);
}

// Hybrid encryption for the practice. Takes a string on purpose: consent answers are
// posted as JSON.stringify({...answers, signatureData}), patient fields via encryptPatientField.
export async function encryptForPractice(plaintext, publicJwk) {
  if (typeof plaintext !== 'string') {
    throw new TypeError(`encryptForPractice expects a string (JSON.stringify the answers), got ${typeof plaintext}`);
  }
  const publicKey = await crypto.subtle.importKey('jwk', publicJwk, RSA_OAEP, false, ['encrypt']);
  const sessionKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
  const rawSessionKey = await crypto.subtle.exportKey('raw', sessionKey);
  const wrapped = await crypto.subtle.encrypt({ name: 'RSA-OAEP' }, publicKey, rawSessionKey);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv }, sessionKey, new TextEncoder().encode(plaintext));
  // Key order as the real UI produces it (it ends up in JSON strings in the database).
  return {
    encryptedSessionKey: bytesToBase64(wrapped),
    iv: bytesToBase64(iv),
    ciphertext: bytesToBase64(ciphertext),
  };
}

export async function decryptFromPractice(payload, privateKey) {
  let rawSessionKey;
  try {
    rawSessionKey = await crypto.subtle.decrypt(
      { name: 'RSA-OAEP' }, privateKey, base64ToBytes(payload.encryptedSessionKey));
  } catch {
    throw new Error('RSA-OAEP unwrap of the session key failed: not encrypted for this practice key, or corrupted');
  }
  const sessionKey = await crypto.subtle.importKey('raw', rawSessionKey, 'AES-GCM', false, ['decrypt']);
  let plain;
  try {
    plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: base64ToBytes(payload.iv) }, sessionKey, base64ToBytes(payload.ciphertext));
  } catch {
    throw new Error('AES-GCM tag check failed on the ciphertext (iv or ciphertext corrupted)');
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(plain);
}

export async function encryptPatientField(value, publicJwk) {
  return JSON.stringify(await encryptForPractice(JSON.stringify(value), publicJwk));
}

export async function decryptPatientField(stored, privateKey) {
  const decoded = JSON.parse(await decryptFromPractice(JSON.parse(stored), privateKey));
  if (typeof decoded === 'string') return decoded;
  // Older real-UI rows hold {value: "..."}; the real viewer still reads them.
  if (decoded && typeof decoded.value === 'string') return decoded.value;
  throw new Error('Decrypted patient field is neither a JSON string nor {value}');
}

export async function patientLookupHash(name, dob) {
  const digest = await crypto.subtle.digest(
    'SHA-256', new TextEncoder().encode(name.trim().toLowerCase() + ':' + dob));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

// Keeps the unlocked key for the tab: PKCS#8 wrapped under a fresh AES-256-GCM key that
// is stored beside it. wrapped = base64(iv || AES-GCM(pkcs8)). Store the result as
// sessionStorage[VAULT_SESSION_KEY] = JSON.stringify(result); remove it on lock.
export async function wrapForSession(privateKey) {
  const aesKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['wrapKey', 'unwrapKey']);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const wrappedKey = new Uint8Array(await crypto.subtle.wrapKey('pkcs8', privateKey, aesKey, { name: 'AES-GCM', iv }));
  const wrapped = new Uint8Array(IV_BYTES + wrappedKey.length);
  wrapped.set(iv, 0);
  wrapped.set(wrappedKey, IV_BYTES);
  return {
    wrapped: bytesToBase64(wrapped),
    sessionKeyB64: bytesToBase64(await crypto.subtle.exportKey('raw', aesKey)),
  };
}

// Accepts the object from wrapForSession or the raw sessionStorage string.
export async function unwrapFromSession(stored) {
  const { wrapped, sessionKeyB64 } = typeof stored === 'string' ? JSON.parse(stored) : stored;
  const bytes = base64ToBytes(wrapped);
  const aesKey = await crypto.subtle.importKey('raw', base64ToBytes(sessionKeyB64), 'AES-GCM', false, ['unwrapKey']);
  // Extractable, like a fresh unlock, so the page may re-persist it.
  return crypto.subtle.unwrapKey(
    'pkcs8', bytes.subarray(IV_BYTES), aesKey, { name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES) },
    RSA_OAEP, true, ['decrypt']);
}
