/**
 * What only the database can tell: migrations applied, the application's
 * sessions encrypted. Read-only; needs SMOKE_DATABASE_URL (a role that can read
 * pg_stat_activity of other sessions, e.g. with pg_read_all_stats).
 */
import { expect, report, test } from '../fixtures/index.ts';
import { describeDatabase, databaseUrl } from '../helpers/db.ts';

test.describe('DermaConsent database', { tag: ['@dermaconsent', '@prod-safe'] }, () => {
  test('DC-MIG-1 no migration failed, was rolled back or is still running', async ({ db, settings }) => {
    const where = `_prisma_migrations in ${describeDatabase(databaseUrl(settings, 'dermaconsent') ?? '')}`;
    const { rows } = await db.query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      'SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
    );
    expect(rows.length, `${where} has no rows: was prisma migrate deploy run?`).toBeGreaterThan(0);
    const failures = rows
      .filter((r) => r.finished_at === null || r.rolled_back_at !== null)
      .map((r) => `${r.migration_name}: ${r.rolled_back_at ? `rolled back at ${r.rolled_back_at.toISOString()}` : 'never finished (failed or still running)'}`);
    report(where, { failures, warnings: [] });
  });

  test('DC-MIG-1 every migration of the deployed build is recorded as applied', async ({ db, settings }) => {
    const { latest, count } = settings.migrations;
    test.skip(
      !latest && !count,
      'not proven: the rows present say nothing of rows missing; set SMOKE_DC_LATEST_MIGRATION (the newest folder of ' +
        "the deployed build's prisma/migrations) and/or SMOKE_DC_MIGRATION_COUNT (how many folders it has)",
    );
    const where = `_prisma_migrations in ${describeDatabase(databaseUrl(settings, 'dermaconsent') ?? '')}`;
    const { rows } = await db.query<{ migration_name: string }>(
      'SELECT DISTINCT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY 1',
    );
    const applied = rows.map((r) => r.migration_name);
    const failures: string[] = [];
    const warnings: string[] = [];
    if (latest && !applied.includes(latest)) {
      failures.push(`the build's newest migration ${latest} is not recorded as applied (newest applied: ${applied.at(-1) ?? 'none'})`);
    }
    if (count && applied.length < count) {
      failures.push(`${applied.length} migrations recorded as applied, the build has ${count} (SMOKE_DC_MIGRATION_COUNT)`);
    }
    if (latest) {
      const later = applied.filter((name) => name > latest);
      // The database ahead of the code: a rolled-back deploy, or a stale setting.
      if (later.length > 0) warnings.push(`applied migrations newer than the build's newest (${latest}): ${later.join(', ')}; is SMOKE_DC_LATEST_MIGRATION out of date?`);
    }
    report(where, { failures, warnings });
  });

  test("DC-DB-2 the application's database sessions use TLS", async ({ db, dc, settings }) => {
    // The API's readiness check opens (or reuses) its own database session.
    await dc.api.get('/api/health/ready');
    const { rows } = await db.query<{ pid: number; usename: string; application_name: string; ssl: boolean | null }>(
      `SELECT a.pid, a.usename, a.application_name, s.ssl
         FROM pg_stat_activity a LEFT JOIN pg_stat_ssl s ON s.pid = a.pid
        WHERE a.datname = current_database() AND a.backend_type = 'client backend'
          AND a.pid <> pg_backend_pid() AND a.application_name <> 'go-live-smoke'
          AND ($1::text IS NULL OR a.usename = $1)`,
      [settings.dbAppUser ?? null],
    );
    const who = settings.dbAppUser ? `role ${settings.dbAppUser}` : 'any role but the suite';
    // An outage and a missing grant look alike in pg_stat_activity: say which one this is.
    const { rows: grant } = await db.query<{ stats: boolean }>(
      `SELECT pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER') OR pg_has_role(current_user, 'pg_monitor', 'MEMBER') AS stats`,
    );
    const canSeeOthers = grant[0]?.stats === true;
    expect(
      rows.length,
      canSeeOthers
        ? `the application (${who}) has no database session at all, although the suite's role can see every session: is the app's database access down?` +
            (settings.dbAppUser ? '' : ' (set SMOKE_DB_APP_USER to name its role)')
        : `no application session (${who}) is visible to the suite's role: grant it pg_read_all_stats so DC-DB-2 can see the app's sessions`,
    ).toBeGreaterThan(0);
    const hidden = rows.filter((r) => r.ssl === null);
    const plain = rows.filter((r) => r.ssl === false);
    report('database sessions', {
      failures: [
        ...plain.map((r) => `session ${r.pid} of ${r.usename} (${r.application_name || 'no application_name'}) is not encrypted`),
        ...(hidden.length && !canSeeOthers ? [`the TLS state of ${hidden.length} session(s) is hidden from the suite's role: grant it pg_read_all_stats`] : []),
        ...(hidden.length && canSeeOthers ? hidden.map((r) => `session ${r.pid} of ${r.usename} has no TLS record in pg_stat_ssl`) : []),
      ],
      warnings: [],
    });
  });
});
