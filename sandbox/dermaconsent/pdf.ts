/**
 * Consent PDFs:
 *   POST /api/consent/:id/generate-pdf  ADMIN or ARZT; the consent must be signed.
 *     Body as the real DTO: {formData (object, required), signatureData?,
 *     patientName?, patientDob?, locale?, patientEmail?}; anything else is 400.
 *     The real API renders synchronously and answers 201 {success: true};
 *     the sandbox hands the work to the signing worker and answers 202
 *     {id, status: "pending"} until then (201 once the PDF exists).
 *   GET  /api/consent/:id/pdf           200 application/pdf; 409 PDF_NOT_READY while
 *     a job is pending; 404 PDF_NOT_FOUND when none was ever requested.
 * The worker stores the file in the consent-pdfs bucket, sets pdf_storage_path
 * and pdf_signature_hash (its SHA-256 hex) and audits PDF_GENERATED.
 */
import { readFile } from 'node:fs/promises';
import type { SandboxContext } from '../context.ts';
import { HttpError, type Router } from '../http/router.ts';
import { enqueue, hasPendingJob } from '../signing/queue.ts';
import { storageDirOf, storageFile } from '../signing/storage.ts';
import { has } from '../context.ts';
import { writeAudit } from './audit-log.ts';
import { isEmail, isObject, isString, optional, required, validateBody } from './validation.ts';
import { clientIp, requirePractice, requireRole } from './session.ts';

const SIGNED_STATES = new Set(['SIGNED', 'PAID', 'COMPLETED']);

interface ConsentPdfRow {
  id: string;
  status: string;
  pdf_storage_path: string | null;
  pdf_signature_hash: string | null;
}

async function consentOfPractice(ctx: SandboxContext, id: string, practiceId: string): Promise<ConsentPdfRow> {
  const { rows } = await ctx.db.query<ConsentPdfRow>(
    'SELECT id, status, pdf_storage_path, pdf_signature_hash FROM consent_forms WHERE id = $1 AND practice_id = $2',
    [id, practiceId],
  );
  if (!rows[0]) throw new HttpError(404, 'CONSENT_NOT_FOUND', 'Consent form not found');
  return rows[0];
}

export function pdfRoutes(router: Router, ctx: SandboxContext): void {
  const storageDir = storageDirOf(ctx.layout.dir);

  router.post('/api/consent/:id/generate-pdf', async (req) => {
    const principal = requireRole(await requirePractice(ctx, req), 'ADMIN', 'ARZT');
    const id = req.params.id ?? '';
    // The real route's DTO: the practice's browser sends the form it decrypted in the vault.
    const body = validateBody(req.body, {
      formData: required(isObject),
      signatureData: optional(isString),
      patientName: optional(isString),
      patientDob: optional(isString),
      locale: optional(isString),
      patientEmail: optional(isEmail),
    });
    const consent = await consentOfPractice(ctx, id, principal.practiceId);
    if (!SIGNED_STATES.has(consent.status)) {
      throw new HttpError(400, 'CONSENT_NOT_SIGNED', `A PDF can only be generated for a signed consent (status is ${consent.status})`);
    }
    if (consent.pdf_storage_path) {
      return { status: 201, body: { id, status: 'ready', pdfSignatureHash: consent.pdf_signature_hash } };
    }
    const client = await ctx.db.connect();
    try {
      await client.query('BEGIN');
      // One pending job per consent, however often the button is pressed.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`consent-pdf:${id}`]);
      if (!(await hasPendingJob(client, 'consent-pdf', id))) {
        // Healthy, the server keeps no plaintext: it prints what it holds, never the posted answers.
        const payload = has(ctx, 'pdf-stored-plaintext')
          ? { formData: body.formData, patientName: body.patientName, patientDob: body.patientDob }
          : undefined;
        await enqueue(client, { kind: 'consent-pdf', refId: id, requestedBy: principal.userId, payload });
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
    return { status: 202, body: { id, status: 'pending' } };
  });

  router.get('/api/consent/:id/pdf', async (req) => {
    const principal = await requirePractice(ctx, req);
    const id = req.params.id ?? '';
    const consent = await consentOfPractice(ctx, id, principal.practiceId);
    if (!consent.pdf_storage_path) {
      if (await hasPendingJob(ctx.db, 'consent-pdf', id)) {
        throw new HttpError(409, 'PDF_NOT_READY', 'The PDF is still being generated');
      }
      throw new HttpError(404, 'PDF_NOT_FOUND', 'No PDF has been generated for this consent');
    }
    let pdf: Buffer;
    try {
      pdf = await readFile(storageFile(storageDir, consent.pdf_storage_path));
    } catch (err) {
      ctx.log(`pdf: consent ${id}: stored file ${consent.pdf_storage_path} unreadable: ${String(err)}`);
      throw new HttpError(404, 'PDF_NOT_FOUND', 'The stored PDF is missing');
    }
    await writeAudit(ctx.db, {
      action: 'PDF_DOWNLOADED',
      practiceId: principal.practiceId,
      userId: principal.userId,
      entityType: 'ConsentForm',
      entityId: id,
      ipAddress: clientIp(req),
    });
    return {
      status: 200,
      headers: {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="consent-${id}.pdf"`,
        'Content-Length': String(pdf.length),
      },
      body: pdf,
    };
  });
}
