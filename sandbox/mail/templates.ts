/**
 * The transactional mail templates, each with an HTML and a text part. Links
 * are built from the frontend URL the caller passes (FRONTEND_URL in the real
 * apps); tokens appear only in links, never in subjects.
 */
import { esc } from '../web/pages/layout.ts';

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export type DcTemplate =
  | { name: 'welcome'; userName: string | null }
  | { name: 'consent-link'; practiceName: string; token: string; type: string; expiresAt: Date }
  | { name: 'consent-completed'; practiceName: string; consentId: string; type: string }
  | { name: 'password-reset'; token: string; validMinutes: number }
  | { name: 'team-invite'; practiceName: string; inviter: string; role: string; token: string }
  | { name: 'contact-message'; senderName: string; senderEmail: string; subject: string; message: string }
  | { name: 'contact-confirmation'; senderName: string };

export type NovaTemplate = { name: 'nova-password-reset'; uid: string; token: string };

export type TemplateName = DcTemplate['name'] | NovaTemplate['name'];

function layout(title: string, paragraphs: string[], action?: { href: string; label: string }, brand = 'DermaConsent'): string {
  const button = action
    ? `<p><a href="${esc(action.href)}" style="background:#0f766e;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${esc(action.label)}</a></p>`
    : '';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title></head>
<body style="font-family:sans-serif;color:#111">
<h1 style="font-size:20px">${esc(title)}</h1>
${paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')}
${button}
<p style="color:#666;font-size:12px">${esc(brand)}</p>
</body></html>`;
}

function text(title: string, paragraphs: string[], action?: { href: string; label: string }, brand = 'DermaConsent'): string {
  return [title, '', ...paragraphs.flatMap((p) => [p, '']), ...(action ? [`${action.label}: ${action.href}`, ''] : []), `-- ${brand}`, ''].join('\n');
}

function both(subject: string, title: string, paragraphs: string[], action?: { href: string; label: string }, brand?: string): RenderedMail {
  return { subject, html: layout(title, paragraphs, action, brand), text: text(title, paragraphs, action, brand) };
}

const TYPE_LABELS: Record<string, string> = {
  BOTOX: 'Botox / Botulinum toxin',
  FILLER: 'Dermal Filler',
  LASER: 'Laser treatment',
  CHEMICAL_PEEL: 'Chemical peel',
  MICRONEEDLING: 'Microneedling',
  PRP: 'PRP (Platelet-rich plasma)',
};

/** Renders a DermaConsent template; `frontendUrl` is the origin every link starts with. */
export function renderDc(t: DcTemplate, frontendUrl: string): RenderedMail {
  const base = frontendUrl.replace(/\/+$/, '');
  switch (t.name) {
    case 'welcome':
      return both(
        'Welcome to DermaConsent',
        t.userName ? `Welcome, ${t.userName}` : 'Welcome to DermaConsent',
        ['Your account is ready. Register your practice to create its encryption keys and send your first consent form.'],
        { href: `${base}/login`, label: 'Sign in' },
      );
    case 'consent-link':
      return both(
        `Your consent form from ${t.practiceName}`,
        'Your consent form',
        [
          `${t.practiceName} asks you to complete a consent form for: ${TYPE_LABELS[t.type] ?? t.type}.`,
          `The link is valid until ${t.expiresAt.toISOString().slice(0, 10)}. Your answers are encrypted in your browser.`,
        ],
        { href: `${base}/consent/${t.token}`, label: 'Open consent form' },
      );
    case 'consent-completed':
      return both(
        'A consent form was signed',
        'Consent form signed',
        [`A patient signed a consent form (${TYPE_LABELS[t.type] ?? t.type}) for ${t.practiceName}.`, `Reference: ${t.consentId}`],
        { href: `${base}/dashboard?consent=${encodeURIComponent(t.consentId)}`, label: 'View in dashboard' },
      );
    case 'password-reset':
      return both(
        'Reset your DermaConsent password',
        'Reset your password',
        [
          'Someone asked to reset the password of your DermaConsent account. If it was not you, ignore this message.',
          `The link works once and expires in ${t.validMinutes} minutes.`,
        ],
        { href: `${base}/reset-password?token=${encodeURIComponent(t.token)}`, label: 'Choose a new password' },
      );
    case 'team-invite':
      return both(
        `You are invited to join ${t.practiceName} on DermaConsent`,
        'Team invitation',
        [`${t.inviter} invited you to join ${t.practiceName} as ${t.role}.`],
        { href: `${base}/invite/${encodeURIComponent(t.token)}`, label: 'Accept invitation' },
      );
    case 'contact-message':
      return both(`Contact form: ${t.subject}`, 'New contact form message', [`From: ${t.senderName} <${t.senderEmail}>`, t.message]);
    case 'contact-confirmation':
      return both(
        'We received your message',
        'Thank you for your message',
        [`Hello ${t.senderName}, we received your message and will answer within two working days.`],
        { href: `${base}/`, label: 'DermaConsent' },
      );
  }
}

/** Renders a Nova Home Care template (the Django app's password reset mail). */
export function renderNova(t: NovaTemplate, frontendUrl: string): RenderedMail {
  const base = frontendUrl.replace(/\/+$/, '');
  return both(
    'Password reset on Nova Home Care',
    'Password reset',
    ['You are receiving this email because a password reset was requested for your account.'],
    { href: `${base}/reset-password/${encodeURIComponent(t.uid)}/${encodeURIComponent(t.token)}/`, label: 'Reset password' },
    'Nova Home Care',
  );
}
