import { describe, expect, it } from 'vitest';
import { checkLinkOrigins, suspiciousHost } from './mail-links.ts';

describe('checkLinkOrigins', () => {
  const origin = 'https://app.dermaconsent.de';

  it('accepts links on the FRONTEND_URL origin only', () => {
    expect(checkLinkOrigins(['https://app.dermaconsent.de/login', 'https://app.dermaconsent.de/consent/abc'], origin)).toEqual([]);
  });

  it('names localhost, Netlify and staging hosts, and never prints a token', () => {
    const token = 'Qm9vZ3VzVG9rZW5Gb3JUZXN0cw';
    const failures = checkLinkOrigins(
      [
        `http://localhost:3000/reset-password?token=${token}`,
        `https://develop--novahomecaresite.netlify.app/consent/${token}`,
        'https://staging.dermaconsent.de/login',
        'https://dermaconsent.de/login',
      ],
      origin,
    );
    expect(failures).toHaveLength(4);
    expect(failures[0]).toContain('a localhost address');
    expect(failures[1]).toContain('a Netlify deploy');
    expect(failures[2]).toContain('a staging or development host');
    expect(failures[3]).toContain('points to https://dermaconsent.de');
    expect(failures.join('\n')).not.toContain(token);
  });

  it('treats another port or scheme as another origin', () => {
    expect(checkLinkOrigins(['http://app.dermaconsent.de/login'], origin)).toHaveLength(1);
    expect(checkLinkOrigins(['http://127.0.0.1:4301/login'], 'http://127.0.0.1:4300')).toHaveLength(1);
  });

  it('classifies hosts', () => {
    expect(suspiciousHost('127.0.0.1')).toBe('a localhost address');
    expect(suspiciousHost('preview-123.vercel.app')).toBe('a Vercel preview');
    expect(suspiciousHost('app.dermaconsent.de')).toBeUndefined();
  });
});
