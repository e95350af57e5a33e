/**
 * Secrets of one run, shared by its worker processes without touching disk:
 * the main process draws a random key into the environment its workers
 * inherit; each synthetic password is derived from it, so a worker that
 * replaces a failed one signs in to the same account instead of making
 * another. The key dies with the run; nothing derived from it is printed.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const RUN_SECRET_VARIABLE = 'SMOKE_RUN_SECRET';

/** Called by the config in the main process: workers inherit the value. */
export function ensureRunSecret(env: Record<string, string | undefined> = process.env): void {
  env[RUN_SECRET_VARIABLE] ??= randomBytes(32).toString('base64url');
}

/**
 * A password for `label`, the same in every worker of the run. Shaped like
 * strongPassword() (so the reports' redaction blanks it) and meeting the
 * API's policy: 8+ characters with lower, upper and digit.
 */
export function runPassword(label: string, env: Record<string, string | undefined> = process.env): string {
  const secret = env[RUN_SECRET_VARIABLE];
  if (!secret) throw new Error(`${RUN_SECRET_VARIABLE} is not set: run the suite through playwright.config.ts`);
  return `Sm0ke-${createHmac('sha256', secret).update(label).digest('base64url').slice(0, 16)}-aA1`;
}
