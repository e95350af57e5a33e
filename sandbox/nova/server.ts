/**
 * Nova Home Care's API server (Django REST framework style): JSON bodies,
 * errors as {"detail": ...}, trailing-slash routes. Deliberately not the
 * DermaConsent server: other headers, other error shape, other auth.
 */
import http from 'node:http';
import type pg from 'pg';
import type { SandboxContext } from '../context.ts';
import { readBody, writeRes } from '../http/io.ts';
import { injectLatency } from '../http/latency.ts';
import { HttpError, Router, type Req, type Res } from '../http/router.ts';
import { documentRoutes, DrfError } from './documents.ts';
import { passwordResetMailRoute } from './mail.ts';

const MAX_BODY_BYTES = 2 * 1024 * 1024;

export function novaRouter(ctx: SandboxContext, db: pg.Pool): Router {
  const router = new Router();
  documentRoutes(router, ctx, db);
  passwordResetMailRoute(router, ctx);
  return router;
}

export function createNovaServer(ctx: SandboxContext, db: pg.Pool, router: Router = novaRouter(ctx, db)): http.Server {
  return http.createServer(async (incoming, out) => {
    const url = new URL(incoming.url ?? '/', 'http://sandbox.invalid');
    const method = incoming.method ?? 'GET';
    const send = (res: Res): void => {
      const headers: Record<string, string> = { 'X-Frame-Options': 'DENY', 'X-Content-Type-Options': 'nosniff', Vary: 'Accept', ...res.headers };
      writeRes(out, res, headers, 'application/json');
    };
    try {
      await injectLatency(ctx);
      const rawBody = await readBody(incoming, MAX_BODY_BYTES, () => {
        throw new DrfError(413, { detail: 'Request body too large.' });
      });
      const found = router.match(method, url.pathname);
      if (!found.route) {
        throw found.pathExists
          ? new DrfError(405, { detail: `Method "${method}" not allowed.` })
          : new DrfError(404, { detail: 'Not found.' });
      }
      let body: unknown;
      if (rawBody.length > 0) {
        if (!incoming.headers['content-type']?.includes('json')) {
          throw new DrfError(415, { detail: `Unsupported media type "${incoming.headers['content-type'] ?? ''}" in request.` });
        }
        try {
          body = JSON.parse(rawBody.toString('utf8'));
        } catch {
          throw new DrfError(400, { detail: 'JSON parse error.' });
        }
      }
      const req: Req = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        params: found.params,
        rawBody,
        body,
        ip: incoming.socket.remoteAddress ?? '',
        requestId: '',
      };
      send(await found.route.handler(req));
    } catch (err) {
      if (err instanceof DrfError) send({ status: err.status, body: err.body });
      else if (err instanceof HttpError) send({ status: err.status, body: { detail: err.message } });
      else {
        ctx.log(`nova: ${method} ${url.pathname} failed: ${String(err)}`);
        send({ status: 500, headers: { 'Content-Type': 'text/html' }, body: '<h1>Server Error (500)</h1>' });
      }
    }
  });
}
