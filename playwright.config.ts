import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type PlaywrightTestConfig, type Project } from '@playwright/test';
import { ensureRunSecret } from './helpers/run-secret.ts';
import { chromiumExecutable, QUIET_CHROMIUM_ARGS, wantsHeaded } from './helpers/browser.ts';
import { loadTarget, parseSettings, selectedTargets, SettingsError, type Target } from './helpers/settings.ts';

/** list (default), line or dot: the console output, chosen without dropping the report files. */
function consoleReporter(): string {
  const choice = process.env.SMOKE_CONSOLE_REPORTER ?? 'list';
  if (!['list', 'line', 'dot'].includes(choice)) throw new Error(`SMOKE_CONSOLE_REPORTER=${choice}: must be list, line or dot`);
  return choice;
}

// Absolute paths: the fault matrix's own config imports this one from another folder.
const ROOT = path.dirname(fileURLToPath(import.meta.url));

// One run ID for all worker processes: synthetic data is named after it.
process.env.SMOKE_RUN_ID ??= randomUUID().slice(0, 8);
// And one key for the synthetic account's passwords: a replaced worker signs in to the run's account.
ensureRunSecret();

const targets = selectedTargets();
process.env.SMOKE_SELECTED_TARGETS = targets.join(',');
// Workers see no CLI flags: they inherit whether the run is headed (which Chromium to launch).
process.env.SMOKE_HEADED = wantsHeaded() ? '1' : '0';

/**
 * With nothing configured, the local target is the sandbox, started below. It
 * is then a target like any other: it writes a complete settings file before
 * it answers ready (at $TMPDIR/smoke-sandbox-<port base>/sandbox.env), and the
 * run reads that file through SMOKE_ENV_FILE, as it would a staging .env file.
 */
const TARGET_URLS = ['SMOKE_BASE_URL', 'SMOKE_FRONTEND_URL', 'SMOKE_API_URL', 'SMOKE_NOVA_API_URL'];
const startsSandbox =
  targets.includes('local') && !process.env.SMOKE_ENV_FILE && !TARGET_URLS.some((k) => process.env[k]) && !process.env.SMOKE_SANDBOX_STARTED;
const portBase = Number(process.env.SANDBOX_PORT_BASE || 4300);
if (startsSandbox) {
  process.env.SMOKE_ENV_FILE = path.join(os.tmpdir(), `smoke-sandbox-${portBase}`, 'sandbox.env');
  // Worker processes re-read this config: they must not start a sandbox of their own.
  process.env.SMOKE_SANDBOX_STARTED = '1';
}

// Validate every selected target before anything starts. The sandbox's own file
// exists only once it runs: then the global setup validates it.
try {
  for (const target of targets) {
    if (process.env.SMOKE_SANDBOX_STARTED && target === 'local' && !isWorker()) {
      const { SMOKE_ENV_FILE: _file, ...env } = process.env;
      const r = parseSettings('local', env);
      if (!r.ok) throw new SettingsError(r.problems);
    } else if (!isWorker()) {
      loadTarget(target);
    }
  }
} catch (err) {
  if (!(err instanceof SettingsError)) throw err;
  process.stderr.write(`\n${err.message}\nSee .env.example for every setting.\n\n`);
  process.exit(2);
}

function isWorker(): boolean {
  return process.env.TEST_WORKER_INDEX !== undefined;
}

const executablePath = chromiumExecutable();
const projects: Project[] = targets.map((target: Target) => ({
  name: target,
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath, args: QUIET_CHROMIUM_ARGS },
    // The page objects read English labels; the real frontend picks its language
    // from Accept-Language and falls back to German, so pin it.
    locale: 'en-US',
  },
}));

let webServer: PlaywrightTestConfig['webServer'];
if (startsSandbox) {
  webServer = {
    command: 'node --import tsx sandbox/main.ts',
    cwd: ROOT,
    // The sandbox answers ready on its API port (base + 1) once its settings file is written.
    url: `http://127.0.0.1:${portBase + 1}/__sandbox/ready`,
    // Never reuse: a sandbox left running may carry other faults than this run asks for.
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    env: { SANDBOX_PORT_BASE: String(portBase), SANDBOX_FAULTS: process.env.SANDBOX_FAULTS ?? '' },
  };
}

export default defineConfig({
  testDir: path.join(ROOT, 'tests'),
  outputDir: path.join(ROOT, 'reports', 'test-results'),
  globalSetup: path.join(ROOT, 'fixtures', 'global-setup.ts'),
  globalTeardown: path.join(ROOT, 'fixtures', 'global-teardown.ts'),
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.CI ? 2 : undefined,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [
    // First: blanks synthetic passwords in attachments before the others copy them.
    [path.join(ROOT, 'helpers', 'redact-reporter.ts')],
    // The console's reporter; `--reporter` on the command line would replace every reporter here.
    [consoleReporter()],
    ['html', { outputFolder: path.join(ROOT, 'reports', 'html'), open: 'never' }],
    ['junit', { outputFile: path.join(ROOT, 'reports', 'junit.xml') }],
    ['json', { outputFile: path.join(ROOT, 'reports', 'results.json') }],
    [path.join(ROOT, 'helpers', 'readiness-reporter.ts'), { outputDir: path.join(ROOT, 'reports') }],
    // Last: once every report file is written, no secret may be in any of them.
    [path.join(ROOT, 'helpers', 'secret-scan-reporter.ts'), { dir: path.join(ROOT, 'reports') }],
  ],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
  },
  projects,
  webServer,
});
