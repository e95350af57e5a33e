import { describe, expect, it } from 'vitest';
import { extractLinks, findPlaceholders, missingParts } from '../../helpers/mail-content.ts';
import { renderDc, renderNova, type DcTemplate } from './templates.ts';

const FRONTEND = 'https://app.dermaconsent.test';
const TEMPLATES: DcTemplate[] = [
  { name: 'welcome', userName: 'Dr. Smoke' },
  { name: 'welcome', userName: null },
  { name: 'consent-link', practiceName: 'Praxis Smoke', token: 'tok123456789012345678', type: 'BOTOX', expiresAt: new Date('2026-12-07T00:00:00Z') },
  { name: 'consent-completed', practiceName: 'Praxis Smoke', consentId: 'c-1', type: 'PRP' },
  { name: 'password-reset', token: 'reset-token-abcdefghijklmnop', validMinutes: 60 },
  { name: 'team-invite', practiceName: 'Praxis Smoke', inviter: 'Dr. Smoke', role: 'ARZT', token: 'invite-token-abcdefghijkl' },
  { name: 'contact-message', senderName: 'A', senderEmail: 'a@example.com', subject: 'Hi', message: 'Hello' },
  { name: 'contact-confirmation', senderName: 'A' },
];

describe('sandbox mail templates', () => {
  it.each(TEMPLATES.map((t) => [t.name, t] as const))('%s renders both parts, fully, with links on the frontend only', (_, t) => {
    const mail = renderDc(t, FRONTEND);
    expect(missingParts(mail)).toEqual([]);
    expect(findPlaceholders(mail)).toEqual([]);
    for (const link of extractLinks(mail)) expect(new URL(link).origin).toBe(FRONTEND);
  });

  it('puts tokens in links only, never in subjects', () => {
    const reset = renderDc({ name: 'password-reset', token: 'reset-token-abcdefghijklmnop', validMinutes: 60 }, FRONTEND);
    expect(reset.subject).not.toContain('reset-token');
    expect(extractLinks(reset)).toEqual([`${FRONTEND}/reset-password?token=reset-token-abcdefghijklmnop`]);
  });

  it('renders Nova’s reset mail with links on Nova’s frontend', () => {
    const mail = renderNova({ name: 'nova-password-reset', uid: 'MQ', token: 'abc' }, 'https://novahomecare.test/');
    expect(missingParts(mail)).toEqual([]);
    expect(extractLinks(mail)).toEqual(['https://novahomecare.test/reset-password/MQ/abc/']);
  });
});
