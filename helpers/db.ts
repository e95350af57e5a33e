/**
 * Read-only database access for the few claims that cannot be proved from
 * outside (encryption at rest, migrations, stuck jobs). Every session is
 * read-only at the server (default_transaction_read_only), so a bug in a check
 * can never write to the target's database.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { Settings } from './settings.ts';

export type DatabaseName = 'dermaconsent' | 'nova';

/** The connection string for a system's database, or undefined when none is configured. */
export function databaseUrl(settings: Settings, which: DatabaseName): string | undefined {
  return which === 'dermaconsent' ? settings.databaseUrl : settings.nova?.databaseUrl;
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

/**
 * Connection options for node-pg. With a CA file, sslmode is taken out of the
 * URL and TLS is set explicitly: node-pg lets the URL's sslmode override an
 * `ssl` option, and treats `require` as verify-full.
 */
export function connectionOptions(url: string, caFile?: string): pg.PoolConfig {
  if (!caFile) return { connectionString: url };
  const u = new URL(url);
  const mode = u.searchParams.get('sslmode');
  u.searchParams.delete('sslmode');
  if (mode === 'disable') return { connectionString: u.toString() };
  return { connectionString: u.toString(), ssl: { ca: readFileSync(caFile, 'utf8'), rejectUnauthorized: true } };
}

/** A database error in words that say where the cause lies (TLS trust is the usual surprise). */
export function explainDatabaseError(err: unknown, url: string): Error {
  const message = err instanceof Error ? err.message : String(err);
  const where = describeDatabase(url);
  if (/self[- ]signed certificate|unable to verify the first certificate|unable to get local issuer/i.test(message)) {
    return new Error(
      `database ${where}: its TLS certificate is not trusted by the suite (${message}). node-pg treats sslmode=require as verify-full: ` +
        'set SMOKE_DATABASE_CA_FILE to the CA that signed it (or sslrootcert=<file> in the URL).',
    );
  }
  if (/permission denied for (table|relation|view) (\S+)/i.test(message)) {
    const table = /permission denied for (?:table|relation|view) (\S+)/i.exec(message)?.[1];
    return new Error(`database ${where}: the suite's role cannot read ${table} (${message}): grant it pg_read_all_data, or SELECT on ${table}.`);
  }
  return new Error(`database ${where}: ${message}`);
}

export function readOnlyPool(url: string, caFile?: string): pg.Pool {
  const pool = new pg.Pool({
    ...connectionOptions(url, caFile),
    max: 2,
    application_name: 'go-live-smoke',
    options: '-c default_transaction_read_only=on -c statement_timeout=15000',
    connectionTimeoutMillis: 10_000,
  });
  pool.on('error', () => undefined);
  // Every query's failure names the database and, where it can, the fix.
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) =>
    query(...args).catch((err: unknown) => {
      throw explainDatabaseError(err, url);
    });
  return pool;
}
