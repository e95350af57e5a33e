import type { SandboxContext } from '../context.ts';
import { Router } from '../http/router.ts';
import { billingRoutes } from './billing.ts';
import { healthRoutes } from './health.ts';

/** The DermaConsent API, one module per domain of CONTRACT.md's route table. */
export function dermaconsentRouter(ctx: SandboxContext): Router {
  const router = new Router();
  healthRoutes(router, ctx);
  billingRoutes(router, ctx);
  return router;
}
