import { describe, expect, it } from 'vitest';
import { parseSettings, selectedTargets } from './settings.ts';

describe('parseSettings', () => {
  it('has nothing configured by default on local: every system is skipped, writes allowed', () => {
    const r = parseSettings('local', {});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings.dermaconsent).toBeUndefined();
    expect(r.settings.nova).toBeUndefined();
    expect(r.settings.writes).toBe(true);
    expect(r.settings.production).toBe(false);
  });

  it('reads a sandbox like any target: from its settings file variables', () => {
    const r = parseSettings('local', {
      SMOKE_FRONTEND_URL: 'http://127.0.0.1:4300',
      SMOKE_API_URL: 'http://127.0.0.1:4301',
      SMOKE_TLS_URL: 'https://127.0.0.1:4302',
      SMOKE_HTTP_URL: 'http://127.0.0.1:4303',
      SMOKE_SIGNING_DEADLINE_S: '15',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings.dermaconsent).toEqual({ frontendUrl: 'http://127.0.0.1:4300', apiUrl: 'http://127.0.0.1:4301' });
    expect(r.settings.tls.urls).toEqual(['https://127.0.0.1:4302']);
    expect(r.settings.tls.httpUrl).toBe('http://127.0.0.1:4303');
    expect(r.settings.pdf.deadlineS).toBe(15);
  });

  it('uses SMOKE_BASE_URL for both origins and derives TLS checks from https URLs', () => {
    const r = parseSettings('staging', { SMOKE_BASE_URL: 'https://staging.example.com/' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings.dermaconsent).toEqual({ frontendUrl: 'https://staging.example.com', apiUrl: 'https://staging.example.com' });
    expect(r.settings.tls.urls).toEqual(['https://staging.example.com']);
    expect(r.settings.tls.httpUrl).toBe('http://staging.example.com');
  });

  it('keeps two origins apart when frontend and API differ', () => {
    const r = parseSettings('prod', { SMOKE_FRONTEND_URL: 'https://app.example.com', SMOKE_API_URL: 'https://api.example.com' });
    expect(r.ok && r.settings.tls.urls).toEqual(['https://app.example.com', 'https://api.example.com']);
    expect(r.ok && r.settings.writes).toBe(false);
  });

  it('names every bad variable at once', () => {
    const r = parseSettings('staging', { SMOKE_BASE_URL: 'notaurl', SMOKE_TLS_MIN_DAYS: 'soon', SMOKE_CSP_STRICT: 'maybe' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(3);
    expect(r.problems.join('\n')).toMatch(/SMOKE_BASE_URL: must be an absolute http\(s\) URL \(got "notaurl"\)/);
    expect(r.problems.join('\n')).toMatch(/SMOKE_TLS_MIN_DAYS/);
    expect(r.problems.join('\n')).toMatch(/SMOKE_CSP_STRICT/);
  });

  it('never echoes a secret value', () => {
    const secret = 'mysql://admin:hunter2@db.internal/app';
    const r = parseSettings('staging', { SMOKE_DATABASE_URL: secret });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.join('\n')).toMatch(/SMOKE_DATABASE_URL/);
    expect(r.problems.join('\n')).not.toContain('hunter2');
  });

  it('refuses plain http for prod', () => {
    const r = parseSettings('prod', { SMOKE_BASE_URL: 'http://app.example.com' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join('\n')).toMatch(/prod must be reached over https/);
  });

  it('asks for the other half when only one DermaConsent URL is set', () => {
    const r = parseSettings('staging', { SMOKE_FRONTEND_URL: 'https://app.example.com' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toEqual([expect.stringMatching(/^SMOKE_API_URL: required/)]);
  });

  it('leaves a system unconfigured (its checks skip) when its URLs are absent', () => {
    const r = parseSettings('staging', { SMOKE_NOVA_API_URL: 'https://api.nova.example' });
    expect(r.ok && r.settings.dermaconsent).toBeUndefined();
    expect(r.ok && r.settings.nova?.apiUrl).toBe('https://api.nova.example');
  });

  it('refuses a staging or prod run with nothing to check', () => {
    const r = parseSettings('prod', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join('\n')).toMatch(/nothing to check on prod/);
  });
});

describe('mistakes caught at start (each names the variable and the fix)', () => {
  const staging = { SMOKE_BASE_URL: 'https://staging.example.com' };
  const problems = (env: Record<string, string>, target: 'staging' | 'prod' | 'local' = 'staging') => {
    const r = parseSettings(target, env);
    return r.ok ? [] : r.problems;
  };

  it('an unknown SMOKE_ variable is an error with the nearest name: a typo in a safety switch never fails open', () => {
    expect(problems({ ...staging, SMOKE_ALLOW_WRITE: '0' })).toEqual([
      'SMOKE_ALLOW_WRITE: not a setting of this suite; did you mean SMOKE_ALLOW_WRITES? (see .env.example)',
    ]);
    expect(problems({ ...staging, SMOKE_WHATEVER_ELSE_ENTIRELY: '1' })).toEqual([
      'SMOKE_WHATEVER_ELSE_ENTIRELY: not a setting of this suite (see .env.example)',
    ]);
  });

  it("the run's own variables are not settings and pass", () => {
    expect(problems({ ...staging, SMOKE_RUN_ID: 'ab12cd34', SMOKE_ENV_FILE: '/x', SMOKE_MATRIX_EXPECT: 'DC-HDR-1' })).toEqual([]);
  });

  it('a URL with a path is refused at start, with the origin to use instead', () => {
    expect(problems({ SMOKE_FRONTEND_URL: 'https://app.example.com', SMOKE_API_URL: 'https://api.example.com/api' })).toEqual([
      'SMOKE_API_URL: must be an origin without a path (the suite adds /api/... itself): use https://api.example.com (got "https://api.example.com/api")',
    ]);
    expect(problems({ SMOKE_BASE_URL: 'https://staging.example.com/' })).toEqual([]);
  });

  it('a fingerprint must be exactly 64 hex digits (colons allowed)', () => {
    const fp = 'ab'.repeat(32);
    expect(problems({ ...staging, SMOKE_SIGNER_SHA256: fp })).toEqual([]);
    expect(problems({ ...staging, SMOKE_SIGNER_SHA256: fp.match(/../g)!.join(':').toUpperCase() })).toEqual([]);
    expect(problems({ ...staging, SMOKE_SIGNER_SHA256: `${fp}a` })[0]).toMatch(/^SMOKE_SIGNER_SHA256: must be a SHA-256 fingerprint.*got 65 hex digits/);
    expect(problems({ ...staging, SMOKE_SIGNER_SHA256: `${fp.slice(0, 63)}g` })[0]).toMatch(/characters other than hex/);
    const r = parseSettings('staging', { ...staging, SMOKE_SIGNER_SHA256: fp.match(/../g)!.join(':').toUpperCase() });
    expect(r.ok && r.settings.pdf.novaSignerSha256).toEqual([fp]);
  });

  it('SMOKE_SIGNER_SHA256 takes a comma-separated list (certificate rotation), each item checked; SMOKE_SIGNER_CA_FILE must exist', () => {
    const a = 'ab'.repeat(32);
    const b = 'CD'.repeat(32);
    const r = parseSettings('staging', { ...staging, SMOKE_SIGNER_SHA256: `${a}, ${b}` });
    expect(r.ok && r.settings.pdf.novaSignerSha256).toEqual([a, b.toLowerCase()]);
    expect(problems({ ...staging, SMOKE_SIGNER_SHA256: `${a},${a.slice(2)}` })[0]).toMatch(/^SMOKE_SIGNER_SHA256: item 2: must be a SHA-256 fingerprint.*got 62 hex digits/);
    expect(problems({ ...staging, SMOKE_SIGNER_CA_FILE: '/nonexistent/ca.pem' })).toEqual(['SMOKE_SIGNER_CA_FILE: no such file: /nonexistent/ca.pem']);
  });

  it('a database URL without sslmode is a warning at start, saying DC-DB-2 concerns the app', () => {
    const r = parseSettings('staging', { ...staging, SMOKE_DATABASE_URL: 'postgresql://ro:pw@db.example.com/app' });
    expect(r.ok && r.warnings).toEqual([expect.stringMatching(/SMOKE_DATABASE_URL has no sslmode.*DC-DB-2 judges the app's sessions/)]);
    expect(JSON.stringify(r.ok && r.warnings)).not.toContain("pw@");
  });

  it('a database CA file that does not exist is named', () => {
    expect(problems({ ...staging, SMOKE_DATABASE_CA_FILE: '/nonexistent/ca.pem' })).toEqual(['SMOKE_DATABASE_CA_FILE: no such file: /nonexistent/ca.pem']);
  });
});

describe('production rules by target, not by project name', () => {
  it('prod is read-only unless SMOKE_ALLOW_WRITES=1', () => {
    const r = parseSettings('prod', { SMOKE_BASE_URL: 'https://app.example.com' });
    expect(r.ok && [r.settings.production, r.settings.writes]).toEqual([true, false]);
    const w = parseSettings('prod', { SMOKE_BASE_URL: 'https://app.example.com', SMOKE_ALLOW_WRITES: '1' });
    expect(w.ok && w.settings.writes).toBe(true);
  });

  it('staging pointed at a host matching SMOKE_PROD_HOSTS gets production rules', () => {
    const r = parseSettings('staging', { SMOKE_BASE_URL: 'https://app.dermaconsent.de', SMOKE_PROD_HOSTS: '*.dermaconsent.de' });
    expect(r.ok && [r.settings.production, r.settings.writes]).toEqual([true, false]);
    const other = parseSettings('staging', { SMOKE_BASE_URL: 'https://staging.example.com', SMOKE_PROD_HOSTS: '*.dermaconsent.de' });
    expect(other.ok && other.settings.production).toBe(false);
  });

  it('a bad host pattern is named', () => {
    const r = parseSettings('staging', { SMOKE_BASE_URL: 'https://x.example.com', SMOKE_PROD_HOSTS: 'https://app.example.com' });
    expect(r.ok ? [] : r.problems).toEqual([expect.stringMatching(/^SMOKE_PROD_HOSTS: must be a comma-separated list of host names/)]);
  });
});

describe('selectedTargets', () => {
  it('runs local only when no project is named', () => {
    expect(selectedTargets(['node', 'playwright', 'test'], {})).toEqual(['local']);
  });
  it('reads --project=x and --project x', () => {
    expect(selectedTargets(['test', '--project=prod'], {})).toEqual(['prod']);
    expect(selectedTargets(['test', '--project', 'staging', '--project=prod'], {})).toEqual(['staging', 'prod']);
  });
  it('lets worker processes inherit the main process choice', () => {
    expect(selectedTargets(['worker'], { SMOKE_SELECTED_TARGETS: 'prod' })).toEqual(['prod']);
  });
});
