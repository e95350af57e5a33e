/**
 * The two Stripe webhooks, as the real API runs them: the signature is checked
 * with the `stripe` library over the raw body (300 s tolerance), then the event
 * is applied. No event-ID dedupe: a replay is applied again (docs/targets/).
 */
import type Stripe from 'stripe';
import type { SandboxContext } from '../context.ts';
import { HttpError, type Req, type Router } from '../http/router.ts';
import type { SandboxStripe } from '../stripe/index.ts';
import { writeAudit } from './audit-log.ts';
import { planOfPrice } from './billing.ts';

/** Stripe's subscription status → the app's SubscriptionStatus. */
const STATUS: Record<string, string> = {
  active: 'ACTIVE',
  trialing: 'TRIALING',
  past_due: 'PAST_DUE',
  unpaid: 'PAST_DUE',
  canceled: 'CANCELLED',
  incomplete_expired: 'EXPIRED',
};

const TEN_YEARS_S = 10 * 365 * 86_400;

/** The verified event, or the real API's 400s. */
function verify(ctx: SandboxContext, stripe: SandboxStripe, req: Req, secret: string): Stripe.Event {
  const header = req.headers['stripe-signature'];
  if (typeof header !== 'string' || header === '') {
    if (ctx.faults.has('webhook-accepts-unsigned') && req.body && typeof req.body === 'object') {
      return req.body as Stripe.Event; // the fault: an unsigned body is trusted as it comes
    }
    throw new HttpError(400, 'MISSING_SIGNATURE_HEADER', 'Missing stripe-signature header');
  }
  try {
    // webhook-accepts-stale: a tolerance so wide that any captured event replays.
    const tolerance = ctx.faults.has('webhook-accepts-stale') ? TEN_YEARS_S : undefined;
    return stripe.client.webhooks.constructEvent(req.rawBody, header, secret, tolerance);
  } catch (err) {
    // The 400 body says why; the suite sends forgeries on purpose, so the console stays quiet unless asked.
    if (process.env.SANDBOX_VERBOSE) ctx.log(`api: ${req.path}: webhook verification failed: ${(err as Error).message.split('\n')[0]}`);
    // As the real payment webhook today: the Stripe library's error is not caught, so a bad signature is a 500.
    if (ctx.faults.has('payment-webhook-500-on-forgery') && req.path === '/api/stripe/webhook') {
      throw new HttpError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    }
    throw new HttpError(400, 'WEBHOOK_VERIFICATION_FAILED', 'Webhook signature verification failed');
  }
}

interface SubscriptionObject {
  id?: string;
  customer?: string;
  status?: string;
  metadata?: Record<string, string>;
  current_period_end?: number;
  items?: { data?: { price?: { id?: string } | string }[] };
}

async function applySubscription(ctx: SandboxContext, event: Stripe.Event): Promise<void> {
  const sub = event.data.object as SubscriptionObject;
  const practiceId = sub.metadata?.practiceId;
  if (!practiceId) {
    ctx.log(`api: ${event.type} ${event.id}: no metadata.practiceId, ignored`);
    return;
  }
  const price = sub.items?.data?.[0]?.price;
  const plan = planOfPrice(ctx, typeof price === 'string' ? price : price?.id);
  const status = event.type === 'customer.subscription.deleted' ? 'CANCELLED' : STATUS[sub.status ?? ''];
  if (!status) {
    ctx.log(`api: ${event.type} ${event.id}: status ${sub.status} leaves the subscription as it is`);
    return;
  }
  const { rowCount } = await ctx.db.query(
    `UPDATE subscriptions
     SET plan = COALESCE($2::"SubscriptionPlan", plan), status = $3::"SubscriptionStatus",
         stripe_customer_id = COALESCE($4, stripe_customer_id), stripe_subscription_id = COALESCE($5, stripe_subscription_id),
         current_period_end = COALESCE(to_timestamp($6), current_period_end), updated_at = now()
     WHERE practice_id = $1`,
    [practiceId, plan ?? null, status, sub.customer ?? null, sub.id ?? null, sub.current_period_end ?? null],
  );
  if (!rowCount) {
    ctx.log(`api: ${event.type} ${event.id}: no subscription of practice ${practiceId}`);
    return;
  }
  if (event.type === 'customer.subscription.created') {
    await writeAudit(ctx.db, {
      action: 'SUBSCRIPTION_CREATED',
      practiceId,
      userId: null,
      entityType: 'Subscription',
      entityId: sub.id,
      metadata: { plan, status },
    });
  }
}

async function applyPaymentFailed(ctx: SandboxContext, event: Stripe.Event): Promise<void> {
  const invoice = event.data.object as { subscription?: string | null };
  if (!invoice.subscription) return;
  await ctx.db.query(
    `UPDATE subscriptions SET status = 'PAST_DUE', updated_at = now() WHERE stripe_subscription_id = $1`,
    [invoice.subscription],
  );
}

export function stripeWebhookRoutes(router: Router, ctx: SandboxContext, stripeOf: (ctx: SandboxContext) => SandboxStripe): void {
  router.post('/api/billing/webhook', async (req) => {
    const stripe = stripeOf(ctx);
    const event = verify(ctx, stripe, req, stripe.webhookSecrets.billing);
    if (ctx.faults.has('webhook-ignores-event')) return { status: 200, body: { received: true } };
    switch (event.type) {
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted':
        await applySubscription(ctx, event);
        break;
      case 'invoice.payment_failed':
        await applyPaymentFailed(ctx, event);
        break;
      default:
        ctx.log(`api: /api/billing/webhook: ${event.type} not handled`);
    }
    return { status: 200, body: { received: true } };
  });

  // Consent payments: checkout.session.completed of a consent's payment (mode payment).
  router.post('/api/stripe/webhook', (req) => {
    const stripe = stripeOf(ctx);
    const event = verify(ctx, stripe, req, stripe.webhookSecrets.payment);
    if (event.type === 'checkout.session.completed') {
      const session = event.data.object as { id?: string; mode?: string; metadata?: Record<string, string> };
      // The real handler reads metadata.consent_id; without one it logs and answers 200.
      if (session.mode === 'payment' && session.metadata?.consent_id) {
        ctx.log(`api: consent payment ${session.id} for consent ${session.metadata.consent_id} completed`);
      }
    }
    return { status: 200, body: { received: true } };
  });
}
