import { describe, expect, it } from 'vitest';
import { describeKey, evaluateKeyMode, keyShape, redactStripeSecrets } from './stripe-keys.ts';

const TEST_SK = `sk_test_${'a1B2'.repeat(6)}`;
const LIVE_RK = `rk_live_${'Zz9y'.repeat(6)}`;
const LIVE_SK = `sk_live_${'Qq7w'.repeat(6)}`;

describe('keyShape', () => {
  it('reads kind and mode from the prefix', () => {
    expect(keyShape(TEST_SK)).toEqual({ kind: 'secret', mode: 'test', prefix: 'sk_test_' });
    expect(keyShape(LIVE_RK)).toEqual({ kind: 'restricted', mode: 'live', prefix: 'rk_live_' });
    expect(keyShape('pk_test_abcdefgh12')?.kind).toBe('publishable');
  });
  it('rejects what is not a key', () => {
    expect(keyShape('whsec_abcdefghijkl')).toBeUndefined();
    expect(keyShape('sk_prod_abcdefghijkl')).toBeUndefined();
    expect(keyShape('sk_test_')).toBeUndefined();
  });
});

describe('evaluateKeyMode', () => {
  it('passes a test key where test mode is expected', () => {
    expect(evaluateKeyMode(TEST_SK, 'test', 'local')).toEqual({ failures: [], warnings: [] });
  });
  it('names the mode seen on a mismatch, never the key', () => {
    const { failures } = evaluateKeyMode(LIVE_RK, 'test', 'local');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('live-mode');
    expect(failures[0]).toContain('rk_live_…');
    expect(failures[0]).not.toContain(LIVE_RK);
    expect(evaluateKeyMode(TEST_SK, 'live', 'prod').failures[0]).toContain('test-mode');
  });
  it('warns about a full secret live key, passes a restricted one', () => {
    expect(evaluateKeyMode(LIVE_RK, 'live', 'prod')).toEqual({ failures: [], warnings: [] });
    const { failures, warnings } = evaluateKeyMode(LIVE_SK, 'live', 'prod');
    expect(failures).toEqual([]);
    expect(warnings[0]).toContain('restricted');
    expect(warnings[0]).not.toContain(LIVE_SK);
  });
  it('fails a publishable key and a garbage value without echoing it', () => {
    expect(evaluateKeyMode('pk_live_abcdefgh12', 'live', 'prod').failures[0]).toContain('publishable');
    const garbage = 'not-a-key-but-secret-value';
    const { failures } = evaluateKeyMode(garbage, 'test', 'local');
    expect(failures[0]).not.toContain(garbage);
    expect(describeKey(garbage)).not.toContain(garbage);
  });
});

describe('redactStripeSecrets', () => {
  it('keeps prefixes, drops the rest of keys and webhook secrets', () => {
    const text = `Invalid API Key provided: sk_test_****abcd; also ${LIVE_RK} and whsec_abc+/=123`;
    expect(redactStripeSecrets(text)).toBe('Invalid API Key provided: sk_test_…; also rk_live_… and whsec_…');
  });
});
