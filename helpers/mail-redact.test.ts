import { describe, expect, it } from 'vitest';
import { linkHosts, redactUrl, scrub } from './mail-redact.ts';

describe('redactUrl', () => {
  it('keeps origin and ordinary path, cuts token-like segments and every query value', () => {
    expect(redactUrl('https://app.example.com/consent/Zm9vYmFyYmF6cXV4cXV1eHl6?x=1')).toBe('https://app.example.com/consent/<token>?x=<redacted>');
    expect(redactUrl('https://app.example.com/reset-password?token=abc')).toBe('https://app.example.com/reset-password?token=<redacted>');
    expect(redactUrl('https://app.example.com/login')).toBe('https://app.example.com/login');
    expect(redactUrl('not a url')).toBe('(unparseable link)');
  });
});

describe('linkHosts and scrub', () => {
  it('lists hosts once and removes secrets from text', () => {
    expect(linkHosts(['https://a.example/x', 'https://a.example/y', 'http://b.example:81/'])).toEqual(['a.example', 'b.example:81']);
    expect(scrub('token abcdef123 in here abcdef123', ['abcdef123'])).toBe('token <redacted> in here <redacted>');
  });
});
