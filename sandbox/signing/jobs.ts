/**
 * What the signing worker does with one job of each kind: render the PDF,
 * sign it with the PKCS#12, store it and record its SHA-256, inside the
 * transaction that claimed the job. PDF faults act here, after signing.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { FaultName } from '../faults/catalogue.ts';
import { writeAudit } from '../dermaconsent/audit-log.ts';
import { createSelfSignedP12 } from './certs.ts';
import { renderPdf, signPdf } from './sign.ts';
import { consentPdfKey, storageFile } from './storage.ts';
import { readP12 as readKeyAndCert } from './cms.ts';
import { amendPageContent, appendIncrementalUpdate, tamperOneByte } from './tamper.ts';

export interface Job {
  id: string;
  kind: string;
  ref_id: string;
  requested_by: string | null;
  attempts: number;
  /** The decrypted form as the practice's browser posted it; set only under the pdf-stored-plaintext fault. */
  payload?: { formData?: Record<string, unknown>; patientName?: string; patientDob?: string } | null;
}

export interface SignerConfig {
  p12Path: string;
  /** Never logged. */
  p12Password: string;
  faults: ReadonlySet<FaultName>;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A certificate the signer does not hold: what a signing-certificate-v2 attribute names under ess-cert-mismatch. */
let other: Buffer | undefined;
function otherCertificate(): Buffer {
  other ??= readKeyAndCert(createSelfSignedP12({ password: 'other', commonName: 'Nova Home Care (previous certificate)' }).p12, 'other').certDer;
  return other;
}

/** Reads the PKCS#12 for every job, so installing the file fixes a running worker (as it would the real one). */
async function readP12(p12Path: string): Promise<Buffer> {
  try {
    return await readFile(p12Path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(`Cannot sign PDF: cannot read the PKCS#12 file SIGNING_P12_PATH=${p12Path} (${code})`, { cause: err });
  }
}

/** The signed file and the SHA-256 the system records for it. */
export async function produce(
  unsigned: Buffer,
  signer: SignerConfig,
  meta: { name: string; reason: string; location: string },
): Promise<{ pdf: Buffer; sha256: string }> {
  const has = (f: FaultName) => signer.faults.has(f);
  const p12 = has('unsigned-pdf') ? undefined : await readP12(signer.p12Path);
  const cms = has('sha1-signature')
    ? { digest: 'sha1' as const }
    : has('two-signer-infos')
      ? { secondSignerInfo: true }
      : has('ess-cert-mismatch')
        ? { essCertificateDer: otherCertificate() }
        : undefined;
  let pdf = p12 ? await signPdf(unsigned, { p12, password: signer.p12Password, ...meta, ...(cms ? { cms } : {}) }) : unsigned;
  // The story the issue tells: the amount edited after signing, then the document signed again.
  if (p12 && has('content-changed-then-resigned')) {
    pdf = await signPdf(amendPageContent(pdf), { p12, password: signer.p12Password, ...meta, reason: 'Re-signed after an edit' });
  }
  if (has('tampered-after-signing')) pdf = tamperOneByte(pdf);
  if (has('incremental-update-after-signing')) pdf = appendIncrementalUpdate(pdf);
  // hash-mismatch: the bug of hashing the render before it was signed.
  return { pdf, sha256: sha256(has('hash-mismatch') ? unsigned : pdf) };
}

function formLines(form: unknown, prefix = ''): string[] {
  if (typeof form !== 'object' || form === null) return [`${prefix || 'value'}: ${String(form)}`];
  return Object.entries(form as Record<string, unknown>).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? formLines(v, `${prefix}${k}.`) : [`${prefix}${k}: ${String(v)}`],
  );
}

/** Nova: documents row → signed PDF in documents.pdf, status signed. */
export async function signNovaDocument(client: pg.PoolClient, job: Job, signer: SignerConfig): Promise<string> {
  const { rows } = await client.query<{ id: number; form: unknown; created_at: Date }>(
    'SELECT id, form, created_at FROM documents WHERE id = $1 FOR UPDATE',
    [Number(job.ref_id)],
  );
  const doc = rows[0];
  if (!doc) return `document ${job.ref_id} no longer exists: nothing to sign`;
  const unsigned = await renderPdf({
    title: `Nova Home Care - Document ${doc.id}`,
    lines: [`Submitted: ${doc.created_at.toISOString()}`, '', ...formLines(doc.form)],
  });
  const { pdf, sha256: hash } = await produce(unsigned, signer, {
    name: 'Nova Home Care',
    reason: 'Document issued by Nova Home Care',
    location: 'Nova Home Care',
  });
  await client.query(
    "UPDATE documents SET status = 'signed', pdf = $2, sha256 = $3, signed_at = now(), updated_at = now(), error = NULL WHERE id = $1",
    [doc.id, pdf, hash],
  );
  return `document ${doc.id} signed (${pdf.length} bytes)`;
}

/** DermaConsent: consent_forms row → PDF in the consent-pdfs bucket, path and hash on the row, PDF_GENERATED audited. */
export async function signConsentPdf(client: pg.PoolClient, job: Job, signer: SignerConfig, storageDir: string): Promise<string> {
  const { rows } = await client.query<{
    id: string;
    type: string;
    status: string;
    practice_id: string;
    practice_name: string;
    signature_timestamp: Date | null;
    locale: string | null;
  }>(
    `SELECT c.id, c.type, c.status, c.practice_id, p.name AS practice_name, c.signature_timestamp, c.locale
       FROM consent_forms c JOIN practices p ON p.id = c.practice_id
      WHERE c.id = $1 FOR UPDATE OF c`,
    [job.ref_id],
  );
  const consent = rows[0];
  if (!consent) return `consent ${job.ref_id} no longer exists: nothing to generate`;
  // The answers and the patient's identity are end-to-end encrypted: the server cannot print them.
  const unsigned = await renderPdf({
    title: `DermaConsent - Consent ${consent.id}`,
    lines: [
      `Practice: ${consent.practice_name}`,
      `Treatment: ${consent.type}`,
      `Status: ${consent.status}`,
      `Signed by the patient: ${consent.signature_timestamp?.toISOString() ?? 'not signed'}`,
      `Locale: ${consent.locale ?? '-'}`,
      '',
      ...(job.payload
        ? // As the real app: the browser posts the decrypted form and the server prints it into a file it keeps.
          [
            `Patient: ${job.payload.patientName ?? '-'} (${job.payload.patientDob ?? '-'})`,
            ...Object.entries(job.payload.formData ?? {})
              .filter(([k]) => k !== 'signatureData')
              .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`),
          ]
        : ['The answers and the patient data are end-to-end encrypted and readable only in the practice vault.']),
    ],
  });
  const { pdf, sha256: hash } = await produce(unsigned, signer, {
    name: consent.practice_name,
    reason: 'Consent record issued by DermaConsent',
    location: 'DermaConsent',
  });
  const key = consentPdfKey(consent.practice_id, consent.id);
  const file = storageFile(storageDir, key);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, pdf, { mode: 0o600 });
  await client.query(
    'UPDATE consent_forms SET pdf_storage_path = $2, pdf_signature_hash = $3, updated_at = now() WHERE id = $1',
    [consent.id, key, hash],
  );
  await writeAudit(client, {
    action: 'PDF_GENERATED',
    practiceId: consent.practice_id,
    userId: job.requested_by,
    entityType: 'ConsentForm',
    entityId: consent.id,
    metadata: { storagePath: key, sha256: hash, bytes: pdf.length },
  });
  return `consent ${consent.id} PDF generated (${pdf.length} bytes)`;
}
