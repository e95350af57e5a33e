/**
 * The hosted checkout page at a session's URL: email and card fields, Stripe's
 * test cards (4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined
 * with "Your card was declined."), a redirect to success_url when paid.
 * Plain HTML form: no script, so the page works under any browser policy.
 */
import type { CheckoutSession } from './objects.ts';

const esc = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface CardInput {
  email: string;
  cardNumber: string;
  cardExpiry: string;
  cardCvc: string;
  billingName: string;
}

export type CardOutcome = { ok: true } | { ok: false; message: string; field: keyof CardInput };

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Stripe's messages for what the form sends; test cards only (the stand-in is test mode). */
export function chargeCard(input: CardInput, now = new Date()): CardOutcome {
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email.trim())) return { ok: false, field: 'email', message: 'Your email address is invalid.' };
  const digits = input.cardNumber.replace(/\s+/g, '');
  if (!/^\d{16}$/.test(digits)) return { ok: false, field: 'cardNumber', message: 'Your card number is incomplete.' };
  if (!luhn(digits)) return { ok: false, field: 'cardNumber', message: 'Your card number is invalid.' };
  const exp = /^(\d{2})\s*\/\s*(\d{2})$/.exec(input.cardExpiry.trim());
  if (!exp) return { ok: false, field: 'cardExpiry', message: "Your card's expiration date is incomplete." };
  const month = Number(exp[1]);
  const year = 2000 + Number(exp[2]);
  if (month < 1 || month > 12) return { ok: false, field: 'cardExpiry', message: "Your card's expiration date is invalid." };
  if (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1)) {
    return { ok: false, field: 'cardExpiry', message: "Your card's expiration year is in the past." };
  }
  if (!/^\d{3,4}$/.test(input.cardCvc.trim())) return { ok: false, field: 'cardCvc', message: "Your card's security code is incomplete." };
  if (digits === '4000000000000002') return { ok: false, field: 'cardNumber', message: 'Your card was declined.' };
  if (digits === '4242424242424242' || digits === '5555555555554444') return { ok: true };
  return { ok: false, field: 'cardNumber', message: 'Your card was declined. Your request was in test mode, but used a non test card. For a list of valid test cards, visit: https://stripe.com/docs/testing.' };
}

function amount(session: CheckoutSession): string {
  return `€${(session.amount_total / 100).toFixed(2)}`;
}

export function checkoutPage(session: CheckoutSession, productName: string, input?: Partial<CardInput>, error?: string): string {
  const subscribe = session.mode === 'subscription';
  const value = (name: keyof CardInput) => esc(input?.[name] ?? (name === 'email' ? (session.customer_email ?? '') : ''));
  const closed = session.status !== 'open';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${subscribe ? 'Subscribe' : 'Pay'} – Stripe Checkout (sandbox stand-in)</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f6f9fc;color:#30313d}
main{max-width:420px;margin:40px auto;background:#fff;padding:24px 28px;border-radius:8px;box-shadow:0 2px 8px #0002}
label{display:block;margin:14px 0 4px;font-size:14px}
input{width:100%;box-sizing:border-box;padding:10px;border:1px solid #d5dbe1;border-radius:6px;font-size:16px}
.row{display:flex;gap:8px}.row>div{flex:1}
button{margin-top:20px;width:100%;padding:12px;border:0;border-radius:6px;background:#0570de;color:#fff;font-size:16px}
[role=alert]{color:#df1b41;margin-top:12px}
.test{background:#ffde92;color:#a04e00;font-size:12px;padding:2px 6px;border-radius:4px}
</style>
</head>
<body>
<main>
<p><span class="test">TEST MODE</span></p>
<h1>${esc(productName)}</h1>
<p id="amount">${amount(session)}${subscribe ? ' per period' : ''}</p>
${
  closed
    ? `<p role="alert">This Checkout Session is no longer active.</p>`
    : `<form method="post" action="/c/pay/${esc(session.id)}" novalidate>
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" value="${value('email')}">
<fieldset style="border:0;padding:0;margin:0">
<legend style="margin-top:14px;font-size:14px">Card information</legend>
<label for="cardNumber">Card number</label>
<input id="cardNumber" name="cardNumber" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" value="${value('cardNumber')}">
<div class="row">
<div><label for="cardExpiry">Expiration</label><input id="cardExpiry" name="cardExpiry" autocomplete="cc-exp" placeholder="MM / YY" value="${value('cardExpiry')}"></div>
<div><label for="cardCvc">CVC</label><input id="cardCvc" name="cardCvc" autocomplete="cc-csc" placeholder="CVC" value="${value('cardCvc')}"></div>
</div>
</fieldset>
<label for="billingName">Cardholder name</label>
<input id="billingName" name="billingName" autocomplete="cc-name" value="${value('billingName')}">
${error ? `<div role="alert" id="payment-error">${esc(error)}</div>` : ''}
<button type="submit">${subscribe ? 'Subscribe' : 'Pay'}</button>
</form>`
}
</main>
</body>
</html>`;
}
