/**
 * Payments: the Stripe account is in the right mode and holds what the app
 * needs (DC-PAY-1..4, read-only), the webhooks accept only what Stripe really
 * signed (DC-PAY-5), and a test-mode checkout in the browser ends with the
 * practice's subscription switched by the webhook (DC-INT-1, DC-INT-2).
 *
 * Prod rules (the prod target, or SMOKE_STRIPE_MODE=live): every Stripe call
 * goes through the prod guard (reads only with a live key), DC-INT-1/2 are
 * skipped (Stripe forbids live-mode tests with real card details), DC-PAY-5
 * needs SMOKE_ALLOW_WRITES=1 (it changes the synthetic practice only).
 * Each test's Stripe requests are in its `stripe-requests` annotation.
 * Expected failures per sandbox fault, and why: sandbox/faults/payments.ts.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { expect, report, test, warn, type SyntheticPractice } from '../fixtures/index.ts';
import { StripeCheckoutPage } from '../fixtures/pages/stripe-checkout.ts';
import type { StripeAccess } from '../fixtures/stripe.ts';
import { describe, httpRequest, type HttpResponse } from '../helpers/http.ts';
import { evaluateEndpoint, evaluatePrices, evaluateUndelivered, REQUIRED_EVENTS, type PriceLookup } from '../helpers/stripe-account.ts';
import { evaluateKeyMode } from '../helpers/stripe-keys.ts';
import { checkoutCompletedEvent, forgedRequests, signedRequest, subscriptionEvent, type WebhookRequest } from '../helpers/stripe-webhook.ts';
import { runId } from '../helpers/synthetic.ts';

type TestInfo = ReturnType<typeof test.info>;

/** The API rate-limits per route (20/s): poll no faster than twice a second. */
const POLL_MS = 500;
/** How long the signed event of DC-PAY-5 may take to show (the real handler applies it before answering). */
const APPLY_DEADLINE_MS = 5_000;
const LIVE_CHECKOUT_SKIP = 'live-mode Stripe (prod rules): Stripe forbids live-mode tests with real card details; DC-INT-1/2 run on staging and local with test keys';
const CARD = { expiry: '12 / 34', cvc: '123', name: 'Smoke Test' };
const DECLINED_CARD = '4000 0000 0000 0002';
const SUCCESS_CARD = '4242 4242 4242 4242';

interface Subscription {
  plan: string;
  status: string;
  stripeSubscriptionId?: string | null;
}

async function subscriptionOf(account: SyntheticPractice): Promise<{ res: HttpResponse; sub?: Subscription }> {
  const res = await account.api.get('/api/billing/subscription');
  const sub = res.json as Subscription | undefined;
  return { res, sub: res.status === 200 && typeof sub?.plan === 'string' ? sub : undefined };
}

const state = (s: Subscription | undefined) => (s ? `${s.plan}/${s.status}` : 'unknown');

/** Polls the subscription until `done` or the deadline; returns the last one seen. */
async function waitForSubscription(account: SyntheticPractice, done: (s: Subscription) => boolean, deadlineMs: number) {
  const deadlineAt = Date.now() + deadlineMs;
  for (;;) {
    const last = await subscriptionOf(account);
    if (last.sub && done(last.sub)) return { ...last, ok: true };
    if (last.res.status === 401 || last.res.status === 403 || last.res.status === 404) return { ...last, ok: false };
    const left = deadlineAt - Date.now();
    if (left <= 0) return { ...last, ok: false };
    await delay(Math.min(POLL_MS, left)); // poll interval, bounded by the deadline
  }
}

async function post(url: string, request: WebhookRequest, timeoutMs: number): Promise<HttpResponse> {
  return httpRequest('POST', url, { headers: request.headers, body: request.body, timeoutMs });
}

// ---------------------------------------------------------------------------------------------
// The checkout DC-INT-2 follows: on disk, because Playwright replaces the worker after a failure.

type CheckoutRecord = { ok: true; sessionId?: string; practiceId: string; startedAt: number } | { ok: false; reason: string };

function checkoutFile(testInfo: TestInfo): string {
  return path.join(testInfo.project.outputDir, '.stripe-outcomes', `${runId()}-${testInfo.project.name}-checkout.json`);
}

async function recordCheckout(testInfo: TestInfo, record: CheckoutRecord): Promise<void> {
  const file = checkoutFile(testInfo);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(record));
}

async function readCheckout(testInfo: TestInfo): Promise<CheckoutRecord | undefined> {
  try {
    return JSON.parse(await readFile(checkoutFile(testInfo), 'utf8')) as CheckoutRecord;
  } catch {
    return undefined;
  }
}

function requireSettings<T>(value: T | undefined, reason: string): T {
  test.skip(value === undefined, reason);
  return value as T;
}

// The checks on the synthetic practice come first: a failed test replaces the worker, and a
// new worker pays an RSA-4096 keygen for its practice, which the read-only checks below do not need.
test.describe('Stripe webhooks and checkout on the synthetic practice', { tag: ['@dermaconsent', '@payments'] }, () => {
  // No Stripe call: the webhook secrets (and the price the signed event names) are all it needs.
  test('DC-PAY-5 the webhooks reject unsigned, forged, stale and re-serialised events and accept a correctly signed one', { tag: '@writes' }, async ({ settings, practice: account, dc }) => {
    const payments = requireSettings(settings.payments, 'not configured: set SMOKE_STRIPE_BILLING_WEBHOOK_SECRET (the signing secret of the /api/billing/webhook endpoint)');
    const billingSecret = requireSettings(payments.webhookSecrets.billing, 'not configured: set SMOKE_STRIPE_BILLING_WEBHOOK_SECRET (the signing secret of the /api/billing/webhook endpoint)');
    const priceId = requireSettings(payments.prices.professionalMonthly, 'not configured: set SMOKE_STRIPE_PRICE_PROFESSIONAL_MONTHLY (the signed test event switches to it)');
    const timeoutMs = settings.httpTimeoutMs;
    const failures: string[] = [];
    const warnings: string[] = [];
    const livemode = payments.expectedMode === 'live';
    const nowS = () => Math.floor(Date.now() / 1000);

    const before = await subscriptionOf(account);
    if (!before.sub) throw new Error(`reading the synthetic practice's subscription: expected 200 with {plan, status} from ${describe(before.res)}`);
    // A change the forgeries propose and the signed event makes: away from the current state.
    const target = before.sub.plan === 'PROFESSIONAL' && before.sub.status === 'ACTIVE' ? { plan: 'PROFESSIONAL', status: 'PAST_DUE', stripe: 'past_due' } : { plan: 'PROFESSIONAL', status: 'ACTIVE', stripe: 'active' };
    const event = () => subscriptionEvent({ type: 'customer.subscription.updated', practiceId: account.practiceId, priceId, status: target.stripe, livemode, nowS: nowS() });

    const billingUrl = `${dc.apiUrl}/api/billing/webhook`;
    for (const forged of forgedRequests(event(), billingSecret, nowS())) {
      const res = await post(billingUrl, forged, timeoutMs);
      if (res.status < 400 || res.status >= 500) failures.push(`${forged.name} event to ${billingUrl}: expected a 4xx rejection, got ${describe(res)}`);
    }
    const afterForged = await subscriptionOf(account);
    if (state(afterForged.sub) !== state(before.sub)) {
      failures.push(`the rejected events changed the subscription of practice ${account.practiceId}: ${state(before.sub)} before, ${state(afterForged.sub)} after (GET /api/billing/subscription)`);
    }

    const paymentSecret = payments.webhookSecrets.payment;
    const paymentUrl = `${dc.apiUrl}/api/stripe/webhook`;
    const paymentEvent = () => checkoutCompletedEvent({ practiceId: account.practiceId, livemode, nowS: nowS() });
    if (paymentSecret) {
      for (const forged of forgedRequests(paymentEvent(), paymentSecret, nowS())) {
        const res = await post(paymentUrl, forged, timeoutMs);
        if (res.status < 400 || res.status >= 500) failures.push(`${forged.name} event to ${paymentUrl}: expected a 4xx rejection, got ${describe(res)}`);
      }
    } else {
      warnings.push(`SMOKE_STRIPE_PAYMENT_WEBHOOK_SECRET is not set: ${paymentUrl} was not checked`);
    }

    const signed = await post(billingUrl, signedRequest(event(), billingSecret, nowS()), timeoutMs);
    if (signed.status !== 200) {
      failures.push(`a correctly signed customer.subscription.updated to ${billingUrl}: expected 200 {received:true}, got ${describe(signed)} (is the app's webhook secret the endpoint's?)`);
    } else {
      const changed = await waitForSubscription(account, (s) => s.plan === target.plan && s.status === target.status, APPLY_DEADLINE_MS);
      if (!changed.ok) {
        failures.push(
          `a correctly signed customer.subscription.updated was answered 200 but the subscription of practice ${account.practiceId} stayed ${state(changed.sub)} ` +
            `(expected ${target.plan}/${target.status} within ${APPLY_DEADLINE_MS / 1000} s; last ${describe(changed.res)})`,
        );
      }
    }
    if (paymentSecret) {
      const res = await post(paymentUrl, signedRequest(paymentEvent(), paymentSecret, nowS()), timeoutMs);
      if (res.status < 200 || res.status >= 300) failures.push(`a correctly signed checkout.session.completed to ${paymentUrl}: expected 2xx, got ${describe(res)}`);
    }
    report('DC-PAY-5 webhook security', { failures, warnings });
  });

  test.describe('checkout (test mode only)', () => {
    // Before the account fixture, so the reason shown under prod rules is the live-mode one.
    test.beforeEach(({ stripe }) => {
      test.skip(stripe.settings.liveRules, LIVE_CHECKOUT_SKIP);
    });

    test('DC-INT-1 a test-mode checkout in the browser pays with the test card and returns to the frontend', { tag: '@writes' }, async ({ stripe, practice: account, dc, page }, testInfo) => {
      const priceId = requireSettings(stripe.settings.prices.starterMonthly, 'not configured: set SMOKE_STRIPE_PRICE_STARTER_MONTHLY (the checkout buys it)');
      await recordCheckout(testInfo, { ok: false, reason: 'DC-INT-1 did not finish (timed out or was interrupted)' });
      try {
        const startedAt = Date.now();
        const res = await account.api.post('/api/billing/checkout', { priceId });
        const url = (res.json as { url?: unknown } | undefined)?.url;
        if (res.status !== 201 || typeof url !== 'string') throw new Error(`POST /api/billing/checkout: expected 201 {url} of a Checkout Session, got ${describe(res)}`);
        const sessionId = /\b(cs_(?:test|live)_[A-Za-z0-9]+)/.exec(url)?.[1];
        if (sessionId?.startsWith('cs_live_')) throw new Error(`the app created a live-mode Checkout Session (${sessionId.slice(0, 8)}…) outside prod: no card is entered`);

        await page.goto(url);
        const checkout = new StripeCheckoutPage(page);
        const email = account.email;
        await checkout.pay({ email, number: DECLINED_CARD, ...CARD });
        await expect(checkout.error, 'the declined test card 4000 0000 0000 0002 shows Stripe\'s message').toContainText('Your card was declined.');
        await checkout.pay({ email, number: SUCCESS_CARD, ...CARD });
        await page.waitForURL((u) => u.origin === dc.frontendOrigin, { timeout: 20_000 }).catch(() => {
          throw new Error(`after paying with 4242… the browser should land on FRONTEND_URL ${dc.frontendOrigin}, it is on ${page.url().split('?')[0]}`);
        });
        await recordCheckout(testInfo, { ok: true, sessionId, practiceId: account.practiceId, startedAt });
      } catch (err) {
        await recordCheckout(testInfo, { ok: false, reason: (err as Error).message.split('\n')[0] ?? String(err) });
        throw err;
      }
    });

    test.describe('after the checkout', () => {
      // Before the test's fixtures (the practice): when DC-INT-1 failed, fail at once with its reason.
      test.beforeEach(async ({}, testInfo) => {
        const record = await readCheckout(testInfo);
        if (!record) throw new Error('no checkout to follow: DC-INT-1 did not run in this run (run both: --grep "DC-INT-")');
        if (!record.ok) throw new Error(`no checkout to follow: DC-INT-1 failed: ${record.reason}`);
      });

      test('DC-INT-2 after the checkout the webhook makes the subscription ACTIVE on the plan bought', { tag: '@writes' }, async ({ stripe, practice: account }, testInfo) => {
        const record = (await readCheckout(testInfo)) as CheckoutRecord & { ok: true };
        if (record.practiceId !== account.practiceId) {
          throw new Error(`no checkout to follow: DC-INT-1 paid for practice ${record.practiceId}, this worker's synthetic practice is ${account.practiceId}`);
        }
        // The subscription the checkout made, when the key may read the session (a check that the webhook was this checkout's).
        let subscriptionId: string | undefined;
        if (record.sessionId) {
          const session = await stripe.call(`checkout.sessions.retrieve(${record.sessionId.slice(0, 12)}…)`, (c) => c.checkout.sessions.retrieve(record.sessionId as string)).catch((err: Error) => {
            warn(`DC-INT-2: ${err.message}`);
            return undefined;
          });
          subscriptionId = typeof session?.subscription === 'string' ? session.subscription : session?.subscription?.id;
        }
        const deadlineS = stripe.settings.webhookDeadlineS;
        const waitedFrom = Date.now();
        const result = await waitForSubscription(
          account,
          (s) => s.plan === 'STARTER' && s.status === 'ACTIVE' && (!subscriptionId || !s.stripeSubscriptionId || s.stripeSubscriptionId === subscriptionId),
          deadlineS * 1000,
        );
        if (result.ok) return;
        // Where to look: what Stripe says about the deliveries of this checkout's events.
        const sinceS = Math.floor(record.startedAt / 1000) - 5;
        const events = await stripe
          .call('events.list (since the checkout)', (c) => c.events.list({ created: { gte: sinceS }, limit: 20 }))
          .then((l) => l.data.filter((e) => e.type.startsWith('customer.subscription.') || e.type === 'checkout.session.completed'))
          .then((l) => (l.length ? l.map((e) => `${e.type} ${e.id} pending_webhooks=${e.pending_webhooks}`).join('; ') : 'none'))
          .catch((err: Error) => `not readable (${err.message})`);
        throw new Error(
          `the subscription of practice ${account.practiceId} is ${state(result.sub)} ${((Date.now() - waitedFrom) / 1000).toFixed(1)} s after the checkout, ` +
            `expected STARTER/ACTIVE${subscriptionId ? ` (subscription ${subscriptionId})` : ''} within SMOKE_WEBHOOK_DEADLINE_S=${deadlineS}; ` +
            `last ${describe(result.res)}; Stripe events since the checkout: ${events}. Look at the /api/billing/webhook endpoint's delivery attempts in Stripe and the API log.`,
        );
      });
    });
  });
});

test.describe('Stripe account configuration (read-only)', { tag: ['@dermaconsent', '@payments'] }, () => {
  test('DC-PAY-1 the Stripe key is in the mode of the environment (live in prod, test elsewhere)', { tag: '@prod-safe' }, async ({ stripe, settings }) => {
    const where = `the ${settings.target} target (SMOKE_STRIPE_KEY)`;
    report('DC-PAY-1', evaluateKeyMode(stripe.settings.key, stripe.settings.expectedMode, where));
  });

  test('DC-PAY-2 the four price IDs exist and are active (read-only)', { tag: '@prod-safe' }, async ({ stripe }) => {
    const p = stripe.settings.prices;
    const wanted = [
      { name: 'starter monthly', variable: 'SMOKE_STRIPE_PRICE_STARTER_MONTHLY', id: p.starterMonthly, interval: 'month' },
      { name: 'starter yearly', variable: 'SMOKE_STRIPE_PRICE_STARTER_YEARLY', id: p.starterYearly, interval: 'year' },
      { name: 'professional monthly', variable: 'SMOKE_STRIPE_PRICE_PROFESSIONAL_MONTHLY', id: p.professionalMonthly, interval: 'month' },
      { name: 'professional yearly', variable: 'SMOKE_STRIPE_PRICE_PROFESSIONAL_YEARLY', id: p.professionalYearly, interval: 'year' },
    ] as const;
    const unset = wanted.filter((w) => !w.id);
    test.skip(unset.length === wanted.length, 'not configured: set the four SMOKE_STRIPE_PRICE_* variables');
    const lookups: PriceLookup[] = await Promise.all(
      wanted
        .filter((w) => w.id)
        .map(async (w): Promise<PriceLookup> => {
          const id = w.id as string;
          try {
            return { name: w.name, id, interval: w.interval, price: await stripe.call(`prices.retrieve(${id})`, (c) => c.prices.retrieve(id)) };
          } catch (err) {
            return { name: w.name, id, interval: w.interval, error: (err as Error).message };
          }
        }),
    );
    const evaluation = evaluatePrices(lookups, stripe.settings.expectedMode);
    for (const u of unset) evaluation.failures.push(`${u.name}: ${u.variable} is not set, so it cannot be checked`);
    report('DC-PAY-2 prices', evaluation);
  });

  const endpointCheck = (which: 'billing' | 'payment', route: string) => async ({ stripe, dc }: { stripe: StripeAccess; dc: { apiUrl: string } }) => {
    const url = `${dc.apiUrl}${route}`;
    const endpoint = evaluateEndpoint(await stripe.endpoints(), url, REQUIRED_EVENTS[which]);
    const undelivered = evaluateUndelivered(await stripe.undeliveredEvents(), REQUIRED_EVENTS[which], stripe.settings.maxUndelivered, url);
    return { failures: [...endpoint.failures, ...undelivered.failures], warnings: [...endpoint.warnings, ...undelivered.warnings] };
  };

  test('DC-PAY-3 the subscription webhook endpoint is registered, enabled, with its events, and delivers (read-only)', { tag: '@prod-safe' }, async ({ stripe, dc }) => {
    report('DC-PAY-3 /api/billing/webhook', await endpointCheck('billing', '/api/billing/webhook')({ stripe, dc }));
  });

  test('DC-PAY-4 the consent payment webhook endpoint is registered, enabled, with checkout.session.completed, and delivers (read-only)', { tag: '@prod-safe' }, async ({ stripe, dc }) => {
    report('DC-PAY-4 /api/stripe/webhook', await endpointCheck('payment', '/api/stripe/webhook')({ stripe, dc }));
  });

});
