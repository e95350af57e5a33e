import { has, type SandboxContext } from '../context.ts';

/**
 * CORS as the real API does it (the `cors` package with one static origin):
 * every response names FRONTEND_URL's origin, with credentials, whatever the
 * caller's Origin. Faults swap in the classic mistakes.
 */
export function corsHeaders(ctx: SandboxContext, requestOrigin: string | undefined): Record<string, string> {
  const frontendOrigin = new URL(ctx.layout.frontendUrl).origin;
  let allow = frontendOrigin;
  if (has(ctx, 'cors-wildcard-with-credentials')) allow = '*';
  else if (has(ctx, 'cors-reflects-any-origin') && requestOrigin) allow = requestOrigin;
  else if (has(ctx, 'cors-prefix-match') && requestOrigin?.startsWith(frontendOrigin)) allow = requestOrigin;
  if (has(ctx, 'cors-no-vary')) {
    // An allow-list that answers only the frontend, and forgets to say the answer depends on Origin.
    return requestOrigin === frontendOrigin ? { 'Access-Control-Allow-Origin': frontendOrigin, 'Access-Control-Allow-Credentials': 'true' } : {};
  }
  return {
    'Access-Control-Allow-Origin': allow,
    'Access-Control-Allow-Credentials': 'true',
    Vary: 'Origin',
  };
}

export function preflightHeaders(requestedHeaders: string | undefined): Record<string, string> {
  return {
    'Access-Control-Allow-Methods': 'GET,HEAD,PUT,PATCH,POST,DELETE',
    'Access-Control-Allow-Headers': requestedHeaders ?? 'Content-Type,Authorization,X-Request-Id',
    'Access-Control-Max-Age': '600',
  };
}
