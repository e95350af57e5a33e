// Small UI building blocks shared by the pages: toasts, dialogs, formatting.

const FLASH_KEY = 'dc-flash';
const TOAST_MS = 6000;

/** Shows a toast (a live status message, like sonner's). */
export function toast(message, { kind = 'success' } = {}) {
  const list = document.getElementById('toasts');
  if (!list) return;
  const item = document.createElement('li');
  item.className = `toast ${kind}`;
  item.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  item.textContent = message;
  list.append(item);
  setTimeout(() => item.remove(), TOAST_MS);
}

/** A toast for the next page: full page loads here replace the real app's client-side navigation. */
export function flashToast(message) {
  sessionStorage.setItem(FLASH_KEY, message);
}

export function showFlashToast() {
  const message = sessionStorage.getItem(FLASH_KEY);
  if (message) {
    sessionStorage.removeItem(FLASH_KEY);
    toast(message);
  }
}

const openDialogs = [];

/** Opens an overlay dialog; Escape or onClose closes it. Returns a close function. */
export function openDialog(overlay, { onClose, focus } = {}) {
  overlay.hidden = false;
  const entry = { overlay, onClose, previous: document.activeElement };
  openDialogs.push(entry);
  (focus ?? overlay.querySelector('input, button, [tabindex]'))?.focus();
  return () => closeDialog(overlay);
}

export function closeDialog(overlay) {
  const i = openDialogs.findIndex((d) => d.overlay === overlay);
  if (i < 0) return;
  const [entry] = openDialogs.splice(i, 1);
  overlay.hidden = true;
  if (entry.previous instanceof HTMLElement && entry.previous.isConnected) entry.previous.focus();
  entry.onClose?.();
}

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && openDialogs.length > 0) {
    e.preventDefault();
    closeDialog(openDialogs[openDialogs.length - 1].overlay);
  }
});

export function showError(el, message) {
  el.textContent = message;
  el.hidden = !message;
}

export function formatDateTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? String(iso)
    : d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleDateString('en-GB', { dateStyle: 'medium' });
}

/** Wires every "Show password" toggle on the page. */
export function wirePasswordToggles() {
  for (const button of document.querySelectorAll('[data-toggle-password]')) {
    const input = document.getElementById(button.dataset.togglePassword);
    button.addEventListener('click', () => {
      const show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      button.setAttribute('aria-label', show ? 'Hide password' : 'Show password');
      button.textContent = show ? 'Hide' : 'Show';
    });
  }
}

/** Element helper: h('td', {className: 'x'}, 'text', child). */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k in el && !k.startsWith('aria') && k !== 'role') el[k] = v;
    else el.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) el.append(c);
  return el;
}
