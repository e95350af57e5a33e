/** A database row as the API returns it: camelCase keys, timestamps as ISO strings. */
export function toApi(row: Record<string, unknown>, omit: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (omit.includes(key)) continue;
    out[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

/** page/limit query parameters, clamped, as the real list endpoints take them. */
export function paging(query: URLSearchParams, defaultLimit: number, maxLimit = 100): { page: number; limit: number; offset: number } {
  const int = (v: string | null, fallback: number): number => {
    const n = Number(v);
    return v !== null && Number.isInteger(n) && n > 0 ? n : fallback;
  };
  const page = int(query.get('page'), 1);
  const limit = Math.min(int(query.get('limit'), defaultLimit), maxLimit);
  return { page, limit, offset: (page - 1) * limit };
}
