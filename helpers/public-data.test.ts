import { describe, expect, it } from 'vitest';
import { publicDataLeaks } from './public-data.ts';

describe('publicDataLeaks (DC-PRIV-1)', () => {
  it('passes what the form needs', () => {
    const body = {
      id: 'c1',
      token: 't',
      type: 'BOTOX',
      status: 'PENDING',
      locale: 'en',
      expiresAt: '2026-12-09T00:00:00Z',
      encryptedResponses: null,
      practice: { name: 'Praxis', publicKey: { kty: 'RSA', n: 'x', e: 'AQAB' } },
      brandColor: null,
    };
    expect(publicDataLeaks(body)).toEqual([]);
  });

  it("names the signer's IP and browser, internal IDs and contact data, by path", () => {
    const body = {
      id: 'c1',
      practiceId: 'p1',
      patientId: 'pt1',
      signatureIp: '203.0.113.7',
      signatureUserAgent: 'Mozilla/5.0',
      patientEmail: 'a@b.c',
      practice: { id: 'p1', name: 'Praxis' },
    };
    expect(publicDataLeaks(body).map((l) => `${l.path}: ${l.why}`)).toEqual([
      'practiceId: an internal ID',
      'patientId: an internal ID',
      "signatureIp: the signer's IP address",
      "signatureUserAgent: the signer's browser (user agent)",
      'patientEmail: contact data',
      'practice.id: an internal ID',
    ]);
  });

  it('ignores keys that are present but empty', () => {
    expect(publicDataLeaks({ signatureIp: null, patientId: null, pdfStoragePath: '' })).toEqual([]);
  });
});
