import type { SandboxContext } from '../context.ts';
import type { Router } from '../http/router.ts';

/** Public plan list (the landing page shows it); price IDs as the real API reads them from platform_config. */
export function billingRoutes(router: Router, ctx: SandboxContext): void {
  router.get('/api/billing/plans', () => ({
    status: 200,
    body: [
      {
        plan: 'STARTER',
        name: 'Starter',
        prices: { monthly: ctx.prices.starterMonthly, yearly: ctx.prices.starterYearly },
      },
      {
        plan: 'PROFESSIONAL',
        name: 'Professional',
        prices: { monthly: ctx.prices.professionalMonthly, yearly: ctx.prices.professionalYearly },
      },
    ],
  }));
}
