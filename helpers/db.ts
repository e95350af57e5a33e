/**
 * Read-only database access for the few claims that cannot be proved from
 * outside (encryption at rest, migrations, stuck jobs). Every session is
 * read-only at the server (default_transaction_read_only), so a bug in a check
 * can never write to the target's database.
 */
import { existsSync, readFileSync } from 'node:fs';
import dotenv from 'dotenv';
import pg from 'pg';
import type { Settings } from './settings.ts';

export type DatabaseName = 'dermaconsent' | 'nova';

const SANDBOX_KEYS: Record<DatabaseName, string> = {
  dermaconsent: 'SMOKE_DATABASE_URL',
  nova: 'SMOKE_NOVA_DATABASE_URL',
};

/** The connection string for a system's database, or undefined when none is configured. */
export function databaseUrl(settings: Settings, which: DatabaseName): string | undefined {
  const configured = which === 'dermaconsent' ? settings.databaseUrl : settings.nova?.databaseUrl;
  if (configured) return configured;
  // A managed sandbox only knows its database URL (random password) once it runs.
  if (settings.sandboxEnvFile && existsSync(settings.sandboxEnvFile)) {
    return dotenv.parse(readFileSync(settings.sandboxEnvFile))[SANDBOX_KEYS[which]];
  }
  return undefined;
}

/** Host, port and database of a connection string, for messages: never the credentials. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '(unparseable database URL)';
  }
}

export function readOnlyPool(url: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 2,
    application_name: 'go-live-smoke',
    options: '-c default_transaction_read_only=on -c statement_timeout=15000',
    connectionTimeoutMillis: 10_000,
  });
  pool.on('error', () => undefined);
  return pool;
}
