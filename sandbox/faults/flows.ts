import type { Fault } from './fault.ts';

/** Faults of the account, vault and consent flows (registration, encryption at rest, audit, migrations). */
export const FLOW_FAULTS = {} as const satisfies Record<string, Fault>;
