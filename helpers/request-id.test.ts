import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evaluation } from './findings.ts';
import { evaluateRequestId, evaluateRequestIdEcho, isUuid } from './request-id.ts';

describe('evaluateRequestId', () => {
  it('accepts a UUID, any version and case', () => {
    expect(evaluateRequestId({ header: randomUUID() })).toEqual([]);
    expect(evaluateRequestId({ header: '0190A5F2-7C1E-7B3A-8D4E-1234567890AB' })).toEqual([]);
  });

  it('fails a missing or empty header', () => {
    for (const header of [null, undefined, '']) {
      expect(evaluation(evaluateRequestId({ header })).failures).toEqual(['no X-Request-Id on the response; expected a UUID']);
    }
  });

  it('fails a value that is not a UUID, quoting it', () => {
    for (const header of ['req-123', '1234', `${randomUUID()}, ${randomUUID()}`, '123e4567e89b12d3a456426614174000']) {
      expect(evaluation(evaluateRequestId({ header })).failures).toEqual([`X-Request-Id is "${header}"; expected a UUID`]);
    }
  });

  it('accepts a supplied id echoed verbatim, even when it is not a UUID', () => {
    expect(evaluateRequestId({ header: randomUUID(), supplied: 'smoke-Run_42', echoed: 'smoke-Run_42' })).toEqual([]);
  });

  it('fails a supplied id that is replaced, altered or dropped', () => {
    const header = randomUUID();
    const f = (echoed: string | null) => evaluation(evaluateRequestId({ header, supplied: 'smoke-Run_42', echoed })).failures;
    expect(f(null)).toEqual(['sent X-Request-Id "smoke-Run_42" but the response carried none; expected it echoed verbatim']);
    expect(f('smoke-run_42')).toEqual(['sent X-Request-Id "smoke-Run_42" but the response carried "smoke-run_42"; expected it echoed verbatim']);
    expect(f(header)).toHaveLength(1);
  });
});

describe('isUuid', () => {
  it('needs the 8-4-4-4-12 hex form', () => {
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
    expect(isUuid('{00000000-0000-0000-0000-000000000000}')).toBe(false);
    expect(isUuid('g0000000-0000-0000-0000-000000000000')).toBe(false);
  });
});

describe('evaluateRequestIdEcho', () => {
  it('judges only the echo', () => {
    expect(evaluateRequestIdEcho('smoke-1', 'smoke-1')).toEqual([]);
    expect(evaluateRequestIdEcho('smoke-1', undefined)[0]?.message).toMatch(/carried none/);
    expect(evaluateRequestIdEcho('smoke-1', 'b5d1c1a8-8f6e-4a57-9a52-0b8d5f3f7e2a')[0]?.message).toMatch(/carried "b5d1/);
  });
});
