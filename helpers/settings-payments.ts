/**
 * Stripe settings (DC-PAY-*, DC-INT-1/2). The suite's key (a restricted read
 * key in prod), the two webhook secrets (optional: DC-PAY-5 needs them), the
 * four price IDs, and an API base override that only the local sandbox uses.
 * A managed sandbox makes its keys and secrets when it starts: the fixture
 * reads them from its env file then (paymentSettingsFromEnv).
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

/**
 * Webhook deadline of the sandbox the run starts itself: its stand-in delivers
 * within milliseconds of the checkout (under a second with the `slow` fault),
 * so 10 s is a wide margin and a missing webhook fails in 10 s, not 30.
 */
export const SANDBOX_WEBHOOK_DEADLINE_S = 10;

const optionalString = z.string().optional();
const nonNegativeInt = z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 or more');
const priceId = z.string().regex(/^price_[A-Za-z0-9_]+$/, 'must be a Stripe price ID (price_…)').optional();

export const paymentShape = {
  SMOKE_STRIPE_KEY: z.string().regex(/^(sk|rk|pk)_[a-z]+_[A-Za-z0-9]+$/, 'must be a Stripe API key (rk_…, sk_…)').optional(),
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
  /** The suite's key (secret). Unset for a managed sandbox until it runs: see sandboxEnvFile. */
  key?: string;
  /** The mode the target's Stripe account must be in: live in prod, test elsewhere. */
  expectedMode: StripeMode;
  /** Prod rules: no live-mode checkout, reads only (target prod, or SMOKE_STRIPE_MODE=live). */
  liveRules: boolean;
  webhookSecrets: { billing?: string; payment?: string };
  prices: StripePrices;
  /** host/port/protocol for the official client: the sandbox's stand-in only. */
  apiBase?: { host: string; port: number; protocol: 'http' | 'https' };
  maxUndelivered: number;
  webhookDeadlineS: number;
  /** A managed sandbox: key, secrets, prices and API base come from this file once it runs. */
  sandboxEnvFile?: string;
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
  const expectedMode: StripeMode = v.SMOKE_STRIPE_MODE ?? (c.target === 'prod' ? 'live' : 'test');
  const managed = c.sandboxManaged && c.sandbox !== undefined;
  if (!v.SMOKE_STRIPE_KEY && !managed) {
    for (const name of ['SMOKE_STRIPE_BILLING_WEBHOOK_SECRET', 'SMOKE_STRIPE_PAYMENT_WEBHOOK_SECRET', 'SMOKE_STRIPE_API_BASE'] as const) {
      if (v[name]) c.problems.push(`SMOKE_STRIPE_KEY: required when ${name} is set`);
    }
    return undefined;
  }
  const apiBase = v.SMOKE_STRIPE_API_BASE ? parseApiBase(v.SMOKE_STRIPE_API_BASE, c.problems) : undefined;
  if (apiBase && c.target === 'prod') c.problems.push('SMOKE_STRIPE_API_BASE: the prod target talks to Stripe itself; the override is for the local sandbox');
  return {
    key: v.SMOKE_STRIPE_KEY,
    expectedMode,
    liveRules: c.target === 'prod' || expectedMode === 'live',
    webhookSecrets: { billing: v.SMOKE_STRIPE_BILLING_WEBHOOK_SECRET, payment: v.SMOKE_STRIPE_PAYMENT_WEBHOOK_SECRET },
    prices: {
      starterMonthly: v.SMOKE_STRIPE_PRICE_STARTER_MONTHLY,
      starterYearly: v.SMOKE_STRIPE_PRICE_STARTER_YEARLY,
      professionalMonthly: v.SMOKE_STRIPE_PRICE_PROFESSIONAL_MONTHLY,
      professionalYearly: v.SMOKE_STRIPE_PRICE_PROFESSIONAL_YEARLY,
    },
    apiBase,
    maxUndelivered: v.SMOKE_STRIPE_MAX_UNDELIVERED,
    webhookDeadlineS: v.SMOKE_WEBHOOK_DEADLINE_S ?? (managed ? SANDBOX_WEBHOOK_DEADLINE_S : 30),
    sandboxEnvFile: managed && !v.SMOKE_STRIPE_KEY ? c.sandbox?.envFile : undefined,
  };
}

/**
 * The settings once a managed sandbox runs: its env file's Stripe variables
 * over the ones the run was given. Returns the problems instead of throwing.
 */
export function paymentSettingsFromEnv(
  base: PaymentSettings,
  sandboxEnv: Record<string, string | undefined>,
  processEnv: Record<string, string | undefined>,
  c: Omit<PartContext, 'problems'>,
): { settings?: PaymentSettings; problems: string[] } {
  const raw: Record<string, string> = {};
  for (const name of Object.keys(paymentShape)) {
    const value = sandboxEnv[name] ?? processEnv[name];
    if (value !== undefined && value.trim() !== '') raw[name] = value.trim();
  }
  const parsed = z.object(paymentShape).safeParse(raw);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message} (from the sandbox's env file)`) };
  }
  const problems: string[] = [];
  const settings = paymentSettings(parsed.data, { ...c, sandboxManaged: false, problems });
  if (!settings?.key) problems.push("SMOKE_STRIPE_KEY: the sandbox's env file has none (is the Stripe stand-in running?)");
  return {
    settings: settings && { ...settings, webhookDeadlineS: base.webhookDeadlineS, sandboxEnvFile: undefined },
    problems,
  };
}
