import { describe, expect, it } from 'vitest';
import { createPresigner, PRESIGN_EXPIRES_S } from './presign.ts';

const PATH = '/media/documents/41.pdf';
const query = (url: string) => new URL(url, 'http://x.invalid').searchParams;

describe('presigned document URLs', () => {
  const presigner = createPresigner();
  const t0 = new Date('2025-06-01T12:00:00Z');
  const url = presigner.sign(PATH, t0);

  it('carries the S3 query parameters and grants access while fresh', () => {
    const q = query(url);
    expect(q.get('X-Amz-Expires')).toBe(String(PRESIGN_EXPIRES_S));
    expect(q.get('X-Amz-Date')).toBe('20250601T120000Z');
    expect(q.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(presigner.check(PATH, q, new Date(t0.getTime() + 299_000))).toBeUndefined();
  });

  it('refuses it once expired', () => {
    expect(presigner.check(PATH, query(url), new Date(t0.getTime() + 301_000))).toEqual({
      code: 'AccessDenied',
      message: 'Request has expired',
    });
  });

  it('refuses another path, a changed lifetime or another key', () => {
    expect(presigner.check('/media/documents/42.pdf', query(url), t0)?.code).toBe('SignatureDoesNotMatch');
    const longer = query(url);
    longer.set('X-Amz-Expires', '86400');
    expect(presigner.check(PATH, longer, t0)?.code).toBe('SignatureDoesNotMatch');
    expect(createPresigner().check(PATH, query(url), t0)?.code).toBe('SignatureDoesNotMatch');
  });

  it('refuses a URL without a signature', () => {
    expect(presigner.check(PATH, new URLSearchParams(), t0)?.code).toBe('AccessDenied');
  });
});
