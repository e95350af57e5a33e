/**
 * The stand-in's account: Stripe objects in Stripe's JSON shapes (only the
 * fields a client of these routes reads), kept in memory for one sandbox run.
 */
import { randomBytes } from 'node:crypto';

export const stripeId = (prefix: string, length = 24): string => `${prefix}_${randomBytes(length).toString('base64url').replace(/[-_]/g, '').slice(0, length)}`;
export const nowS = (): number => Math.floor(Date.now() / 1000);

export interface Price {
  id: string;
  object: 'price';
  active: boolean;
  billing_scheme: 'per_unit';
  created: number;
  currency: string;
  livemode: boolean;
  lookup_key: string | null;
  metadata: Record<string, string>;
  nickname: string | null;
  product: string;
  recurring: { interval: 'month' | 'year'; interval_count: number; usage_type: 'licensed' };
  type: 'recurring';
  unit_amount: number;
}

export interface WebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  api_version: string | null;
  application: null;
  created: number;
  description: string | null;
  enabled_events: string[];
  livemode: boolean;
  metadata: Record<string, string>;
  status: 'enabled' | 'disabled';
  url: string;
}

export interface CheckoutSession {
  id: string;
  object: 'checkout.session';
  amount_total: number;
  cancel_url: string | null;
  client_reference_id: string | null;
  created: number;
  currency: string;
  customer: string | null;
  customer_details: { email: string | null; name: string | null } | null;
  customer_email: string | null;
  expires_at: number;
  livemode: boolean;
  metadata: Record<string, string>;
  mode: 'payment' | 'subscription';
  payment_status: 'paid' | 'unpaid';
  status: 'open' | 'complete' | 'expired';
  subscription: string | null;
  success_url: string;
  url: string | null;
  /** Not part of Stripe's JSON: kept for the hosted page and the subscription it makes. */
  _lineItems: { price: string; quantity: number }[];
  _subscriptionMetadata: Record<string, string>;
}

export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string | null;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface DeliveryAttempt {
  endpoint: string;
  at: number;
  ok: boolean;
  detail: string;
}

export const list = <T>(data: T[], url: string, hasMore = false) => ({ object: 'list', data, has_more: hasMore, url });

export function makePrice(id: string, interval: 'month' | 'year', amount: number, active: boolean, product: string): Price {
  return {
    id,
    object: 'price',
    active,
    billing_scheme: 'per_unit',
    created: nowS() - 86_400 * 90,
    currency: 'eur',
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product,
    recurring: { interval, interval_count: 1, usage_type: 'licensed' },
    type: 'recurring',
    unit_amount: amount,
  };
}
