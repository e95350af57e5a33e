// X-Request-Id checks (DC-HDR-3): every API response carries a UUID, or the
// caller's own X-Request-Id echoed verbatim.
import { fail, type Finding } from './findings.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export interface RequestIdInput {
  /** X-Request-Id of a response to a request that sent none. */
  header: string | null | undefined;
  /** The X-Request-Id the suite sent on a second request, if it checked echoing. */
  supplied?: string;
  /** X-Request-Id of the response to that second request. */
  echoed?: string | null;
}

export function evaluateRequestId({ header, supplied, echoed }: RequestIdInput): Finding[] {
  const findings: Finding[] = [];
  if (header == null || header === '') {
    findings.push(fail('no X-Request-Id on the response; expected a UUID'));
  } else if (!isUuid(header.trim())) {
    findings.push(fail(`X-Request-Id is "${header}"; expected a UUID`));
  }
  if (supplied !== undefined) findings.push(...evaluateRequestIdEcho(supplied, echoed));
  return findings;
}

/** Only the echo: for the response to the request that supplied an X-Request-Id. */
export function evaluateRequestIdEcho(supplied: string, echoed: string | null | undefined): Finding[] {
  if (echoed == null || echoed === '') {
    return [fail(`sent X-Request-Id "${supplied}" but the response carried none; expected it echoed verbatim`)];
  }
  if (echoed !== supplied) {
    return [fail(`sent X-Request-Id "${supplied}" but the response carried "${echoed}"; expected it echoed verbatim`)];
  }
  return [];
}
