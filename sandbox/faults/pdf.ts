import type { Fault } from './fault.ts';

/** Faults of PDF generation and signing (DermaConsent and Nova). */
export const PDF_FAULTS = {} as const satisfies Record<string, Fault>;
