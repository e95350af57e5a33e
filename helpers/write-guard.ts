/**
 * Fail-closed refusal of writes when a run may not write (the prod target, a
 * host matching SMOKE_PROD_HOSTS, without SMOKE_ALLOW_WRITES=1). It sits
 * beneath the checks: the suite's HTTP client asks it before sending, and
 * every browser context routes the target's origins through it. A check that
 * forgets to skip is stopped before its request leaves the process, and the
 * failure names the request (method and URL, never a body).
 */

/** Methods that never change anything on a well-behaved server. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface WriteGuard {
  /** Writes allowed: the guard lets everything through. */
  writesAllowed: boolean;
  /** Origins (scheme://host:port) of the run's targets. */
  origins: string[];
  /** Why writes are off, for the message. */
  reason: string;
}

export class WriteRefused extends Error {
  constructor(method: string, url: string, reason: string) {
    super(
      `write guard: refused ${method.toUpperCase()} ${url}: ${reason}. This is a defect of the check that sent it ` +
        '(a check that writes must skip when writes are off), not a finding about the target.',
    );
    this.name = 'WriteRefused';
  }
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** The refusal for a request, or undefined when it may go. */
export function writeRefusal(guard: WriteGuard | undefined, method: string, url: string): WriteRefused | undefined {
  if (!guard || guard.writesAllowed || SAFE_METHODS.has(method.toUpperCase())) return undefined;
  const origin = originOf(url);
  // An unparsable URL is refused: the guard fails closed.
  if (origin && !guard.origins.includes(origin)) return undefined;
  return new WriteRefused(method, url, guard.reason);
}

let current: WriteGuard | undefined;

/** Set once per worker from the settings (fixtures/settings.ts). */
export function installWriteGuard(guard: WriteGuard): void {
  current = guard;
}

/** Throws when the worker's guard refuses the request. */
export function assertMayWrite(method: string, url: string): void {
  const refused = writeRefusal(current, method, url);
  if (refused) throw refused;
}

export function currentWriteGuard(): WriteGuard | undefined {
  return current;
}
