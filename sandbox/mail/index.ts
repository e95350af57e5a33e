/** SMTP to MailDev, the templates and the mail domain's DNS: filled in by the email work. */
import type { SandboxContext } from '../context.ts';
import type { SandboxService } from '../service.ts';

/** What the API routes use to send mail. */
export type SandboxMail = Record<string, never>;

export async function startMail(_ctx: SandboxContext): Promise<SandboxService> {
  return { name: 'mail', env: [], banner: [], stop: async () => undefined };
}
