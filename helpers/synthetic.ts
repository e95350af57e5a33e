/**
 * Synthetic data: unique, recognisable, and never a real person's. Names come
 * from random IDs (never Date.now(), which collides across workers).
 */
import { randomBytes, randomUUID } from 'node:crypto';

/** One ID per run, shared by all worker processes (set by the main process). */
export function runId(env: Record<string, string | undefined> = process.env): string {
  return env.SMOKE_RUN_ID ?? randomUUID().slice(0, 8);
}

export function smokeEmail(run: string, label: string, domain: string): string {
  return `smoke+${run}-${label}@${domain}`;
}

/** Meets the API's policy (8+ chars with lower, upper and digit) with room to spare. */
export function strongPassword(): string {
  return `Sm0ke-${randomBytes(12).toString('base64url')}-aA1`;
}

/** Every password strongPassword() makes (login and master passwords alike). */
const SYNTHETIC_PASSWORD = /Sm0ke-[A-Za-z0-9_-]{16}-aA1/g;

/**
 * Text with the run's synthetic passwords blanked. Playwright's failure
 * snapshot (error-context.md) shows what was typed into password fields.
 */
export function redactSyntheticSecrets(text: string): string {
  return text.replace(SYNTHETIC_PASSWORD, '<redacted password>');
}

/** A marker that must never appear in clear anywhere it is stored or sent. */
export function canary(label: string): string {
  return `smokecanary${label}${randomBytes(6).toString('hex')}`;
}
