// /setup: generates the practice keypair in the browser, registers the practice,
// refreshes the token (the old one still says practiceId null) and keeps the vault
// unlocked for this tab.
import { api, ApiError, FAULTS, getSession, setSession } from './dc-api.js';
import { clearKeyBlob } from './fault-clear-privkey.js';
import { generatePracticeKeys, RSA_BITS, VAULT_SESSION_KEY, wrapForSession } from './vault-crypto.js';
import { flashToast, showError } from './ui.js';

const session = getSession();
if (!session) location.replace('/login');
else if (session.user.practiceId) location.replace('/dashboard');

const form = document.getElementById('setup-form');
const submit = document.getElementById('setup-submit');
const error = document.getElementById('setup-error');
const value = (id) => document.getElementById(id).value;
submit.disabled = false;

function messageFor(err) {
  if (err instanceof ApiError) {
    if (err.errorCode === 'USER_ALREADY_MEMBER') return 'Your account already belongs to a practice.';
    if (err.status === 400 && err.messages.length > 0) return err.messages.join(' ');
    if (err.status === 401) return 'Your session has expired. Please sign in again.';
  }
  return 'The practice could not be registered. Please try again.';
}

async function practiceKeys(masterPassword) {
  // Fault 'keypair-weak': an old build that generated 2048-bit keys.
  const keys = await generatePracticeKeys(masterPassword, {
    modulusLength: FAULTS.has('keypair-weak') ? 2048 : RSA_BITS,
  });
  if (FAULTS.has('privkey-in-clear')) {
    // Fault 'privkey-in-clear': the blob has the right shape but holds the PKCS#8 unencrypted.
    keys.encryptedPrivKey = await clearKeyBlob(keys.encryptedPrivKey, keys.privateKey, masterPassword);
  }
  return keys;
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  showError(error, '');
  const name = value('name').trim();
  const dsgvoContact = value('dsgvoContact').trim();
  const password = value('password');
  if (!name || !dsgvoContact) return showError(error, 'Please enter the practice name and the GDPR contact email.');
  if (password.length < 8) return showError(error, 'The master password must have at least 8 characters.');
  if (password !== value('passwordConfirm')) return showError(error, 'The master passwords do not match.');

  submit.disabled = true;
  submit.textContent = 'Generating keys...';
  try {
    const { publicKey, encryptedPrivKey, privateKey } = await practiceKeys(password);
    await api('/api/practice', { method: 'POST', body: { name, dsgvoContact, publicKey, encryptedPrivKey } });
    setSession(await api('/api/auth/refresh-token', { method: 'POST' }));
    sessionStorage.setItem(VAULT_SESSION_KEY, JSON.stringify(await wrapForSession(privateKey)));
    flashToast('Practice successfully registered');
    location.assign('/dashboard');
  } catch (err) {
    showError(error, messageFor(err));
    submit.disabled = false;
    submit.textContent = 'Register practice';
  }
});
