import { describe, expect, it } from 'vitest';
import { sandboxLayout } from '../sandbox/layout.ts';
import { parseSettings } from './settings.ts';
import { paymentSettingsFromEnv } from './settings-payments.ts';

const KEY = 'rk_live_abcdefgh12345678';
const prodEnv = { SMOKE_FRONTEND_URL: 'https://app.example.com', SMOKE_API_URL: 'https://api.example.com' };

describe('payment settings', () => {
  it('are absent without a key on a remote target, and the secrets need the key', () => {
    const none = parseSettings('staging', { SMOKE_BASE_URL: 'https://staging.example.com' });
    expect(none.ok && none.settings.payments).toBeUndefined();
    const orphan = parseSettings('staging', { SMOKE_BASE_URL: 'https://staging.example.com', SMOKE_STRIPE_BILLING_WEBHOOK_SECRET: 'whsec_abc' });
    expect(orphan.ok).toBe(false);
    if (!orphan.ok) expect(orphan.problems.join('\n')).toContain('SMOKE_STRIPE_KEY: required when SMOKE_STRIPE_BILLING_WEBHOOK_SECRET is set');
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

  it('wait for the managed sandbox, with its shorter webhook deadline, then take its env file', () => {
    const local = parseSettings('local', { SANDBOX_PORT_BASE: '5170' });
    expect(local.ok).toBe(true);
    if (!local.ok || !local.settings.payments) throw new Error('expected payment settings');
    const base = local.settings.payments;
    expect(base).toMatchObject({ key: undefined, expectedMode: 'test', liveRules: false, webhookDeadlineS: 10, sandboxEnvFile: sandboxLayout(5170).envFile });
    const { settings, problems } = paymentSettingsFromEnv(
      base,
      { SMOKE_STRIPE_KEY: 'rk_test_abcdefgh1234', SMOKE_STRIPE_API_BASE: 'http://127.0.0.1:5176', SMOKE_STRIPE_PRICE_STARTER_MONTHLY: 'price_a' },
      { SMOKE_STRIPE_MAX_UNDELIVERED: '2' },
      { target: 'local', sandboxManaged: true, writes: true },
    );
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ key: 'rk_test_abcdefgh1234', apiBase: { host: '127.0.0.1', port: 5176, protocol: 'http' }, maxUndelivered: 2, webhookDeadlineS: 10 });
    expect(paymentSettingsFromEnv(base, {}, {}, { target: 'local', sandboxManaged: true, writes: true }).problems[0]).toContain('SMOKE_STRIPE_KEY');
  });
});
