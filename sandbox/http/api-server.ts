import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { has, type SandboxContext } from '../context.ts';
import { corsHeaders, preflightHeaders } from './cors.ts';
import { injectLatency } from './latency.ts';
import { RateLimiter } from './rate-limit.ts';
import { readBody, writeRes } from './io.ts';
import { HttpError, type Req, type Res, type Router } from './router.ts';
import { apiCacheHeaders, securityHeaders, type HeaderMap } from './security-headers.ts';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

function parseJson(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0 || !contentType?.includes('json')) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, undefined, 'Unexpected token in JSON body');
  }
}

function errorBody(err: HttpError, path: string, requestId: string): Record<string, unknown> {
  return {
    statusCode: err.status,
    ...(err.errorCode ? { errorCode: err.errorCode } : {}),
    message: err.detail,
    timestamp: new Date().toISOString(),
    path,
    requestId,
  };
}

/**
 * The DermaConsent API's HTTP server: request IDs, CORS, rate limits, the
 * real error shape and security headers around the domain routers.
 */
export function createApiServer(ctx: SandboxContext, router: Router): http.Server {
  const limiter = new RateLimiter();

  return http.createServer(async (incoming, out) => {
    const url = new URL(incoming.url ?? '/', 'http://sandbox.invalid');
    const method = incoming.method ?? 'GET';
    const supplied = incoming.headers['x-request-id'];
    const requestId =
      typeof supplied === 'string' && supplied !== '' && !has(ctx, 'request-id-not-echoed') ? supplied : randomUUID();
    const origin = typeof incoming.headers.origin === 'string' ? incoming.headers.origin : undefined;

    const send = (res: Res): void => {
      const headers: HeaderMap = {
        ...securityHeaders(ctx, res.status, { api: true }),
        ...apiCacheHeaders(ctx),
        ...corsHeaders(ctx, origin),
        ...(has(ctx, 'request-id-missing') ? {} : { 'X-Request-Id': requestId }),
        ...res.headers,
      };
      writeRes(out, res, headers, 'application/json; charset=utf-8');
    };

    // The sandbox's own readiness probe for Playwright's webServer: no faults, no latency.
    // Ready means the settings file a run reads is written, the signing worker included.
    if (url.pathname === '/__sandbox/ready') {
      out.writeHead(ctx.ready ? 200 : 503, { 'Content-Type': 'text/plain' });
      out.end(ctx.ready ? 'ready' : 'starting');
      return;
    }
    // The sandbox's own request log by method: how a run under the prod rules shows it wrote nothing.
    if (url.pathname === '/__sandbox/requests') {
      out.writeHead(200, { 'Content-Type': 'application/json' });
      out.end(JSON.stringify(ctx.requestCounts ?? {}));
      return;
    }
    ctx.requestCounts ??= {};
    ctx.requestCounts[method] = (ctx.requestCounts[method] ?? 0) + 1;

    try {
      await injectLatency(ctx);
      const rawBody = await readBody(incoming, MAX_BODY_BYTES, () => {
        throw new HttpError(413, undefined, 'request entity too large');
      });
      if (method === 'OPTIONS') {
        send({ status: 204, headers: preflightHeaders(incoming.headers['access-control-request-headers']) });
        return;
      }
      const found = router.match(method, url.pathname);
      const limitKey = found.route ? `${method} ${found.route.pattern}` : `${method} ${url.pathname}`;
      const limited = limiter.hit(limitKey, incoming.socket.remoteAddress ?? 'unknown');
      if (limited) {
        send({
          status: 429,
          headers: { [`Retry-After-${limited.window}`]: String(limited.retryAfterS) },
          body: errorBody(new HttpError(429, undefined, 'ThrottlerException: Too Many Requests'), url.pathname, requestId),
        });
        return;
      }
      if (!found.route) throw new HttpError(404, undefined, `Cannot ${method} ${url.pathname}`);
      const req: Req = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        params: found.params,
        rawBody,
        body: parseJson(rawBody, incoming.headers['content-type']),
        ip: incoming.socket.remoteAddress ?? '',
        requestId,
      };
      send(await found.route.handler(req));
    } catch (err) {
      const httpErr =
        err instanceof HttpError ? err : new HttpError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      if (!(err instanceof HttpError)) ctx.log(`api: ${method} ${url.pathname} failed: ${String(err)}`);
      send({ status: httpErr.status, body: errorBody(httpErr, url.pathname, requestId) });
    }
  });
}
