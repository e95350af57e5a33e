import type { SandboxContext } from '../../context.ts';

/** Escapes text for HTML element content and quoted attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The HTML document every frontend page shares. The page scripts learn the API
 * origin, the public frontend URL (consent links) and the active UI faults from
 * meta tags: the CSP allows no inline script.
 */
export function documentHtml(ctx: SandboxContext, title: string, body: string, script?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="dc-api-url" content="${esc(new URL(ctx.layout.apiUrl).origin)}">
<meta name="dc-frontend-url" content="${esc(new URL(ctx.layout.frontendUrl).origin)}">
<meta name="dc-faults" content="${esc([...ctx.faults].join(','))}">
<title>${esc(title)}</title>
<link rel="icon" href="/favicon.svg">
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
${body}
${script ? `<script type="module" src="/static/${script}"></script>` : ''}
</body>
</html>`;
}

/** Toasts, like sonner's: a labelled region whose items are live status messages. */
export const TOASTER = '<section class="toaster" aria-label="Notifications"><ol id="toasts"></ol></section>';

export type ShellSection = 'dashboard' | 'patients' | 'audit';

const NAV: { section: ShellSection; href: string; label: string }[] = [
  { section: 'dashboard', href: '/dashboard', label: 'Dashboard' },
  { section: 'patients', href: '/patients', label: 'Patients' },
  { section: 'audit', href: '/audit', label: 'Audit log' },
];

/**
 * Buttons whose handlers come from a page module are rendered disabled and enabled
 * by the module once wired, so a click before the script has loaded waits (Playwright
 * waits for enabled) instead of submitting a form natively.
 *
 * The logged-in layout: sidebar (navigation, "Vault Locked", "Sign out"), header
 * (practice name, "Vault locked" button and its popover), the vault dialog and
 * the toaster. The vault buttons stay hidden until shell.js knows the vault
 * state, so a test never sees a stale name.
 */
export function appShell(section: ShellSection, main: string): string {
  const nav = NAV.map(
    (n) => `<a href="${n.href}"${n.section === section ? ' aria-current="page"' : ''}>${n.label}</a>`,
  ).join('');
  return `<div class="app">
<aside class="sidebar">
  <a class="brand" href="/dashboard">DermaConsent</a>
  <nav aria-label="Main">${nav}</nav>
  <div class="sidebar-bottom">
    <button type="button" class="ghost" id="sidebar-vault" hidden>Vault Locked</button>
    <button type="button" class="ghost icon" id="sidebar-vault-lock" aria-label="Lock vault" hidden>&#128274;</button>
    <button type="button" class="ghost" id="sign-out" disabled>Sign out</button>
  </div>
</aside>
<div class="content">
  <header class="topbar">
    <span id="practice-name" class="muted"></span>
    <div class="vault-anchor">
      <button type="button" class="vault-button" id="header-vault" aria-haspopup="dialog" aria-expanded="false" hidden>Vault locked</button>
      <div class="popover" id="vault-popover" role="dialog" aria-label="Vault" hidden>
        <p>The encryption vault is unlocked for this tab. It locks itself after 15 minutes without activity.</p>
        <button type="button" id="vault-lock">Lock vault</button>
      </div>
    </div>
  </header>
  <main id="main">
${main}
  </main>
</div>
</div>
<div class="overlay" id="vault-dialog" hidden>
  <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="vault-dialog-title" aria-describedby="vault-dialog-desc">
    <h2 id="vault-dialog-title">Unlock Encryption Vault</h2>
    <p id="vault-dialog-desc" class="muted">Enter your master password to decrypt patient data in this browser. It never leaves your device.</p>
    <form id="vault-form" novalidate>
      <input type="password" id="vault-modal-password" placeholder="Master password" autocomplete="current-password">
      <p id="vault-modal-error" class="error" role="alert" hidden></p>
      <div class="actions">
        <button type="button" class="secondary" id="vault-cancel">Cancel</button>
        <button type="submit" id="vault-submit">Unlock vault</button>
      </div>
    </form>
  </div>
</div>
${TOASTER}`;
}
