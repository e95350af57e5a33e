import type pg from 'pg';
import type { FaultName } from './faults/catalogue.ts';
import type { SandboxLayout } from './layout.ts';
import type { SandboxMail } from './mail/index.ts';
import type { SandboxStripe } from './stripe/index.ts';

/** What every part of the sandbox shares: where it lives, how it is broken, its database. */
export interface SandboxContext {
  layout: SandboxLayout;
  faults: ReadonlySet<FaultName>;
  db: pg.Pool;
  log: (message: string) => void;
  /** The Stripe price IDs the sandbox's plans carry (the real API reads them from platform_config). */
  prices: { starterMonthly: string; starterYearly: string; professionalMonthly: string; professionalYearly: string };
  /** Set by startMail before the API listens. */
  mail?: SandboxMail;
  /** Set by startStripe before the API listens. */
  stripe?: SandboxStripe;
  /** True once everything runs and the settings file is written: /__sandbox/ready answers 200 only then. */
  ready?: boolean;
  /** API requests served, by method (GET /__sandbox/requests). */
  requestCounts?: Record<string, number>;
}

export function has(ctx: SandboxContext, fault: FaultName): boolean {
  return ctx.faults.has(fault);
}
