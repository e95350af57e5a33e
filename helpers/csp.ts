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

// CSP3 grammar: a nonce or hash needs a base64 value of at least one character.
const isNonceOrHash = (s: string) => /^'(?:nonce|sha256|sha384|sha512)-[a-z0-9+/_-]+={0,2}'$/i.test(s);
// 'nonce-' with no value (or a value outside base64): browsers ignore the source.
const isBrokenNonce = (s: string) => /^'nonce-/i.test(s) && !isNonceOrHash(s);

const isBroad = (s: string) => {
  const l = s.toLowerCase();
  return SCHEME_ONLY.test(l) || WILDCARD_HOST.test(l);
};

/** The directive that governs `name`, falling back to default-src like browsers do. */
function effective(policy: Policy, name: string): { directive: string; sources: string[] } | null {
  const own = policy.get(name);
  if (own) return { directive: name, sources: own };
  const fallback = policy.get('default-src');
  if (fallback) return { directive: `default-src (no ${name})`, sources: fallback };
  return null;
}

/**
 * CSP3: <script> elements follow script-src-elem, inline event handlers
 * script-src-attr, each falling back to script-src and then default-src;
 * eval follows script-src alone.
 */
function effectiveScript(policy: Policy, kind: 'script-src-elem' | 'script-src-attr'): { directive: string; sources: string[] } | null {
  const own = policy.get(kind);
  if (own) return { directive: kind, sources: own };
  return effective(policy, 'script-src');
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

/** Weaknesses of a list that governs script elements (hosts) or, with `inlineOnly`, event-handler attributes. */
function scriptIssues(directive: string, sources: string[], strict: boolean, inlineOnly: boolean): Issue[] {
  if (matchesNothing(sources)) return [];
  const lower = sources.map((s) => s.toLowerCase());
  // CSP3: 'strict-dynamic' makes browsers ignore host and scheme sources and
  // 'unsafe-inline'; a nonce or hash makes them ignore 'unsafe-inline'.
  const strictDynamic = lower.includes("'strict-dynamic'");
  const hasNonceOrHash = sources.some(isNonceOrHash);
  const broken = sources.filter(isBrokenNonce);
  const issues: Issue[] = [];

  if (strictDynamic && !hasNonceOrHash && !inlineOnly) {
    // The Observatory calls this policy invalid; it is a working policy that
    // lets no script run at all, so a warning here (DC-HDR-2's violation check
    // fails if the app really needs a script).
    issues.push({
      key: 'strict-dynamic-alone',
      severity: 'warn',
      message: `${directive} has 'strict-dynamic' without a nonce or hash: it ignores 'self' and host sources, so no script may run`,
    });
  }
  if (!strictDynamic && !inlineOnly) {
    const anyHost = sources.filter((s, i) => {
      const l = lower[i] ?? '';
      return ANY_HOST_SCHEMES.has(l) || WILDCARD_HOST.test(l);
    });
    if (anyHost.length > 0) {
      issues.push({
        key: 'any-host',
        severity: 'fail',
        message: `${directive} allows ${anyHost.join(' ')}, so scripts from any host may run; expected 'self', named hosts, nonces or hashes`,
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
        message: `${directive} allows ${blob.join(' ')}, so scripts built in the page at run time may execute`,
      });
    }
  }
  const inline = lower.includes("'unsafe-inline'") && !hasNonceOrHash && !strictDynamic;
  if (inline && broken.length > 0) {
    issues.push({
      key: 'inline',
      severity: 'fail',
      message: `${directive} has ${broken.join(' ')}, a nonce without a value, which browsers ignore, so 'unsafe-inline' stays in force: any injected inline script runs; expected a real per-response nonce`,
    });
  } else if (inline) {
    issues.push({
      key: 'inline',
      severity: strict ? 'fail' : 'warn',
      message: `${directive} allows 'unsafe-inline' without a nonce or hash: any injected inline script runs`,
    });
  } else if (broken.length > 0) {
    issues.push({ key: 'broken-nonce', severity: 'warn', message: `${directive} has ${broken.join(' ')}, a nonce without a value, which browsers ignore` });
  }
  return issues;
}

function evalIssues(directive: string, sources: string[], strict: boolean): Issue[] {
  if (matchesNothing(sources) || !sources.some((s) => s.toLowerCase() === "'unsafe-eval'")) return [];
  return [
    {
      key: 'eval',
      severity: strict ? 'fail' : 'warn',
      message: `${directive} allows 'unsafe-eval': strings can be evaluated as code (eval, new Function)`,
    },
  ];
}

function objectIssues(directive: string, sources: string[]): Issue[] {
  if (matchesNothing(sources)) return [];
  const issues: Issue[] = [];
  const broad = sources.filter((s) => isBroad(s) && s.toLowerCase() !== 'data:');
  if (broad.length > 0) {
    issues.push({
      key: 'object-broad',
      severity: 'fail',
      message: `${directive} allows ${broad.join(' ')}, so plugin content (object, embed) from any host may load; expected object-src 'none'`,
    });
  }
  if (sources.some((s) => s.toLowerCase() === 'data:')) {
    issues.push({
      key: 'object-data',
      severity: 'fail',
      message: `${directive} allows data:, so an injected <object> or <embed> can carry its own content inline (data: URL); expected object-src 'none'`,
    });
  }
  return issues;
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

// Directives a <meta> policy may not carry (CSP3 section 3.3): browsers ignore them there.
const NOT_IN_META = ['frame-ancestors', 'report-uri', 'report-to', 'sandbox'];

/**
 * The content of every <meta http-equiv="Content-Security-Policy"> in a page
 * (attribute names and the http-equiv value case-insensitive, either quote).
 */
export function metaCspPolicies(html: string): string[] {
  const out: string[] = [];
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    const attrs = new Map<string, string>();
    for (const m of tag.matchAll(/([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi)) {
      attrs.set((m[1] ?? '').toLowerCase(), m[2] ?? m[3] ?? m[4] ?? '');
    }
    if (attrs.get('http-equiv')?.trim().toLowerCase() === 'content-security-policy' && attrs.has('content')) {
      out.push((attrs.get('content') ?? '').replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
    }
  }
  return out;
}

export interface CspInput {
  /** Content-Security-Policy header value (several headers joined by ", "). */
  enforced: string | null | undefined;
  /** Content-Security-Policy-Report-Only header value. */
  reportOnly?: string | null | undefined;
  /** Policies from <meta http-equiv> tags of the page (metaCspPolicies). */
  meta?: string[];
  /** Fail, not warn, on 'unsafe-inline' and 'unsafe-eval' scripts. */
  strict: boolean;
}

const clip = (s: string, n = 120) => (s.length > n ? `${s.slice(0, n)}...` : s);

export function evaluateCsp({ enforced, reportOnly, meta = [], strict }: CspInput): Finding[] {
  const headerPolicies = parseCspHeader(enforced);
  const metaPolicies = meta
    .map((m) => {
      const p = parseCsp(m);
      for (const d of NOT_IN_META) p.delete(d);
      return p;
    })
    .filter((p) => p.size > 0);
  const policies = [...headerPolicies, ...metaPolicies];
  const findings: Finding[] = [];
  if (policies.length === 0) {
    if (reportOnly != null && parseCspHeader(reportOnly).length > 0) {
      return [
        fail(
          `only Content-Security-Policy-Report-Only is set ("${clip(reportOnly.trim())}"): it reports violations but blocks nothing; expected an enforced Content-Security-Policy`,
        ),
      ];
    }
    const seen =
      meta.length > 0
        ? `the only policy is in a <meta> tag ("${clip(meta.join(', '))}") and holds nothing a <meta> policy may carry (frame-ancestors, report-uri and sandbox are ignored there)`
        : enforced == null
          ? 'no Content-Security-Policy header'
          : `Content-Security-Policy "${clip(enforced)}" has no directives`;
    return [fail(`${seen}; expected an enforced policy with script-src or default-src`)];
  }
  if (headerPolicies.length === 0) {
    findings.push(
      warn(
        `Content-Security-Policy is given only in a <meta> tag ("${clip(meta.join(', '))}"): frame-ancestors, report-uri and sandbox do not work there, and scripts before the tag are not covered; expected the Content-Security-Policy header`,
      ),
    );
  }

  const scriptFindings: Finding[] = [];
  for (const kind of ['script-src-elem', 'script-src-attr'] as const) {
    const governed = policies.map((p) => effectiveScript(p, kind)).filter((e): e is NonNullable<typeof e> => e !== null);
    if (governed.length === 0) {
      scriptFindings.push(
        kind === 'script-src-elem' || policies.every((p) => !p.has('script-src-elem'))
          ? fail('no script-src or default-src: scripts from anywhere may run')
          : fail('no script-src-attr, script-src or default-src: inline event handlers may run'),
      );
    } else {
      scriptFindings.push(...intersect(governed.map((e) => scriptIssues(e.directive, e.sources, strict, kind === 'script-src-attr'))));
    }
  }
  const evalGoverned = policies.map((p) => effective(p, 'script-src')).filter((e): e is NonNullable<typeof e> => e !== null);
  if (evalGoverned.length > 0) scriptFindings.push(...intersect(evalGoverned.map((e) => evalIssues(e.directive, e.sources, strict))));
  // Without -elem and -attr directives both kinds resolve to the same list: say it once.
  const seenMessages = new Set<string>();
  for (const f of scriptFindings) {
    if (seenMessages.has(f.message)) continue;
    seenMessages.add(f.message);
    findings.push(f);
  }

  const objectGoverned = policies
    .map((p) => effective(p, 'object-src'))
    .filter((e): e is NonNullable<typeof e> => e !== null);
  if (objectGoverned.length === 0) {
    findings.push(fail("no object-src or default-src: plugin content (object, embed) from anywhere may load; expected object-src 'none'"));
  } else {
    findings.push(...intersect(objectGoverned.map((e) => objectIssues(e.directive, e.sources))));
  }

  // Neither falls back to default-src, so each must be stated; a wildcard says
  // no more than its absence. Framing itself is judged by DC-HDR-4.
  const restrictive = (name: string) => policies.some((p) => p.has(name) && !(p.get(name) ?? []).some(isBroad));
  const broadIn = (name: string) => policies.find((p) => p.has(name))?.get(name)?.join(' ');
  if (!headerPolicies.some((p) => p.has('frame-ancestors'))) {
    findings.push(warn("no frame-ancestors directive: CSP does not say who may frame the page; expected frame-ancestors 'self' or 'none'"));
  } else if (!headerPolicies.some((p) => p.has('frame-ancestors') && !(p.get('frame-ancestors') ?? []).some(isBroad))) {
    findings.push(warn(`frame-ancestors ${broadIn('frame-ancestors')} lets any site frame the page; expected frame-ancestors 'self' or 'none'`));
  }
  if (!policies.some((p) => p.has('base-uri'))) {
    findings.push(warn("no base-uri directive: an injected <base> tag can redirect relative script URLs; expected base-uri 'self' or 'none'"));
  } else if (!restrictive('base-uri')) {
    findings.push(warn(`base-uri ${broadIn('base-uri')} lets an injected <base> tag point relative script URLs anywhere; expected base-uri 'self' or 'none'`));
  }
  return findings;
}
