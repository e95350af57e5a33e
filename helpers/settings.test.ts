import { describe, expect, it } from 'vitest';
import { parseSettings, selectedTargets } from './settings.ts';

describe('parseSettings', () => {
  it('points the local target at its own sandbox when nothing is configured', () => {
    const r = parseSettings('local', {});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings.sandboxManaged).toBe(true);
    expect(r.settings.dermaconsent).toEqual({ frontendUrl: 'http://127.0.0.1:4300', apiUrl: 'http://127.0.0.1:4301' });
    expect(r.settings.tls.urls).toEqual(['https://127.0.0.1:4302']);
    expect(r.settings.tls.httpUrl).toBe('http://127.0.0.1:4303');
    expect(r.settings.writes).toBe(true);
  });

  it('follows SANDBOX_PORT_BASE so several sandboxes can run side by side', () => {
    const r = parseSettings('local', { SANDBOX_PORT_BASE: '4420' });
    expect(r.ok && r.settings.dermaconsent?.apiUrl).toBe('http://127.0.0.1:4421');
  });

  it('uses SMOKE_BASE_URL for both origins and derives TLS checks from https URLs', () => {
    const r = parseSettings('staging', { SMOKE_BASE_URL: 'https://staging.example.com/' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings.sandboxManaged).toBe(false);
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
