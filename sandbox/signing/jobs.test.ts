/**
 * What the worker stores for each PDF fault, judged by the suite's own validator:
 * each fault must produce exactly the defect its catalogue entry promises.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatePdfSignatures } from '../../helpers/pdf-signature.ts';
import type { FaultName } from '../faults/catalogue.ts';
import { createSelfSignedP12 } from './certs.ts';
import { produce, type SignerConfig } from './jobs.ts';
import { renderPdf } from './sign.ts';

const META = { name: 'Nova Home Care', reason: 'test', location: 'test' };
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let dir: string;
let p12Path: string;
let certSha256: string;
let unsigned: Buffer;
const password = 'test-password';

const signer = (faults: FaultName[] = [], overrides: Partial<SignerConfig> = {}): SignerConfig => ({
  p12Path,
  p12Password: password,
  faults: new Set(faults),
  ...overrides,
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'signing-jobs-test-'));
  const p12 = createSelfSignedP12({ password });
  certSha256 = p12.sha256;
  p12Path = path.join(dir, 'nova.p12');
  await writeFile(p12Path, p12.p12);
  unsigned = await renderPdf({ title: 'Nova Home Care - Document 41', lines: ['kind: test'] });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('produce', () => {
  it('signs with the p12 and records the hash of the stored file (healthy)', async () => {
    const { pdf, sha256: hash } = await produce(unsigned, signer(), META);
    expect(hash).toBe(sha256(pdf));
    const report = await validatePdfSignatures(pdf, { expectedSignerSha256: certSha256 });
    expect(report.problems).toEqual([]);
    expect(report.verdict).toBe('valid');
  });

  it('signing-cert-missing: fails naming SIGNING_P12_PATH, so the job stays pending', async () => {
    await expect(produce(unsigned, signer([], { p12Path: path.join(dir, 'absent.p12') }), META)).rejects.toThrow(
      /cannot read the PKCS#12 file SIGNING_P12_PATH=.*absent\.p12 \(ENOENT\)/,
    );
  });

  it('signing-password-wrong: fails on the password, without printing it', async () => {
    const err = await produce(unsigned, signer([], { p12Password: 'not-it' }), META).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/wrong password/);
    expect((err as Error).message).not.toContain('not-it');
  });

  it('unsigned-pdf: stores the render as it is, without touching the p12', async () => {
    const { pdf } = await produce(unsigned, signer(['unsigned-pdf'], { p12Path: path.join(dir, 'absent.p12') }), META);
    expect((await validatePdfSignatures(pdf)).verdict).toBe('unsigned');
  });

  it('tampered-after-signing: the digest no longer matches; the hash recorded is that of the changed file', async () => {
    const { pdf, sha256: hash } = await produce(unsigned, signer(['tampered-after-signing']), META);
    expect(hash).toBe(sha256(pdf));
    const report = await validatePdfSignatures(pdf, { expectedSignerSha256: certSha256 });
    expect(report.verdict).toBe('invalid');
    expect(report.problems.join('\n')).toMatch(/messageDigest mismatch/);
    await PDFDocument.load(pdf, { updateMetadata: false }); // still a readable PDF
  });

  it('incremental-update-after-signing: only the coverage fails; the signature itself still verifies', async () => {
    const { pdf } = await produce(unsigned, signer(['incremental-update-after-signing']), META);
    const report = await validatePdfSignatures(pdf, { expectedSignerSha256: certSha256 });
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatch(/covers whole file: \d+ byte\(s\) after the signed range/);
    // Allowing incremental updates allows signature additions only: a new title is a change.
    const allowed = await validatePdfSignatures(pdf, { expectedSignerSha256: certSha256, allowIncrementalUpdates: true });
    expect(allowed.verdict).toBe('invalid');
    expect(allowed.problems.join('\n')).toMatch(/the document information \(object \d+\): .*\/Title/);
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(doc.getTitle()).toBe('Amended after signing');
  });

  it.each([
    ['content-changed-then-resigned', /Signature #1: changes after signing: .*\/Contents changed/],
    ['sha1-signature', /Signature #1: digest algorithm: .*SHA-1/],
    ['two-signer-infos', /Signature #1: CMS: the SignedData holds 2 SignerInfos/],
    ['ess-cert-mismatch', /Signature #1: signing-certificate attribute: the signing-certificate-v2 attribute names another certificate/],
  ] as const)('%s: the validator rejects it with the reason', async (fault, reason) => {
    const { pdf } = await produce(unsigned, signer([fault]), META);
    const report = await validatePdfSignatures(pdf, { expectedSignerSha256: certSha256 });
    expect(report.verdict).toBe('invalid');
    expect(report.problems[0]).toMatch(reason);
  });

  it('hash-mismatch: records the hash of the unsigned render, the signature stays valid', async () => {
    const { pdf, sha256: hash } = await produce(unsigned, signer(['hash-mismatch']), META);
    expect(hash).toBe(sha256(unsigned));
    expect(hash).not.toBe(sha256(pdf));
    expect((await validatePdfSignatures(pdf, { expectedSignerSha256: certSha256 })).verdict).toBe('valid');
  });
});
