import { describe, expect, it } from 'vitest';
import { chromiumExecutable, SYSTEM_CHROMIUM, SYSTEM_HEADLESS_SHELL, wantsHeaded } from './browser.ts';

describe('chromiumExecutable', () => {
  const own = () => '/root/.cache/ms-playwright/chromium/chrome';
  it('prefers SMOKE_CHROMIUM_PATH', () => {
    expect(chromiumExecutable({ SMOKE_CHROMIUM_PATH: '/opt/chrome' }, () => true, own)).toBe('/opt/chrome');
  });
  it("keeps Playwright's own browser when it is installed", () => {
    expect(chromiumExecutable({}, () => true, own)).toBeUndefined();
  });
  it('falls back to the system Chromium', () => {
    expect(chromiumExecutable({}, (p) => p === SYSTEM_CHROMIUM, own, false)).toBe(SYSTEM_CHROMIUM);
  });
  it("prefers the system headless shell for headless runs, full Chromium for headed ones", () => {
    const both = (p: string) => p === SYSTEM_CHROMIUM || p === SYSTEM_HEADLESS_SHELL;
    expect(chromiumExecutable({}, both, own, false)).toBe(SYSTEM_HEADLESS_SHELL);
    expect(chromiumExecutable({}, both, own, true)).toBe(SYSTEM_CHROMIUM);
  });
  it("leaves the choice to Playwright (and its install hint) when neither exists", () => {
    expect(chromiumExecutable({}, () => false, own)).toBeUndefined();
  });
});

describe('wantsHeaded', () => {
  it('reads the flags that open a window', () => {
    expect(wantsHeaded(['node', 'playwright', 'test'], {})).toBe(false);
    expect(wantsHeaded(['node', 'playwright', 'test', '--headed'], {})).toBe(true);
    expect(wantsHeaded(['node', 'playwright', 'test', '--ui'], {})).toBe(true);
    expect(wantsHeaded([], { PWDEBUG: '1' })).toBe(true);
  });
  it("lets worker processes inherit the main process's answer", () => {
    expect(wantsHeaded(['node', 'workerMain.js'], { SMOKE_HEADED: '1' })).toBe(true);
    expect(wantsHeaded(['--headed'], { SMOKE_HEADED: '0' })).toBe(false);
  });
});
