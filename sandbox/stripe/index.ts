/**
 * The Stripe stand-in: the part of Stripe's HTTP API the official `stripe`
 * client uses here (checkout sessions, prices, webhook endpoints, events), in
 * Stripe's form encoding and JSON shapes, plus the hosted checkout page and
 * signed webhook delivery with retries. Stripe itself cannot be reached from
 * here; the client is pointed at this server by host, port and protocol.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import Stripe from 'stripe';
import { has, type SandboxContext } from '../context.ts';
import { readBody, writeRes } from '../http/io.ts';
import { Router, type Req, type Res } from '../http/router.ts';
import { chargeCard, checkoutPage, type CardInput } from './checkout-page.ts';
import { Deliveries, type DeliveryTarget } from './delivery.ts';
import { parseStripeForm } from './form.ts';
import { list, makePrice, nowS, stripeId, type CheckoutSession, type Price, type StripeEvent, type WebhookEndpoint } from './objects.ts';
import type { SandboxService } from '../service.ts';

/** What the API's billing routes use of the stand-in. */
export interface SandboxStripe {
  /** The official client with the app's secret key, pointed at the stand-in. */
  client: Stripe;
  /**
   * The webhook secrets the API verifies with. Healthy: the endpoints' own.
   * `webhook-secret-mismatch`: another value, as when the deployed app holds a stale secret.
   */
  webhookSecrets: { billing: string; payment: string };
}

class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

const invalid = (status: number, message: string, extra: Record<string, unknown> = {}) =>
  new StripeApiError(status, { type: 'invalid_request_error', message, ...extra });
const missing = (kind: string, id: string, param = 'id') =>
  invalid(404, `No such ${kind}: '${id}'`, { code: 'resource_missing', param, doc_url: 'https://stripe.com/docs/error-codes/resource-missing' });

const secret = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url').replace(/[-_]/g, 'x')}`;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const record = (v: unknown): Record<string, string> =>
  v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string> : {};

export async function startStripe(ctx: SandboxContext): Promise<SandboxService> {
  const port = ctx.layout.stripePort;
  const origin = `http://127.0.0.1:${port}`;
  const apiBase = new URL(ctx.layout.apiUrl).origin;

  // Keys: the app's full secret key, and a restricted read key for the suite
  // (a live-looking one under key-wrong-mode). Both accepted, for the same account.
  const appKey = secret('sk_test_');
  const suiteKey = secret(has(ctx, 'key-wrong-mode') ? 'rk_live_' : 'rk_test_');
  const keys = new Map<string, { restricted: boolean }>([
    [appKey, { restricted: false }],
    [suiteKey, { restricted: true }],
  ]);

  const starter = stripeId('prod', 14);
  const professional = stripeId('prod', 14);
  const prices = new Map<string, Price>(
    [
      makePrice(ctx.prices.starterMonthly, 'month', 4900, true, starter),
      makePrice(ctx.prices.starterYearly, 'year', 49_000, true, starter),
      makePrice(ctx.prices.professionalMonthly, 'month', 9900, true, professional),
      // price-inactive: archived in the dashboard while the app still offers it.
      makePrice(ctx.prices.professionalYearly, 'year', 99_000, !has(ctx, 'price-inactive'), professional),
    ].map((p) => [p.id, p]),
  );
  const productNames = new Map([
    [starter, 'DermaConsent Starter'],
    [professional, 'DermaConsent Professional'],
  ]);

  const endpointSecrets = { billing: secret('whsec_'), payment: secret('whsec_') };
  const endpoint = (url: string, events: string[], enabled: boolean): WebhookEndpoint => ({
    id: stripeId('we', 24),
    object: 'webhook_endpoint',
    api_version: null,
    application: null,
    created: nowS() - 86_400 * 30,
    description: null,
    enabled_events: events,
    livemode: false,
    metadata: {},
    status: enabled ? 'enabled' : 'disabled',
    url,
  });
  const billingEvents = ['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted', 'invoice.payment_failed'];
  const billingEndpoint = endpoint(
    `${apiBase}/api/billing/webhook`,
    // endpoint-missing-event: invoice.payment_failed was never ticked, so failed renewals go unnoticed.
    has(ctx, 'endpoint-missing-event') ? billingEvents.filter((e) => e !== 'invoice.payment_failed') : billingEvents,
    // endpoint-disabled: Stripe disabled it after days of failures (or someone did); nothing is sent to it.
    !has(ctx, 'endpoint-disabled'),
  );
  const paymentEndpoint = endpoint(`${apiBase}/api/stripe/webhook`, ['checkout.session.completed'], true);
  const endpoints = [billingEndpoint, paymentEndpoint];
  const targets = (): DeliveryTarget[] => [
    { endpoint: billingEndpoint, secret: endpointSecrets.billing },
    { endpoint: paymentEndpoint, secret: endpointSecrets.payment },
  ];

  const sessions = new Map<string, CheckoutSession>();
  const events: StripeEvent[] = [];
  const deliveries = new Deliveries(
    targets,
    has(ctx, 'webhook-delivery-failing') ? 'connect ETIMEDOUT (the stand-in cannot reach the endpoint)' : undefined,
    ctx.log,
  );

  const makeEvent = (type: string, object: Record<string, unknown>, createdS = nowS(), previous?: Record<string, unknown>): StripeEvent => {
    const event: StripeEvent = {
      id: stripeId('evt', 24),
      object: 'event',
      api_version: Stripe.API_VERSION ?? null,
      created: createdS,
      data: previous ? { object, previous_attributes: previous } : { object },
      livemode: false,
      pending_webhooks: 0,
      request: { id: null, idempotency_key: null },
      type,
    };
    events.push(event);
    return event;
  };

  if (has(ctx, 'webhook-delivery-failing')) {
    // The backlog of a stand-in that has not delivered for hours: earlier customers' events, all undelivered.
    for (let i = 1; i <= 8; i++) {
      const at = nowS() - i * 1800;
      for (const type of ['customer.subscription.updated', 'checkout.session.completed']) {
        makeEvent(type, { id: stripeId(type.startsWith('checkout') ? 'cs_test' : 'sub', 24), object: type.startsWith('checkout') ? 'checkout.session' : 'subscription' }, at).pending_webhooks = 1;
      }
    }
  }

  // --- The API ------------------------------------------------------------------------------------

  const router = new Router();

  router.get('/v1/prices/:id', (req) => {
    const price = prices.get(req.params.id ?? '');
    if (!price) throw missing('price', req.params.id ?? '');
    return { status: 200, body: price };
  });

  router.get('/v1/prices', (req) => {
    const q = parseStripeForm(req.query);
    let data = [...prices.values()];
    if (q.active !== undefined) data = data.filter((p) => String(p.active) === q.active);
    const limit = Math.min(Number(q.limit ?? 10) || 10, 100);
    return { status: 200, body: list(data.slice(0, limit), '/v1/prices', data.length > limit) };
  });

  router.get('/v1/webhook_endpoints', (req) => {
    const limit = Math.min(Number(req.query.get('limit') ?? 10) || 10, 100);
    return { status: 200, body: list(endpoints.slice(0, limit), '/v1/webhook_endpoints', endpoints.length > limit) };
  });

  router.get('/v1/events', (req) => {
    const q = parseStripeForm(req.query);
    const created = record(q.created);
    const types = Array.isArray(q.types) ? (q.types as string[]) : undefined;
    let data = [...events].reverse(); // newest first
    if (q.type) data = data.filter((e) => e.type === q.type);
    if (types) data = data.filter((e) => types.includes(e.type));
    if (created.gte) data = data.filter((e) => e.created >= Number(created.gte));
    if (created.gt) data = data.filter((e) => e.created > Number(created.gt));
    // delivery_success=false: events still pending, or whose retries to some endpoint all failed.
    if (q.delivery_success === 'false') data = data.filter((e) => e.pending_webhooks > 0);
    if (q.delivery_success === 'true') data = data.filter((e) => e.pending_webhooks === 0);
    if (q.starting_after) {
      const i = data.findIndex((e) => e.id === q.starting_after);
      data = i >= 0 ? data.slice(i + 1) : data;
    }
    const limit = Math.min(Number(q.limit ?? 10) || 10, 100);
    return { status: 200, body: list(data.slice(0, limit), '/v1/events', data.length > limit) };
  });

  router.get('/v1/events/:id', (req) => {
    const event = events.find((e) => e.id === req.params.id);
    if (!event) throw missing('event', req.params.id ?? '');
    return { status: 200, body: event };
  });

  const publicSession = (s: CheckoutSession) => {
    const { _lineItems, _subscriptionMetadata, ...rest } = s;
    return rest;
  };

  router.post('/v1/checkout/sessions', (req) => {
    const body = parseStripeForm(new URLSearchParams(req.rawBody.toString('utf8')));
    const mode = str(body.mode);
    if (mode !== 'payment' && mode !== 'subscription') throw invalid(400, 'Missing required param: mode.', { param: 'mode' });
    const successUrl = str(body.success_url);
    if (!successUrl) throw invalid(400, 'Missing required param: success_url.', { param: 'success_url' });
    const items = Array.isArray(body.line_items) ? (body.line_items as Record<string, unknown>[]) : [];
    if (items.length === 0) throw invalid(400, 'Missing required param: line_items.', { param: 'line_items' });
    const lineItems = items.map((item, i) => {
      const priceId = str(item.price) ?? '';
      const price = prices.get(priceId);
      if (!price) throw missing('price', priceId, `line_items[${i}][price]`);
      if (!price.active) {
        throw invalid(400, `The price specified is inactive. This field only accepts active prices.`, { param: `line_items[${i}][price]` });
      }
      return { price: priceId, quantity: Number(item.quantity ?? 1) || 1 };
    });
    const id = stripeId('cs_test', 58);
    const session: CheckoutSession = {
      id,
      object: 'checkout.session',
      amount_total: lineItems.reduce((sum, l) => sum + (prices.get(l.price)?.unit_amount ?? 0) * l.quantity, 0),
      cancel_url: str(body.cancel_url) ?? null,
      client_reference_id: str(body.client_reference_id) ?? null,
      created: nowS(),
      currency: 'eur',
      customer: str(body.customer) ?? null,
      customer_details: null,
      customer_email: str(body.customer_email) ?? null,
      expires_at: nowS() + 86_400,
      livemode: false,
      metadata: record(body.metadata),
      mode,
      payment_status: 'unpaid',
      status: 'open',
      subscription: null,
      success_url: successUrl,
      url: `${origin}/c/pay/${id}`,
      _lineItems: lineItems,
      _subscriptionMetadata: record((body.subscription_data as Record<string, unknown> | undefined)?.metadata),
    };
    sessions.set(id, session);
    return { status: 200, body: publicSession(session) };
  });

  router.get('/v1/checkout/sessions/:id', (req) => {
    const session = sessions.get(req.params.id ?? '');
    if (!session) throw missing('checkout.session', req.params.id ?? '');
    return { status: 200, body: publicSession(session) };
  });

  // --- The hosted checkout page ---------------------------------------------------------------------

  const productOf = (s: CheckoutSession) => productNames.get(prices.get(s._lineItems[0]?.price ?? '')?.product ?? '') ?? 'DermaConsent';
  const html = (status: number, body: string): Res => ({ status, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body });

  router.get('/c/pay/:id', (req) => {
    const session = sessions.get(req.params.id ?? '');
    if (!session) return html(404, '<!doctype html><title>Not found</title><h1>Something went wrong</h1><p>The page you were looking for could not be found.</p>');
    return html(200, checkoutPage(session, productOf(session)));
  });

  router.post('/c/pay/:id', (req) => {
    const session = sessions.get(req.params.id ?? '');
    if (!session) return html(404, '<!doctype html><title>Not found</title><h1>Something went wrong</h1>');
    if (session.status !== 'open') return html(200, checkoutPage(session, productOf(session)));
    const form = new URLSearchParams(req.rawBody.toString('utf8'));
    const input: CardInput = {
      email: form.get('email') ?? '',
      cardNumber: form.get('cardNumber') ?? '',
      cardExpiry: form.get('cardExpiry') ?? '',
      cardCvc: form.get('cardCvc') ?? '',
      billingName: form.get('billingName') ?? '',
    };
    const outcome = chargeCard(input);
    if (!outcome.ok) return html(402, checkoutPage(session, productOf(session), { ...input, cardCvc: '' }, outcome.message));
    complete(session, input);
    return { status: 303, headers: { Location: session.success_url.replace('{CHECKOUT_SESSION_ID}', session.id) }, body: '' };
  });

  /** Paid: the customer, the subscription, and their events, delivered after the redirect. */
  function complete(session: CheckoutSession, input: CardInput): void {
    const customer = session.customer ?? stripeId('cus', 14);
    session.customer = customer;
    session.customer_details = { email: input.email.trim(), name: input.billingName.trim() || null };
    session.status = 'complete';
    session.payment_status = 'paid';
    session.url = null;
    let subscription: Record<string, unknown> | undefined;
    if (session.mode === 'subscription') {
      const interval = prices.get(session._lineItems[0]?.price ?? '')?.recurring.interval;
      subscription = {
        id: stripeId('sub', 24),
        object: 'subscription',
        customer,
        status: 'active',
        livemode: false,
        metadata: session._subscriptionMetadata,
        current_period_start: nowS(),
        current_period_end: nowS() + (interval === 'year' ? 365 : 30) * 86_400,
        items: {
          object: 'list',
          data: session._lineItems.map((l) => ({ id: stripeId('si', 14), object: 'subscription_item', quantity: l.quantity, price: prices.get(l.price) })),
        },
      };
      session.subscription = subscription.id as string;
    }
    const queued = [makeEvent('checkout.session.completed', publicSession(session))];
    if (subscription) {
      queued.push(makeEvent('customer.subscription.created', { ...subscription }));
      queued.push(makeEvent('customer.subscription.updated', subscription, nowS(), { status: 'incomplete' }));
    }
    setImmediate(() => deliveries.deliver(queued));
  }

  // --- The server -----------------------------------------------------------------------------------

  const server = http.createServer(async (incoming, out) => {
    const url = new URL(incoming.url ?? '/', 'http://stripe.invalid');
    const method = incoming.method ?? 'GET';
    const requestId = stripeId('req', 14);
    const send = (res: Res) => writeRes(out, res, { 'Request-Id': requestId, ...res.headers }, 'application/json');
    try {
      const rawBody = await readBody(incoming, 1024 * 1024, () => {
        throw invalid(413, 'Request entity too large');
      });
      if (url.pathname.startsWith('/v1/')) authorise(incoming, method);
      const match = router.match(method, url.pathname);
      if (!match.route) {
        throw invalid(404, `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`);
      }
      const req: Req = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        params: match.params,
        rawBody,
        body: undefined,
        ip: incoming.socket.remoteAddress ?? '',
        requestId,
      };
      send(await match.route.handler(req));
    } catch (err) {
      if (err instanceof StripeApiError) send({ status: err.status, body: { error: err.body } });
      else {
        ctx.log(`stripe: ${method} ${url.pathname} failed: ${String(err)}`);
        send({ status: 500, body: { error: { type: 'api_error', message: 'An unknown error occurred' } } });
      }
    }
  });

  /** Bearer key as Stripe checks it: unknown keys 401, restricted keys read-only (403). Never echoes a key. */
  function authorise(incoming: http.IncomingMessage, method: string): void {
    const header = incoming.headers.authorization ?? '';
    const key = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!key) throw invalid(401, "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
    const known = keys.get(key);
    if (!known) throw invalid(401, `Invalid API Key provided: ${key.slice(0, 8)}****${key.slice(-4)}`);
    if (known.restricted && method !== 'GET') {
      throw new StripeApiError(403, { type: 'invalid_request_error', code: 'permission_error', message: 'The provided key does not have the required permissions for this endpoint. Having the write permission would allow this request to continue.' });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'EADDRINUSE' ? `stripe: port ${port} is in use (another sandbox running? choose another SANDBOX_PORT_BASE)` : `stripe: ${err.message}`)),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  ctx.log(`stripe    ${origin} (stand-in: API, hosted checkout, webhook delivery)`);

  ctx.stripe = {
    client: new Stripe(appKey, { host: '127.0.0.1', port, protocol: 'http', telemetry: false, maxNetworkRetries: 0 }),
    webhookSecrets: has(ctx, 'webhook-secret-mismatch')
      ? { billing: secret('whsec_'), payment: secret('whsec_') } // the app was deployed with other secrets than the endpoints'
      : endpointSecrets,
  };

  return {
    name: 'stripe',
    // The suite's settings: what an operator copies from the Stripe dashboard (keys and endpoint secrets).
    env: [
      `SMOKE_STRIPE_API_BASE=${origin}`,
      `SMOKE_STRIPE_KEY=${suiteKey}`,
      `SMOKE_STRIPE_BILLING_WEBHOOK_SECRET=${endpointSecrets.billing}`,
      `SMOKE_STRIPE_PAYMENT_WEBHOOK_SECRET=${endpointSecrets.payment}`,
      `SMOKE_STRIPE_PRICE_STARTER_MONTHLY=${ctx.prices.starterMonthly}`,
      `SMOKE_STRIPE_PRICE_STARTER_YEARLY=${ctx.prices.starterYearly}`,
      `SMOKE_STRIPE_PRICE_PROFESSIONAL_MONTHLY=${ctx.prices.professionalMonthly}`,
      `SMOKE_STRIPE_PRICE_PROFESSIONAL_YEARLY=${ctx.prices.professionalYearly}`,
    ],
    banner: [`stripe    ${origin}  (stand-in: API, hosted checkout at /c/pay/<session>)`],
    stop: async () => {
      await deliveries.stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
