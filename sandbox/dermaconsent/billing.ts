import type { SandboxContext } from '../context.ts';
import { HttpError, type Router } from '../http/router.ts';
import { requirePractice, requireRole } from './session.ts';
import { isIn, isString, optional, validateBody } from './validation.ts';
import { stripeWebhookRoutes } from './webhooks.ts';

type Plan = 'STARTER' | 'PROFESSIONAL';

/** The plan a Stripe price ID belongs to, as the real API maps it from platform_config. */
export function planOfPrice(ctx: SandboxContext, priceId: string | undefined): Plan | undefined {
  const p = ctx.prices;
  if (priceId === p.starterMonthly || priceId === p.starterYearly) return 'STARTER';
  if (priceId === p.professionalMonthly || priceId === p.professionalYearly) return 'PROFESSIONAL';
  return undefined;
}

function stripeOf(ctx: SandboxContext) {
  if (!ctx.stripe) throw new HttpError(503, 'STRIPE_NOT_CONFIGURED', 'Stripe is not configured');
  return ctx.stripe;
}

/** Plans, the practice's subscription, checkout, and the two Stripe webhooks (docs/targets/). */
export function billingRoutes(router: Router, ctx: SandboxContext): void {
  // Public plan list (the landing page shows it); price IDs as the real API reads them from platform_config.
  router.get('/api/billing/plans', () => ({
    status: 200,
    body: [
      {
        plan: 'STARTER',
        name: 'Starter',
        prices: { monthly: ctx.prices.starterMonthly, yearly: ctx.prices.starterYearly },
      },
      {
        plan: 'PROFESSIONAL',
        name: 'Professional',
        prices: { monthly: ctx.prices.professionalMonthly, yearly: ctx.prices.professionalYearly },
      },
    ],
  }));

  router.get('/api/billing/subscription', async (req) => {
    const { practiceId } = await requirePractice(ctx, req);
    const { rows } = await ctx.db.query<{
      plan: string;
      status: string;
      trial_ends_at: Date | null;
      current_period_end: Date | null;
      stripe_subscription_id: string | null;
      updated_at: Date;
    }>(
      `SELECT plan, status, trial_ends_at, current_period_end, stripe_subscription_id, updated_at
       FROM subscriptions WHERE practice_id = $1`,
      [practiceId],
    );
    const s = rows[0];
    if (!s) throw new HttpError(404, 'SUBSCRIPTION_NOT_FOUND', 'Subscription not found');
    return {
      status: 200,
      body: {
        plan: s.plan,
        status: s.status,
        trialEndsAt: s.trial_ends_at?.toISOString() ?? null,
        currentPeriodEnd: s.current_period_end?.toISOString() ?? null,
        stripeSubscriptionId: s.stripe_subscription_id,
        updatedAt: s.updated_at.toISOString(),
      },
    };
  });

  router.post('/api/billing/checkout', async (req) => {
    const principal = requireRole(await requirePractice(ctx, req), 'ADMIN');
    const body = validateBody(req.body ?? {}, {
      priceId: optional(isString),
      plan: optional(isIn(['STARTER', 'PROFESSIONAL'])),
      interval: optional(isIn(['monthly', 'yearly'])),
    });
    if (ctx.faults.has('checkout-broken')) {
      ctx.log('api: POST /api/billing/checkout: Stripe rejected the request (checkout-broken)');
      throw new HttpError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    }
    const p = ctx.prices;
    const priceId =
      (body.priceId as string | undefined) ??
      (body.plan === 'PROFESSIONAL'
        ? body.interval === 'yearly' ? p.professionalYearly : p.professionalMonthly
        : body.interval === 'yearly' ? p.starterYearly : p.starterMonthly);
    if (!planOfPrice(ctx, priceId)) throw new HttpError(400, 'INVALID_PRICE', 'Unknown price');
    const frontend = new URL(ctx.layout.frontendUrl).origin;
    const session = await stripeOf(ctx).client.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: priceId, quantity: 1 }],
      customer_email: principal.email,
      client_reference_id: principal.practiceId,
      metadata: { practiceId: principal.practiceId },
      subscription_data: { metadata: { practiceId: principal.practiceId } },
      success_url: `${frontend}/billing/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${frontend}/dashboard`,
    });
    return { status: 201, body: { url: session.url } };
  });

  stripeWebhookRoutes(router, ctx, stripeOf);
}
