/**
 * The account, vault and consent routes against a real sandbox (its own
 * embedded Postgres): register → login → practice → refresh → consent →
 * public read → submit → audit, plus the error paths the suite relies on.
 * One sandbox and one RSA-4096 keypair for the whole file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decryptConsentRow,
  decryptPatientField,
  decryptPrivateKey,
  encryptForPractice,
  encryptPatientField,
  encryptPrivateKey,
  patientLookupHash,
  type ConsentRowCiphertext,
  type EncryptedPrivKey,
} from '../../helpers/vault-crypto.ts';
import { connectionOptions } from '../../helpers/db.ts';
import { sandboxLayout } from '../layout.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Away from the lead's 4300-4500 and the fault matrix's slots.
const layout = sandboxLayout(Number(process.env.FLOWS_TEST_PORT_BASE) || 4840);
const API = layout.apiUrl;
const QUOTA = 3; // SANDBOX_CONSENT_MONTHLY_LIMIT for this sandbox
const MASTER = 'Flows-Test-Master-7!';
const PASSWORD = 'Flows-Test-Passw0rd';
const run = Math.random().toString(36).slice(2, 10);

let sandbox: ChildProcess | undefined;
const sandboxLog: string[] = [];
let db: pg.Pool;
let keys: { publicKey: JsonWebKey; encryptedPrivKey: EncryptedPrivKey };

interface Reply {
  status: number;
  body: Record<string, unknown> & { message?: unknown; errorCode?: unknown };
}

async function api(method: string, route: string, opts: { token?: string; body?: unknown } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${API}${route}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Reply['body']) : {} };
}

/**
 * Polls the readiness probe, and the env file the sandbox writes just after
 * (it holds the database URL), until `deadlineMs`; fails with the sandbox's
 * log when it exits or never gets there.
 */
async function waitForSandbox(deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  let last = 'no answer yet';
  while (Date.now() < until) {
    if (sandbox?.exitCode !== null) throw new Error(`sandbox exited (code ${sandbox?.exitCode}) before ready:\n${sandboxLog.join('')}`);
    try {
      const res = await fetch(`${API}/__sandbox/ready`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok && existsSync(layout.envFile)) return;
      last = res.ok ? `ready, but no ${layout.envFile} yet` : `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250)); // poll interval, not a wait for an event
  }
  throw new Error(`sandbox not ready at ${API}/__sandbox/ready after ${deadlineMs} ms (last: ${last}):\n${sandboxLog.join('')}`);
}

async function makePracticeKeys(): Promise<typeof keys> {
  const pair = await crypto.subtle.generateKey(
    { name: 'RSA-OAEP', modulusLength: 4096, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['encrypt', 'decrypt'],
  );
  return {
    publicKey: await crypto.subtle.exportKey('jwk', pair.publicKey),
    encryptedPrivKey: await encryptPrivateKey(await crypto.subtle.exportKey('pkcs8', pair.privateKey), MASTER),
  };
}

beforeAll(async () => {
  sandbox = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      SANDBOX_PORT_BASE: String(layout.portBase),
      SANDBOX_FAULTS: '',
      SANDBOX_CONSENT_MONTHLY_LIMIT: String(QUOTA),
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  sandbox.stderr?.on('data', (d: Buffer) => sandboxLog.push(d.toString()));
  const keyJob = makePracticeKeys(); // seconds of RSA-4096 while the sandbox starts
  await waitForSandbox(45_000);
  keys = await keyJob;
  const url = dotenv.parse(readFileSync(layout.envFile)).SMOKE_DATABASE_URL;
  if (!url) throw new Error(`${layout.envFile} has no SMOKE_DATABASE_URL`);
  const env = dotenv.parse(readFileSync(layout.envFile));
  db = new pg.Pool({ ...connectionOptions(url, env.SMOKE_DATABASE_CA_FILE), max: 2 });
}, 90_000);

afterAll(async () => {
  await db?.end();
  const child = sandbox;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}, 30_000);

describe('DermaConsent sandbox: account, vault and consent routes', () => {
  const email = `flows+${run}@example.test`;
  let token = '';
  let userId = '';
  let practiceId = '';
  let consent: Record<string, unknown> = {};
  let consentToken = '';
  const answers = { treatmentAreas: ['Forehead (Frontalis)'], previousBotox: `canary-${run}`, signatureData: 'data:image/png;base64,iVBORw0KGgo=' };
  const patient = { name: `Erika Canary-${run}`, dob: '1980-04-12', email: `patient+${run}@example.test` };

  it('registers with 201 {accessToken, user} and rejects bad bodies the way the real API does', async () => {
    const weak = await api('POST', '/api/auth/register', { body: { email, password: 'alllowercase1' } });
    expect(weak.status).toBe(400);
    expect(weak.body.errorCode).toBeUndefined();
    expect(weak.body.message).toEqual([expect.stringContaining('uppercase')]);

    const unknown = await api('POST', '/api/auth/register', { body: { email, password: PASSWORD, isAdmin: true } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toEqual(['property isAdmin should not exist']);

    const res = await api('POST', '/api/auth/register', { body: { email, password: PASSWORD, name: 'Flows Test', locale: 'en' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      user: { id: expect.any(String), email, name: 'Flows Test', image: null, practiceId: null, role: 'ADMIN' },
    });
    const claims = JSON.parse(Buffer.from((res.body.accessToken as string).split('.')[1] as string, 'base64url').toString());
    expect(claims).toMatchObject({ email, practiceId: null, role: 'ADMIN' });
    expect(claims.exp - claims.iat).toBe(7 * 24 * 3600);

    const again = await api('POST', '/api/auth/register', { body: { email, password: PASSWORD } });
    expect([again.status, again.body.errorCode]).toEqual([409, 'EMAIL_ALREADY_REGISTERED']);

    const { rows } = await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = $1', [email]);
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$/);
    expect(rows[0]?.password_hash).not.toContain(PASSWORD);
  });

  it('logs in with 200, rejects a wrong password with 401 INVALID_CREDENTIALS', async () => {
    const wrong = await api('POST', '/api/auth/login', { body: { email, password: 'Wrong-Passw0rd' } });
    expect([wrong.status, wrong.body.errorCode]).toEqual([401, 'INVALID_CREDENTIALS']);
    const res = await api('POST', '/api/auth/login', { body: { email, password: PASSWORD } });
    expect(res.status).toBe(200);
    token = res.body.accessToken as string;
    userId = (res.body.user as { id: string }).id;
    expect(res.body.user).toMatchObject({ email, practiceId: null, role: 'ADMIN' });
  });

  it('answers 401 without a valid token (missing, forged, alg none)', async () => {
    expect((await api('GET', '/api/practice')).status).toBe(401);
    const [h, p] = token.split('.') as [string, string];
    expect((await api('GET', '/api/practice', { token: `${h}.${p}.${'A'.repeat(43)}` })).status).toBe(401);
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect((await api('GET', '/api/practice', { token: `${none}.${p}.` })).status).toBe(401);
  });

  it('creates a practice with a FREE_TRIAL subscription; the old token needs a refresh', async () => {
    const noPractice = await api('GET', '/api/practice', { token });
    expect([noPractice.status, noPractice.body.errorCode]).toEqual([403, 'NO_PRACTICE_ASSIGNED']);

    const body = { name: `Praxis ${run}`, dsgvoContact: `dsgvo+${run}@example.test`, ...keys };
    const res = await api('POST', '/api/practice', { token, body });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), name: body.name, createdAt: expect.any(String) });
    practiceId = res.body.id as string;

    const second = await api('POST', '/api/practice', { token, body });
    expect([second.status, second.body.errorCode]).toEqual([400, 'USER_ALREADY_MEMBER']);

    const stale = await api('GET', '/api/consent/practice', { token });
    expect([stale.status, stale.body.errorCode]).toEqual([403, 'NO_PRACTICE_ASSIGNED']);

    const refreshed = await api('POST', '/api/auth/refresh-token', { token });
    expect(refreshed.status).toBe(201);
    expect(refreshed.body.user).toMatchObject({ id: userId, practiceId, role: 'ADMIN' });
    token = refreshed.body.accessToken as string;

    const practice = await api('GET', '/api/practice', { token });
    expect(practice.status).toBe(200);
    expect(practice.body).toMatchObject({ id: practiceId, name: body.name, publicKey: keys.publicKey, encryptedPrivKey: keys.encryptedPrivKey });

    const { rows } = await db.query<{ plan: string; status: string; days: number }>(
      `SELECT plan, status, round(extract(epoch FROM trial_ends_at - created_at) / 86400)::int AS days
       FROM subscriptions WHERE practice_id = $1`,
      [practiceId],
    );
    expect(rows).toEqual([{ plan: 'FREE_TRIAL', status: 'TRIALING', days: 30 }]);
  });

  it('creates a consent link and serves it publicly with the practice key', async () => {
    const bad = await api('POST', '/api/consent', { token, body: { type: 'TATTOO' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual([expect.stringContaining('BOTOX, FILLER, LASER, CHEMICAL_PEEL, MICRONEEDLING, PRP')]);

    const res = await api('POST', '/api/consent', { token, body: { type: 'BOTOX' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      token: expect.any(String),
      type: 'BOTOX',
      status: 'PENDING',
      expiresAt: expect.any(String),
      createdAt: expect.any(String),
      practiceName: `Praxis ${run}`,
    });
    const days = (Date.parse(res.body.expiresAt as string) - Date.parse(res.body.createdAt as string)) / 86_400_000;
    expect(days).toBeCloseTo(7, 3);
    consent = res.body;
    consentToken = res.body.token as string;

    const read = await api('GET', `/api/consent/${encodeURIComponent(consentToken)}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: consent.id, token: consentToken, type: 'BOTOX', status: 'PENDING' });
    // Healthy means only what the form needs (the real app's leak is the public-consent-leaks-pii fault).
    expect(read.body.practice).toEqual({ name: `Praxis ${run}`, publicKey: keys.publicKey });
    for (const key of ['signatureIp', 'signatureUserAgent', 'practiceId', 'patientId']) expect(read.body).not.toHaveProperty(key);

    const missing = await api('GET', '/api/consent/no-such-token');
    expect([missing.status, missing.body.errorCode]).toEqual([404, 'CONSENT_NOT_FOUND']);
  });

  it('accepts an encrypted submission once (201), stores ciphertext and links the patient', async () => {
    const envelope = await encryptForPractice(JSON.stringify(answers), keys.publicKey);
    const submission = {
      encryptedResponses: { iv: envelope.iv, ciphertext: envelope.ciphertext },
      encryptedSessionKey: envelope.encryptedSessionKey,
      encryptedPatientName: await encryptPatientField(patient.name, keys.publicKey),
      encryptedPatientDob: await encryptPatientField(patient.dob, keys.publicKey),
      encryptedPatientEmail: await encryptPatientField(patient.email, keys.publicKey),
      patientLookupHash: patientLookupHash(patient.name, patient.dob),
      comprehensionScore: 1,
      comprehensionAnswers: [{ questionId: 'botox-duration', selectedIndex: 1, correct: true }],
      locale: 'en',
    };
    const route = `/api/consent/${encodeURIComponent(consentToken)}/submit`;

    const plaintextCopy = await api('POST', route, { body: { ...submission, formData: answers } });
    expect(plaintextCopy.status).toBe(400);
    expect(plaintextCopy.body.message).toEqual(['property formData should not exist']);
    const signatureOutside = await api('POST', route, { body: { ...submission, signatureData: answers.signatureData } });
    expect(signatureOutside.body.message).toEqual(['property signatureData should not exist']);

    const res = await api('POST', route, { body: submission });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: consent.id, token: consentToken, status: 'SIGNED', signatureTimestamp: expect.any(String), practiceId });

    const again = await api('POST', route, { body: submission });
    expect([again.status, again.body.errorCode]).toEqual([400, 'CONSENT_ALREADY_SUBMITTED']);

    const { rows } = await db.query(
      `SELECT c.status, c.signature_ip, c.signature_timestamp IS NOT NULL AS signed, c.encrypted_session_key,
              p.encrypted_name, p.lookup_hash
       FROM consent_forms c JOIN patients p ON p.id = c.patient_id WHERE c.id = $1`,
      [consent.id],
    );
    expect(rows[0]).toMatchObject({
      status: 'SIGNED',
      signature_ip: '127.0.0.1',
      signed: true,
      encrypted_session_key: envelope.encryptedSessionKey,
      encrypted_name: submission.encryptedPatientName,
      lookup_hash: submission.patientLookupHash,
    });
    const { rows: clear } = await db.query(
      `SELECT count(*)::int AS n FROM consent_forms c JOIN patients p ON p.id = c.patient_id
       WHERE c.id = $1 AND (c::text LIKE $2 OR p::text LIKE $2 OR p::text LIKE $3)`,
      [consent.id, `%canary-${run}%`, `%Canary-${run}%`],
    );
    expect(clear[0]).toEqual({ n: 0 });
  });

  it('lists the signed consent and the patient for the dashboard; both decrypt with the vault key', async () => {
    const privateKey = await decryptPrivateKey(keys.encryptedPrivKey, MASTER);
    const list = await api('GET', '/api/consent/practice', { token });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, page: 1, limit: expect.any(Number) });
    const item = (list.body.items as Record<string, unknown>[])[0] as Record<string, unknown>;
    // The real list's shape: the patient as an object, no ciphertext (the dashboard decrypts via the token route).
    expect(Object.keys(item).sort()).toEqual(
      ['createdAt', 'expiresAt', 'hasPdf', 'id', 'noShowRisk', 'patient', 'pdfSentAt', 'pdfSentTo', 'signatureTimestamp', 'status', 'token', 'type'].sort(),
    );
    const patientRef = item.patient as Record<string, unknown>;
    expect(Object.keys(patientRef).sort()).toEqual(['encryptedEmail', 'encryptedName', 'id', 'lookupHash']);
    const byToken = await api('GET', `/api/consent/${encodeURIComponent(item.token as string)}`);
    expect(await decryptConsentRow(byToken.body as ConsentRowCiphertext, privateKey)).toEqual(answers);

    const patients = await api('GET', '/api/patients', { token });
    expect(patients.status).toBe(200);
    expect(patients.body.total).toBe(1);
    const row = (patients.body.items as Record<string, string>[])[0] as Record<string, string>;
    expect(row.id).toBe(patientRef.id);
    const detail = await api('GET', `/api/patients/${row.id}`, { token });
    expect(detail.status).toBe(200);
    expect(await decryptPatientField(detail.body.encryptedName as string, privateKey)).toBe(patient.name);
    expect(await decryptPatientField(detail.body.encryptedDob as string, privateKey)).toBe(patient.dob);
    expect(await decryptPatientField(detail.body.encryptedEmail as string, privateKey)).toBe(patient.email);
  });

  it('answers the routes every dashboard page loads with 200', async () => {
    for (const route of ['/api/settings', '/api/ai/status', '/api/features', '/api/team/members', '/api/practice']) {
      const res = await api('GET', route, { token });
      expect(res.status, route).toBe(200);
    }
  });

  it('records vault events and lists the audit log newest first, scoped to the practice', async () => {
    const bad = await api('POST', '/api/audit/vault-event', { token, body: { action: 'VAULT_OPENED' } });
    expect(bad.status).toBe(400);
    for (const action of ['VAULT_UNLOCKED', 'VAULT_LOCKED']) {
      expect((await api('POST', '/api/audit/vault-event', { token, body: { action } })).status).toBe(201);
    }
    const res = await api('GET', '/api/audit', { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, limit: 25, totalPages: 1 });
    const items = res.body.items as Record<string, unknown>[];
    expect(items.every((i) => i.practiceId === practiceId)).toBe(true);
    const actions = items.map((i) => i.action);
    expect(actions.slice(0, 2)).toEqual(['VAULT_LOCKED', 'VAULT_UNLOCKED']);
    expect(actions).toEqual(expect.arrayContaining(['PRACTICE_CREATED', 'CONSENT_CREATED', 'CONSENT_SUBMITTED']));
    const submitted = items.find((i) => i.action === 'CONSENT_SUBMITTED');
    expect(submitted).toMatchObject({ entityType: 'ConsentForm', entityId: consent.id, userId: null, ipAddress: '127.0.0.1' });
    expect(items.find((i) => i.action === 'CONSENT_CREATED')).toMatchObject({ entityId: consent.id, userId });
    expect(Object.keys(items[0] as object).sort()).toEqual(
      ['action', 'createdAt', 'entityId', 'entityType', 'id', 'ipAddress', 'metadata', 'practiceId', 'userId'].sort(),
    );

    const filtered = await api('GET', '/api/audit?action=CONSENT_SUBMITTED', { token });
    expect((filtered.body.items as { action: string }[]).map((i) => i.action)).toEqual(['CONSENT_SUBMITTED']);
    const future = await api('GET', '/api/audit?startDate=2999-01-01', { token });
    expect(future.body).toMatchObject({ items: [], total: 0 });
    expect((await api('GET', '/api/audit?endDate=yesterday', { token })).status).toBe(400);

    // A login after practice setup is in the practice's log too.
    expect((await api('POST', '/api/auth/login', { body: { email, password: PASSWORD } })).status).toBe(200);
    const logins = await api('GET', '/api/audit?action=LOGIN_SUCCESS', { token });
    expect(logins.body.total).toBe(1);
  });

  it(`stops a free-trial practice at its monthly quota with 403 CONSENT_LIMIT_REACHED (limit ${QUOTA} here)`, async () => {
    for (let i = 1; i < QUOTA; i++) expect((await api('POST', '/api/consent', { token, body: { type: 'PRP' } })).status).toBe(201);
    const over = await api('POST', '/api/consent', { token, body: { type: 'PRP' } });
    expect([over.status, over.body.errorCode]).toEqual([403, 'CONSENT_LIMIT_REACHED']);
  });

  it('locks an account for 15 minutes after five wrong passwords', async () => {
    const victim = `flows-lock+${run}@example.test`;
    expect((await api('POST', '/api/auth/register', { body: { email: victim, password: PASSWORD } })).status).toBe(201);
    const codes: unknown[] = [];
    for (let i = 0; i < 5; i++) codes.push((await api('POST', '/api/auth/login', { body: { email: victim, password: 'Wrong-Passw0rd' } })).body.errorCode);
    expect(codes).toEqual([...Array(4).fill('INVALID_CREDENTIALS'), 'ACCOUNT_LOCKED_TEMPORARY']);
    const right = await api('POST', '/api/auth/login', { body: { email: victim, password: PASSWORD } });
    expect([right.status, right.body.errorCode]).toEqual([403, 'ACCOUNT_LOCKED_TEMPORARY']);
    const { rows } = await db.query<{ failed_login_attempts: number; minutes: number }>(
      `SELECT failed_login_attempts, round(extract(epoch FROM locked_until - now()) / 60)::int AS minutes FROM users WHERE email = $1`,
      [victim],
    );
    expect(rows).toEqual([{ failed_login_attempts: 5, minutes: 15 }]);
  });

  it('connects the API to Postgres over TLS (DC-DB-2 healthy)', async () => {
    const { rows } = await db.query<{ ssl: boolean }>(
      "SELECT ssl FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE application_name = 'dermaconsent-api'",
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.ssl)).toBe(true);
  });
});
