// Reading patient data with the unlocked practice key: consent answers and patient fields.
import { FAULTS } from './dc-api.js';
import { base64ToBytes, bytesToBase64, decryptFromPractice, decryptPatientField } from './vault-crypto.js';

const parsed = (v) => (typeof v === 'string' ? JSON.parse(v) : v);

// Fault 'decrypt-broken': a build whose decryption fails; reproduced by damaging the
// ciphertext, so the error is the real AES-GCM failure.
function damaged(envelope) {
  if (!FAULTS.has('decrypt-broken')) return envelope;
  const bytes = base64ToBytes(envelope.ciphertext);
  bytes[0] ^= 0xff;
  return { ...envelope, ciphertext: bytesToBase64(bytes) };
}

/** The decrypted answers of a signed consent ({...answers, signatureData}). */
export async function decryptAnswers(consent, privateKey) {
  const responses = parsed(consent.encryptedResponses);
  if (!responses?.ciphertext) throw new Error('The consent holds no encrypted answers.');
  const envelope = {
    encryptedSessionKey: consent.encryptedSessionKey ?? responses.encryptedSessionKey,
    iv: responses.iv,
    ciphertext: responses.ciphertext,
  };
  return JSON.parse(await decryptFromPractice(damaged(envelope), privateKey));
}

/** One patient field (name, date of birth, email) as stored: JSON.stringify of an envelope. */
export async function decryptField(stored, privateKey) {
  if (stored === null || stored === undefined || stored === '') return null;
  return decryptPatientField(JSON.stringify(damaged(parsed(stored))), privateKey);
}
