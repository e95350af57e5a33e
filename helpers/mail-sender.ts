/** The From header: parsing and the sender check (DC-MAIL-3, NHC-MAIL-2). */

export interface Address {
  name: string;
  address: string;
}

/** The previous vendor's sender that must be gone (docs/targets/). */
export const LEGACY_SENDER: Address = { name: 'Medical Web Experts', address: 'devops@medicalwebexperts.com' };

/** `Name <a@b.c>`, `"Name" <a@b.c>` or `a@b.c`; undefined when it is not an address. */
export function parseAddress(value: string): Address | undefined {
  const m = /^\s*(?:"?([^"<]*?)"?\s*)?<\s*([^<>\s]+@[^<>\s]+\.[^<>\s]+)\s*>\s*$/.exec(value) ?? /^\s*()([^<>\s"]+@[^<>\s]+\.[^<>\s]+)\s*$/.exec(value);
  if (!m) return undefined;
  return { name: (m[1] ?? '').trim(), address: (m[2] ?? '').toLowerCase() };
}

export function formatAddress(a: Address): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}

/**
 * Failures of one message's From against the expected sender: the address must
 * match (case-insensitive); the display name too when the expectation has one.
 * The legacy sender is named as such.
 */
export function checkSender(from: Address[], expected: string): string[] {
  const want = parseAddress(expected);
  if (!want) return [`expected sender "${expected}" is not an address`];
  if (from.length === 0) return [`no From header (expected ${formatAddress(want)})`];
  if (from.length > 1) return [`${from.length} From addresses (${from.map(formatAddress).join(', ')}); expected exactly ${formatAddress(want)}`];
  const got = from[0] as Address;
  const failures: string[] = [];
  if (got.address.toLowerCase() === LEGACY_SENDER.address) {
    failures.push(`sent from the legacy sender ${formatAddress(got)} (the previous vendor's ${LEGACY_SENDER.address}); expected ${formatAddress(want)}`);
  } else if (got.address.toLowerCase() !== want.address) {
    failures.push(`From is ${formatAddress(got)}; expected ${formatAddress(want)}`);
  } else if (want.name && got.name !== want.name) {
    failures.push(`From display name is "${got.name}"; expected "${want.name}" (address ${got.address} is right)`);
  }
  return failures;
}
