/**
 * Judging what the Stripe account holds (DC-PAY-2..4): prices, webhook
 * endpoints and undelivered events, from the objects the official client
 * returns. Pure: the spec fetches, these functions say what is wrong.
 */
import type { Evaluation, StripeMode } from './stripe-keys.ts';

/** The event types each endpoint needs (CHECKLIST.md DC-PAY-3, DC-PAY-4). */
export const REQUIRED_EVENTS = {
  billing: ['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted', 'invoice.payment_failed'],
  payment: ['checkout.session.completed'],
} as const;

/** The fields of a webhook endpoint these checks read. */
export interface EndpointLike {
  id: string;
  url: string;
  status: string;
  enabled_events: string[];
  livemode?: boolean;
}

const normalise = (url: string) => url.replace(/\/+$/, '');

/**
 * The endpoint registered at `url` must exist, be enabled and listen for every
 * required event type ('*' listens for all). Several endpoints at the same URL:
 * the best one counts.
 */
export function evaluateEndpoint(endpoints: EndpointLike[], url: string, required: readonly string[]): Evaluation {
  const atUrl = endpoints.filter((e) => normalise(e.url) === normalise(url));
  if (atUrl.length === 0) {
    const seen = endpoints.map((e) => e.url);
    return {
      failures: [`no webhook endpoint registered at ${url}; registered: ${seen.length ? seen.join(', ') : 'none'}`],
      warnings: [],
    };
  }
  const judged = atUrl.map((e) => {
    const failures: string[] = [];
    if (e.status !== 'enabled') failures.push(`endpoint ${e.id} at ${url} is ${e.status}, expected enabled`);
    const missing = e.enabled_events.includes('*') ? [] : required.filter((t) => !e.enabled_events.includes(t));
    if (missing.length) {
      failures.push(`endpoint ${e.id} at ${url} does not listen for ${missing.join(', ')} (enabled: ${e.enabled_events.join(', ') || 'none'})`);
    }
    return failures;
  });
  const best = judged.reduce((a, b) => (b.length < a.length ? b : a));
  const warnings = atUrl.length > 1 ? [`${atUrl.length} endpoints registered at ${url}: each event is delivered ${atUrl.length} times`] : [];
  return { failures: best, warnings };
}

/** The fields of an event these checks read. */
export interface EventLike {
  id: string;
  type: string;
  created: number;
  pending_webhooks: number;
}

/**
 * Events of `types` that Stripe has not delivered to every endpoint (from
 * events.list with delivery_success=false): a warning, a failure above `max`.
 */
export function evaluateUndelivered(events: EventLike[], types: readonly string[], max: number, where: string): Evaluation {
  const relevant = events.filter((e) => types.includes(e.type) && e.pending_webhooks > 0);
  if (relevant.length === 0) return { failures: [], warnings: [] };
  const byType = new Map<string, number>();
  for (const e of relevant) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
  const oldest = Math.min(...relevant.map((e) => e.created));
  const summary =
    `${relevant.length} event(s) not delivered to ${where} in the last 24 h (${[...byType].map(([t, n]) => `${n} ${t}`).join(', ')}; ` +
    `oldest ${new Date(oldest * 1000).toISOString()}, e.g. ${relevant.slice(0, 3).map((e) => e.id).join(', ')}): see the endpoint's delivery attempts in the Stripe dashboard`;
  return relevant.length > max
    ? { failures: [`${summary}; more than SMOKE_STRIPE_MAX_UNDELIVERED=${max}`], warnings: [] }
    : { failures: [], warnings: [summary] };
}

/** The fields of a price these checks read. */
export interface PriceLike {
  id: string;
  active: boolean;
  livemode: boolean;
  recurring?: { interval: string } | null;
}

export type PriceLookup = { name: string; id: string; interval: 'month' | 'year' } & (
  | { price: PriceLike }
  | { error: string }
);

/**
 * Each configured price exists, is active and recurs at its interval. A price
 * of the other mode is only a warning: the key's mode is DC-PAY-1's claim.
 */
export function evaluatePrices(lookups: PriceLookup[], mode: StripeMode): Evaluation {
  const failures: string[] = [];
  const warnings: string[] = [];
  for (const l of lookups) {
    if ('error' in l) {
      failures.push(`${l.name} price ${l.id}: ${l.error}`);
      continue;
    }
    const p = l.price;
    if (!p.active) failures.push(`${l.name} price ${l.id} is inactive (active: false): checkout with it fails`);
    if (p.recurring?.interval !== l.interval) {
      failures.push(`${l.name} price ${l.id} should recur every ${l.interval}, recurs ${p.recurring ? `every ${p.recurring.interval}` : 'never (one-time price)'}`);
    }
    if (p.livemode !== (mode === 'live')) warnings.push(`${l.name} price ${l.id} is a ${p.livemode ? 'live' : 'test'}-mode object, expected ${mode} mode`);
  }
  return { failures, warnings };
}
