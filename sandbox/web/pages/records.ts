import type { SandboxContext } from '../../context.ts';
import { appShell, documentHtml } from './layout.ts';

export function patientsPage(ctx: SandboxContext): string {
  const main = `<div class="page-head"><h1>Patients</h1></div>
<section class="card">
  <table aria-label="Patients">
    <thead><tr><th scope="col">Name</th><th scope="col">Created</th><th scope="col"><span class="sr-only">Open</span></th></tr></thead>
    <tbody id="patient-rows"><tr><td colspan="3" class="muted">Loading…</td></tr></tbody>
  </table>
</section>`;
  return documentHtml(ctx, 'Patients – DermaConsent', appShell('patients', main), 'patients.js');
}

export function patientPage(ctx: SandboxContext): string {
  const main = `<div class="page-head"><h1>Patient</h1></div>
<p id="patient-error" class="error" role="alert" hidden></p>
<section class="card" aria-labelledby="patient-data-title">
  <h2 id="patient-data-title">Data</h2>
  <dl class="data">
    <dt>Name</dt><dd id="patient-name-value">[Encrypted]</dd>
    <dt>Date of birth</dt><dd id="patient-dob-value">[Encrypted]</dd>
    <dt>Email</dt><dd id="patient-email-value">[Encrypted]</dd>
    <dt>Created</dt><dd id="patient-created-value">–</dd>
  </dl>
  <p id="patient-locked-hint" class="muted">Unlock the vault to see the patient's data.</p>
</section>`;
  return documentHtml(ctx, 'Patient – DermaConsent', appShell('patients', main), 'patient.js');
}

export function auditPage(ctx: SandboxContext): string {
  const main = `<div class="page-head"><h1>Audit log</h1></div>
<section class="card">
  <table aria-label="Audit log entries">
    <thead><tr id="audit-head"><th scope="col">Timestamp</th><th scope="col">Action</th><th scope="col">Entity</th></tr></thead>
    <tbody id="audit-rows"><tr><td colspan="3" class="muted">Loading…</td></tr></tbody>
  </table>
  <div class="pager" id="audit-pager" hidden>
    <button type="button" class="secondary" id="audit-prev">Previous</button>
    <span id="audit-page" class="muted"></span>
    <button type="button" class="secondary" id="audit-next">Next</button>
  </div>
</section>`;
  return documentHtml(ctx, 'Audit log – DermaConsent', appShell('audit', main), 'audit.js');
}
