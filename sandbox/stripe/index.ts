/** The Stripe stand-in and its webhook deliveries: filled in by the payments work. */
import type { SandboxContext } from '../context.ts';
import type { SandboxService } from '../service.ts';

/** What the API's billing routes use of the stand-in (the official client, the endpoint secrets). */
export type SandboxStripe = Record<string, never>;

export async function startStripe(_ctx: SandboxContext): Promise<SandboxService> {
  return { name: 'stripe', env: [], banner: [], stop: async () => undefined };
}
