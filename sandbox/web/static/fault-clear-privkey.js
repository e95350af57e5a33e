// Fault 'privkey-in-clear': a build that stored the practice private key unencrypted.
// It encrypted an empty buffer instead of the key and appended the key in clear, so
// the blob keeps its shape {salt, iv, ciphertext} and its length (PKCS#8 + 16-byte
// GCM tag), and the master password is still checked (the tag) — only the key itself
// is readable by anyone holding the row. Unlock and decryption keep working, so only
// the at-rest check of the key (DC-FLOW-2) can tell.
import { base64ToBytes, bytesToBase64, PBKDF2_ITERATIONS, unlockPrivateKey } from './vault-crypto.js';

const TAG_BYTES = 16;

async function passwordKey(masterPassword, salt) {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(masterPassword), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', salt, iterations: PBKDF2_ITERATIONS, hash: 'SHA-256' },
    material, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/** Replaces the ciphertext of a generated blob with PKCS#8-in-clear + the tag of an empty message. */
export async function clearKeyBlob(encryptedPrivKey, privateKey, masterPassword) {
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', privateKey));
  const key = await passwordKey(masterPassword, base64ToBytes(encryptedPrivKey.salt));
  const tag = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: base64ToBytes(encryptedPrivKey.iv) }, key, new Uint8Array(0)));
  const blob = new Uint8Array(pkcs8.length + TAG_BYTES);
  blob.set(pkcs8, 0);
  blob.set(tag, pkcs8.length);
  return { ...encryptedPrivKey, ciphertext: bytesToBase64(blob) };
}

/**
 * The faulty build's unlock: a properly encrypted blob (a practice set up elsewhere)
 * unlocks as usual; its own blobs by checking the tag and importing the clear key.
 */
export async function unlockClearKeyBlob(encryptedPrivKey, masterPassword) {
  try {
    return await unlockPrivateKey(encryptedPrivKey, masterPassword);
  } catch {
    // Not a proper blob under this password: maybe one of this build's own.
  }
  const bytes = base64ToBytes(encryptedPrivKey.ciphertext);
  const key = await passwordKey(masterPassword, base64ToBytes(encryptedPrivKey.salt));
  try {
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv: base64ToBytes(encryptedPrivKey.iv) }, key, bytes.subarray(bytes.length - TAG_BYTES));
  } catch {
    throw new Error('Wrong password: the AES-GCM tag check failed');
  }
  return crypto.subtle.importKey('pkcs8', bytes.subarray(0, bytes.length - TAG_BYTES), { name: 'RSA-OAEP', hash: 'SHA-256' }, true, ['decrypt']);
}
