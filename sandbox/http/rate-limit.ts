/**
 * The real API's throttling (NestJS throttler): per route and client IP,
 * 20 per second, 100 per 10 s, 300 per minute; over a limit it answers 429
 * with `Retry-After-<name>` in seconds.
 */
const WINDOWS = [
  { name: 'short', ms: 1_000, limit: 20 },
  { name: 'medium', ms: 10_000, limit: 100 },
  { name: 'long', ms: 60_000, limit: 300 },
] as const;

export class RateLimiter {
  private readonly hits = new Map<string, { start: number; count: number }>();

  /** Counts a hit; returns the exceeded window and its retry delay, or undefined when allowed. */
  hit(route: string, ip: string, now = Date.now()): { window: string; retryAfterS: number } | undefined {
    let exceeded: { window: string; retryAfterS: number } | undefined;
    for (const w of WINDOWS) {
      const key = `${w.name}|${route}|${ip}`;
      let entry = this.hits.get(key);
      if (!entry || now - entry.start >= w.ms) {
        entry = { start: now, count: 0 };
        this.hits.set(key, entry);
      }
      entry.count += 1;
      if (entry.count > w.limit && !exceeded) {
        exceeded = { window: w.name, retryAfterS: Math.ceil((entry.start + w.ms - now) / 1000) };
      }
    }
    return exceeded;
  }
}
