/**
 * Stripe settings (DC-PAY-*, DC-INT-1/2). The suite's key (a restricted read
 * key in prod), the two webhook secrets (optional: DC-PAY-5 needs them), the
 * four price IDs, and an API base override for a Stripe stand-in.
 * Configured when the key or a webhook secret is set: DC-PAY-5 needs only the
 * secrets (it makes no Stripe call).
 */
import { z } from 'zod';
import { positiveInt, type PartContext } from './settings-parts.ts';
import type { StripeMode } from './stripe-keys.ts';

/** Variables whose values are never printed. */
export const PAYMENT_SECRETS: readonly string[] = [
  'SMOKE_STRIPE_KEY',
  'SMOKE_STRIPE_BILLING_WEBHOOK_SECRET',
  'SMOKE_STRIPE_PAYMENT_WEBHOOK_SECRET',
];

const optionalString = z.string().optional();
const nonNegativeInt = z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 or more');
const priceId = z.string().regex(/^price_[A-Za-z0-9_]+$/, 'must be a Stripe price ID (price_…)').optional();

export const paymentShape = {
  SMOKE_STRIPE_KEY: z
    .string()
    .refine((v) => !v.startsWith('pk_'), 'is a publishable key (pk_…): the suite needs a restricted (rk_…) or secret (sk_…) key')
    .refine((v) => /^(sk|rk|pk)_[a-z]+_[A-Za-z0-9]+$/.test(v), 'must be a Stripe API key (rk_…, sk_…)')
    .optional(),
  SMOKE_STRIPE_MODE: z.enum(['test', 'live'], { message: 'must be test or live' }).optional(),
  SMOKE_STRIPE_BILLING_WEBHOOK_SECRET: z.string().regex(/^whsec_\S+$/, 'must be a webhook signing secret (whsec_…)').optional(),
  SMOKE_STRIPE_PAYMENT_WEBHOOK_SECRET: z.string().regex(/^whsec_\S+$/, 'must be a webhook signing secret (whsec_…)').optional(),
  SMOKE_STRIPE_PRICE_STARTER_MONTHLY: priceId,
  SMOKE_STRIPE_PRICE_STARTER_YEARLY: priceId,
  SMOKE_STRIPE_PRICE_PROFESSIONAL_MONTHLY: priceId,
  SMOKE_STRIPE_PRICE_PROFESSIONAL_YEARLY: priceId,
  SMOKE_STRIPE_API_BASE: optionalString,
  SMOKE_STRIPE_MAX_UNDELIVERED: nonNegativeInt.default(5),
  SMOKE_WEBHOOK_DEADLINE_S: positiveInt.optional(),
} satisfies z.ZodRawShape;

type PaymentVars = z.output<z.ZodObject<typeof paymentShape>>;

export interface StripePrices {
  starterMonthly?: string;
  starterYearly?: string;
  professionalMonthly?: string;
  professionalYearly?: string;
}

export interface PaymentSettings {
  /** The suite's key (secret). Unset when only the webhook secrets are configured. */
  key?: string;
  /** The mode the target's Stripe account must be in: live in prod, test elsewhere. */
  expectedMode: StripeMode;
  /** Prod rules: no live-mode checkout, reads only (target prod, or SMOKE_STRIPE_MODE=live). */
  liveRules: boolean;
  webhookSecrets: { billing?: string; payment?: string };
  prices: StripePrices;
  /** host/port/protocol for the official client: a Stripe stand-in only. */
  apiBase?: { host: string; port: number; protocol: 'http' | 'https' };
  maxUndelivered: number;
  webhookDeadlineS: number;
}

function parseApiBase(value: string, problems: string[]): PaymentSettings['apiBase'] {
  try {
    const u = new URL(value);
    if ((u.protocol === 'http:' || u.protocol === 'https:') && u.hostname && (u.pathname === '/' || u.pathname === '')) {
      const protocol = u.protocol === 'http:' ? 'http' : 'https';
      return { host: u.hostname, port: Number(u.port || (protocol === 'http' ? 80 : 443)), protocol };
    }
  } catch {
    // reported below
  }
  problems.push(`SMOKE_STRIPE_API_BASE: must be an origin such as http://127.0.0.1:4306 (got "${value}")`);
  return undefined;
}

export function paymentSettings(v: PaymentVars, c: PartContext): PaymentSettings | undefined {
  const expectedMode: StripeMode = v.SMOKE_STRIPE_MODE ?? (c.production ? 'live' : 'test');
  const secrets = v.SMOKE_STRIPE_BILLING_WEBHOOK_SECRET || v.SMOKE_STRIPE_PAYMENT_WEBHOOK_SECRET;
  if (!v.SMOKE_STRIPE_KEY && !secrets) {
    if (v.SMOKE_STRIPE_API_BASE) c.problems.push('SMOKE_STRIPE_KEY: required when SMOKE_STRIPE_API_BASE is set');
    return undefined;
  }
  const apiBase = v.SMOKE_STRIPE_API_BASE ? parseApiBase(v.SMOKE_STRIPE_API_BASE, c.problems) : undefined;
  if (apiBase && c.target === 'prod') c.problems.push('SMOKE_STRIPE_API_BASE: the prod target talks to Stripe itself; the override is for a local stand-in');
  return {
    key: v.SMOKE_STRIPE_KEY,
    expectedMode,
    liveRules: c.production || expectedMode === 'live',
    webhookSecrets: { billing: v.SMOKE_STRIPE_BILLING_WEBHOOK_SECRET, payment: v.SMOKE_STRIPE_PAYMENT_WEBHOOK_SECRET },
    prices: {
      starterMonthly: v.SMOKE_STRIPE_PRICE_STARTER_MONTHLY,
      starterYearly: v.SMOKE_STRIPE_PRICE_STARTER_YEARLY,
      professionalMonthly: v.SMOKE_STRIPE_PRICE_PROFESSIONAL_MONTHLY,
      professionalYearly: v.SMOKE_STRIPE_PRICE_PROFESSIONAL_YEARLY,
    },
    apiBase,
    maxUndelivered: v.SMOKE_STRIPE_MAX_UNDELIVERED,
    webhookDeadlineS: v.SMOKE_WEBHOOK_DEADLINE_S ?? 30,
  };
}
