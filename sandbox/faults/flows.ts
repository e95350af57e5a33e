import type { Fault } from './fault.ts';

/** Faults of the account, vault and consent flows (registration, encryption at rest, audit, migrations). */
export const FLOW_FAULTS = {
  // Server side (sandbox/dermaconsent, sandbox/db.ts, sandbox/main.ts)
  'consent-link-broken': {
    breaks: 'the public GET /api/consent/:token answers 500, so no patient can open a consent link',
    // The link check and the patient's form fail; what reads the submission is skipped (not judged).
    expect: ['DC-FLOW-4', 'DC-FLOW-5'],
    reaches: ['tests/pdf-signing.spec.ts'],
  },
  'submit-fails': {
    breaks: 'POST /api/consent/:token/submit answers 500',
    // DC-FLOW-5 owns the submission; DC-FLOW-6/7 and DC-AUDIT-1 are skipped, pointing there.
    expect: ['DC-FLOW-5'],
    // The DermaConsent PDF checks sign a consent that must be submitted first: they skip.
    reaches: ['tests/pdf-signing.spec.ts'],
  },
  'public-consent-leaks-pii': {
    breaks: "the public GET /api/consent/:token returns the whole row: the signer's IP, the practice and patient IDs (as the real app today)",
    expect: ['DC-PRIV-1'],
  },
  'audit-filters-rejected': {
    breaks: 'GET /api/audit answers 400 to its own action/startDate filters (as the real app today: the global validation forbids them)',
    expect: ['DC-AUDIT-1'],
  },
  'audit-forgeable': {
    breaks: 'POST /api/audit/vault-event records any action a client names, e.g. CONSENT_REVOKED (as the real app today)',
    expect: ['DC-AUDIT-2'],
  },
  'audit-missing-submit': {
    breaks: 'a submitted consent writes no CONSENT_SUBMITTED audit row',
    expect: ['DC-AUDIT-1'],
  },
  'migration-failed': {
    breaks: '_prisma_migrations holds a later migration that failed and was rolled back (finished_at null, rolled_back_at set)',
    expect: ['DC-MIG-1'],
  },
  'migration-unrecorded': {
    breaks: "the newest migration's row is missing from _prisma_migrations (its SQL applied by hand, or the deploy never ran it)",
    expect: ['DC-MIG-1'],
  },
  'db-without-tls': {
    breaks: "the API's database pool connects without TLS (the server still offers it)",
    expect: ['DC-DB-2'],
  },
  'plaintext-at-rest': {
    breaks: 'the consent page also posts the answers in clear as formData, and the API stores them inside consent_forms.encrypted_responses',
    expect: ['DC-FLOW-6'],
  },
  'canary-in-other-table': {
    breaks: "the consent page also posts debugContext {patientName} in clear, and the API logs it into request_logs",
    expect: ['DC-FLOW-6'],
  },
  // UI side (the sandbox's pages)
  'registration-broken': {
    breaks: "the /register form's submit fails",
    expect: ['DC-FLOW-1'],
  },
  'keypair-weak': {
    breaks: 'practice setup generates an RSA-2048 keypair instead of RSA-4096',
    expect: ['DC-FLOW-2'],
  },
  'privkey-in-clear': {
    breaks: 'practice setup posts the private key as unencrypted PKCS#8',
    expect: ['DC-FLOW-2'],
  },
  'vault-accepts-wrong-password': {
    breaks: 'the vault dialog reports success for a wrong master password',
    expect: ['DC-FLOW-3'],
  },
  'vault-events-missing': {
    breaks: 'the UI never posts VAULT_UNLOCKED / VAULT_LOCKED audit events (as the real frontend today)',
    expect: ['DC-AUDIT-1'],
  },
  'decrypt-broken': {
    breaks: 'the consent detail dialog and the patient page cannot decrypt what was submitted',
    expect: ['DC-FLOW-7'],
  },
} as const satisfies Record<string, Fault>;
