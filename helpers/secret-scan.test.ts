import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { afterEach, describe, expect, it } from 'vitest';
import { knownSecrets } from './secret-scan-reporter.ts';
import { scanForSecrets, secretsIn } from './secret-scan.ts';

const dirs: string[] = [];
function reportsDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scan-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('secretsIn', () => {
  it('names the kind of each secret shape and known value, never the value', () => {
    const text = [
      'key sk_live_' + 'a1B2c3D4e5F6g7H8',
      'whsec_' + '0123456789abcdef0123',
      'postgresql://smoke:' + 'hunter22@db:5432/x',
      '-----BEGIN PRIVATE KEY-----',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXBhcnQ',
      'typed Sm0ke-abcdefghijklmnop-aA1',
      'the token tok-1234567890',
    ].join('\n');
    const kinds = secretsIn(text, [{ label: 'SMOKE_NOVA_API_TOKEN', value: 'tok-1234567890' }]);
    expect(kinds).toEqual([
      'the value of SMOKE_NOVA_API_TOKEN',
      'a Stripe secret or restricted key',
      'a Stripe webhook signing secret',
      'a JWT',
      'a PEM private key',
      'a database URL with a password',
      'a synthetic password of a run',
    ]);
    expect(kinds.join(' ')).not.toContain('tok-1234567890');
  });

  it('leaves what only looks alike alone: redacted keys, URLs without a password, short values', () => {
    expect(secretsIn('rk_test_… <redacted password> postgresql://db:5432/x short', [{ label: 'X', value: 'short' }])).toEqual([]);
  });
});

describe('scanForSecrets (planted secrets)', () => {
  it('finds a password a careless check typed into a trace, inside the trace zip', () => {
    const dir = reportsDir();
    const zip = new AdmZip();
    zip.addFile('trace.trace', Buffer.from('{"type":"input","value":"Sm0ke-PLANTEDplanted12-aA1"}'));
    mkdirSync(path.join(dir, 'test-results', 'x'), { recursive: true });
    zip.writeZip(path.join(dir, 'test-results', 'x', 'trace.zip'));
    expect(scanForSecrets(dir, [])).toEqual([{ file: `${path.join(dir, 'test-results', 'x', 'trace.zip')}!trace.trace`, kind: 'a synthetic password of a run' }]);
  });

  it("finds a known setting's value in an attachment and in the HTML report's embedded data", () => {
    const dir = reportsDir();
    const secret = 'whatever-secret-value-42';
    writeFileSync(path.join(dir, 'attachment.txt'), `body: ${secret}`);
    const inner = new AdmZip();
    inner.addFile('report.json', Buffer.from(`{"attachments":["${secret}"]}`));
    mkdirSync(path.join(dir, 'html'));
    writeFileSync(path.join(dir, 'html', 'index.html'), `<script>window.playwrightReportBase64 = "data:application/zip;base64,${inner.toBuffer().toString('base64')}";</script>`);
    const kinds = scanForSecrets(dir, [{ label: 'SMOKE_MAILPIT_PASSWORD', value: secret }]).map((f) => `${path.basename(f.file)}: ${f.kind}`);
    expect(kinds).toEqual(['attachment.txt: the value of SMOKE_MAILPIT_PASSWORD', 'index.html (embedded report data)!report.json: the value of SMOKE_MAILPIT_PASSWORD']);
  });

  it('finds nothing in clean reports', () => {
    const dir = reportsDir();
    writeFileSync(path.join(dir, 'readiness.md'), '| DC-HDR-1 | PASS |');
    expect(scanForSecrets(dir, [{ label: 'SMOKE_STRIPE_KEY', value: 'rk_test_abcdefghijklmnop' }])).toEqual([]);
  });
});

describe('knownSecrets', () => {
  it("holds the secret settings, a database URL's password and the run's derived passwords", () => {
    const env = {
      SMOKE_SELECTED_TARGETS: 'staging',
      SMOKE_DATABASE_URL: 'postgresql://ro:s3cret-pass@db:5432/x',
      SMOKE_RUN_SECRET: 'k'.repeat(43),
    };
    const labels = knownSecrets(env).map((k) => k.label);
    expect(labels).toEqual(expect.arrayContaining(['SMOKE_DATABASE_URL', 'the password in SMOKE_DATABASE_URL', 'SMOKE_RUN_SECRET', "the run's dermaconsent-master password"]));
    expect(knownSecrets(env).find((k) => k.label === 'the password in SMOKE_DATABASE_URL')?.value).toBe('s3cret-pass');
  });
});
