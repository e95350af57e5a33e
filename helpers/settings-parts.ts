/**
 * What a settings part (payments, mail) sees when it derives its settings
 * from the validated variables: the target, the sandbox the run manages (if
 * any), the DermaConsent origins, and the list to add its problems to.
 */
import type { SandboxLayout } from '../sandbox/layout.ts';

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
