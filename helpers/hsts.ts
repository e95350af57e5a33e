// Strict-Transport-Security evaluation (DC-HDR-1). Parsing follows RFC 6797
// section 6.1: directives separated by ';', names case-insensitive, values a
// token or quoted-string, and a header with a repeated directive is invalid
// (browsers ignore it entirely).
import { fail, warn, type Finding } from './findings.ts';

export const HSTS_MIN_MAX_AGE = 31_536_000; // one year, also the preload list's minimum

export interface HstsPolicy {
  maxAge: number;
  includeSubDomains: boolean;
  preload: boolean;
}

export type HstsParse = { ok: true; policy: HstsPolicy } | { ok: false; error: string };

export function parseHsts(value: string): HstsParse {
  const seen = new Map<string, string | null>();
  for (const raw of value.split(';')) {
    const part = raw.trim();
    if (part === '') continue; // empty directives are allowed ("max-age=1;")
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    let val: string | null = eq === -1 ? null : part.slice(eq + 1).trim();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) return { ok: false, error: `invalid directive "${part}"` };
    if (val !== null && val.length >= 2 && val.startsWith('"') && val.endsWith('"')) {
      val = val.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    if (seen.has(name)) return { ok: false, error: `directive ${name} appears more than once` };
    seen.set(name, val);
  }
  if (!seen.has('max-age')) return { ok: false, error: 'no max-age directive' };
  const maxAge = seen.get('max-age');
  if (maxAge == null || !/^\d+$/.test(maxAge)) {
    return { ok: false, error: `max-age value "${maxAge ?? ''}" is not a number of seconds` };
  }
  return {
    ok: true,
    policy: {
      maxAge: Number(maxAge),
      includeSubDomains: seen.has('includesubdomains'),
      preload: seen.has('preload'),
    },
  };
}

/** "86400 s (1 day)", "31536000 s (1 year)": seconds alone are hard to judge. */
export function describeSeconds(seconds: number): string {
  const day = 86_400;
  const year = 365 * day;
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  const round = (n: number) => Math.round(n * 10) / 10;
  let human: string;
  if (seconds >= year) human = plural(round(seconds / year), 'year');
  else if (seconds >= day) human = plural(round(seconds / day), 'day');
  else if (seconds >= 3600) human = plural(round(seconds / 3600), 'hour');
  else return `${seconds} s`;
  return `${seconds} s (${human})`;
}

export function evaluateHsts(headerValue: string | null | undefined): Finding[] {
  if (headerValue == null || headerValue.trim() === '') {
    return [fail(`no Strict-Transport-Security header; expected max-age of at least ${describeSeconds(HSTS_MIN_MAX_AGE)} with includeSubDomains`)];
  }
  // Several headers arrive joined by ", ": browsers only process the first
  // (RFC 6797 section 8.1), which the Observatory calls invalid instead.
  const [first = '', ...others] = headerValue.split(',');
  const parsed = parseHsts(first);
  if (!parsed.ok) {
    return [fail(`Strict-Transport-Security "${first.trim()}" is invalid (${parsed.error}), so browsers ignore it`)];
  }
  const { maxAge, includeSubDomains, preload } = parsed.policy;
  const findings: Finding[] = [];
  findings.push(...laterHeaders(first.trim(), others.map((o) => o.trim()).filter(Boolean)));
  if (maxAge === 0) {
    findings.push(fail(`HSTS max-age is 0: it tells browsers to forget HSTS; expected at least ${describeSeconds(HSTS_MIN_MAX_AGE)}`));
  } else if (maxAge < HSTS_MIN_MAX_AGE) {
    findings.push(fail(`HSTS max-age is ${describeSeconds(maxAge)}; expected at least ${describeSeconds(HSTS_MIN_MAX_AGE)}`));
  }
  if (!includeSubDomains) {
    findings.push(fail(`HSTS "${first.trim()}" lacks includeSubDomains; expected it so sub-domains are HTTPS-only too`));
  }
  if (!preload) {
    findings.push(warn(`HSTS "${first.trim()}" lacks preload; the contract's value is "max-age=31536000; includeSubDomains; preload"`));
  }
  return findings;
}

/**
 * Headers after the first: browsers ignore them, but their order is only as
 * reliable as every proxy and CDN on the way, and one that keeps the last
 * header (or drops the first) would apply it. A later max-age=0 therefore
 * fails: one reordering switches HSTS off. Other extra headers warn.
 */
function laterHeaders(first: string, others: string[]): Finding[] {
  if (others.length === 0) return [];
  const zeroing = others.filter((o) => {
    const p = parseHsts(o);
    return p.ok && p.policy.maxAge === 0;
  });
  const count = `${others.length + 1} Strict-Transport-Security headers`;
  if (zeroing.length > 0) {
    return [
      fail(
        `${count}: browsers honour only the first ("${first}"), but a later one says "${zeroing[0]}", which switches HSTS off wherever a proxy or CDN reorders or drops headers; expected exactly one header`,
      ),
    ];
  }
  const differing = others.filter((o) => o !== first);
  return [
    warn(
      `${count}: browsers honour only the first ("${first}")${differing.length ? ` and ignore "${differing.join('", "')}"` : ''}; expected exactly one header`,
    ),
  ];
}
