import type { SandboxContext } from '../../context.ts';
import { documentHtml } from './layout.ts';

/** Where Stripe Checkout sends the customer back after paying (success_url). No API calls: the webhook does the work. */
export function billingSuccessPage(ctx: SandboxContext): string {
  const main = `<main>
<h1>Thank you for subscribing</h1>
<p>Your payment was received. Your plan is activated as soon as Stripe confirms it, usually within seconds.</p>
<nav><a href="/dashboard">Back to the dashboard</a></nav>
</main>`;
  return documentHtml(ctx, 'Subscription – DermaConsent', main);
}
