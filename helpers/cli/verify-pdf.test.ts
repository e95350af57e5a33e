import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createCaSignedP12, createSelfSignedP12, type CaSignedP12, type SelfSignedP12 } from '../../sandbox/signing/certs.ts';
import { renderPdf, signPdf } from '../../sandbox/signing/sign.ts';
import { main } from './verify-pdf.ts';

const PASSWORD = 'cli-test';
const dir = mkdtempSync(join(tmpdir(), 'verify-pdf-'));
let nova: SelfSignedP12;
let commercial: CaSignedP12;
let signedFile: string;
let caFile: string;

beforeAll(async () => {
  nova = createSelfSignedP12({ password: PASSWORD });
  commercial = createCaSignedP12({ password: PASSWORD });
  const base = await renderPdf({ title: 'CLI', lines: ['x'] });
  signedFile = join(dir, 'signed.pdf');
  writeFileSync(signedFile, await signPdf(base, { p12: nova.p12, password: PASSWORD }));
  writeFileSync(join(dir, 'unsigned.pdf'), base);
  writeFileSync(join(dir, 'commercial.pdf'), await signPdf(base, { p12: commercial.p12, password: PASSWORD }));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, commercial.ca.certPem);
}, 60_000); // key generation and signing: slow on a loaded machine

/** main() with its output captured. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  const error = vi.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
  try {
    return { code: await main(args), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('verify-pdf', () => {
  it('exit 0 with a matching pin among several (repeated or comma-separated), saying which matched', async () => {
    const other = 'ab'.repeat(32);
    const r = await run(signedFile, '--signer-sha256', other, '--signer-sha256', nova.sha256);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/✓ signer fingerprint: .*pin 2 of 2/);
    expect((await run(signedFile, '--signer-sha256', `${other},${nova.sha256}`)).code).toBe(0);
    expect((await run(signedFile, '--signer-sha256', other)).code).toBe(1);
  });

  it('--ca-file validates the chain and reports it; a self-signed signer fails it', async () => {
    const ok = await run(join(dir, 'commercial.pdf'), '--ca-file', caFile);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/issuer: {2}chains to a trusted CA: CN=Nova Home Care → CN=Test Document Signing CA/);
    const self = await run(signedFile, '--ca-file', caFile);
    expect(self.code).toBe(1);
    expect(self.out).toMatch(/issuer: {2}self-signed/);
  });

  it('exit 1 for a malformed signature dictionary, 2 for unsigned, too large, or bad usage', async () => {
    const broken = join(dir, 'broken.pdf');
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(signedFile);
    bytes[bytes.indexOf('/Contents <') + 30] = 'z'.charCodeAt(0);
    writeFileSync(broken, bytes);
    const m = await run(broken);
    expect(m.code).toBe(1);
    expect(m.out).toMatch(/✗ signature dictionary: .*malformed: invalid character in hex string/);
    expect((await run(join(dir, 'unsigned.pdf'))).code).toBe(2);
    const big = await run(signedFile, '--max-mb', '0.001');
    expect(big.code).toBe(2);
    expect(big.err).toMatch(/is \d+ bytes, over the limit of 1048 bytes: not validated \(raise it with --max-mb\)/);
    expect((await run(signedFile, '--signer-sha256', 'xyz')).err).toMatch(/not a SHA-256 fingerprint/);
    expect((await run()).code).toBe(2);
  });

  it('runs as a plain node program through its bin (compiled ahead)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['helpers/cli/verify-pdf.mjs', signedFile, '--signer-sha256', nova.sha256]);
    expect(stdout).toMatch(/^PDF signature verdict: VALID/);
  }, 60_000);
});
