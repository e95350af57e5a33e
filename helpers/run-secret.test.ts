import { describe, expect, it } from 'vitest';
import { ensureRunSecret, runPassword } from './run-secret.ts';
import { redactSyntheticSecrets } from './synthetic.ts';

describe('runPassword', () => {
  it('is the same for one run and label, different across labels and runs', () => {
    const a: Record<string, string | undefined> = {};
    const b: Record<string, string | undefined> = {};
    ensureRunSecret(a);
    ensureRunSecret(b);
    const first = a.SMOKE_RUN_SECRET;
    ensureRunSecret(a); // a worker's config load keeps the main process's key
    expect(a.SMOKE_RUN_SECRET).toBe(first);
    expect(runPassword('login', a)).toBe(runPassword('login', { ...a }));
    expect(runPassword('login', a)).not.toBe(runPassword('master', a));
    expect(runPassword('login', a)).not.toBe(runPassword('login', b));
  });

  it('meets the password policy and is blanked by the reports redaction', () => {
    const env: Record<string, string | undefined> = {};
    ensureRunSecret(env);
    const password = runPassword('login', env);
    expect(password).toMatch(/[a-z]/);
    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/\d/);
    expect(redactSyntheticSecrets(`typed ${password} here`)).toBe('typed <redacted password> here');
  });

  it('refuses to make one without the run key', () => {
    expect(() => runPassword('login', {})).toThrow(/SMOKE_RUN_SECRET is not set/);
  });
});
