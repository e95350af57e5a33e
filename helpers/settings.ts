/**
 * Every setting of the suite, validated by one zod schema before any browser
 * starts. A bad or missing value stops the run with one message that names
 * every problem by variable, never echoing a secret's value.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';
import { MAIL_SECRETS, mailSettings, mailShape, type MailSettings } from './settings-mail.ts';
import { bool, fingerprintList, hostPatterns, matchesHostPattern, originUrl, positiveInt } from './settings-parts.ts';
import { PAYMENT_SECRETS, paymentSettings, paymentShape, type PaymentSettings } from './settings-payments.ts';
import { closestName } from './did-you-mean.ts';

export const TARGETS = ['local', 'staging', 'prod'] as const;

export type Target = (typeof TARGETS)[number];

/** Variables whose values are never printed, not even in a validation error. */
export const SECRET_VARIABLES = new Set([
  'SMOKE_DATABASE_URL',
  'SMOKE_CLEANUP_DATABASE_URL',
  'SMOKE_NOVA_DATABASE_URL',
  'SMOKE_NOVA_API_TOKEN',
  ...PAYMENT_SECRETS,
  ...MAIL_SECRETS,
]);

type Env = Record<string, string | undefined>;

const httpUrl = originUrl;
const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), 'must be a postgres:// or postgresql:// connection string');

const paths = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .refine((list) => list.length > 0 && list.every((p) => p.startsWith('/')), 'must be a comma-separated list of paths starting with /');

/** The raw variables. Empty strings count as unset. */
const schema = z.object({
  SMOKE_BASE_URL: httpUrl.optional(),
  SMOKE_FRONTEND_URL: httpUrl.optional(),
  SMOKE_API_URL: httpUrl.optional(),
  SMOKE_TLS_URL: httpUrl.optional(),
  SMOKE_HTTP_URL: httpUrl.optional(),
  SMOKE_TLS_CA_FILE: z.string().optional(),
  SMOKE_TLS_MIN_DAYS: positiveInt.default(14),
  SMOKE_HTTP_CLOSED_OK: bool.default(false),
  SMOKE_CSP_STRICT: bool.default(false),
  SMOKE_KEY_PAGES: paths.default(['/']),
  SMOKE_DATABASE_URL: postgresUrl.optional(),
  SMOKE_DATABASE_CA_FILE: z.string().optional(),
  SMOKE_CLEANUP_DATABASE_URL: postgresUrl.optional(),
  SMOKE_DB_APP_USER: z.string().optional(),
  SMOKE_DC_LATEST_MIGRATION: z
    .string()
    .regex(/^\d{14}_\w+$/, 'must be a Prisma migration folder name such as 20260322140914_add_pdf_sent_fields')
    .optional(),
  SMOKE_DC_MIGRATION_COUNT: positiveInt.optional(),
  SMOKE_NOVA_API_URL: httpUrl.optional(),
  SMOKE_NOVA_FRONTEND_URL: httpUrl.optional(),
  SMOKE_NOVA_API_TOKEN: z.string().optional(),
  SMOKE_NOVA_DOCUMENTS_PATH: z.string().regex(/^\/.*\/$/, 'must start and end with /').default('/api/documents/'),
  SMOKE_NOVA_DATABASE_URL: postgresUrl.optional(),
  SMOKE_ALLOW_WRITES: bool.optional(),
  SMOKE_PROD_HOSTS: hostPatterns.optional(),
  SMOKE_EMAIL_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'must be a mail domain such as example.com')
    .default('example.com'),
  SMOKE_SIGNING_DEADLINE_S: positiveInt.optional(),
  SMOKE_SIGNER_SHA256: fingerprintList.optional(),
  SMOKE_DC_SIGNER_SHA256: fingerprintList.optional(),
  SMOKE_SIGNER_CA_FILE: z.string().optional(),
  SMOKE_PDF_SIGNATURE: z.enum(['required', 'optional'], { message: 'must be required or optional' }).default('optional'),
  SMOKE_NOVA_PDF_SIGNATURE: z.enum(['required', 'optional'], { message: 'must be required or optional' }).default('required'),
  SMOKE_ALLOW_INCREMENTAL_UPDATES: bool.default(false),
  SMOKE_PDF_MUST_BE_ENCRYPTED: bool.default(false),
  SMOKE_HTTP_TIMEOUT_MS: positiveInt.default(15_000),
  SMOKE_CHROMIUM_PATH: z.string().optional(),
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
  /**
   * Production rules apply: the prod project, or a configured host matching
   * SMOKE_PROD_HOSTS. Read-only unless SMOKE_ALLOW_WRITES=1.
   */
  production: boolean;
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
    /** Pinned signer fingerprints (several during a certificate rotation). */
    dcSignerSha256?: string[];
    novaSignerSha256?: string[];
    /** PEM bundle of the CA(s) whose certificates may sign Nova's PDFs (SMOKE_SIGNER_CA_FILE). */
    novaSignerCaFile?: string;
    allowIncrementalUpdates: boolean;
    /** DC-FLOW-6: answers printed into the PDF the server keeps fail (else a warning: the real app does so by design). */
    mustBeEncrypted: boolean;
  };
  tls: {
    /** https:// URLs whose certificates DC-SEC-4 checks. */
    urls: string[];
    /** The plain http:// URL that must redirect to https://. */
    httpUrl?: string;
    /** Nothing listening on plain http is accepted (port 80 closed on purpose); otherwise it is a finding. */
    httpClosedOk: boolean;
    caFile?: string;
    minDays: number;
    warnDays: number;
  };
  csp: { strict: boolean; keyPages: string[] };
  databaseUrl?: string;
  /** Write-capable, for deleting what the run created where the API has no delete route. Never used by a check. */
  cleanupDatabaseUrl?: string;
  /** CA bundle for the database's TLS certificate (a private CA); node-pg verifies the server with it. */
  databaseCaFile?: string;
  /** The application's database role, whose sessions DC-DB-2 checks (default: every session but the suite's). */
  dbAppUser?: string;
  /** What DC-MIG-1 compares _prisma_migrations with: the deployed build's prisma/migrations folder. */
  migrations: { latest?: string; count?: number };
  httpTimeoutMs: number;
  /** Stripe (helpers/settings-payments.ts); undefined when not configured. */
  payments?: PaymentSettings;
  /** Mailbox, sender and DNS (helpers/settings-mail.ts); undefined when not configured. */
  mail?: MailSettings;
}

export type SettingsResult =
  | { ok: true; settings: Settings; warnings: string[] }
  | { ok: false; problems: string[] };

/**
 * Variables of the suite that are not settings of a target: set by the run
 * itself (run ID, selected projects, headed) or by the fault matrix.
 */
const RUN_VARIABLES = new Set(['SMOKE_ENV_FILE', 'SMOKE_RUN_ID', 'SMOKE_RUN_SECRET', 'SMOKE_CONSOLE_REPORTER', 'SMOKE_SELECTED_TARGETS', 'SMOKE_HEADED', 'SMOKE_SANDBOX_STARTED']);
const RUN_PREFIXES = ['SMOKE_MATRIX_'];

export interface Environment {
  env: Env;
  /** The settings files read, lowest precedence first (the process environment wins over all). */
  files: string[];
}

/** The environment a target sees: process env over SMOKE_ENV_FILE over `.env.<target>`. */
export function environmentFor(target: Target, processEnv: Env = process.env, cwd = process.cwd()): Environment {
  const layers: Env[] = [];
  const files: string[] = [];
  const targetFile = path.join(cwd, `.env.${target}`);
  if (existsSync(targetFile)) {
    layers.push(dotenv.parse(readFileSync(targetFile)));
    files.push(targetFile);
  }
  const extra = processEnv.SMOKE_ENV_FILE;
  if (extra) {
    if (!existsSync(extra)) throw new SettingsError([`SMOKE_ENV_FILE: no such file: ${extra}`]);
    layers.push(dotenv.parse(readFileSync(extra)));
    files.push(extra);
  }
  layers.push(processEnv);
  return { env: Object.assign({}, ...layers) as Env, files };
}

/** SMOKE_* names the suite does not know: a typo in a safety switch must never fail open. */
export function unknownVariables(env: Env): string[] {
  const known = Object.keys(schema.shape);
  return Object.keys(env)
    .filter((k) => k.startsWith('SMOKE_') && !known.includes(k) && !RUN_VARIABLES.has(k) && !RUN_PREFIXES.some((p) => k.startsWith(p)))
    .sort()
    .map((k) => {
      const near = closestName(k, known);
      return `${k}: not a setting of this suite${near ? `; did you mean ${near}?` : ''} (see .env.example)`;
    });
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
  const problems: string[] = unknownVariables(env);
  const warnings: string[] = [];

  let dermaconsent: DermaConsentTarget | undefined;
  const frontendUrl = v.SMOKE_FRONTEND_URL ?? v.SMOKE_BASE_URL;
  const apiUrl = v.SMOKE_API_URL ?? v.SMOKE_BASE_URL;
  if (frontendUrl && apiUrl) dermaconsent = { frontendUrl, apiUrl };
  else if (frontendUrl || apiUrl) {
    problems.push(
      `${frontendUrl ? 'SMOKE_API_URL' : 'SMOKE_FRONTEND_URL'}: required when ${frontendUrl ? 'SMOKE_FRONTEND_URL' : 'SMOKE_API_URL'} is set (or set SMOKE_BASE_URL for both)`,
    );
  }

  if (target === 'prod' && dermaconsent) {
    for (const [name, url] of [['SMOKE_FRONTEND_URL', dermaconsent.frontendUrl], ['SMOKE_API_URL', dermaconsent.apiUrl]] as const) {
      if (!url.startsWith('https://')) problems.push(`${name}: prod must be reached over https:// (got "${url}"); for a target served over http (a local or staging copy), run --project=staging`);
    }
  }

  const tlsUrls = v.SMOKE_TLS_URL
    ? [v.SMOKE_TLS_URL]
    : [...new Set([dermaconsent?.frontendUrl, dermaconsent?.apiUrl].filter((u): u is string => !!u?.startsWith('https://')).map((u) => new URL(u).origin))];
  const httpUrlDefault = tlsUrls[0] ? `http://${new URL(tlsUrls[0]).hostname}` : undefined;
  for (const name of ['SMOKE_TLS_CA_FILE', 'SMOKE_DATABASE_CA_FILE', 'SMOKE_SIGNER_CA_FILE'] as const) {
    const file = v[name];
    if (file && !existsSync(file)) problems.push(`${name}: no such file: ${file}`);
  }
  for (const name of ['SMOKE_DATABASE_URL', 'SMOKE_NOVA_DATABASE_URL'] as const) {
    const url = v[name];
    if (url && !/[?&]sslmode=/.test(url)) {
      warnings.push(
        `${name} has no sslmode: the suite's own connection may be unencrypted (add ?sslmode=require). DC-DB-2 judges the app's sessions, not this one.`,
      );
    }
  }

  const novaApiUrl = v.SMOKE_NOVA_API_URL;
  if (v.SMOKE_NOVA_FRONTEND_URL && !novaApiUrl) {
    problems.push('SMOKE_NOVA_API_URL: required when SMOKE_NOVA_FRONTEND_URL is set');
  }

  if (target !== 'local' && !frontendUrl && !apiUrl && !novaApiUrl) {
    problems.push(
      `nothing to check on ${target}: set SMOKE_BASE_URL (or SMOKE_FRONTEND_URL and SMOKE_API_URL) and/or SMOKE_NOVA_API_URL in .env.${target} or the environment`,
    );
  }

  // Production rules follow the target, not the project's name alone.
  const configuredHosts = [frontendUrl, apiUrl, novaApiUrl, v.SMOKE_NOVA_FRONTEND_URL, v.SMOKE_TLS_URL, v.SMOKE_HTTP_URL]
    .filter((u): u is string => !!u)
    .map((u) => new URL(u).hostname);
  const prodHost = configuredHosts.find((h) => (v.SMOKE_PROD_HOSTS ?? []).some((p) => matchesHostPattern(h, p)));
  const production = target === 'prod' || prodHost !== undefined;
  const writes = v.SMOKE_ALLOW_WRITES ?? !production;
  const part = { target, production, frontendUrl, apiUrl, writes, problems };
  const payments = paymentSettings(v, part);
  const mail = mailSettings(v, part);

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    warnings,
    settings: {
      target,
      production,
      dermaconsent,
      nova: novaApiUrl
        ? {
            apiUrl: novaApiUrl,
            frontendUrl: v.SMOKE_NOVA_FRONTEND_URL,
            apiToken: v.SMOKE_NOVA_API_TOKEN,
            documentsPath: v.SMOKE_NOVA_DOCUMENTS_PATH,
            databaseUrl: v.SMOKE_NOVA_DATABASE_URL,
          }
        : undefined,
      writes,
      account: { emailDomain: v.SMOKE_EMAIL_DOMAIN },
      pdf: {
        deadlineS: v.SMOKE_SIGNING_DEADLINE_S ?? 60,
        dcSignature: v.SMOKE_PDF_SIGNATURE,
        novaSignature: v.SMOKE_NOVA_PDF_SIGNATURE,
        dcSignerSha256: v.SMOKE_DC_SIGNER_SHA256,
        novaSignerSha256: v.SMOKE_SIGNER_SHA256,
        novaSignerCaFile: v.SMOKE_SIGNER_CA_FILE,
        allowIncrementalUpdates: v.SMOKE_ALLOW_INCREMENTAL_UPDATES,
        mustBeEncrypted: v.SMOKE_PDF_MUST_BE_ENCRYPTED,
      },
      tls: {
        urls: tlsUrls,
        httpUrl: v.SMOKE_HTTP_URL ?? httpUrlDefault,
        httpClosedOk: v.SMOKE_HTTP_CLOSED_OK,
        caFile: v.SMOKE_TLS_CA_FILE,
        minDays: v.SMOKE_TLS_MIN_DAYS,
        warnDays: 30,
      },
      csp: { strict: v.SMOKE_CSP_STRICT, keyPages: v.SMOKE_KEY_PAGES },
      databaseUrl: v.SMOKE_DATABASE_URL,
      cleanupDatabaseUrl: v.SMOKE_CLEANUP_DATABASE_URL,
      databaseCaFile: v.SMOKE_DATABASE_CA_FILE,
      dbAppUser: v.SMOKE_DB_APP_USER,
      migrations: { latest: v.SMOKE_DC_LATEST_MIGRATION, count: v.SMOKE_DC_MIGRATION_COUNT },
      httpTimeoutMs: v.SMOKE_HTTP_TIMEOUT_MS,
      payments,
      mail,
    },
  };
}

export interface Loaded {
  settings: Settings;
  warnings: string[];
  files: string[];
}

const cache = new Map<Target, Loaded>();

/** Settings for a target from the real environment, with the files read and the warnings; throws SettingsError. */
export function loadTarget(target: Target): Loaded {
  const hit = cache.get(target);
  if (hit) return hit;
  const { env, files } = environmentFor(target);
  const result = parseSettings(target, env);
  if (!result.ok) throw new SettingsError(result.problems);
  const loaded = { settings: result.settings, warnings: result.warnings, files };
  cache.set(target, loaded);
  return loaded;
}

/** Settings for a target from the real environment; throws SettingsError listing every problem. */
export function loadSettings(target: Target): Settings {
  return loadTarget(target).settings;
}

/** What a run is about to check, for the start of its output: never a secret's value. */
export function describeTarget({ settings: s, warnings, files }: Loaded): string[] {
  const lines = [`target ${s.target}${s.production ? ' (production rules)' : ''}: settings from ${files.length ? files.join(', ') + ' and ' : ''}the environment`];
  if (s.dermaconsent) lines.push(`  DermaConsent  ${s.dermaconsent.frontendUrl}  (API ${s.dermaconsent.apiUrl})`);
  else lines.push(`  DermaConsent  ${NOT_CONFIGURED.dermaconsent}`);
  lines.push(`  Nova          ${s.nova ? s.nova.apiUrl : NOT_CONFIGURED.nova}`);
  lines.push(
    `  writes ${s.writes ? 'allowed' : 'off'}; database ${s.databaseUrl ? 'configured (read-only)' : 'not configured'}; ` +
      `Stripe ${s.payments ? `configured (${s.payments.expectedMode} mode expected)` : 'not configured'}; mailbox ${s.mail?.mailbox?.kind ?? 'none'}`,
  );
  for (const w of warnings) lines.push(`  warning: ${w}`);
  return lines;
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
