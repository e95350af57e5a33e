import { describe, expect, it } from 'vitest';
import { checkSender, parseAddress } from './mail-sender.ts';

describe('parseAddress', () => {
  it('reads the usual forms', () => {
    expect(parseAddress('DermaConsent <NoReply@DermaConsent.de>')).toEqual({ name: 'DermaConsent', address: 'noreply@dermaconsent.de' });
    expect(parseAddress('"Nova Home Care" <noreply@nova.example>')).toEqual({ name: 'Nova Home Care', address: 'noreply@nova.example' });
    expect(parseAddress('noreply@nova.example')).toEqual({ name: '', address: 'noreply@nova.example' });
    expect(parseAddress('not an address')).toBeUndefined();
  });
});

describe('checkSender', () => {
  const expected = 'DermaConsent <noreply@dermaconsent.de>';

  it('passes the configured sender, address case-insensitively', () => {
    expect(checkSender([{ name: 'DermaConsent', address: 'NOREPLY@dermaconsent.de' }], expected)).toEqual([]);
  });

  it('names the legacy sender as such', () => {
    const [failure] = checkSender([{ name: 'Medical Web Experts', address: 'devops@medicalwebexperts.com' }], expected);
    expect(failure).toContain('legacy sender');
    expect(failure).toContain('devops@medicalwebexperts.com');
  });

  it('fails another address, a wrong display name, no From and several', () => {
    expect(checkSender([{ name: 'DermaConsent', address: 'hello@dermaconsent.de' }], expected)[0]).toContain('From is DermaConsent <hello@dermaconsent.de>');
    expect(checkSender([{ name: 'Derma', address: 'noreply@dermaconsent.de' }], expected)[0]).toContain('display name');
    expect(checkSender([], expected)[0]).toContain('no From');
    expect(checkSender([{ name: '', address: 'a@b.cd' }, { name: '', address: 'c@d.ef' }], expected)[0]).toContain('2 From addresses');
  });

  it('ignores the display name when the expectation has none', () => {
    expect(checkSender([{ name: 'Anything', address: 'noreply@dermaconsent.de' }], 'noreply@dermaconsent.de')).toEqual([]);
  });
});
