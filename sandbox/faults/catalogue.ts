/**
 * The catalogue of sandbox faults: each one breaks the sandbox in a way a real
 * deployment has been (or could be) broken, and names the checklist IDs whose
 * checks must fail because of it, and only those. The fault matrix
 * (sandbox/faults/matrix.ts) holds the suite to exactly this list.
 * Entries live in one file per area; this module is the one list.
 */
import type { Fault } from './fault.ts';
import { FLOW_FAULTS } from './flows.ts';
import { FOUNDATION_FAULTS } from './foundation.ts';
import { MAIL_FAULTS } from './mail.ts';
import { PAYMENT_FAULTS } from './payments.ts';
import { PDF_FAULTS } from './pdf.ts';

export type { Fault } from './fault.ts';

export const FAULTS = {
  ...FOUNDATION_FAULTS,
  ...FLOW_FAULTS,
  ...PDF_FAULTS,
  ...PAYMENT_FAULTS,
  ...MAIL_FAULTS,
} as const satisfies Record<string, Fault>;

export type FaultName = keyof typeof FAULTS;

export function isFaultName(name: string): name is FaultName {
  return Object.hasOwn(FAULTS, name);
}

/** Parses SANDBOX_FAULTS ("a,b"); unknown names are an error listing the known ones. */
export function parseFaults(value: string | undefined): Set<FaultName> {
  const names = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !isFaultName(n));
  if (unknown.length > 0) {
    throw new Error(
      `SANDBOX_FAULTS names unknown fault(s): ${unknown.join(', ')}. Known: ${Object.keys(FAULTS).join(', ')}`,
    );
  }
  return new Set(names as FaultName[]);
}
