/**
 * The sandbox's signing worker, a process of its own like Nova's Celery
 * worker: drains the signing_jobs queues of Nova's and DermaConsent's
 * databases, renders and signs each PDF with the PKCS#12 at SIGNING_P12_PATH.
 *
 * A job that fails (no p12, wrong password) stays pending and is retried with
 * backoff; the reason goes to this process's stderr only, which is the story
 * the seed documents tell. Woken by NOTIFY, polling as a fallback.
 *
 * Environment: SIGNING_P12_PATH, SIGNING_P12_PASSWORD, SIGNING_NOVA_DATABASE_URL,
 * SIGNING_DERMACONSENT_DATABASE_URL, SIGNING_STORAGE_DIR, SANDBOX_FAULTS,
 * SIGNING_DATABASE_CA_FILE (verify the database's TLS certificate; else encrypted,
 * unverified), SIGNING_POLL_MS (default 1000).
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { parseFaults } from '../faults/catalogue.ts';
import { signConsentPdf, signNovaDocument, type Job, type SignerConfig } from './jobs.ts';
import { QUEUE_CHANNEL } from './queue.ts';

const log = (message: string): void => {
  process.stderr.write(`[worker] ${message}\n`);
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    log(`${name} is not set; exiting`);
    process.exit(2);
  }
  return value;
}

interface Queue {
  name: string;
  pool: pg.Pool;
  listener: pg.Client;
  handle: (client: pg.PoolClient, job: Job) => Promise<string>;
}

const MAX_BACKOFF_S = 10;

/** Claims and runs one due job of `queue`; false when none is due. */
async function runOne(queue: Queue): Promise<boolean> {
  const client = await queue.pool.connect();
  let job: Job | undefined;
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<Job>(
      `SELECT id, kind, ref_id, requested_by, attempts, payload FROM signing_jobs
        WHERE finished_at IS NULL AND run_after <= now()
        ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    job = rows[0];
    if (!job) {
      await client.query('COMMIT');
      return false;
    }
    const outcome = await queue.handle(client, job);
    await client.query('UPDATE signing_jobs SET finished_at = now(), attempts = attempts + 1 WHERE id = $1', [job.id]);
    await client.query('COMMIT');
    log(`job ${job.id} (${job.kind} ${job.ref_id}): ${outcome}`);
    return true;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (!job) throw err;
    const attempt = job.attempts + 1;
    const backoff = Math.min(2 ** job.attempts, MAX_BACKOFF_S);
    await client.query(
      `UPDATE signing_jobs SET attempts = $2, run_after = now() + make_interval(secs => $3) WHERE id = $1`,
      [job.id, attempt, backoff],
    );
    // The reason lives here only: the job and its document stay pending, as the seed's worker leaves them.
    log(
      `ERROR job ${job.id} (${job.kind} ${job.ref_id}) failed, attempt ${attempt}, retry in ${backoff} s: ` +
        `${err instanceof Error ? err.message : String(err)}`,
    );
    return true;
  } finally {
    client.release();
  }
}

async function main(): Promise<void> {
  const signer: SignerConfig = {
    p12Path: required('SIGNING_P12_PATH'),
    p12Password: process.env.SIGNING_P12_PASSWORD ?? '',
    faults: parseFaults(process.env.SANDBOX_FAULTS),
  };
  const storageDir = required('SIGNING_STORAGE_DIR');
  const pollMs = Math.max(100, Number(process.env.SIGNING_POLL_MS) || 1000);

  // Encrypted like the API's own sessions: the worker is part of the application (DC-DB-2 looks at every session).
  const caFile = process.env.SIGNING_DATABASE_CA_FILE;
  const ssl = caFile ? { ca: readFileSync(caFile, 'utf8') } : { rejectUnauthorized: false };

  let wake: (() => void) | undefined;
  // A NOTIFY that lands while a job runs must not be lost: remember it for the next idle.
  let notified = false;
  let stopping = false;
  const queues: Queue[] = [];
  const open = async (name: string, url: string, handle: Queue['handle']): Promise<void> => {
    const pool = new pg.Pool({ connectionString: url, max: 2, application_name: 'signing-worker', ssl });
    pool.on('error', () => undefined);
    const listener = new pg.Client({ connectionString: url, application_name: 'signing-worker', ssl });
    listener.on('error', (err) => {
      if (!stopping) log(`${name}: listener lost: ${err.message}`);
    });
    listener.on('notification', () => {
      notified = true;
      wake?.();
    });
    await listener.connect();
    await listener.query(`LISTEN ${QUEUE_CHANNEL}`);
    queues.push({ name, pool, listener, handle });
  };
  await open('nova', required('SIGNING_NOVA_DATABASE_URL'), (c, j) => signNovaDocument(c, j, signer));
  await open('dermaconsent', required('SIGNING_DERMACONSENT_DATABASE_URL'), (c, j) => signConsentPdf(c, j, signer, storageDir));

  const stop = (why: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${why}: stopping after the current job`);
    wake?.();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // The sandbox spawns us with an IPC channel: when it dies, however it dies, we go too.
  process.on('disconnect', () => stop('parent gone'));

  log(`started: queues ${queues.map((q) => q.name).join(', ')}; polling every ${pollMs} ms; p12 at ${signer.p12Path}`);
  while (!stopping) {
    notified = false;
    let worked = false;
    for (const queue of queues) {
      if (stopping) break;
      try {
        while (!stopping && (await runOne(queue))) worked = true;
      } catch (err) {
        if (!stopping) log(`${queue.name}: queue unreachable: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (worked || notified || stopping) continue;
    // Idle until an enqueue's NOTIFY or the next poll, whichever first.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = undefined;
  }
  await Promise.all(queues.map(async (q) => {
    await q.listener.end().catch(() => undefined);
    await q.pool.end().catch(() => undefined);
  }));
  process.exit(0);
}

main().catch((err: unknown) => {
  log(`failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
