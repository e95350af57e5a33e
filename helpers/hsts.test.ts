import { describe, expect, it } from 'vitest';
import { evaluation } from './findings.ts';
import { describeSeconds, evaluateHsts, parseHsts } from './hsts.ts';

describe('evaluateHsts', () => {
  it('accepts the contract value with no findings', () => {
    expect(evaluateHsts('max-age=31536000; includeSubDomains; preload')).toEqual([]);
  });

  it('accepts case variants, quoted values and a trailing semicolon', () => {
    expect(evaluateHsts('Max-Age="63072000"; INCLUDESUBDOMAINS; Preload;')).toEqual([]);
  });

  it('fails when the header is missing or blank', () => {
    for (const v of [null, undefined, '', '  ']) {
      const { failures } = evaluation(evaluateHsts(v));
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatch(/no Strict-Transport-Security header/);
    }
  });

  it('fails a short max-age and says what was seen and expected', () => {
    const { failures } = evaluation(evaluateHsts('max-age=86400; includeSubDomains; preload'));
    expect(failures).toEqual(['HSTS max-age is 86400 s (1 day); expected at least 31536000 s (1 year)']);
  });

  it('fails max-age=0, which tells browsers to forget HSTS', () => {
    const { failures } = evaluation(evaluateHsts('max-age=0; includeSubDomains; preload'));
    expect(failures[0]).toMatch(/max-age is 0/);
  });

  it('fails without includeSubDomains and warns without preload', () => {
    const { failures, warnings } = evaluation(evaluateHsts('max-age=31536000'));
    expect(failures).toEqual([expect.stringMatching(/lacks includeSubDomains/)]);
    expect(warnings).toEqual([expect.stringMatching(/lacks preload/)]);
  });

  it('fails unparseable values', () => {
    for (const v of ['includeSubDomains', 'max-age=abc', 'max-age', 'max-age=1; max-age=2', 'max-age=-5', 'max age=5']) {
      const { failures } = evaluation(evaluateHsts(v));
      expect(failures, v).toHaveLength(1);
      expect(failures[0], v).toMatch(/is invalid/);
    }
  });

  it('judges the first of several joined headers, as browsers do', () => {
    // A later max-age=0 no longer passes silently (see the next describe).
    const { failures } = evaluation(evaluateHsts('max-age=300, max-age=31536000; includeSubDomains; preload'));
    expect(failures).toContain('HSTS max-age is 300 s; expected at least 31536000 s (1 year)');
  });
});

describe('parseHsts', () => {
  it('ignores unknown directives', () => {
    expect(parseHsts('max-age=10; foo=bar; includeSubDomains')).toEqual({
      ok: true,
      policy: { maxAge: 10, includeSubDomains: true, preload: false },
    });
  });
});

describe('describeSeconds', () => {
  it('adds a human duration', () => {
    expect(describeSeconds(63_072_000)).toBe('63072000 s (2 years)');
    expect(describeSeconds(7200)).toBe('7200 s (2 hours)');
    expect(describeSeconds(59)).toBe('59 s');
  });
});

describe('evaluateHsts with several headers (issue 14)', () => {
  it('fails a second header with max-age=0 and says which one browsers honour', () => {
    const { failures } = evaluation(evaluateHsts('max-age=31536000; includeSubDomains; preload, max-age=0'));
    expect(failures).toEqual([
      expect.stringMatching(/^2 Strict-Transport-Security headers: browsers honour only the first \("max-age=31536000; includeSubDomains; preload"\), but a later one says "max-age=0"/),
    ]);
  });

  it('warns on a repeated header (the Observatory calls it invalid; browsers honour the first, RFC 6797 section 8.1)', () => {
    // Observatory strict-transport-security.test.js "header invalid"
    const { failures, warnings } = evaluation(evaluateHsts('max-age=15768000; includeSubDomains, max-age=15768000; includeSubDomains'));
    // Judged by the first: six months is short of the year this project requires.
    expect(failures).toEqual([expect.stringMatching(/max-age is 15768000 s \(6 months|max-age is 15768000 s/)]);
    expect(warnings).toContainEqual(expect.stringMatching(/^2 Strict-Transport-Security headers: browsers honour only the first/));
    const differing = evaluation(evaluateHsts('max-age=31536000; includeSubDomains; preload, max-age=600'));
    expect(differing.failures).toEqual([]);
    expect(differing.warnings).toEqual([expect.stringMatching(/ignore "max-age=600"/)]);
  });
});

/** The Observatory's HSTS cases (test/strict-transport-security.test.js) with the verdict here. */
describe('evaluateHsts on the Observatory test cases', () => {
  const v = (value: string | undefined) => {
    const e = evaluation(evaluateHsts(value));
    return e.failures.length ? 'fail' : e.warnings.length ? 'warn' : 'pass';
  };
  it.each([
    [undefined, 'fail'], // HstsNotImplemented
    ['includeSubDomains; preload', 'fail'], // HstsHeaderInvalid: no max-age
    ['max-age=86400', 'fail'], // HstsImplementedMaxAgeLessThanSixMonths
    // HstsImplementedMaxAgeAtLeastSixMonths passes there; the contract requires a year, so six months fails here.
    ['max-age=15768000; includeSubDomains; preload', 'fail'],
    ['max-age=31536000; includeSubDomains; preload', 'pass'],
  ])('%j: %s', (value, expected) => {
    expect(v(value)).toBe(expected);
  });
  // HstsNotImplementedNoHttps, HstsInvalidCert and HstsPreloaded depend on the
  // scan (http-only site, certificate, preload list), not on the header: DC-SEC-4
  // covers the certificate; the preload list is not consulted.
});
