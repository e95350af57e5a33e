import { has, type SandboxContext } from '../context.ts';
import type { Router } from '../http/router.ts';

/** Asks the database for real; the fault reproduces the real API's "200 with an error inside". */
async function databaseOk(ctx: SandboxContext): Promise<boolean> {
  if (has(ctx, 'readiness-db-error-200')) return false;
  try {
    await ctx.db.query('SELECT 1');
    return true;
  } catch (err) {
    ctx.log(`readiness: database check failed: ${String(err)}`);
    return false;
  }
}

export function healthRoutes(router: Router, ctx: SandboxContext): void {
  router.get('/api/health', () =>
    has(ctx, 'health-down')
      ? { status: 503, body: { status: 'error', timestamp: new Date().toISOString() } }
      : { status: 200, body: { status: 'ok', timestamp: new Date().toISOString() } },
  );

  // The real endpoint answers 200 even when the database is down: only the body tells.
  router.get('/api/health/ready', async () => {
    const ok = await databaseOk(ctx);
    return {
      status: 200,
      body: {
        status: ok ? 'ok' : 'error',
        timestamp: new Date().toISOString(),
        checks: { database: ok ? 'ok' : 'error' },
      },
    };
  });
}
