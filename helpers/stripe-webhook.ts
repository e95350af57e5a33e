/**
 * Stripe webhook signatures (DC-PAY-5): the `Stripe-Signature` header Stripe
 * sends (`t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload" under the
 * endpoint secret>`), and the forgeries a webhook handler must reject.
 */
import { createHmac, randomBytes } from 'node:crypto';

/** Stripe rejects signatures older than this by default (constructEvent's tolerance). */
export const SIGNATURE_TOLERANCE_S = 300;

export function signatureHeader(payload: string, secret: string, timestampS: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestampS}.${payload}`, 'utf8').digest('hex');
  return `t=${timestampS},v1=${v1}`;
}

export interface WebhookRequest {
  /** What the variant is, for messages: "unsigned", "stale (t 10 min old)"… */
  name: string;
  body: string;
  headers: Record<string, string>;
}

/** A correctly signed delivery of `payload`, as Stripe makes it. */
export function signedRequest(payload: string, secret: string, nowS: number): WebhookRequest {
  return {
    name: 'correctly signed',
    body: payload,
    headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signatureHeader(payload, secret, nowS) },
  };
}

/**
 * The requests a handler must refuse, each for one reason: no header, a
 * signature under another secret, a correct signature too old to accept, and
 * a correctly signed body that was parsed and serialised again (what a
 * handler verifying `JSON.stringify(req.body)` instead of the raw bytes sees).
 */
export function forgedRequests(payload: string, secret: string, nowS: number): WebhookRequest[] {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  const wrongSecret = `whsec_${randomBytes(24).toString('base64')}`;
  const staleS = nowS - 2 * SIGNATURE_TOLERANCE_S;
  const reserialised = JSON.stringify(JSON.parse(payload), null, 2);
  if (reserialised === payload) throw new Error('forgedRequests: the payload must be compact JSON, so its re-serialised form differs');
  return [
    { name: 'unsigned (no Stripe-Signature header)', body: payload, headers: json },
    { name: 'signed with another secret', body: payload, headers: { ...json, 'stripe-signature': signatureHeader(payload, wrongSecret, nowS) } },
    {
      name: `stale (correctly signed ${2 * SIGNATURE_TOLERANCE_S} s ago, tolerance ${SIGNATURE_TOLERANCE_S} s)`,
      body: payload,
      headers: { ...json, 'stripe-signature': signatureHeader(payload, secret, staleS) },
    },
    {
      name: 're-serialised (signature of the original bytes, body parsed and serialised again)',
      body: reserialised,
      headers: { ...json, 'stripe-signature': signatureHeader(payload, secret, nowS) },
    },
  ];
}

const id = (prefix: string) => `${prefix}_smoke${randomBytes(8).toString('hex')}`;

export interface SubscriptionEventInput {
  type: 'customer.subscription.created' | 'customer.subscription.updated';
  practiceId: string;
  priceId: string;
  /** Stripe's subscription status: active, past_due, trialing… */
  status: string;
  livemode: boolean;
  nowS: number;
}

/** A compact Stripe event JSON of a subscription, tagged as the suite's (ids start with `…_smoke`). */
export function subscriptionEvent(input: SubscriptionEventInput): string {
  const subscription = {
    id: id('sub'),
    object: 'subscription',
    customer: id('cus'),
    status: input.status,
    livemode: input.livemode,
    metadata: { practiceId: input.practiceId, smoke: 'true' },
    current_period_end: input.nowS + 30 * 86_400,
    items: {
      object: 'list',
      data: [{ id: id('si'), object: 'subscription_item', quantity: 1, price: { id: input.priceId, object: 'price' } }],
    },
  };
  return envelope(input.type, subscription, input);
}

/** An event as Stripe sends it, around `object`. */
function envelope(type: string, object: unknown, input: { livemode: boolean; nowS: number }): string {
  return JSON.stringify({ id: id('evt'), object: 'event', api_version: null, created: input.nowS, livemode: input.livemode, pending_webhooks: 1, type, data: { object } });
}

/** A compact checkout.session.completed of a consent payment (no consent attached: nothing to fulfil). */
export function checkoutCompletedEvent(input: { practiceId: string; livemode: boolean; nowS: number }): string {
  return envelope(
    'checkout.session.completed',
    {
      id: id('cs'),
      object: 'checkout.session',
      mode: 'payment',
      status: 'complete',
      payment_status: 'paid',
      livemode: input.livemode,
      metadata: { practiceId: input.practiceId, smoke: 'true' },
    },
    input,
  );
}
