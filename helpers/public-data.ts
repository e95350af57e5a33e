/**
 * DC-PRIV-1: what the public consent endpoint may tell anyone holding the
 * link. The form needs the consent's type, status, expiry, locale, the
 * practice's name and public key (to encrypt), and the ciphertext the
 * practice's own browser decrypts later; nothing that identifies the signer
 * (IP address, browser) or exposes internal references.
 */

/** Keys that must not appear at any depth, with why. */
const FORBIDDEN: Array<[RegExp, string]> = [
  [/^(signature)?ip(address)?$/i, "the signer's IP address"],
  [/^(signature)?useragent$/i, "the signer's browser (user agent)"],
  [/email|phone/i, 'contact data'],
  [/^(practiceId|patientId|createdBy|createdById|userId)$/i, 'an internal ID'],
  [/^lookupHash$/i, "the patient's lookup hash"],
  [/^(pdfStoragePath|pdfSentTo|stripeSessionId|stripePaymentIntent)$/i, 'an internal reference'],
];

export interface Leak {
  path: string;
  why: string;
}

/** Every forbidden key in a public response body, by JSON path. `practice.id` counts; the consent's own `id` does not. */
export function publicDataLeaks(body: unknown, path = ''): Leak[] {
  if (Array.isArray(body)) return body.flatMap((v, i) => publicDataLeaks(v, `${path}[${i}]`));
  if (!body || typeof body !== 'object') return [];
  const leaks: Leak[] = [];
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const here = path ? `${path}.${key}` : key;
    const nested = path !== '';
    const rule = FORBIDDEN.find(([re]) => re.test(key)) ?? (nested && key === 'id' ? [/id/, 'an internal ID'] as const : undefined);
    // A key that is present but empty carries nothing.
    if (rule && value !== null && value !== undefined && value !== '') leaks.push({ path: here, why: rule[1] });
    else leaks.push(...publicDataLeaks(value, here));
  }
  return leaks;
}
