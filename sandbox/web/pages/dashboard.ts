import type { SandboxContext } from '../../context.ts';
import { appShell, documentHtml } from './layout.ts';

/**
 * "Treatment type": a Radix-style combobox (button + listbox), as the real shadcn
 * Select renders it; dashboard.js fills the options from consent-forms.js. As on
 * the real page, the label is tied to nothing (no for, and the trigger has no
 * name of its own), and a step badge stands before its text.
 */
function treatmentCombobox(): string {
  return `<div class="field">
  <label id="consent-type-label"><span class="badge">1</span>Treatment type</label>
  <div class="select">
    <button type="button" id="consent-type" role="combobox" aria-controls="consent-type-listbox"
      aria-expanded="false" aria-autocomplete="none" data-placeholder="true"><span id="consent-type-value">Select treatment</span></button>
    <ul role="listbox" id="consent-type-listbox" aria-labelledby="consent-type-label" hidden></ul>
  </div>
</div>`;
}

export function dashboardPage(ctx: SandboxContext): string {
  const main = `<div class="page-head">
  <h1>Dashboard</h1>
  <button type="button" id="new-consent" disabled>New consent</button>
</div>
<div class="stats" aria-label="Overview">
  <div class="stat"><span class="muted">Consents</span><strong id="stat-consents">–</strong></div>
  <div class="stat"><span class="muted">Signed</span><strong id="stat-signed">–</strong></div>
  <div class="stat"><span class="muted">Patients</span><strong id="stat-patients">–</strong></div>
  <div class="stat"><span class="muted">Team members</span><strong id="stat-team">–</strong></div>
</div>
<section class="card">
  <h2 id="recent-consents-title">Recent Consent Forms</h2>
  <p class="muted">Click a signed consent to view the patient's answers (requires the unlocked vault).</p>
  <table aria-labelledby="recent-consents-title">
    <thead><tr><th scope="col">Treatment</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col">Signature</th><th scope="col">Expires</th></tr></thead>
    <tbody id="consent-rows"><tr><td colspan="5" class="muted">Loading…</td></tr></tbody>
  </table>
</section>

<div class="overlay" id="welcome-dialog" hidden>
  <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="welcome-title" aria-describedby="welcome-desc">
    <h2 id="welcome-title">Welcome to DermaConsent</h2>
    <p id="welcome-desc">Your practice is set up. Create a consent form and send its link to your patient.
    Patient answers are encrypted in their browser; unlock the vault with your master password to read them.</p>
    <div class="actions"><button type="button" id="welcome-close">Close</button></div>
  </div>
</div>

<div class="overlay" id="create-dialog" hidden>
  <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="create-title">
    <h2 id="create-title">Create new consent</h2>
    <form id="create-form" novalidate>
      ${treatmentCombobox()}
      <div class="field"><label for="consent-patient-email">Patient email (optional)</label>
        <input type="email" id="consent-patient-email" autocomplete="off"></div>
      <p id="create-error" class="error" role="alert" hidden></p>
      <div class="actions">
        <button type="button" class="secondary" id="create-cancel">Cancel</button>
        <button type="submit" id="create-submit">Create consent</button>
      </div>
    </form>
    <div id="create-result" hidden>
      <div class="field"><label>Consent link</label>
        <div class="password-field"><input type="text" id="consent-link" readonly>
        <button type="button" class="secondary" id="consent-link-copy">Copy</button></div></div>
      <p class="muted">Send this link to your patient. It expires after 7 days.</p>
      <div class="actions"><button type="button" id="create-done">Done</button></div>
    </div>
  </div>
</div>

<div class="overlay" id="detail-dialog" hidden>
  <div class="dialog wide" role="dialog" aria-modal="true" aria-labelledby="detail-title">
    <h2 id="detail-title">Consent details</h2>
    <p id="detail-meta" class="muted"></p>
    <div id="detail-body" aria-live="polite"></div>
    <div class="actions"><button type="button" id="detail-close">Close</button></div>
  </div>
</div>`;
  return documentHtml(ctx, 'Dashboard – DermaConsent', appShell('dashboard', main), 'dashboard.js');
}
