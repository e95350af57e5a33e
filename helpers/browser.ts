import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** Without these, Chromium floods a closed network with update/sync/telemetry connections. */
export const QUIET_CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * Which Chromium to launch: SMOKE_CHROMIUM_PATH when set, Playwright's own
 * when installed (undefined = let Playwright choose), else the system one.
 */
export function chromiumExecutable(
  env: Record<string, string | undefined> = process.env,
  exists: (p: string) => boolean = existsSync,
  playwrightOwn: () => string = () => chromium.executablePath(),
): string | undefined {
  if (env.SMOKE_CHROMIUM_PATH) return env.SMOKE_CHROMIUM_PATH;
  let own = '';
  try {
    own = playwrightOwn();
  } catch {
    // Playwright throws when it has no browser registered for this platform.
  }
  if (own && exists(own)) return undefined;
  if (exists(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  return undefined;
}
