import type { SandboxContext } from '../context.ts';
import { Router } from '../http/router.ts';
import { appDataRoutes } from './app-data.ts';
import { auditRoutes } from './audit.ts';
import { authRoutes } from './auth.ts';
import { billingRoutes } from './billing.ts';
import { consentRoutes } from './consent.ts';
import { contactRoutes } from './contact.ts';
import { healthRoutes } from './health.ts';
import { pdfRoutes } from './pdf.ts';
import { practiceRoutes } from './practice.ts';

/** The DermaConsent API, one module per domain of docs/targets/dermaconsent.md route table. */
export function dermaconsentRouter(ctx: SandboxContext): Router {
  const router = new Router();
  healthRoutes(router, ctx);
  authRoutes(router, ctx);
  practiceRoutes(router, ctx);
  // PDF routes before the consent ones: /api/consent/:id/pdf must not fall to /api/consent/:token.
  pdfRoutes(router, ctx);
  consentRoutes(router, ctx);
  auditRoutes(router, ctx);
  appDataRoutes(router, ctx);
  billingRoutes(router, ctx);
  contactRoutes(router, ctx);
  return router;
}
