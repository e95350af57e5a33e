import { describe, expect, it } from 'vitest';
import { evaluateEndpoint, evaluatePrices, evaluateUndelivered, REQUIRED_EVENTS, type EndpointLike } from './stripe-account.ts';

const URL_ = 'https://api.example.com/api/billing/webhook';
const ok: EndpointLike = { id: 'we_1', url: URL_, status: 'enabled', enabled_events: [...REQUIRED_EVENTS.billing] };

describe('evaluateEndpoint', () => {
  it('passes an enabled endpoint with every event, or with *', () => {
    expect(evaluateEndpoint([ok], URL_, REQUIRED_EVENTS.billing).failures).toEqual([]);
    expect(evaluateEndpoint([{ ...ok, enabled_events: ['*'] }], `${URL_}/`, REQUIRED_EVENTS.billing).failures).toEqual([]);
  });
  it('names the URLs registered when none matches', () => {
    const { failures } = evaluateEndpoint([{ ...ok, url: 'https://old.example.com/api/billing/webhook' }], URL_, REQUIRED_EVENTS.billing);
    expect(failures[0]).toContain('no webhook endpoint registered at');
    expect(failures[0]).toContain('old.example.com');
  });
  it('lists missing event types and a disabled status', () => {
    const { failures } = evaluateEndpoint([{ ...ok, status: 'disabled', enabled_events: ['customer.subscription.created'] }], URL_, REQUIRED_EVENTS.billing);
    expect(failures).toHaveLength(2);
    expect(failures[0]).toContain('disabled');
    expect(failures[1]).toContain('customer.subscription.updated, customer.subscription.deleted, invoice.payment_failed');
  });
  it('judges the best of several endpoints at one URL, with a warning', () => {
    const r = evaluateEndpoint([{ ...ok, id: 'we_0', status: 'disabled' }, ok], URL_, REQUIRED_EVENTS.billing);
    expect(r.failures).toEqual([]);
    expect(r.warnings[0]).toContain('2 endpoints');
  });
});

describe('evaluateUndelivered', () => {
  const ev = (i: number, type: string, pending = 1) => ({ id: `evt_${i}`, type, created: 1_700_000_000 + i, pending_webhooks: pending });
  it('warns up to the maximum, fails above it, counts only its types', () => {
    const events = [ev(1, 'invoice.payment_failed'), ev(2, 'checkout.session.completed'), ev(3, 'invoice.payment_failed', 0)];
    const warnOnly = evaluateUndelivered(events, REQUIRED_EVENTS.billing, 1, 'the billing endpoint');
    expect(warnOnly.failures).toEqual([]);
    expect(warnOnly.warnings[0]).toContain('1 event(s)');
    const fail = evaluateUndelivered(events, REQUIRED_EVENTS.billing, 0, 'the billing endpoint');
    expect(fail.failures[0]).toContain('SMOKE_STRIPE_MAX_UNDELIVERED=0');
    expect(evaluateUndelivered([], REQUIRED_EVENTS.billing, 0, 'x')).toEqual({ failures: [], warnings: [] });
  });
});

describe('evaluatePrices', () => {
  const price = { id: 'price_1', active: true, livemode: false, recurring: { interval: 'month' } };
  it('passes active recurring prices of the right mode', () => {
    expect(evaluatePrices([{ name: 'starter monthly', id: 'price_1', interval: 'month', price }], 'test').failures).toEqual([]);
  });
  it('reports missing, inactive, wrong interval and wrong mode', () => {
    const { failures } = evaluatePrices(
      [
        { name: 'starter monthly', id: 'price_x', interval: 'month', error: 'No such price' },
        { name: 'starter yearly', id: 'price_1', interval: 'year', price: { ...price, active: false } },
      ],
      'live',
    );
    expect(failures[0]).toContain('No such price');
    expect(failures.join('\n')).toContain('inactive');
    expect(failures.join('\n')).toContain('every year');
    expect(failures.join('\n')).not.toContain('test-mode object');
    expect(evaluatePrices([{ name: 'starter monthly', id: 'price_1', interval: 'month', price }], 'live').warnings[0]).toContain('test-mode object');
  });
});
