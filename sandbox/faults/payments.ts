import type { Fault } from './fault.ts';

/**
 * Faults of Stripe billing and webhooks (issue 5). Why each names its IDs:
 * tests/payments.spec.ts runs DC-PAY-1..4 (reads of the Stripe account),
 * DC-PAY-5 (forged and signed events posted straight to the two webhooks),
 * DC-INT-1 (a checkout in the browser) and DC-INT-2 (the subscription turns
 * STARTER/ACTIVE from the webhook that checkout causes). The Stripe account
 * reads run before the checkout, so undelivered events of this run's checkout
 * never reach DC-PAY-3/4; only a backlog does.
 */
export const PAYMENT_FAULTS = {
  'webhook-secret-mismatch': {
    breaks: "the API verifies webhooks with other secrets than the endpoints' (a stale STRIPE_WEBHOOK_SECRET), so every real delivery is rejected with 400",
    // The suite's correctly signed event is refused (DC-PAY-5) and the checkout's deliveries too (DC-INT-2).
    expect: ['DC-PAY-5', 'DC-INT-2'],
  },
  'payment-webhook-500-on-forgery': {
    breaks: '/api/stripe/webhook answers 500 to a forged, stale or re-serialised event instead of 400 (as the real app today)',
    expect: ['DC-PAY-5'],
  },
  'webhook-accepts-unsigned': {
    breaks: 'both webhooks process a request without a Stripe-Signature header as if it were verified',
    // Real deliveries are signed and still work: only the forgery check sees it.
    expect: ['DC-PAY-5'],
  },
  'webhook-accepts-stale': {
    breaks: 'both webhooks accept signatures of any age (no 300 s tolerance): a captured event can be replayed for ever',
    expect: ['DC-PAY-5'],
  },
  'webhook-ignores-event': {
    breaks: 'the subscription webhook verifies the signature and answers 200 {received:true}, but changes nothing',
    // The signed event of DC-PAY-5 changes nothing, and neither does the checkout's (DC-INT-2).
    expect: ['DC-PAY-5', 'DC-INT-2'],
  },
  'endpoint-missing-event': {
    breaks: 'the subscription endpoint in Stripe does not listen for invoice.payment_failed (failed renewals never reach the app)',
    // The checkout's events (subscription created/updated) are still delivered: DC-INT-2 passes.
    expect: ['DC-PAY-3'],
  },
  'endpoint-disabled': {
    breaks: 'the subscription endpoint in Stripe is disabled: Stripe sends it nothing',
    // Listed as disabled (DC-PAY-3), and the checkout's subscription events never arrive (DC-INT-2).
    expect: ['DC-PAY-3', 'DC-INT-2'],
  },
  'price-inactive': {
    breaks: 'the professional yearly price is archived (active: false) while the app still offers it',
    // The checkout uses the starter monthly price, which still works.
    expect: ['DC-PAY-2'],
  },
  'checkout-broken': {
    breaks: 'POST /api/billing/checkout answers 500 (e.g. the app holds no valid Stripe key)',
    // No checkout (DC-INT-1), so no subscription change to wait for (DC-INT-2 fails at once with that reason).
    expect: ['DC-INT-1', 'DC-INT-2'],
  },
  'key-wrong-mode': {
    breaks: "the suite's Stripe key in the sandbox's settings is a live-mode key (rk_live_…) in the local environment",
    // The stand-in answers it like the test key (one account), and the suite makes reads only: only the mode check fails.
    expect: ['DC-PAY-1'],
  },
  'webhook-delivery-failing': {
    breaks: 'the Stripe stand-in cannot reach the webhook endpoints: every delivery fails, and a backlog of 8 subscription and 8 checkout events from the last hours is undelivered',
    // The backlog exceeds SMOKE_STRIPE_MAX_UNDELIVERED (5) for both endpoints' event types (DC-PAY-3, DC-PAY-4),
    // and the checkout's events never arrive (DC-INT-2).
    expect: ['DC-PAY-3', 'DC-PAY-4', 'DC-INT-2'],
  },
} as const satisfies Record<string, Fault>;
