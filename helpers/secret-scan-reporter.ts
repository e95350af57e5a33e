/**
 * Last reporter of every run: when the others have written their files, scans
 * reports/ for secrets (helpers/secret-scan.ts) and fails the run on a hit,
 * naming the file and the kind of secret, never the value.
 */
import path from 'node:path';
import type { FullResult, Reporter } from '@playwright/test/reporter';
import { runPassword, RUN_SECRET_VARIABLE } from './run-secret.ts';
import { scanForSecrets, type KnownSecret } from './secret-scan.ts';
import { environmentFor, SECRET_VARIABLES, selectedTargets } from './settings.ts';

/** The secret values this run knows: its settings' secrets (and database passwords), its derived passwords and key. */
export function knownSecrets(env: Record<string, string | undefined> = process.env): KnownSecret[] {
  const known: KnownSecret[] = [];
  for (const target of selectedTargets(undefined, env)) {
    let values: Record<string, string | undefined>;
    try {
      values = environmentFor(target, env).env;
    } catch {
      continue; // invalid settings stopped the run before anything was written
    }
    for (const name of SECRET_VARIABLES) {
      const value = values[name];
      if (!value) continue;
      known.push({ label: name, value });
      const password = /^[a-z]+:\/\/[^:/@]*:([^@]+)@/i.exec(value)?.[1];
      if (password) known.push({ label: `the password in ${name}`, value: decodeURIComponent(password) });
    }
  }
  if (env[RUN_SECRET_VARIABLE]) {
    known.push({ label: RUN_SECRET_VARIABLE, value: env[RUN_SECRET_VARIABLE] as string });
    for (const label of ['dermaconsent-login', 'dermaconsent-master']) known.push({ label: `the run's ${label} password`, value: runPassword(label, env) });
  }
  return known;
}

export default class SecretScanReporter implements Reporter {
  constructor(private readonly options: { dir?: string } = {}) {}

  printsToStdio(): boolean {
    return false;
  }

  async onEnd(result: FullResult): Promise<{ status?: FullResult["status"] } | undefined> {
    const dir = this.options.dir ?? 'reports';
    const findings = scanForSecrets(dir, knownSecrets());
    if (findings.length === 0) return undefined;
    process.stdout.write(`\nSecret scan of ${dir}: ${findings.length} finding(s); the run fails:\n`);
    for (const f of findings) process.stdout.write(`  ${path.relative(process.cwd(), f.file) || f.file}: ${f.kind}\n`);
    return { status: result.status === 'passed' ? 'failed' : result.status };
  }
}
