import { describe, expect, it } from 'vitest';
import { chargeCard } from './checkout-page.ts';
import { parseStripeForm } from './form.ts';

describe('parseStripeForm', () => {
  it('reads the nested form encoding the official client writes', () => {
    const body = new URLSearchParams('mode=subscription&line_items[0][price]=price_a&line_items[0][quantity]=1&metadata[practiceId]=p1&subscription_data[metadata][practiceId]=p1&types[0]=a&types[1]=b&created[gte]=5');
    expect(parseStripeForm(body)).toEqual({
      mode: 'subscription',
      line_items: [{ price: 'price_a', quantity: '1' }],
      metadata: { practiceId: 'p1' },
      subscription_data: { metadata: { practiceId: 'p1' } },
      types: ['a', 'b'],
      created: { gte: '5' },
    });
  });
});

describe('chargeCard', () => {
  const card = { email: 'a@example.com', cardExpiry: '12 / 34', cardCvc: '123', billingName: 'A' };
  const now = new Date('2026-06-01T00:00:00Z');
  it('pays with 4242…, declines 4000 0000 0000 0002 with Stripe\'s message', () => {
    expect(chargeCard({ ...card, cardNumber: '4242 4242 4242 4242' }, now)).toEqual({ ok: true });
    expect(chargeCard({ ...card, cardNumber: '4000 0000 0000 0002' }, now)).toMatchObject({ ok: false, message: 'Your card was declined.' });
  });
  it('refuses incomplete or past input', () => {
    expect(chargeCard({ ...card, cardNumber: '4242' }, now)).toMatchObject({ ok: false, field: 'cardNumber' });
    expect(chargeCard({ ...card, cardNumber: '4242 4242 4242 4241' }, now)).toMatchObject({ message: 'Your card number is invalid.' });
    expect(chargeCard({ ...card, cardNumber: '4242 4242 4242 4242', cardExpiry: '01 / 20' }, now)).toMatchObject({ field: 'cardExpiry' });
    expect(chargeCard({ ...card, email: 'nope', cardNumber: '4242 4242 4242 4242' }, now)).toMatchObject({ field: 'email' });
  });
});
