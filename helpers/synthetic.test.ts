import { describe, expect, it } from 'vitest';
import { redactSyntheticSecrets, strongPassword } from './synthetic.ts';

describe('redactSyntheticSecrets', () => {
  it('blanks every password strongPassword makes, and nothing else', () => {
    const a = strongPassword();
    const b = strongPassword();
    const snapshot = `- textbox "Password": ${a}\n- textbox "Confirm password": ${a}\n- textbox "Master password": ${b}\n- textbox "Email": smoke+ab12@example.com`;
    const out = redactSyntheticSecrets(snapshot);
    expect(out).not.toContain(a);
    expect(out).not.toContain(b);
    expect(out).toContain('smoke+ab12@example.com');
    expect(out.match(/<redacted password>/g)).toHaveLength(3);
  });
});
