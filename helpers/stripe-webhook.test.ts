import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { forgedRequests, signatureHeader, signedRequest, subscriptionEvent, SIGNATURE_TOLERANCE_S } from './stripe-webhook.ts';

const stripe = new Stripe('sk_test_unitunitunit', { telemetry: false });
const SECRET = 'whsec_unit_test_secret_value';
const NOW = Math.floor(Date.now() / 1000);
const payload = subscriptionEvent({ type: 'customer.subscription.updated', practiceId: 'p1', priceId: 'price_1', status: 'active', livemode: false, nowS: NOW });

describe('signatureHeader', () => {
  it('is what the official library generates and accepts', () => {
    expect(signatureHeader(payload, SECRET, NOW)).toBe(
      stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: NOW }),
    );
    const signed = signedRequest(payload, SECRET, NOW);
    const event = stripe.webhooks.constructEvent(signed.body, signed.headers['stripe-signature'] as string, SECRET);
    expect(event.type).toBe('customer.subscription.updated');
  });
});

describe('forgedRequests', () => {
  const forged = forgedRequests(payload, SECRET, NOW);
  it('makes four variants, each one rejected by the official verification', () => {
    expect(forged.map((f) => f.name.split(' ')[0])).toEqual(['unsigned', 'signed', 'stale', 're-serialised']);
    for (const f of forged) {
      expect(() => stripe.webhooks.constructEvent(f.body, f.headers['stripe-signature'] ?? '', SECRET), f.name).toThrow();
    }
  });
  it('stale is a correct signature outside the tolerance only', () => {
    const stale = forged[2]!;
    expect(() => stripe.webhooks.constructEvent(stale.body, stale.headers['stripe-signature']!, SECRET, 10 * SIGNATURE_TOLERANCE_S)).not.toThrow();
  });
  it('re-serialised carries the same event', () => {
    expect(JSON.parse(forged[3]!.body)).toEqual(JSON.parse(payload));
    expect(forged[3]!.body).not.toBe(payload);
  });
  it('never carries the secret', () => {
    for (const f of forged) expect(JSON.stringify(f)).not.toContain(SECRET);
  });
});
