import { describe, expect, it } from 'vitest';
import { parseSettings } from './settings.ts';

const KEY = 'rk_live_abcdefgh12345678';
const prodEnv = { SMOKE_FRONTEND_URL: 'https://app.example.com', SMOKE_API_URL: 'https://api.example.com' };

describe('payment settings', () => {
  it('are absent without a key or secret; the webhook secrets alone configure DC-PAY-5 (no Stripe call)', () => {
    const none = parseSettings('staging', { SMOKE_BASE_URL: 'https://staging.example.com' });
    expect(none.ok && none.settings.payments).toBeUndefined();
    const secrets = parseSettings('staging', { SMOKE_BASE_URL: 'https://staging.example.com', SMOKE_STRIPE_BILLING_WEBHOOK_SECRET: 'whsec_abc' });
    expect(secrets.ok && secrets.settings.payments).toMatchObject({ key: undefined, webhookSecrets: { billing: 'whsec_abc' } });
  });

  it('refuse a publishable key where the secret or restricted key belongs, naming the variable', () => {
    const r = parseSettings('staging', { SMOKE_BASE_URL: 'https://staging.example.com', SMOKE_STRIPE_KEY: 'pk_test_abcdefgh1234' });
    expect(r.ok ? [] : r.problems).toEqual([expect.stringMatching(/^SMOKE_STRIPE_KEY: is a publishable key \(pk_…\)/)]);
  });

  it('expect live mode and prod rules on prod, test mode elsewhere, and refuse the API override on prod', () => {
    const prod = parseSettings('prod', { ...prodEnv, SMOKE_STRIPE_KEY: KEY });
    expect(prod.ok && prod.settings.payments).toMatchObject({ expectedMode: 'live', liveRules: true, webhookDeadlineS: 30, maxUndelivered: 5 });
    const staging = parseSettings('staging', { ...prodEnv, SMOKE_STRIPE_KEY: KEY, SMOKE_STRIPE_MODE: 'live' });
    expect(staging.ok && staging.settings.payments).toMatchObject({ expectedMode: 'live', liveRules: true });
    const override = parseSettings('prod', { ...prodEnv, SMOKE_STRIPE_KEY: KEY, SMOKE_STRIPE_API_BASE: 'http://127.0.0.1:4306' });
    expect(override.ok).toBe(false);
  });

  it('never echo a bad secret value', () => {
    const bad = parseSettings('staging', { ...prodEnv, SMOKE_STRIPE_KEY: 'not-a-key-secretvalue' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.join('\n')).not.toContain('secretvalue');
  });

});
