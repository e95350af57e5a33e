// /audit: the practice's audit log, newest first, 25 per page.
import { api } from './dc-api.js';
import { loadFailed, startShell } from './shell.js';
import { formatDateTime, h } from './ui.js';

const ACTION_LABELS = {
  LOGIN_SUCCESS: 'Sign in',
  LOGIN_FAILED: 'Failed sign-in',
  LOGOUT: 'Sign out',
  USER_REGISTERED: 'Registration',
  PRACTICE_CREATED: 'Practice created',
  CONSENT_CREATED: 'Consent created',
  CONSENT_SUBMITTED: 'Consent submitted',
  CONSENT_VIEWED: 'Consent viewed',
  CONSENT_REVOKED: 'Consent revoked',
  VAULT_UNLOCKED: 'Vault unlocked',
  VAULT_LOCKED: 'Vault locked',
  PDF_GENERATED: 'PDF generated',
  PDF_DOWNLOADED: 'PDF downloaded',
  SUBSCRIPTION_CREATED: 'Subscription created',
  SUBSCRIPTION_UPDATED: 'Subscription updated',
  PATIENT_CREATED: 'Patient created',
};

const $ = (id) => document.getElementById(id);
await startShell();
let page = 1;

// Loopback and private addresses say nothing; the real page shows IPs only when one is public.
function isPublicIp(ip) {
  if (!ip) return false;
  const v4 = ip.replace(/^::ffff:/, '');
  return !/^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.|::1$|f[cd]|fe80:|unknown)/i.test(v4);
}

function entity(item) {
  if (!item.entityType) return '–';
  return item.entityId ? `${item.entityType} · ${String(item.entityId).slice(0, 8)}` : item.entityType;
}

function render(result) {
  const items = result.items ?? [];
  const withIp = items.some((i) => isPublicIp(i.ipAddress));
  const head = ['Timestamp', 'Action', 'Entity', ...(withIp ? ['IP'] : [])];
  $('audit-head').replaceChildren(...head.map((t) => h('th', { scope: 'col' }, t)));
  if (items.length === 0) {
    $('audit-rows').replaceChildren(h('tr', {}, h('td', { colSpan: head.length, className: 'muted' }, 'No entries yet.')));
  } else {
    $('audit-rows').replaceChildren(
      ...items.map((i) =>
        h('tr', {},
          h('td', {}, formatDateTime(i.createdAt)),
          h('td', {}, h('span', { className: 'badge' }, ACTION_LABELS[i.action] ?? i.action)),
          h('td', {}, entity(i)),
          withIp ? h('td', {}, i.ipAddress ?? '–') : null),
      ),
    );
  }
  const totalPages = result.totalPages ?? 1;
  $('audit-pager').hidden = totalPages <= 1;
  $('audit-page').textContent = `Page ${result.page ?? page} of ${totalPages}`;
  $('audit-prev').disabled = page <= 1;
  $('audit-next').disabled = page >= totalPages;
}

async function load() {
  try {
    render(await api(`/api/audit?page=${page}`));
  } catch (err) {
    loadFailed(err, 'the audit log');
  }
}

$('audit-prev').addEventListener('click', () => {
  page -= 1;
  void load();
});
$('audit-next').addEventListener('click', () => {
  page += 1;
  void load();
});
await load();
