// The browser side's link to the API: configuration from the page's meta tags, the
// session (localStorage 'dc-session' = {accessToken, user}) and authenticated fetches.

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content ?? '';

export const API_URL = meta('dc-api-url');
export const FRONTEND_URL = meta('dc-frontend-url') || location.origin;
/** The sandbox's active fault switches (UI-side faults read them here). */
export const FAULTS = new Set(meta('dc-faults').split(',').filter(Boolean));

export const SESSION_KEY = 'dc-session';

export function getSession() {
  try {
    const session = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null');
    return session && typeof session.accessToken === 'string' && session.user ? session : null;
  } catch {
    return null;
  }
}

export function setSession({ accessToken, user }) {
  localStorage.setItem(SESSION_KEY, JSON.stringify({ accessToken, user }));
}

export function clearSession() {
  localStorage.removeItem(SESSION_KEY);
}

/** An API error with the real error body's fields (message may be a list for validation errors). */
export class ApiError extends Error {
  constructor(status, body, path) {
    const detail = Array.isArray(body?.message) ? body.message.join('; ') : body?.message;
    super(`${path}: HTTP ${status}${body?.errorCode ? ` ${body.errorCode}` : ''}${detail ? `: ${detail}` : ''}`);
    this.status = status;
    this.errorCode = body?.errorCode;
    this.messages = Array.isArray(body?.message) ? body.message : body?.message ? [String(body.message)] : [];
  }
}

const inFlight = new Set();
const SETTLE_MAX_MS = 3000;

/**
 * Resolves when no API call is in flight (at most SETTLE_MAX_MS). The real app
 * navigates client-side and never aborts its own requests; full page loads here
 * would, so in-app navigation waits for this first.
 */
export async function settled() {
  const deadline = Date.now() + SETTLE_MAX_MS;
  const until = (ms) => new Promise((r) => setTimeout(r, ms));
  while (inFlight.size > 0 && Date.now() < deadline) {
    await Promise.race([Promise.allSettled([...inFlight]), until(deadline - Date.now())]);
    // One task later, so code awaiting those calls has started its follow-up calls.
    await until(0);
  }
}

/** Goes to another page of the app once the page's API calls are done. */
export async function navigate(url, { replace = false } = {}) {
  await settled();
  if (replace) location.replace(url);
  else location.assign(url);
}

/** Calls the API with JSON and, when a session exists and auth is not false, its bearer token. */
export function api(path, options = {}) {
  const call = request(path, options);
  inFlight.add(call);
  call.then(() => inFlight.delete(call), () => inFlight.delete(call));
  return call;
}

async function request(path, { method = 'GET', body, auth = true }) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const session = auth ? getSession() : null;
  if (session) headers.Authorization = `Bearer ${session.accessToken}`;
  const res = await fetch(`${API_URL}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) throw new ApiError(res.status, parsed, path);
  return parsed;
}

/** Where a signed-in user belongs: an admin without a practice must set one up first. */
export function homeFor(user) {
  return user.practiceId ? '/dashboard' : '/setup';
}
