import type { SandboxContext } from '../context.ts';
import type { Router } from '../http/router.ts';

export function appDataRoutes(router: Router, ctx: SandboxContext): void {
  void router;
  void ctx;
}
