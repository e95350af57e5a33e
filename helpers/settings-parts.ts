/**
 * What a settings part (payments, mail) sees when it derives its settings
 * from the validated variables: the target, the sandbox the run manages (if
 * any), the DermaConsent origins, and the list to add its problems to.
 */
import { z } from 'zod';
import type { SandboxLayout } from '../sandbox/layout.ts';

/** Value types every settings module shares. */
export const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'], { message: 'must be one of 0, 1, true, false, yes, no' })
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

export const positiveInt = z.coerce.number({ message: 'must be a number' }).int('must be a whole number').positive('must be positive');

export interface PartContext {
  target: 'local' | 'staging' | 'prod';
  /** True when the run starts and owns the local sandbox. */
  sandboxManaged: boolean;
  sandbox?: SandboxLayout;
  frontendUrl?: string;
  apiUrl?: string;
  /** May the run create data on the target? */
  writes: boolean;
  /** Push "VARIABLE: what is wrong" here; never a secret's value. */
  problems: string[];
}
