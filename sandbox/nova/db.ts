/**
 * Nova Home Care's database: a second database ("nova") on the sandbox's
 * PostgreSQL, with its own migrations recorded the way Django records them.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ensureQueueTable } from '../signing/queue.ts';

export const NOVA_DB_NAME = 'nova';
const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** The same server and credentials as `url`, another database. */
export function siblingDatabaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** TLS as the DermaConsent API connects (sandbox/db.ts): the given verification, else encrypted unverified. */
export function sslOption(tls: ConnectionOptions | undefined): ConnectionOptions {
  return tls ?? { rejectUnauthorized: false };
}

/** Creates the nova database when it does not exist yet (needs CREATEDB on an external server). */
export async function ensureNovaDatabase(serverUrl: string, tls?: ConnectionOptions): Promise<string> {
  const admin = new pg.Client({
    connectionString: siblingDatabaseUrl(serverUrl, 'postgres'),
    application_name: 'sandbox-setup',
    ssl: sslOption(tls),
  });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [NOVA_DB_NAME]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${NOVA_DB_NAME}`);
  } catch (err) {
    throw new Error(`cannot create the "${NOVA_DB_NAME}" database: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  } finally {
    await admin.end();
  }
  return siblingDatabaseUrl(serverUrl, NOVA_DB_NAME);
}

export function createNovaPool(url: string, tls?: ConnectionOptions): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 4, application_name: 'nova-api', ssl: sslOption(tls) });
  pool.on('error', () => undefined);
  return pool;
}

const DJANGO_MIGRATIONS = `
CREATE TABLE IF NOT EXISTS django_migrations (
  id SERIAL PRIMARY KEY,
  app VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  applied TIMESTAMPTZ NOT NULL
)`;

/** Applies migrations/<app>.<name>.sql in order, each in a transaction, recorded in django_migrations. */
export async function migrateNova(db: pg.Pool): Promise<string[]> {
  await db.query(DJANGO_MIGRATIONS);
  const applied = new Set(
    (await db.query<{ key: string }>("SELECT app || '.' || name AS key FROM django_migrations")).rows.map((r) => r.key),
  );
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  const done: string[] = [];
  for (const file of files) {
    const key = file.slice(0, -'.sql'.length);
    if (applied.has(key)) continue;
    const [app, name] = key.split('.') as [string, string];
    const sql = await readFile(path.join(MIGRATIONS_DIR, file), 'utf8');
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      await client.query(sql);
      await client.query('INSERT INTO django_migrations (app, name, applied) VALUES ($1, $2, now())', [app, name]);
      await client.query('COMMIT');
      done.push(key);
    } catch (err) {
      await client.query('ROLLBACK');
      throw new Error(`nova migration ${key} failed: ${String(err)}`, { cause: err });
    } finally {
      client.release();
    }
  }
  await ensureQueueTable(db);
  return done;
}

/**
 * The `stuck-old-pending` fault: a document submitted two hours ago whose task
 * was lost (no job), as a broker restart leaves it. Only a look at the table shows it.
 */
export async function seedStuckDocument(db: pg.Pool): Promise<void> {
  await db.query(
    `INSERT INTO documents (form, status, created_at, updated_at)
     VALUES ($1, 'pending', now() - interval '2 hours', now() - interval '2 hours')`,
    [JSON.stringify({ kind: 'intake', note: 'synthetic document whose signing task was lost' })],
  );
}
