import type { Fault } from './fault.ts';

/** Faults of Stripe billing and webhooks (issue 5). */
export const PAYMENT_FAULTS = {} as const satisfies Record<string, Fault>;
