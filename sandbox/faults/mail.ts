import type { Fault } from './fault.ts';

/** Faults of transactional email and the sending domain (issue 6). */
export const MAIL_FAULTS = {} as const satisfies Record<string, Fault>;
