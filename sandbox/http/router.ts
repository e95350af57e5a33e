import type { IncomingHttpHeaders } from 'node:http';

/** A request as the sandbox's route handlers see it. */
export interface Req {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
  /** The exact bytes received: webhook signatures are computed over these. */
  rawBody: Buffer;
  /** Parsed JSON body (undefined when there is none or it is not JSON). */
  body: unknown;
  ip: string;
  requestId: string;
}

export interface Res {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings and Buffers as they are. */
  body?: unknown;
}

export type Handler = (req: Req) => Promise<Res> | Res;

/**
 * An error that becomes the real API's error body:
 * {statusCode, errorCode?, message, timestamp, path, requestId}.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string | undefined,
    readonly detail: string | string[],
  ) {
    super(Array.isArray(detail) ? detail.join('; ') : detail);
  }
}

interface Route {
  method: string;
  pattern: string;
  regex: RegExp;
  keys: string[];
  handler: Handler;
}

/** Express-style paths (`/api/consent/:token/submit`), matched in the order added. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    const keys: string[] = [];
    const source = pattern
      .split('/')
      .map((part) => {
        if (part.startsWith(':')) {
          keys.push(part.slice(1));
          return '([^/]+)';
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({ method, pattern, regex: new RegExp(`^${source}/?$`), keys, handler });
    return this;
  }

  get(pattern: string, handler: Handler): this {
    return this.add('GET', pattern, handler);
  }

  post(pattern: string, handler: Handler): this {
    return this.add('POST', pattern, handler);
  }

  /** The route for a request, or whether the path exists with other methods. */
  match(method: string, path: string):
    | { route: Route; params: Record<string, string> }
    | { route: undefined; pathExists: boolean } {
    let pathExists = false;
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      pathExists = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => {
        params[key] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { route, params };
    }
    return { route: undefined, pathExists };
  }
}
