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

  it('takes only the first of several joined headers', () => {
    expect(evaluateHsts('max-age=31536000; includeSubDomains; preload, max-age=0')).toEqual([]);
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
