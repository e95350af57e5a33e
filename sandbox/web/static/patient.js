// /patients/<id>: the "Data" card; name, date of birth and email are decrypted in the
// browser once the vault is unlocked, and read "[Encrypted]" while it is locked.
import { api } from './dc-api.js';
import { decryptField } from './decrypt.js';
import { loadFailed, startShell } from './shell.js';
import { formatDateTime, showError } from './ui.js';

const $ = (id) => document.getElementById(id);
const id = decodeURIComponent(location.pathname.split('/')[2] ?? '');
const app = await startShell();
let patient = null;

const FIELDS = [
  ['patient-name-value', 'encryptedName'],
  ['patient-dob-value', 'encryptedDob'],
  ['patient-email-value', 'encryptedEmail'],
];

async function render() {
  const key = app.vault.unlocked ? await app.vault.privateKey() : null;
  $('patient-locked-hint').hidden = Boolean(key);
  showError($('patient-error'), '');
  if (!key) {
    for (const [el, field] of FIELDS) $(el).textContent = patient[field] ? '[Encrypted]' : '–';
    if (app.vault.unlocked) showError($('patient-error'), 'The vault holds no private key. Lock it and unlock it again.');
    return;
  }
  try {
    const values = await Promise.all(FIELDS.map(([, field]) => decryptField(patient[field], key)));
    FIELDS.forEach(([el], i) => {
      $(el).textContent = values[i] ?? '–';
    });
  } catch (err) {
    for (const [el] of FIELDS) $(el).textContent = '[Decryption failed]';
    showError($('patient-error'), `Could not decrypt the patient's data: ${err.message}`);
  }
}

try {
  patient = await api(`/api/patients/${encodeURIComponent(id)}`);
  $('patient-created-value').textContent = formatDateTime(patient.createdAt);
  await render();
  document.addEventListener('vault-change', () => void render());
} catch (err) {
  loadFailed(err, 'the patient');
}
