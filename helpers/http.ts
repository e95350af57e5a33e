/**
 * The suite's HTTP client for API checks (undici): no redirects followed, a
 * deadline on every call, and errors that name method, URL, status and a
 * trimmed body.
 */
import { request, type Dispatcher } from 'undici';
import { assertMayWrite } from './write-guard.ts';

export interface HttpResponse {
  method: string;
  url: string;
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Every Set-Cookie header on its own (joining them with ", " would break at Expires dates). */
  setCookies?: string[];
  text: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json: unknown;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
  /** undici dispatcher, e.g. an Agent that trusts a private CA. */
  dispatcher?: Dispatcher;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

export function trimBody(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}… (${flat.length} chars)` : flat;
}

export function describe(res: HttpResponse): string {
  return `${res.method} ${res.url} → ${res.status}${res.text ? `: ${trimBody(res.text)}` : ''}`;
}

export async function httpRequest(method: string, url: string, opts: RequestOptions = {}): Promise<HttpResponse> {
  // Before anything leaves the process: no write to a target the run may not write to.
  assertMayWrite(method, url);
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  let res;
  try {
    res = await request(url, {
      method: method as 'GET',
      headers,
      body,
      dispatcher: opts.dispatcher,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      signal: AbortSignal.timeout(timeout),
    });
  } catch (err) {
    throw new Error(`${method} ${url} failed without a response: ${(err as Error).message}`);
  }
  const text = await res.body.text();
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  const rawCookies = res.headers['set-cookie'];
  const setCookies = rawCookies === undefined ? [] : Array.isArray(rawCookies) ? rawCookies : [rawCookies];
  let json: unknown;
  if (flat['content-type']?.includes('json')) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { method, url, status: res.statusCode, headers: flat, setCookies, text, json };
}

/** A client bound to one base URL; paths are appended as given. */
export class HttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly defaults: { timeoutMs?: number; headers?: Record<string, string> } = {},
  ) {}

  url(path: string): string {
    // Concatenate rather than resolve, so a base with a path prefix keeps it.
    return `${this.baseUrl}${path.startsWith('/') ? '' : '/'}${path}`;
  }

  request(method: string, path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
    return httpRequest(method, this.url(path), {
      timeoutMs: this.defaults.timeoutMs,
      ...opts,
      headers: { ...this.defaults.headers, ...opts.headers },
    });
  }

  get(path: string, opts?: RequestOptions): Promise<HttpResponse> {
    return this.request('GET', path, opts);
  }
}
