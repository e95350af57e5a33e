/**
 * Nova's documents API (Django REST framework style, trailing slashes):
 *   POST /api/documents/               {form: {...}} → 201 {id, status: "pending", created_at}
 *   GET  /api/documents/<id>/          → {id, status, error, created_at, signed_at, sha256}
 *   GET  /api/documents/<id>/download/ → 302 to a presigned /media/ URL, 409 while not signed
 *   GET  /media/documents/<id>.pdf?X-Amz-...  the private bucket: 403 unless the URL is signed and fresh
 * The signing itself is the worker's: creating a document enqueues a job.
 */
import type pg from 'pg';
import type { SandboxContext } from '../context.ts';
import type { Req, Res, Router } from '../http/router.ts';
import { enqueue } from '../signing/queue.ts';
import { createPresigner, s3ErrorXml } from './presign.ts';

/** An error with a Django REST framework body ({detail} or field errors). */
export class DrfError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.detail === 'string' ? body.detail : JSON.stringify(body));
  }
}

/** The organization tokens of the fixtures (docs/targets/); a request may also come without one (public intake forms). */
const ORGANIZATION_TOKENS = new Set([
  '5ae807a7-df99-4bc2-8d51-fa808b81a41e',
  'e9686292-0b70-4019-9ef1-c1a275a9723d',
  '9f66eef3-be72-482b-a6a9-c1eb647367f8',
]);

function checkToken(req: Req): void {
  const header = req.headers.authorization;
  if (header === undefined) return;
  const m = /^Token\s+(\S+)$/.exec(header);
  if (!m || !ORGANIZATION_TOKENS.has(m[1] ?? '')) throw new DrfError(401, { detail: 'Invalid token.' });
}

interface DocumentRow {
  id: number;
  status: 'pending' | 'signed' | 'failed';
  error: string | null;
  sha256: string | null;
  created_at: Date;
  signed_at: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function documentId(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) throw new DrfError(404, { detail: 'Not found.' });
  return id;
}

async function loadDocument(db: pg.Pool, id: number): Promise<DocumentRow> {
  const { rows } = await db.query<DocumentRow>(
    'SELECT id, status, error, sha256, created_at, signed_at FROM documents WHERE id = $1',
    [id],
  );
  if (!rows[0]) throw new DrfError(404, { detail: 'Not found.' });
  return rows[0];
}

export function documentRoutes(router: Router, ctx: SandboxContext, db: pg.Pool): void {
  const presigner = createPresigner();

  router.post('/api/documents/', async (req) => {
    checkToken(req);
    const body = req.body as { form?: unknown } | undefined;
    if (body === undefined || typeof body !== 'object' || body === null) {
      throw new DrfError(400, { non_field_errors: ['Invalid data. Expected a dictionary, but got str.'] });
    }
    if (body.form === undefined) throw new DrfError(400, { form: ['This field is required.'] });
    if (typeof body.form !== 'object' || body.form === null || Array.isArray(body.form)) {
      throw new DrfError(400, { form: ['Expected a dictionary of items.'] });
    }
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<DocumentRow>(
        'INSERT INTO documents (form) VALUES ($1) RETURNING id, status, created_at',
        [JSON.stringify(body.form)],
      );
      const doc = rows[0] as DocumentRow;
      await enqueue(client, { kind: 'nova-document', refId: String(doc.id) });
      await client.query('COMMIT');
      return { status: 201, body: { id: doc.id, status: doc.status, created_at: iso(doc.created_at) } };
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  });

  router.get('/api/documents/:id/', async (req) => {
    checkToken(req);
    const doc = await loadDocument(db, documentId(req.params.id));
    return {
      status: 200,
      body: {
        id: doc.id,
        status: doc.status,
        error: doc.error,
        created_at: iso(doc.created_at),
        signed_at: iso(doc.signed_at),
        sha256: doc.sha256,
      },
    };
  });

  router.get('/api/documents/:id/download/', async (req) => {
    checkToken(req);
    const doc = await loadDocument(db, documentId(req.params.id));
    if (doc.status !== 'signed') {
      throw new DrfError(409, { detail: `Document is not signed yet (status: ${doc.status}).`, status: doc.status });
    }
    const location = `${ctx.layout.novaApiUrl}${presigner.sign(`/media/documents/${doc.id}.pdf`)}`;
    return { status: 302, headers: { Location: location }, body: '' };
  });

  router.get('/media/documents/:file', async (req): Promise<Res> => {
    const path = req.path;
    const denied = presigner.check(path, req.query);
    const m = /^(\d+)\.pdf$/.exec(req.params.file ?? '');
    if (denied || !m) {
      const e = denied ?? { code: 'NoSuchKey', message: 'The specified key does not exist.' };
      return { status: denied ? 403 : 404, headers: { 'Content-Type': 'application/xml' }, body: s3ErrorXml(e.code, e.message, path) };
    }
    const { rows } = await db.query<{ pdf: Buffer | null }>("SELECT pdf FROM documents WHERE id = $1 AND status = 'signed'", [
      Number(m[1]),
    ]);
    const pdf = rows[0]?.pdf;
    if (!pdf) {
      return {
        status: 404,
        headers: { 'Content-Type': 'application/xml' },
        body: s3ErrorXml('NoSuchKey', 'The specified key does not exist.', path),
      };
    }
    return { status: 200, headers: { 'Content-Type': 'application/pdf', 'Content-Length': String(pdf.length) }, body: pdf };
  });
}
