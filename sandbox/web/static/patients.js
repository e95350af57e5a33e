// /patients: the practice's patients; names are shown decrypted while the vault is unlocked.
import { api } from './dc-api.js';
import { decryptField } from './decrypt.js';
import { loadFailed, startShell } from './shell.js';
import { formatDateTime, h } from './ui.js';

const app = await startShell();
const rows = document.getElementById('patient-rows');
let patients = [];

async function render() {
  if (patients.length === 0) {
    rows.replaceChildren(h('tr', {}, h('td', { colSpan: 3, className: 'muted' }, 'No patients yet.')));
    return;
  }
  const key = app.vault.unlocked ? await app.vault.privateKey() : null;
  const names = await Promise.all(
    patients.map((p) => (key ? decryptField(p.encryptedName, key).catch(() => '[Decryption failed]') : '[Encrypted]')),
  );
  rows.replaceChildren(
    ...patients.map((p, i) =>
      h('tr', {},
        h('td', {}, names[i]),
        h('td', {}, formatDateTime(p.createdAt)),
        h('td', {}, h('a', { href: `/patients/${encodeURIComponent(p.id)}` }, 'View'))),
    ),
  );
}

try {
  patients = (await api('/api/patients')).items ?? [];
  await render();
  document.addEventListener('vault-change', () => void render());
} catch (err) {
  loadFailed(err, 'the patients');
}
