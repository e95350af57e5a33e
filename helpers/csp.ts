// Content-Security-Policy parsing and evaluation (DC-HDR-2), after the
// Mozilla HTTP Observatory's CSP test: the effective script and object
// policies must not allow broad sources, inline script or eval.
import { fail, warn, type Finding, type Severity } from './findings.ts';

/** One policy: lowercase directive name -> its source expressions. */
export type Policy = Map<string, string[]>;

const DIRECTIVE_NAME = /^[a-z0-9-]+$/;

/**
 * Parse one serialized policy (CSP3 "parse a serialized CSP"): directives split
 * on ';', names lowercased, and a repeated directive is ignored (first wins).
 * A header value may hold several policies separated by ',': use parseCspHeader.
 */
export function parseCsp(value: string): Policy {
  const policy: Policy = new Map();
  for (const token of value.split(';')) {
    const [rawName, ...sources] = token.trim().split(/[\t\n\f\r ]+/).filter(Boolean);
    if (rawName === undefined) continue;
    const name = rawName.toLowerCase();
    if (!DIRECTIVE_NAME.test(name) || policy.has(name)) continue;
    policy.set(name, sources);
  }
  return policy;
}

/** Every policy in a header value; several headers arrive joined by ", ". */
export function parseCspHeader(value: string | null | undefined): Policy[] {
  if (value == null) return [];
  return value
    .split(',')
    .map(parseCsp)
    .filter((p) => p.size > 0);
}

// --- source classification --------------------------------------------------

const SCHEME_ONLY = /^[a-z][a-z0-9+.-]*:$/;
// A host-source whose host is just "*" ("*", "https://*", "*:443", "https://*/x").
const WILDCARD_HOST = /^(?:[a-z][a-z0-9+.-]*:\/\/)?\*(?::(?:\d+|\*))?(?:\/.*)?$/;
// Scheme-only sources that let scripts load from any host, or inline via data:.
const ANY_HOST_SCHEMES = new Set(['http:', 'https:', 'ftp:']);

const isNonceOrHash = (s: string) => /^'(?:nonce-|sha256-|sha384-|sha512-)/.test(s);

/** The directive that governs `name`, falling back to default-src like browsers do. */
function effective(policy: Policy, name: string): { directive: string; sources: string[] } | null {
  const own = policy.get(name);
  if (own) return { directive: name, sources: own };
  const fallback = policy.get('default-src');
  if (fallback) return { directive: `default-src (no ${name})`, sources: fallback };
  return null;
}

// An empty list and a list that is only 'none' both match nothing; 'none'
// beside other sources is ignored by browsers.
function matchesNothing(sources: string[]): boolean {
  return sources.length === 0 || (sources.length === 1 && sources[0]?.toLowerCase() === "'none'");
}

interface Issue {
  key: string; // same kind of weakness, so several policies can be intersected
  severity: Severity;
  message: string;
}

function scriptIssues(directive: string, sources: string[], strict: boolean): Issue[] {
  if (matchesNothing(sources)) return [];
  const lower = sources.map((s) => s.toLowerCase());
  // CSP3: 'strict-dynamic' makes browsers ignore host and scheme sources and
  // 'unsafe-inline'; a nonce or hash makes them ignore 'unsafe-inline'.
  const strictDynamic = lower.includes("'strict-dynamic'");
  const hasNonceOrHash = lower.some(isNonceOrHash);
  const issues: Issue[] = [];

  if (!strictDynamic) {
    const anyHost = sources.filter((s, i) => {
      const l = lower[i] ?? '';
      return ANY_HOST_SCHEMES.has(l) || WILDCARD_HOST.test(l);
    });
    if (anyHost.length > 0) {
      issues.push({
        key: 'any-host',
        severity: 'fail',
        message: `${directive} allows ${anyHost.join(' ')}: scripts from any host may run; expected 'self', named hosts, nonces or hashes`,
      });
    }
    if (lower.includes('data:')) {
      issues.push({
        key: 'data',
        severity: 'fail',
        message: `${directive} allows data: for scripts: an injected data: URL runs as script, as bad as 'unsafe-inline'`,
      });
    }
    const blob = sources.filter((_, i) => lower[i] === 'blob:' || lower[i] === 'filesystem:');
    if (blob.length > 0) {
      issues.push({
        key: 'blob',
        severity: 'warn',
        message: `${directive} allows ${blob.join(' ')}: scripts built in the page at run time may execute`,
      });
    }
    if (lower.includes("'unsafe-inline'") && !hasNonceOrHash) {
      issues.push({
        key: 'inline',
        severity: strict ? 'fail' : 'warn',
        message: `${directive} allows 'unsafe-inline' without a nonce or hash: any injected inline script runs`,
      });
    }
  }
  if (lower.includes("'unsafe-eval'")) {
    issues.push({
      key: 'eval',
      severity: strict ? 'fail' : 'warn',
      message: `${directive} allows 'unsafe-eval': strings can be evaluated as code (eval, new Function)`,
    });
  }
  return issues;
}

function objectIssues(directive: string, sources: string[]): Issue[] {
  if (matchesNothing(sources)) return [];
  const broad = sources.filter((s) => {
    const l = s.toLowerCase();
    return SCHEME_ONLY.test(l) || WILDCARD_HOST.test(l);
  });
  if (broad.length === 0) return [];
  return [
    {
      key: 'object-broad',
      severity: 'fail',
      message: `${directive} allows ${broad.join(' ')}: plugin content (object, embed) from anywhere may load; expected object-src 'none'`,
    },
  ];
}

/**
 * Browsers enforce every policy, so a resource must pass all of them: a
 * weakness only counts when every policy that governs the resource has it.
 */
function intersect(perPolicy: Issue[][]): Finding[] {
  const [first, ...rest] = perPolicy;
  if (!first) return [];
  return first
    .filter((issue) => rest.every((issues) => issues.some((i) => i.key === issue.key)))
    .map(({ severity, message }) => ({ severity, message }));
}

export interface CspInput {
  /** Content-Security-Policy header value (several headers joined by ", "). */
  enforced: string | null | undefined;
  /** Content-Security-Policy-Report-Only header value. */
  reportOnly?: string | null | undefined;
  /** Fail, not warn, on 'unsafe-inline' and 'unsafe-eval' scripts. */
  strict: boolean;
}

const clip = (s: string, n = 120) => (s.length > n ? `${s.slice(0, n)}...` : s);

export function evaluateCsp({ enforced, reportOnly, strict }: CspInput): Finding[] {
  const policies = parseCspHeader(enforced);
  if (policies.length === 0) {
    if (reportOnly != null && parseCspHeader(reportOnly).length > 0) {
      return [
        fail(
          `only Content-Security-Policy-Report-Only is set ("${clip(reportOnly.trim())}"): it reports violations but blocks nothing; expected an enforced Content-Security-Policy`,
        ),
      ];
    }
    const seen = enforced == null ? 'no Content-Security-Policy header' : `Content-Security-Policy "${clip(enforced)}" has no directives`;
    return [fail(`${seen}; expected an enforced policy with script-src or default-src`)];
  }

  const findings: Finding[] = [];

  const scriptGoverned = policies
    .map((p) => effective(p, 'script-src'))
    .filter((e): e is NonNullable<typeof e> => e !== null);
  if (scriptGoverned.length === 0) {
    findings.push(fail('no script-src or default-src: scripts from anywhere may run'));
  } else {
    findings.push(...intersect(scriptGoverned.map((e) => scriptIssues(e.directive, e.sources, strict))));
  }

  const objectGoverned = policies
    .map((p) => effective(p, 'object-src'))
    .filter((e): e is NonNullable<typeof e> => e !== null);
  if (objectGoverned.length === 0) {
    findings.push(fail("no object-src or default-src: plugin content (object, embed) from anywhere may load; expected object-src 'none'"));
  } else {
    findings.push(...intersect(objectGoverned.map((e) => objectIssues(e.directive, e.sources))));
  }

  // Neither falls back to default-src, so each must be stated.
  if (!policies.some((p) => p.has('frame-ancestors'))) {
    findings.push(warn("no frame-ancestors directive: CSP does not say who may frame the page; expected frame-ancestors 'self' or 'none'"));
  }
  if (!policies.some((p) => p.has('base-uri'))) {
    findings.push(warn("no base-uri directive: an injected <base> tag can redirect relative script URLs; expected base-uri 'self' or 'none'"));
  }
  return findings;
}
