/**
 * Presigned URLs for the private documents bucket, S3 style: the query carries
 * the signing date, a lifetime and an HMAC over path, date and lifetime. Not
 * real SigV4 (nothing here talks to AWS); what matters is that a changed URL
 * or an old one is refused with 403, as S3 refuses it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const PRESIGN_EXPIRES_S = 300;

export interface Presigner {
  sign(path: string, now?: Date): string;
  /** undefined when the query grants access to `path` now, else S3's error code and message. */
  check(path: string, query: URLSearchParams, now?: Date): { code: string; message: string } | undefined;
}

/** 20250101T120000Z, as X-Amz-Date writes it. */
function amzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseAmzDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
}

export function createPresigner(key: Buffer = randomBytes(32)): Presigner {
  const mac = (path: string, date: string, expires: string) =>
    createHmac('sha256', key).update(`GET\n${path}\n${date}\n${expires}`).digest('hex');

  return {
    sign(path, now = new Date()) {
      const date = amzDate(now);
      const expires = String(PRESIGN_EXPIRES_S);
      const q = new URLSearchParams({
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': `SANDBOX/${date.slice(0, 8)}/us-east-1/s3/aws4_request`,
        'X-Amz-Date': date,
        'X-Amz-Expires': expires,
        'X-Amz-SignedHeaders': 'host',
        'X-Amz-Signature': mac(path, date, expires),
      });
      return `${path}?${q.toString()}`;
    },

    check(path, query, now = new Date()) {
      const date = query.get('X-Amz-Date');
      const expires = query.get('X-Amz-Expires');
      const signature = query.get('X-Amz-Signature');
      if (!date || !expires || !signature) {
        return { code: 'AccessDenied', message: 'Access Denied' };
      }
      const expected = Buffer.from(mac(path, date, expires), 'hex');
      const given = Buffer.from(signature, 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return {
          code: 'SignatureDoesNotMatch',
          message: 'The request signature we calculated does not match the signature you provided.',
        };
      }
      const signedAt = parseAmzDate(date);
      const lifetime = Number(expires);
      if (!signedAt || !Number.isFinite(lifetime) || now.getTime() > signedAt.getTime() + lifetime * 1000) {
        return { code: 'AccessDenied', message: 'Request has expired' };
      }
      return undefined;
    },
  };
}

/** S3's XML error body. */
export function s3ErrorXml(code: string, message: string, resource: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message><Resource>${esc(resource)}</Resource></Error>`;
}
