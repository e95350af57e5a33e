/**
 * The sandbox's transactional mail: real SMTP (nodemailer) to a real mail
 * catcher (MailDev, started here on 127.0.0.1 and stopped with the sandbox),
 * and DNS for the mail domains (SPF, DKIM, DMARC). Routes send through
 * ctx.mail; a send that fails is logged and swallowed, as real apps do: the
 * API still answers 201 (the mail-not-sent fault relies on that).
 */
import path from 'node:path';
import { MailDev } from 'maildev';
import nodemailer from 'nodemailer';
import { has, type SandboxContext } from '../context.ts';
import type { SandboxService } from '../service.ts';
import { SANDBOX_MAIL } from './constants.ts';
import { startDns } from './dns.ts';
import { renderDc, renderNova, type DcTemplate, type NovaTemplate, type RenderedMail } from './templates.ts';

export { SANDBOX_MAIL } from './constants.ts';

/** What the API routes use to send mail. */
export interface SandboxMail {
  /** Sends a DermaConsent template; resolves whether or not the mail went out (failures are logged). */
  sendDc(to: string, template: DcTemplate): Promise<boolean>;
  sendNova(to: string, template: NovaTemplate): Promise<boolean>;
}

/** The port the mail-not-sent fault sends to: inside this sandbox's range, never listened on. */
const refusedPort = (ctx: SandboxContext): number => ctx.layout.portBase + 19;

/** Where DermaConsent's links point: FRONTEND_URL, or the classic left-over dev value under the fault. */
function dcLinkBase(ctx: SandboxContext): string {
  return has(ctx, 'links-to-wrong-origin') ? 'http://localhost:3000' : ctx.layout.frontendUrl;
}

/** The faults that change what a DermaConsent mail looks like. */
function applyDcFaults(ctx: SandboxContext, template: DcTemplate, mail: RenderedMail): RenderedMail {
  let out = mail;
  if (has(ctx, 'unrendered-placeholder') && template.name === 'welcome') {
    // A template variable renamed in code but not in the template: the engine leaves it, the other renders "undefined".
    out = { ...out, subject: 'Welcome to DermaConsent, {{user.firstName}}', html: out.html.replace('<h1', '<p>Hello undefined,</p>\n<h1'), text: `Hello undefined,\n\n${out.text}` };
  }
  return out;
}

export async function startMail(ctx: SandboxContext): Promise<SandboxService> {
  const { layout } = ctx;
  const maildev = new MailDev({
    smtp: layout.smtpPort,
    ip: '127.0.0.1',
    web: layout.mailWebPort,
    webIp: '127.0.0.1',
    // Its own folder in the sandbox's temp dir (the default /tmp/maildev would be shared by every sandbox).
    mailDirectory: path.join(layout.dir, 'maildev'),
    silent: true,
  });
  try {
    await maildev.start();
  } catch (err) {
    throw new Error(`mail: MailDev could not start on 127.0.0.1:${layout.smtpPort}/${layout.mailWebPort}: ${(err as Error).message}`);
  }
  const dns = await startDns(ctx).catch(async (err: Error) => {
    await maildev.stop().catch(() => undefined);
    throw new Error(`mail: DNS could not listen on udp 127.0.0.1:${layout.dnsPort}: ${err.message}`);
  });

  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: has(ctx, 'mail-not-sent') ? refusedPort(ctx) : layout.smtpPort,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
  });

  const legacy = has(ctx, 'legacy-sender');
  const send = async (from: string, to: string, template: string, mail: RenderedMail): Promise<boolean> => {
    try {
      const dropText = has(ctx, 'text-part-missing') && from === SANDBOX_MAIL.dermaconsent.from;
      await transport.sendMail({
        from: legacy ? SANDBOX_MAIL.legacyFrom : from,
        to,
        subject: mail.subject,
        html: mail.html,
        ...(dropText ? {} : { text: mail.text }),
        headers: { 'X-Template': template },
      });
      return true;
    } catch (err) {
      // Never the body or the address list beyond the template name: the body holds tokens.
      ctx.log(`mail: sending "${template}" failed: ${(err as Error).message}`);
      return false;
    }
  };

  ctx.mail = {
    sendDc: (to, template) => {
      const rendered = applyDcFaults(ctx, template, renderDc(template, dcLinkBase(ctx)));
      return send(SANDBOX_MAIL.dermaconsent.from, to, template.name, rendered);
    },
    sendNova: (to, template) => send(SANDBOX_MAIL.nova.from, to, template.name, renderNova(template, layout.novaFrontendUrl)),
  };

  const dc = SANDBOX_MAIL.dermaconsent;
  const nova = SANDBOX_MAIL.nova;
  return {
    name: 'mail',
    env: [
      'SMOKE_MAILBOX=maildev',
      `SMOKE_MAILDEV_URL=http://127.0.0.1:${layout.mailWebPort}`,
      `SMOKE_DNS_SERVER=127.0.0.1:${layout.dnsPort}`,
      `SMOKE_EXPECTED_FROM=${dc.from}`,
      `SMOKE_SPF_HOST=${dc.spfHost}`,
      `SMOKE_SPF_INCLUDE=${dc.spfInclude}`,
      `SMOKE_DKIM_SELECTORS=${dc.dkimSelectors.join(',')}`,
      `SMOKE_NOVA_EXPECTED_FROM=${nova.from}`,
      `SMOKE_NOVA_SPF_HOST=${nova.spfHost}`,
      `SMOKE_NOVA_SPF_INCLUDE=${nova.spfInclude}`,
      `SMOKE_NOVA_DKIM_SELECTORS=${nova.dkimSelectors.join(',')}`,
    ],
    banner: [
      `smtp      127.0.0.1:${layout.smtpPort}  (MailDev)`,
      `mail web  http://127.0.0.1:${layout.mailWebPort}`,
      `dns       udp 127.0.0.1:${layout.dnsPort}  (${dc.domain}, ${nova.domain})`,
    ],
    stop: async () => {
      transport.close();
      await dns.stop().catch(() => undefined);
      await maildev.stop();
    },
  };
}
