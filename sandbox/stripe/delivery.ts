/**
 * Webhook delivery as Stripe does it: each event goes to every enabled endpoint
 * that listens for its type, signed with that endpoint's secret
 * (`Stripe-Signature: t=…,v1=…`); a non-2xx answer or a connection error is
 * retried, and an event stays `pending_webhooks > 0` (listed by
 * events.list?delivery_success=false) until every endpoint took it.
 */
import { createHmac } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { request } from 'undici';
import type { DeliveryAttempt, StripeEvent, WebhookEndpoint } from './objects.ts';

/** Seconds before each retry (real Stripe keeps trying for three days; a sandbox run is short). */
export const RETRY_DELAYS_MS = [1_000, 2_000];

export interface DeliveryTarget {
  endpoint: WebhookEndpoint;
  secret: string;
}

export function listensFor(endpoint: WebhookEndpoint, type: string): boolean {
  return endpoint.status === 'enabled' && (endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(type));
}

export function sign(payload: string, secret: string, timestampS: number): string {
  return `t=${timestampS},v1=${createHmac('sha256', secret).update(`${timestampS}.${payload}`).digest('hex')}`;
}

export class Deliveries {
  readonly attempts = new Map<string, DeliveryAttempt[]>();
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly targets: () => DeliveryTarget[],
    /** When set, the stand-in cannot reach anything: every attempt fails with this. */
    private readonly broken: string | undefined,
    private readonly log: (message: string) => void,
  ) {}

  /** Queues the events in order (created before updated), each to its endpoints. */
  deliver(events: StripeEvent[]): void {
    for (const event of events) {
      const targets = this.targets().filter((t) => listensFor(t.endpoint, event.type));
      event.pending_webhooks = targets.length;
      for (const target of targets) {
        this.chain = this.chain.then(() => this.attemptAll(event, target)).catch(() => undefined);
      }
    }
  }

  private async attemptAll(event: StripeEvent, target: DeliveryTarget): Promise<void> {
    const payload = JSON.stringify(event, null, 2);
    for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length && !this.stopped; attempt++) {
      if (attempt > 0) await delay(RETRY_DELAYS_MS[attempt - 1]); // Stripe's retry backoff, shortened
      const result = await this.attempt(payload, target);
      const record = { endpoint: target.endpoint.id, at: Date.now(), ...result };
      this.attempts.set(event.id, [...(this.attempts.get(event.id) ?? []), record]);
      if (result.ok) {
        event.pending_webhooks = Math.max(0, event.pending_webhooks - 1);
        return;
      }
      this.log(`stripe: delivering ${event.type} ${event.id} to ${target.endpoint.url} failed (attempt ${attempt + 1}): ${result.detail}`);
    }
  }

  private async attempt(payload: string, target: DeliveryTarget): Promise<{ ok: boolean; detail: string }> {
    if (this.broken) return { ok: false, detail: this.broken };
    try {
      const res = await request(target.endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': sign(payload, target.secret, Math.floor(Date.now() / 1000)),
        },
        body: payload,
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      const text = await res.body.text();
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      return { ok, detail: `HTTP ${res.statusCode}${ok ? '' : `: ${text.slice(0, 200)}`}` };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }
}
