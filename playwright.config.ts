import { randomUUID } from 'node:crypto';
import { defineConfig, type PlaywrightTestConfig, type Project } from '@playwright/test';
import { chromiumExecutable, QUIET_CHROMIUM_ARGS, wantsHeaded } from './helpers/browser.ts';
import { loadSettings, selectedTargets, SettingsError, type Settings } from './helpers/settings.ts';
import { sandboxLayout, portBaseFrom } from './sandbox/layout.ts';

// One run ID for all worker processes: synthetic data is named after it.
process.env.SMOKE_RUN_ID ??= randomUUID().slice(0, 8);

// Validate the settings of every selected target before anything starts.
const targets = selectedTargets();
process.env.SMOKE_SELECTED_TARGETS = targets.join(',');
// Workers see no CLI flags: they inherit whether the run is headed (which Chromium to launch).
process.env.SMOKE_HEADED = wantsHeaded() ? '1' : '0';
const settings: Settings[] = [];
try {
  for (const target of targets) settings.push(loadSettings(target));
} catch (err) {
  if (!(err instanceof SettingsError)) throw err;
  process.stderr.write(`\n${err.message}\nSee .env.example for every setting.\n\n`);
  process.exit(2);
}

const executablePath = chromiumExecutable();
const projects: Project[] = settings.map((s) => ({
  name: s.target,
  use: {
    browserName: 'chromium',
    baseURL: s.dermaconsent?.frontendUrl,
    launchOptions: { executablePath, args: QUIET_CHROMIUM_ARGS },
  },
}));

// The local target starts its own sandbox unless a URL points elsewhere.
const managed = settings.find((s) => s.sandboxManaged);
let webServer: PlaywrightTestConfig['webServer'];
if (managed) {
  const layout = sandboxLayout(portBaseFrom(process.env.SANDBOX_PORT_BASE));
  webServer = {
    command: 'node --import tsx sandbox/main.ts',
    url: `${layout.apiUrl}/__sandbox/ready`,
    // Never reuse: a sandbox left running may carry other faults than this run asks for.
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    env: { SANDBOX_PORT_BASE: String(layout.portBase), SANDBOX_FAULTS: process.env.SANDBOX_FAULTS ?? '' },
  };
}

export default defineConfig({
  testDir: './tests',
  outputDir: 'reports/test-results',
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.CI ? 2 : undefined,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [
    // First: blanks synthetic passwords in attachments before the others copy them.
    ['./helpers/redact-reporter.ts'],
    ['list'],
    ['html', { outputFolder: 'reports/html', open: 'never' }],
    ['junit', { outputFile: 'reports/junit.xml' }],
    ['json', { outputFile: 'reports/results.json' }],
    ['./helpers/readiness-reporter.ts', { outputDir: 'reports' }],
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
