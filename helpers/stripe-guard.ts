/**
 * The prod guard: with a live-mode key the suite makes read calls only. It sits
 * at the official client's HTTP layer (its `httpClient` option), so every call
 * any check makes passes through it, and it records each request (method and
 * path, never a header or body: those carry the key and the data).
 */
import type Stripe from 'stripe';
import type { StripeMode } from './stripe-keys.ts';

export interface StripeRequestRecord {
  method: string;
  /** Path with its query (object IDs and filters; no secrets). */
  path: string;
  status?: number;
  refused?: true;
}

export class StripeWriteRefused extends Error {
  constructor(method: string, path: string, why = "the suite's Stripe key is live-mode, and with a live key the suite makes read (GET) calls only") {
    super(
      `prod guard: refused ${method} ${path}: ${why}. ` +
        'This is a bug in the suite, not a finding about the target: a check tried to write where it may not.',
    );
    this.name = 'StripeWriteRefused';
  }
}

/** Why a request may not be made, or undefined when it may. Writes off (the run's rule) refuses every write too. */
export function refusal(mode: StripeMode | undefined, method: string, path: string, writesAllowed = true): StripeWriteRefused | undefined {
  if (method.toUpperCase() === 'GET') return undefined;
  if (!writesAllowed) return new StripeWriteRefused(method.toUpperCase(), path, 'writes are off for this run (SMOKE_ALLOW_WRITES)');
  // An unknown key shape is treated as live: the guard fails closed.
  return mode === 'test' ? undefined : new StripeWriteRefused(method.toUpperCase(), path);
}

type HttpClient = ReturnType<typeof Stripe.createNodeHttpClient>;

/** Wraps the client's HTTP layer: refuses what `refusal` refuses, records everything. */
export function guardedHttpClient(inner: HttpClient, mode: StripeMode | undefined, log: StripeRequestRecord[], writesAllowed = true): HttpClient {
  const guarded = Object.create(inner) as HttpClient;
  guarded.makeRequest = async (host, port, path, method, headers, data, protocol, timeout) => {
    const refused = refusal(mode, method, path, writesAllowed);
    if (refused) {
      log.push({ method: method.toUpperCase(), path, refused: true });
      throw refused;
    }
    const record: StripeRequestRecord = { method: method.toUpperCase(), path };
    log.push(record);
    const res = await inner.makeRequest(host, port, path, method, headers, data, protocol, timeout);
    record.status = res.getStatusCode();
    return res;
  };
  return guarded;
}

/**
 * The client wraps errors of its HTTP layer in a StripeConnectionError
 * ("An error occurred with our connection to Stripe"): give back the guard's own.
 */
export function unwrapRefusal(err: unknown): unknown {
  const detail = (err as { detail?: unknown } | null)?.detail;
  return detail instanceof StripeWriteRefused ? detail : err;
}

/** "GET /v1/prices/price_1 → 200" lines for the report. */
export function formatRequests(log: StripeRequestRecord[]): string {
  if (log.length === 0) return '(no Stripe requests)';
  return log.map((r) => `${r.method} ${r.path} → ${r.refused ? 'REFUSED by the prod guard' : (r.status ?? 'no response')}`).join('\n');
}
