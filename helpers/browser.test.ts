import { describe, expect, it } from 'vitest';
import { chromiumExecutable, SYSTEM_CHROMIUM } from './browser.ts';

describe('chromiumExecutable', () => {
  const own = () => '/root/.cache/ms-playwright/chromium/chrome';
  it('prefers SMOKE_CHROMIUM_PATH', () => {
    expect(chromiumExecutable({ SMOKE_CHROMIUM_PATH: '/opt/chrome' }, () => true, own)).toBe('/opt/chrome');
  });
  it("keeps Playwright's own browser when it is installed", () => {
    expect(chromiumExecutable({}, () => true, own)).toBeUndefined();
  });
  it('falls back to the system Chromium', () => {
    expect(chromiumExecutable({}, (p) => p === SYSTEM_CHROMIUM, own)).toBe(SYSTEM_CHROMIUM);
  });
  it("leaves the choice to Playwright (and its install hint) when neither exists", () => {
    expect(chromiumExecutable({}, () => false, own)).toBeUndefined();
  });
});
