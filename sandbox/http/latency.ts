import { setTimeout as delay } from 'node:timers/promises';
import { has, type SandboxContext } from '../context.ts';

/** The `slow` fault: 200-800 ms before every response, like a loaded deployment. */
export async function injectLatency(ctx: SandboxContext): Promise<void> {
  if (has(ctx, 'slow')) await delay(200 + Math.floor(Math.random() * 600));
}
