// /dashboard: welcome dialog, "New consent", the recent consents and the decrypting detail dialog.
import { answerLabel, TREATMENT_TYPES, treatmentLabel } from './consent-forms.js';
import { api, ApiError, FRONTEND_URL, getSession } from './dc-api.js';
import { decryptAnswers } from './decrypt.js';
import { loadFailed, startShell } from './shell.js';
import { closeDialog, formatDateTime, h, openDialog, showError, toast } from './ui.js';

const $ = (id) => document.getElementById(id);
const STATUS_LABELS = {
  PENDING: 'Pending', FILLED: 'Filled', SIGNED: 'Signed', COMPLETED: 'Completed', REVOKED: 'Revoked', EXPIRED: 'Expired',
};

// ---- welcome (first visit of an admin; before any await so it is up when the page has loaded)

const user = getSession()?.user;
const welcomeKey = user ? `dc-welcome-dismissed:${user.id}` : null;
if (user?.practiceId && user.role === 'ADMIN' && !localStorage.getItem(welcomeKey)) {
  openDialog($('welcome-dialog'), { onClose: () => localStorage.setItem(welcomeKey, new Date().toISOString()) });
}
$('welcome-close').addEventListener('click', () => closeDialog($('welcome-dialog')));

// ---- treatment type combobox --------------------------------------------------------

const combo = $('consent-type');
const listbox = $('consent-type-listbox');
let selectedType = null;

listbox.append(
  ...TREATMENT_TYPES.map((t) =>
    h('li', { role: 'option', id: `consent-type-${t.type}`, 'data-value': t.type, 'aria-selected': 'false', tabIndex: -1 }, t.label),
  ),
);
const options = () => [...listbox.querySelectorAll('[role="option"]')];

function openList() {
  listbox.hidden = false;
  combo.setAttribute('aria-expanded', 'true');
  (options().find((o) => o.dataset.value === selectedType) ?? options()[0]).focus();
}

function closeList(focusCombo = true) {
  listbox.hidden = true;
  combo.setAttribute('aria-expanded', 'false');
  if (focusCombo) combo.focus();
}

function selectType(type) {
  selectedType = type;
  for (const o of options()) o.setAttribute('aria-selected', String(o.dataset.value === type));
  $('consent-type-value').textContent = type ? treatmentLabel(type) : 'Select treatment';
  combo.dataset.placeholder = String(!type);
}

combo.addEventListener('click', () => (listbox.hidden ? openList() : closeList()));
combo.addEventListener('keydown', (e) => {
  if (['ArrowDown', 'ArrowUp', 'Enter', ' '].includes(e.key) && listbox.hidden) {
    e.preventDefault();
    openList();
  }
});
listbox.addEventListener('click', (e) => {
  const option = e.target.closest('[role="option"]');
  if (!option) return;
  selectType(option.dataset.value);
  closeList();
});
listbox.addEventListener('keydown', (e) => {
  const all = options();
  const i = all.indexOf(document.activeElement);
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    all[(i + (e.key === 'ArrowDown' ? 1 : all.length - 1)) % all.length].focus();
  } else if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    if (i >= 0) selectType(all[i].dataset.value);
    closeList();
  } else if (e.key === 'Escape') {
    // Close only the list, not the dialog around it.
    e.preventDefault();
    e.stopPropagation();
    closeList();
  }
});
document.addEventListener('pointerdown', (e) => {
  if (!listbox.hidden && !listbox.contains(e.target) && !combo.contains(e.target)) closeList(false);
});

// ---- the rest needs the shell (session, practice, vault) -----------------------------

const app = await startShell();

async function loadOverview() {
  try {
    const [consents, patients, team] = await Promise.all([
      api('/api/consent/practice'),
      api('/api/patients'),
      api('/api/team/members'),
    ]);
    renderConsents(consents.items ?? []);
    $('stat-consents').textContent = String(consents.total ?? consents.items?.length ?? 0);
    $('stat-signed').textContent = String((consents.items ?? []).filter((c) => c.status === 'SIGNED' || c.status === 'COMPLETED').length);
    $('stat-patients').textContent = String(patients.total ?? patients.items?.length ?? 0);
    const members = Array.isArray(team) ? team : team.items ?? team.members ?? [];
    $('stat-team').textContent = String(members.length);
  } catch (err) {
    loadFailed(err, 'the dashboard');
  }
}

function renderConsents(items) {
  const rows = $('consent-rows');
  if (items.length === 0) {
    rows.replaceChildren(h('tr', {}, h('td', { colSpan: 5, className: 'muted' }, 'No consent forms yet.')));
    return;
  }
  rows.replaceChildren(
    ...items.map((c) => {
      const signed = c.status === 'SIGNED' || c.status === 'COMPLETED';
      const row = h(
        'tr',
        { 'data-consent-id': c.id },
        h('td', {}, treatmentLabel(c.type)),
        h('td', {}, h('span', { className: `badge ${c.status.toLowerCase()}` }, STATUS_LABELS[c.status] ?? c.status)),
        h('td', {}, formatDateTime(c.createdAt)),
        h('td', {}, formatDateTime(c.signatureTimestamp)),
        h('td', {}, formatDateTime(c.expiresAt)),
      );
      if (signed) {
        row.className = 'clickable';
        row.tabIndex = 0;
        row.addEventListener('click', () => void openDetail(c));
        row.addEventListener('keydown', (e) => {
          if (e.key === 'Enter') void openDetail(c);
        });
      }
      return row;
    }),
  );
}

// ---- create consent -----------------------------------------------------------------

$('new-consent').addEventListener('click', () => {
  selectType(null);
  closeList(false);
  $('consent-patient-email').value = '';
  showError($('create-error'), '');
  $('create-form').hidden = false;
  $('create-result').hidden = true;
  $('create-submit').disabled = false;
  openDialog($('create-dialog'), { focus: combo });
});
$('new-consent').disabled = false;
$('create-cancel').addEventListener('click', () => closeDialog($('create-dialog')));
$('create-done').addEventListener('click', () => closeDialog($('create-dialog')));

function createError(err) {
  if (err instanceof ApiError) {
    if (err.errorCode === 'CONSENT_LIMIT_REACHED') return "Your plan's monthly consent limit is reached. Upgrade to create more consents.";
    if (err.status === 400 && err.messages.length > 0) return err.messages.join(' ');
  }
  return 'The consent could not be created. Please try again.';
}

$('create-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const error = $('create-error');
  if (!selectedType) return showError(error, 'Please select a treatment type.');
  const patientEmail = $('consent-patient-email').value.trim();
  showError(error, '');
  $('create-submit').disabled = true;
  try {
    const consent = await api('/api/consent', {
      method: 'POST',
      body: patientEmail ? { type: selectedType, patientEmail } : { type: selectedType },
    });
    $('consent-link').value = `${FRONTEND_URL}/consent/${consent.token}`;
    $('create-form').hidden = true;
    $('create-result').hidden = false;
    $('consent-link').focus();
    $('consent-link').select();
    toast('Consent created');
    await loadOverview();
  } catch (err) {
    showError(error, createError(err));
    $('create-submit').disabled = false;
  }
});

$('consent-link-copy').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText($('consent-link').value);
    toast('Link copied');
  } catch {
    toast('Could not copy the link. Select it and copy it by hand.', { kind: 'error' });
  }
});

// ---- detail dialog ------------------------------------------------------------------

const detailBody = $('detail-body');

function answerValue(v) {
  if (Array.isArray(v)) return v.length > 0 ? v.join(', ') : '–';
  if (v === null || v === undefined || v === '') return '–';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function renderAnswers(answers) {
  const { signatureData, ...rest } = answers;
  const list = h('dl', { className: 'data' });
  for (const [key, value] of Object.entries(rest)) {
    list.append(h('dt', {}, answerLabel(key)), h('dd', {}, answerValue(value)));
  }
  const parts = [h('h3', {}, 'Answers'), list];
  if (typeof signatureData === 'string' && signatureData.startsWith('data:image/')) {
    parts.push(h('h3', {}, 'Signature'), h('img', { className: 'signature', src: signatureData, alt: 'Signature' }));
  }
  detailBody.replaceChildren(...parts);
}

async function openDetail(consent) {
  const key = await app.vault.requireKey();
  if (!key && !app.vault.unlocked) return; // the unlock dialog was cancelled
  $('detail-meta').textContent = `${treatmentLabel(consent.type)} · signed ${formatDateTime(consent.signatureTimestamp)}`;
  detailBody.replaceChildren(h('p', { className: 'muted' }, 'Decrypting data...'));
  openDialog($('detail-dialog'), { focus: $('detail-close') });
  try {
    if (!key) throw new Error('the vault holds no private key');
    // The list may leave out the ciphertext; the public read by token has it.
    const full = consent.encryptedResponses ? consent : await api(`/api/consent/${encodeURIComponent(consent.token)}`, { auth: false });
    renderAnswers(await decryptAnswers(full, key));
  } catch (err) {
    detailBody.replaceChildren(h('p', { className: 'error', role: 'alert' }, `Decryption failed: ${err.message}`));
  }
}
$('detail-close').addEventListener('click', () => closeDialog($('detail-dialog')));

await loadOverview();
