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
 * Debian's build of the headless shell, the binary Playwright itself runs for
 * headless Chromium: about a third less CPU than full Chromium in headless
 * mode, which matters when the fault matrix runs the suite sixty times.
 */
export const SYSTEM_HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';

type Env = Record<string, string | undefined>;

/** A headed run (--headed, --debug, --ui, PWDEBUG) needs full Chromium; the shell has no window. */
export function wantsHeaded(argv: string[] = process.argv, env: Env = process.env): boolean {
  if (env.SMOKE_HEADED !== undefined) return env.SMOKE_HEADED === '1';
  return !!env.PWDEBUG || argv.some((a) => a === '--headed' || a === '--debug' || a === '--ui' || a.startsWith('--ui='));
}

/**
 * Which Chromium to launch: SMOKE_CHROMIUM_PATH when set, Playwright's own
 * when installed (undefined = let Playwright choose), else the system one:
 * the headless shell for headless runs when installed, else full Chromium.
 */
export function chromiumExecutable(
  env: Env = process.env,
  exists: (p: string) => boolean = existsSync,
  playwrightOwn: () => string = () => chromium.executablePath(),
  headed: boolean = wantsHeaded(process.argv, env),
): string | undefined {
  if (env.SMOKE_CHROMIUM_PATH) return env.SMOKE_CHROMIUM_PATH;
  let own = '';
  try {
    own = playwrightOwn();
  } catch {
    // Playwright throws when it has no browser registered for this platform.
  }
  if (own && exists(own)) return undefined;
  if (!headed && exists(SYSTEM_HEADLESS_SHELL)) return SYSTEM_HEADLESS_SHELL;
  if (exists(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  return undefined;
}
