/** Stripe settings (DC-PAY-*, DC-INT-1/2): filled in by the payments work. */
import { z } from 'zod';
import type { PartContext } from './settings-parts.ts';

/** Variables whose values are never printed. */
export const PAYMENT_SECRETS: readonly string[] = [];

export const paymentShape = {} satisfies z.ZodRawShape;

export type PaymentSettings = Record<string, never>;

export function paymentSettings(_v: { [K in keyof typeof paymentShape]: z.output<(typeof paymentShape)[K]> }, _c: PartContext): PaymentSettings | undefined {
  return undefined;
}
