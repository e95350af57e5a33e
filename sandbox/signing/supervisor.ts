/**
 * Starts the signing worker for a sandbox: makes the signing certificate
 * (a self-signed "CN=Nova Home Care" PKCS#12 in the temp folder, never in the
 * repository), spawns sandbox/signing/worker.ts with it, and stops it with the
 * sandbox. The PDF faults that concern the certificate or the worker's
 * environment are set up here; the ones that concern the file, in jobs.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { has, type SandboxContext } from '../context.ts';
import { createSelfSignedP12 } from './certs.ts';
import { storageDirOf } from './storage.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const DAY_MS = 86_400_000;
const STOP_GRACE_MS = 5_000;

export interface Signing {
  /** SHA-256 of the certificate a deployer would pin (SMOKE_SIGNER_SHA256): the one they meant to install. */
  pinnedSha256: string;
  stop(): Promise<void>;
  /** Synchronous last resort for process 'exit'. */
  kill(): void;
}

export async function startSigning(
  ctx: SandboxContext,
  /** `tls`: how the database's certificate is verified (as the API's pool does); the worker's sessions are encrypted too. */
  databases: { novaUrl: string; dermaconsentUrl: string; tls?: ConnectionOptions },
): Promise<Signing> {
  const dir = path.join(ctx.layout.dir, 'signing');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const p12Path = path.join(dir, 'nova.p12');
  const password = randomBytes(18).toString('base64url');

  const now = Date.now();
  const intended = createSelfSignedP12({
    commonName: 'Nova Home Care',
    org: 'Nova Home Care',
    password,
    ...(has(ctx, 'signed-with-expired-cert')
      ? { validFrom: new Date(now - 400 * DAY_MS), validTo: new Date(now - 30 * DAY_MS) }
      : {}),
  });
  // Same name, other key: only a pinned fingerprint tells them apart.
  const installed = has(ctx, 'signed-with-other-cert')
    ? createSelfSignedP12({ commonName: 'Nova Home Care', org: 'Nova Home Care', password })
    : intended;
  if (!has(ctx, 'signing-cert-missing')) await writeFile(p12Path, installed.p12, { mode: 0o600 });

  let caFile = '';
  if (typeof databases.tls?.ca === 'string') {
    caFile = path.join(dir, 'db-ca.pem');
    await writeFile(caFile, databases.tls.ca, { mode: 0o600 });
  }

  const noop: Signing = { pinnedSha256: intended.sha256, stop: async () => undefined, kill: () => undefined };
  if (has(ctx, 'worker-down')) {
    ctx.log('signing worker NOT started (fault worker-down)');
    return noop;
  }

  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'worker.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      SANDBOX_FAULTS: [...ctx.faults].join(','),
      SIGNING_P12_PATH: p12Path,
      SIGNING_P12_PASSWORD: has(ctx, 'signing-password-wrong') ? `${password}-rotated` : password,
      SIGNING_NOVA_DATABASE_URL: databases.novaUrl,
      SIGNING_DERMACONSENT_DATABASE_URL: databases.dermaconsentUrl,
      SIGNING_STORAGE_DIR: storageDirOf(ctx.layout.dir),
      SIGNING_DATABASE_CA_FILE: caFile,
    },
    // The IPC channel lets the worker notice when the sandbox dies without a chance to stop it.
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let exited = false;
  let stopping = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      if (!stopping) ctx.log(`signing worker exited unexpectedly (${signal ?? `code ${code}`})`);
      resolve();
    });
  });
  ctx.log(`signing worker started (pid ${child.pid})`);

  return {
    pinnedSha256: intended.sha256,
    async stop() {
      if (exited) return;
      stopping = true;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exit;
      clearTimeout(timer);
    },
    kill() {
      if (!exited) child.kill('SIGTERM');
    },
  };
}
