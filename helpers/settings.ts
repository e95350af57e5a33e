/**
 * Every setting of the suite, validated by one zod schema before any browser
 * starts. A bad or missing value stops the run with one message that names
 * every problem by variable, never echoing a secret's value.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';
import { sandboxLayout, portBaseFrom } from '../sandbox/layout.ts';
import { MAIL_SECRETS, mailSettings, mailShape, type MailSettings } from './settings-mail.ts';
import { bool, positiveInt } from './settings-parts.ts';
import { PAYMENT_SECRETS, paymentSettings, paymentShape, type PaymentSettings } from './settings-payments.ts';

export const TARGETS = ['local', 'staging', 'prod'] as const;

/**
 * Default signing deadline for the sandbox the run starts itself: its worker is
 * woken by NOTIFY and signs in well under a second, so 15 s is a wide margin
 * (also under the `slow` fault) and a stuck job fails in 15 s, not 60.
 */
export const SANDBOX_SIGNING_DEADLINE_S = 15;
export type Target = (typeof TARGETS)[number];

/** Variables whose values are never printed, not even in a validation error. */
export const SECRET_VARIABLES = new Set([
  'SMOKE_DATABASE_URL',
  'SMOKE_NOVA_DATABASE_URL',
  'SMOKE_NOVA_API_TOKEN',
  ...PAYMENT_SECRETS,
  ...MAIL_SECRETS,
]);

type Env = Record<string, string | undefined>;

const httpUrl = (name: string) =>
  z
    .string()
    .refine((v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
      } catch {
        return false;
      }
    }, `${name} must be an absolute http(s) URL`)
    .transform((v) => v.replace(/\/+$/, ''));


const paths = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .refine((list) => list.length > 0 && list.every((p) => p.startsWith('/')), 'must be a comma-separated list of paths starting with /');

/** The raw variables. Empty strings count as unset. */
const schema = z.object({
  SMOKE_BASE_URL: httpUrl('SMOKE_BASE_URL').optional(),
  SMOKE_FRONTEND_URL: httpUrl('SMOKE_FRONTEND_URL').optional(),
  SMOKE_API_URL: httpUrl('SMOKE_API_URL').optional(),
  SMOKE_TLS_URL: httpUrl('SMOKE_TLS_URL').optional(),
  SMOKE_HTTP_URL: httpUrl('SMOKE_HTTP_URL').optional(),
  SMOKE_TLS_CA_FILE: z.string().optional(),
  SMOKE_TLS_MIN_DAYS: positiveInt.default(14),
  SMOKE_CSP_STRICT: bool.default(false),
  SMOKE_KEY_PAGES: paths.default(['/']),
  SMOKE_DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), 'must be a postgres:// or postgresql:// connection string')
    .optional(),
  SMOKE_DB_APP_USER: z.string().optional(),
  SMOKE_NOVA_API_URL: httpUrl('SMOKE_NOVA_API_URL').optional(),
  SMOKE_NOVA_FRONTEND_URL: httpUrl('SMOKE_NOVA_FRONTEND_URL').optional(),
  SMOKE_NOVA_API_TOKEN: z.string().optional(),
  SMOKE_NOVA_DOCUMENTS_PATH: z.string().regex(/^\/.*\/$/, 'must start and end with /').default('/api/documents/'),
  SMOKE_NOVA_DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), 'must be a postgres:// or postgresql:// connection string')
    .optional(),
  SMOKE_ALLOW_WRITES: bool.optional(),
  SMOKE_EMAIL_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'must be a mail domain such as example.com')
    .default('example.com'),
  SMOKE_SIGNING_DEADLINE_S: positiveInt.optional(),
  SMOKE_SIGNER_SHA256: z.string().regex(/^[0-9a-f:]{64,95}$/i, 'must be a SHA-256 fingerprint in hex').optional(),
  SMOKE_DC_SIGNER_SHA256: z.string().regex(/^[0-9a-f:]{64,95}$/i, 'must be a SHA-256 fingerprint in hex').optional(),
  SMOKE_PDF_SIGNATURE: z.enum(['required', 'optional'], { message: 'must be required or optional' }).default('optional'),
  SMOKE_NOVA_PDF_SIGNATURE: z.enum(['required', 'optional'], { message: 'must be required or optional' }).default('required'),
  SMOKE_ALLOW_INCREMENTAL_UPDATES: bool.default(false),
  SMOKE_HTTP_TIMEOUT_MS: positiveInt.default(15_000),
  SMOKE_CHROMIUM_PATH: z.string().optional(),
  SANDBOX_PORT_BASE: z.string().optional(),
  // Payments and mail keep their variables in modules of their own.
  ...paymentShape,
  ...mailShape,
});

export interface DermaConsentTarget {
  frontendUrl: string;
  apiUrl: string;
}

export interface Settings {
  target: Target;
  /** True when the run starts and owns the local sandbox. */
  sandboxManaged: boolean;
  /** The managed sandbox's own env file (its database URL is only known once it runs). */
  sandboxEnvFile?: string;
  dermaconsent?: DermaConsentTarget;
  nova?: {
    apiUrl: string;
    frontendUrl?: string;
    /** Sent as `Authorization: Token <value>` (Django REST framework) when set. */
    apiToken?: string;
    /** Collection route of documents, Django REST style: POST creates, <id>/ reads, <id>/download/ downloads. */
    documentsPath: string;
    databaseUrl?: string;
  };
  /** May the run create data on the target (synthetic tenant only)? Off by default in prod. */
  writes: boolean;
  account: { emailDomain: string };
  pdf: {
    deadlineS: number;
    dcSignature: 'required' | 'optional';
    novaSignature: 'required' | 'optional';
    dcSignerSha256?: string;
    novaSignerSha256?: string;
    allowIncrementalUpdates: boolean;
  };
  tls: {
    /** https:// URLs whose certificates DC-SEC-4 checks. */
    urls: string[];
    /** The plain http:// URL that must redirect to https://. */
    httpUrl?: string;
    caFile?: string;
    minDays: number;
    warnDays: number;
  };
  csp: { strict: boolean; keyPages: string[] };
  databaseUrl?: string;
  /** The application's database role, whose sessions DC-DB-2 checks (default: every session but the suite's). */
  dbAppUser?: string;
  httpTimeoutMs: number;
  /** Stripe (helpers/settings-payments.ts); undefined when not configured. */
  payments?: PaymentSettings;
  /** Mailbox, sender and DNS (helpers/settings-mail.ts); undefined when not configured. */
  mail?: MailSettings;
}

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; problems: string[] };

/** The environment a target sees: process env over SMOKE_ENV_FILE over `.env.<target>`. */
export function environmentFor(target: Target, processEnv: Env = process.env, cwd = process.cwd()): Env {
  const layers: Env[] = [];
  const targetFile = path.join(cwd, `.env.${target}`);
  if (target !== 'local' && existsSync(targetFile)) layers.push(dotenv.parse(readFileSync(targetFile)));
  const extra = processEnv.SMOKE_ENV_FILE;
  if (extra) {
    if (!existsSync(extra)) throw new SettingsError([`SMOKE_ENV_FILE: no such file: ${extra}`]);
    layers.push(dotenv.parse(readFileSync(extra)));
  }
  layers.push(processEnv);
  return Object.assign({}, ...layers) as Env;
}

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid smoke-suite settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Pure: validates `env` for `target` and derives the settings, or lists every problem. */
export function parseSettings(target: Target, env: Env): SettingsResult {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') raw[key] = value.trim();
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(settings)');
      const message = issue.message.startsWith(name) ? issue.message.slice(name.length + 1) : issue.message;
      const shown = SECRET_VARIABLES.has(name) || raw[name] === undefined ? '' : ` (got "${raw[name]}")`;
      return `${name}: ${message}${shown}`;
    });
    return { ok: false, problems };
  }
  const v = parsed.data;
  const problems: string[] = [];

  const explicitTarget = v.SMOKE_BASE_URL ?? v.SMOKE_FRONTEND_URL ?? v.SMOKE_API_URL;
  const sandboxManaged = target === 'local' && explicitTarget === undefined;
  let portBase: number | undefined;
  if (sandboxManaged) {
    try {
      portBase = portBaseFrom(v.SANDBOX_PORT_BASE);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  const sandbox = portBase !== undefined ? sandboxLayout(portBase) : undefined;

  let dermaconsent: DermaConsentTarget | undefined;
  const frontendUrl = v.SMOKE_FRONTEND_URL ?? v.SMOKE_BASE_URL ?? sandbox?.frontendUrl;
  const apiUrl = v.SMOKE_API_URL ?? v.SMOKE_BASE_URL ?? sandbox?.apiUrl;
  if (frontendUrl && apiUrl) dermaconsent = { frontendUrl, apiUrl };
  else if (frontendUrl || apiUrl) {
    problems.push(
      `${frontendUrl ? 'SMOKE_API_URL' : 'SMOKE_FRONTEND_URL'}: required when ${frontendUrl ? 'SMOKE_FRONTEND_URL' : 'SMOKE_API_URL'} is set (or set SMOKE_BASE_URL for both)`,
    );
  }

  if (target === 'prod' && dermaconsent) {
    for (const [name, url] of [['SMOKE_FRONTEND_URL', dermaconsent.frontendUrl], ['SMOKE_API_URL', dermaconsent.apiUrl]] as const) {
      if (!url.startsWith('https://')) problems.push(`${name}: prod must be reached over https:// (got "${url}")`);
    }
  }

  const tlsUrls = v.SMOKE_TLS_URL
    ? [v.SMOKE_TLS_URL]
    : sandbox
      ? [sandbox.tlsUrl]
      : [...new Set([dermaconsent?.frontendUrl, dermaconsent?.apiUrl].filter((u): u is string => !!u?.startsWith('https://')).map((u) => new URL(u).origin))];
  const httpUrlDefault = tlsUrls[0] ? `http://${new URL(tlsUrls[0]).hostname}` : undefined;
  const caFile = v.SMOKE_TLS_CA_FILE ?? sandbox?.caFile;
  if (v.SMOKE_TLS_CA_FILE && !existsSync(v.SMOKE_TLS_CA_FILE)) {
    problems.push(`SMOKE_TLS_CA_FILE: no such file: ${v.SMOKE_TLS_CA_FILE}`);
  }

  const novaApiUrl = v.SMOKE_NOVA_API_URL ?? sandbox?.novaApiUrl;
  if (v.SMOKE_NOVA_FRONTEND_URL && !novaApiUrl) {
    problems.push('SMOKE_NOVA_API_URL: required when SMOKE_NOVA_FRONTEND_URL is set');
  }

  if (target !== 'local' && !frontendUrl && !apiUrl && !novaApiUrl) {
    problems.push(
      `nothing to check on ${target}: set SMOKE_BASE_URL (or SMOKE_FRONTEND_URL and SMOKE_API_URL) and/or SMOKE_NOVA_API_URL in .env.${target} or the environment`,
    );
  }

  const writes = v.SMOKE_ALLOW_WRITES ?? target !== 'prod';
  const part = { target, sandboxManaged, sandbox, frontendUrl, apiUrl, writes, problems };
  const payments = paymentSettings(v, part);
  const mail = mailSettings(v, part);

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    settings: {
      target,
      sandboxManaged,
      sandboxEnvFile: sandbox?.envFile,
      dermaconsent,
      nova: novaApiUrl
        ? {
            apiUrl: novaApiUrl,
            frontendUrl: v.SMOKE_NOVA_FRONTEND_URL ?? sandbox?.novaFrontendUrl,
            apiToken: v.SMOKE_NOVA_API_TOKEN,
            documentsPath: v.SMOKE_NOVA_DOCUMENTS_PATH,
            databaseUrl: v.SMOKE_NOVA_DATABASE_URL,
          }
        : undefined,
      writes,
      account: { emailDomain: v.SMOKE_EMAIL_DOMAIN },
      pdf: {
        deadlineS: v.SMOKE_SIGNING_DEADLINE_S ?? (sandboxManaged ? SANDBOX_SIGNING_DEADLINE_S : 60),
        dcSignature: v.SMOKE_PDF_SIGNATURE,
        novaSignature: v.SMOKE_NOVA_PDF_SIGNATURE,
        dcSignerSha256: v.SMOKE_DC_SIGNER_SHA256,
        novaSignerSha256: v.SMOKE_SIGNER_SHA256,
        allowIncrementalUpdates: v.SMOKE_ALLOW_INCREMENTAL_UPDATES,
      },
      tls: {
        urls: tlsUrls,
        httpUrl: v.SMOKE_HTTP_URL ?? sandbox?.httpUrl ?? httpUrlDefault,
        caFile,
        minDays: v.SMOKE_TLS_MIN_DAYS,
        warnDays: 30,
      },
      csp: { strict: v.SMOKE_CSP_STRICT, keyPages: v.SMOKE_KEY_PAGES },
      databaseUrl: v.SMOKE_DATABASE_URL,
      dbAppUser: v.SMOKE_DB_APP_USER,
      httpTimeoutMs: v.SMOKE_HTTP_TIMEOUT_MS,
      payments,
      mail,
    },
  };
}

const cache = new Map<Target, Settings>();

/** Settings for a target from the real environment; throws SettingsError listing every problem. */
export function loadSettings(target: Target): Settings {
  const hit = cache.get(target);
  if (hit) return hit;
  const result = parseSettings(target, environmentFor(target));
  if (!result.ok) throw new SettingsError(result.problems);
  cache.set(target, result.settings);
  return result.settings;
}

export function isTarget(name: string): name is Target {
  return (TARGETS as readonly string[]).includes(name);
}

/**
 * The targets a run selected with --project (default: local only). The main
 * process reads argv and records the answer in SMOKE_SELECTED_TARGETS, which
 * the worker processes inherit, so every process builds the same projects.
 */
export function selectedTargets(argv: string[] = process.argv, env: Env = process.env): Target[] {
  if (env.SMOKE_SELECTED_TARGETS) return env.SMOKE_SELECTED_TARGETS.split(',').filter(isTarget);
  const names: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--project' && argv[i + 1]) names.push(argv[i + 1] as string);
    else if (arg.startsWith('--project=')) names.push(arg.slice('--project='.length));
  });
  const targets = names.flatMap((n) => n.split(',')).filter(isTarget);
  return targets.length > 0 ? [...new Set(targets)] : ['local'];
}

/** Why a check is skipped when its system is not configured. */
export const NOT_CONFIGURED = {
  dermaconsent: 'not configured: set SMOKE_FRONTEND_URL and SMOKE_API_URL (or SMOKE_BASE_URL)',
  nova: 'not configured: set SMOKE_NOVA_API_URL',
  database: 'not configured: set SMOKE_DATABASE_URL (read-only access)',
} as const;
