/** A part of the sandbox with its own listeners (the Stripe stand-in, the mail catcher and DNS). */
export interface SandboxService {
  name: string;
  /** Lines for sandbox.env (SMOKE_*=...): how the suite reaches this part. May hold secrets: the file is mode 0600. */
  env: string[];
  /** Lines for the start banner (URLs, never secrets). */
  banner: string[];
  stop(): Promise<void>;
}
