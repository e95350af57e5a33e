import { describe, expect, it } from 'vitest';
import { evaluateCsp, parseCsp, parseCspHeader } from './csp.ts';
import { evaluation } from './findings.ts';

// The contract's DermaConsent frontend policy.
const DERMA =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'";
const TAIL = "; object-src 'none'; base-uri 'self'; frame-ancestors 'self'";

const run = (enforced: string | null, strict = false, reportOnly: string | null = null) =>
  evaluation(evaluateCsp({ enforced, reportOnly, strict }));

describe('parseCsp', () => {
  it('lowercases directive names, keeps the first occurrence, splits on any whitespace', () => {
    const p = parseCsp("  Script-Src 'self'\thttps://cdn.example ;script-src *; ; IMG-SRC data:");
    expect(p.get('script-src')).toEqual(["'self'", 'https://cdn.example']);
    expect(p.get('img-src')).toEqual(['data:']);
    expect([...p.keys()]).toEqual(['script-src', 'img-src']);
  });

  it('keeps a directive with no sources as an empty list', () => {
    expect(parseCsp("object-src; default-src 'self'").get('object-src')).toEqual([]);
  });
});

describe('parseCspHeader', () => {
  it('splits several policies on commas and drops empty ones', () => {
    const policies = parseCspHeader("script-src 'self', , frame-ancestors 'none'");
    expect(policies).toHaveLength(2);
    expect(policies[1]?.get('frame-ancestors')).toEqual(["'none'"]);
    expect(parseCspHeader(null)).toEqual([]);
  });
});

describe('evaluateCsp', () => {
  it('finds nothing in the DermaConsent frontend policy, strict or not', () => {
    expect(evaluateCsp({ enforced: DERMA, reportOnly: null, strict: false })).toEqual([]);
    expect(evaluateCsp({ enforced: DERMA, reportOnly: null, strict: true })).toEqual([]);
  });

  it("warns on Next.js-style script-src 'unsafe-inline', fails when strict", () => {
    const policy = `default-src 'self'; script-src 'self' 'unsafe-inline'${TAIL}`;
    const normal = run(policy);
    expect(normal.failures).toEqual([]);
    expect(normal.warnings).toEqual([expect.stringMatching(/^script-src allows 'unsafe-inline' without a nonce or hash/)]);
    const strict = run(policy, true);
    expect(strict.failures).toEqual([expect.stringMatching(/^script-src allows 'unsafe-inline'/)]);
    expect(strict.warnings).toEqual([]);
  });

  it("warns on 'unsafe-eval', fails when strict", () => {
    const policy = `script-src 'self' 'unsafe-eval'${TAIL}`;
    expect(run(policy).warnings).toEqual([expect.stringMatching(/script-src allows 'unsafe-eval'/)]);
    expect(run(policy, true).failures).toEqual([expect.stringMatching(/script-src allows 'unsafe-eval'/)]);
  });

  it.each([
    ["script-src 'self' https:", 'https:'],
    ['script-src *', '*'],
    ["script-src 'self' http:", 'http:'],
    ['script-src https://*', 'https://*'],
    ["script-src 'self' HTTPS://*:443", 'HTTPS://*:443'],
  ])('fails %s, naming the source', (scripts, source) => {
    const { failures } = run(scripts + TAIL);
    expect(failures).toEqual([`script-src allows ${source}: scripts from any host may run; expected 'self', named hosts, nonces or hashes`]);
  });

  it('fails data: and warns on blob: in script sources', () => {
    expect(run(`script-src 'self' data:${TAIL}`).failures).toEqual([expect.stringMatching(/^script-src allows data: for scripts/)]);
    const blob = run(`script-src 'self' blob:${TAIL}`);
    expect(blob.failures).toEqual([]);
    expect(blob.warnings).toEqual([expect.stringMatching(/^script-src allows blob:/)]);
  });

  it('does not flag specific hosts or wildcard sub-domains of a named host', () => {
    expect(run(`script-src 'self' https://cdn.example.com https://*.example.com${TAIL}`)).toEqual({ failures: [], warnings: [] });
  });

  it('falls back to default-src for scripts and objects', () => {
    const { failures, warnings } = run("default-src * 'unsafe-inline'; base-uri 'self'; frame-ancestors 'none'");
    expect(failures).toEqual([
      expect.stringMatching(/^default-src \(no script-src\) allows \*: scripts from any host/),
      expect.stringMatching(/^default-src \(no object-src\) allows \*: plugin content/),
    ]);
    expect(warnings).toEqual([expect.stringMatching(/^default-src \(no script-src\) allows 'unsafe-inline'/)]);
  });

  it('prefers script-src over default-src', () => {
    expect(run(`default-src *; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`).failures).toEqual([]);
  });

  it('fails with neither script-src nor default-src, and without any object policy', () => {
    const { failures, warnings } = run("style-src 'self'; base-uri 'self'; frame-ancestors 'self'");
    expect(failures).toEqual([
      'no script-src or default-src: scripts from anywhere may run',
      expect.stringMatching(/^no object-src or default-src/),
    ]);
    expect(warnings).toEqual([]);
  });

  it.each([['object-src *'], ['object-src https:'], ['object-src data:'], ["object-src 'none' https:"]])('fails broad %s', (obj) => {
    const { failures } = run(`script-src 'self'; ${obj}; base-uri 'self'; frame-ancestors 'self'`);
    expect(failures).toEqual([expect.stringMatching(/^object-src allows .*plugin content/)]);
  });

  it("accepts an empty object-src (matches nothing) and object-src 'self'", () => {
    expect(run("script-src 'self'; object-src; base-uri 'self'; frame-ancestors 'self'").failures).toEqual([]);
    expect(run("script-src 'self'; object-src 'self'; base-uri 'self'; frame-ancestors 'self'").failures).toEqual([]);
  });

  it('fails Report-Only alone and says so', () => {
    const { failures, warnings } = run(null, false, DERMA);
    expect(failures).toEqual([expect.stringMatching(/^only Content-Security-Policy-Report-Only is set .*blocks nothing/)]);
    expect(warnings).toEqual([]);
  });

  it('fails a missing or empty enforced policy', () => {
    expect(run(null).failures).toEqual([expect.stringMatching(/^no Content-Security-Policy header/)]);
    expect(run(' ; ').failures).toEqual([expect.stringMatching(/has no directives/)]);
  });

  it("ignores 'unsafe-inline' beside a nonce or a hash, as browsers do", () => {
    expect(run(`script-src 'self' 'nonce-abc123' 'unsafe-inline'${TAIL}`, true)).toEqual({ failures: [], warnings: [] });
    expect(run(`script-src 'self' 'sha256-AAAA' 'unsafe-inline'${TAIL}`, true)).toEqual({ failures: [], warnings: [] });
  });

  it("ignores host, scheme and 'unsafe-inline' sources under 'strict-dynamic'", () => {
    const strictCsp = `script-src 'nonce-r4nd0m' 'strict-dynamic' https: 'unsafe-inline'${TAIL}`;
    expect(run(strictCsp, true)).toEqual({ failures: [], warnings: [] });
  });

  it('warns when frame-ancestors or base-uri is missing', () => {
    const { failures, warnings } = run("default-src 'self'");
    expect(failures).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/^no frame-ancestors/), expect.stringMatching(/^no base-uri/)]);
  });

  it('only reports a weakness every enforced policy shares', () => {
    // A script must pass both policies, so the second one closes the first's hole.
    expect(run(`script-src *${TAIL}, script-src 'self'`).failures).toEqual([]);
    expect(run(`script-src * 'unsafe-eval'${TAIL}, script-src https: 'unsafe-eval'`, true).failures).toEqual([
      expect.stringMatching(/^script-src allows \*/),
      expect.stringMatching(/^script-src allows 'unsafe-eval'/),
    ]);
    // A policy without script-src or default-src does not restrict scripts.
    expect(run(`script-src https:${TAIL}, img-src 'self'`).failures).toEqual([expect.stringMatching(/^script-src allows https:/)]);
  });

  it('matches keywords case-insensitively', () => {
    expect(run(`script-src 'self' 'UNSAFE-INLINE'${TAIL}`).warnings).toEqual([expect.stringMatching(/'UNSAFE-INLINE'|'unsafe-inline'/)]);
  });
});
