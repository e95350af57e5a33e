import type { Fault } from './fault.ts';

/*
 * A PDF that never arrives fails both items of its system: the -1 item (not
 * generated in time) and the -2 item (no PDF whose signature could be shown
 * to validate). The suite reports the second as "no PDF to validate", at once,
 * without waiting a second deadline.
 */
const NOTHING_SIGNED = ['DC-PDF-1', 'DC-PDF-2', 'NHC-PDF-1', 'NHC-PDF-2'];
/** A PDF arrives but its signature or hash is wrong: both systems' -2 items. */
const BAD_SIGNATURE = ['DC-PDF-2', 'NHC-PDF-2'];

/** Faults of PDF generation and signing (DermaConsent and Nova). */
export const PDF_FAULTS = {
  'pdf-stored-plaintext': {
    breaks: "generate-pdf prints the decrypted answers and the patient's name it is sent into the PDF it keeps (as the real app today)",
    expect: ['DC-FLOW-6'],
  },
  'signing-cert-missing': {
    breaks: 'the PKCS#12 at SIGNING_P12_PATH is absent: every document and consent PDF stays pending; only the worker log says why',
    expect: NOTHING_SIGNED,
  },
  'signing-password-wrong': {
    breaks: 'the worker gets a wrong SIGNING_P12_PASSWORD: jobs stay pending, the MAC error only in the worker log',
    expect: NOTHING_SIGNED,
  },
  'worker-down': {
    breaks: 'the signing worker is not started: jobs pile up in signing_jobs, nothing logs anything',
    expect: NOTHING_SIGNED,
  },
  'signed-with-other-cert': {
    breaks: 'the worker signs with another self-signed "CN=Nova Home Care" certificate than the pinned one',
    expect: BAD_SIGNATURE,
  },
  'signed-with-expired-cert': {
    breaks: 'the signing certificate (the pinned one) expired a month ago',
    expect: BAD_SIGNATURE,
  },
  'tampered-after-signing': {
    breaks: 'one byte of the signed range changes after signing (the hash recorded is of the changed file)',
    expect: BAD_SIGNATURE,
  },
  'incremental-update-after-signing': {
    breaks: 'an unsigned incremental update (new /Info) is appended after the signature',
    expect: BAD_SIGNATURE,
  },
  'content-changed-then-resigned': {
    breaks: 'after signing, an incremental update paints over the top of the page (new content stream), then the worker signs the document again',
    expect: BAD_SIGNATURE,
  },
  'sha1-signature': {
    breaks: 'the worker signs with SHA-1 (digest and RSA signature), which the policy rejects',
    expect: BAD_SIGNATURE,
  },
  'two-signer-infos': {
    breaks: 'the CMS carries two SignerInfos (ISO 32000-1 allows exactly one signer per PDF signature)',
    expect: BAD_SIGNATURE,
  },
  'ess-cert-mismatch': {
    breaks: "the CMS's signing-certificate-v2 attribute names another certificate than the one that signed",
    expect: BAD_SIGNATURE,
  },
  'unsigned-pdf': {
    breaks: 'PDFs are stored unsigned: a failure for Nova (signature required), a warning for DermaConsent (optional)',
    expect: ['NHC-PDF-2'],
  },
  'hash-mismatch': {
    breaks: 'the SHA-256 recorded (consent_forms.pdf_signature_hash, Nova sha256) is that of the render before signing',
    expect: BAD_SIGNATURE,
  },
  'stuck-old-pending': {
    breaks: 'Nova holds a document pending for two hours whose task was lost: new documents are signed, the old one never',
    expect: ['NHC-PDF-1'],
  },
} as const satisfies Record<string, Fault>;
