/**
 * POST /api/contact {name, email, message}: the public contact form. The
 * message goes to the support inbox; the sender gets a confirmation copy
 * (which is the mail a smoke run can read: it goes to its own address).
 */
import type { SandboxContext } from '../context.ts';
import type { Router } from '../http/router.ts';
import { SANDBOX_MAIL } from '../mail/constants.ts';
import { isEmail, isString, maxLength, notEmpty, optional, required, validateBody } from './validation.ts';

export function contactRoutes(router: Router, ctx: SandboxContext): void {
  router.post('/api/contact', async (req) => {
    const body = validateBody(req.body, {
      name: required(isString, notEmpty, maxLength(100)),
      email: required(isEmail),
      subject: optional(isString, maxLength(200)),
      message: required(isString, notEmpty, maxLength(5000)),
    });
    const name = (body.name as string).trim();
    const email = (body.email as string).trim();
    await ctx.mail?.sendDc(SANDBOX_MAIL.supportInbox, {
      name: 'contact-message',
      senderName: name,
      senderEmail: email,
      subject: (body.subject as string | undefined) ?? 'Contact form',
      message: body.message as string,
    });
    await ctx.mail?.sendDc(email, { name: 'contact-confirmation', senderName: name });
    return { status: 201, body: { success: true } };
  });
}
